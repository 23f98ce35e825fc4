"""Feedback remembers the article's topics when a 👍/👎 was given.

A vote means "these topics, as shown to me, are (not) relevant"; re-reading it against whatever
topics the article has at the next training would change its meaning at every retrain.  Rows
from before this revision have NULL (the trainer then falls back to the article's topics).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("topics", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_column("topics")
