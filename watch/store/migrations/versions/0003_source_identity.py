"""Sources remember the feed's own title and home page.

What the feed says of itself (``<title>``, ``<link>``) from its last successful read: shown on
the board's Sources page, given as OPML ``htmlUrl``.  NULL until the next successful read.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("source_state") as batch:
        batch.add_column(sa.Column("title", sa.Text))
        batch.add_column(sa.Column("home_url", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("source_state") as batch:
        batch.drop_column("home_url")
        batch.drop_column("title")
