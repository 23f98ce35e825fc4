"""An index on (source, fetched_at): when each source was first collected, in one lookup.

The digest and the trends leave out what a source's first collection brought without a date
of its own (``ArticleQuery.undated_backlog``); that asks, for each such article, for the
earliest ``fetched_at`` of its source.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_source_fetched_at", "articles", ["source", "fetched_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_source_fetched_at", table_name="articles")
