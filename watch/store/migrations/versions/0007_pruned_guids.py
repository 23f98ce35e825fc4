"""Guids of the articles retention deleted (``store.keep``): their feed cannot bring them back.

A feed keeps listing old items (50 is common; a page source may list years): an article
deleted for its age would be "new" again at the next fetch.  ``pruned_guids`` remembers
(source, guid) of each deleted article; ``seen_at`` is the last fetch that still listed it, and
a tombstone no feed listed for a year is forgotten (``watch.retention``).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watch.store.schema import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pruned_guids",
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("guid", sa.Text, primary_key=True),
        sa.Column("pruned_at", UtcDateTime, nullable=False),
        sa.Column("seen_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_pruned_guids_seen_at", "pruned_guids", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_pruned_guids_seen_at", table_name="pruned_guids")
    op.drop_table("pruned_guids")
