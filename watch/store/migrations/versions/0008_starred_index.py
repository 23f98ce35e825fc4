"""A partial index on the starred articles: the week's picks and the board's "starred" filter
read a few dozen rows instead of scanning the table (100 ms at 100,000 articles).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_articles_starred",
        "articles",
        ["starred_at"],
        sqlite_where=sa.text("starred = 1"),
        postgresql_where=sa.text("starred"),
    )


def downgrade() -> None:
    op.drop_index("ix_articles_starred", table_name="articles")
