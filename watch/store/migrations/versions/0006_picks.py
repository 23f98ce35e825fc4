"""Articles remember when they were starred and the team's note on them.

A star is how the team picks an article for the week's digest ("Picked by the team"): the
digest of a week takes the articles starred during it (``starred_at``; stars given before this
revision have none and count in the week the article was published).  ``note`` is the line the
team writes for the stakeholders, shown under the pick.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watch.store.schema import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN: a batch copy of the table would drop SQLite's search triggers
    op.add_column("articles", sa.Column("starred_at", UtcDateTime))
    op.add_column("articles", sa.Column("note", sa.Text))


def downgrade() -> None:
    op.drop_column("articles", "note")
    op.drop_column("articles", "starred_at")
