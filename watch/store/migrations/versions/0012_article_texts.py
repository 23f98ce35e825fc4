"""The whole text of articles, read from their pages (a source's ``full_text:``).

``article_texts`` holds one row per article whose page was read: the sanitized HTML of its
main text and that text in plain words, or the last reason it could not be read and how many
passes tried (``error``, ``attempts``: tried again later, at most 3 times).  A row goes with
its article (``ON DELETE CASCADE``, as ``article_topics``).  ``articles.text_lead`` keeps the
start of the text beside the article, so that classifying an article reads one row.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watch.store.schema import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN: a batch copy of the table would drop SQLite's search triggers
    op.add_column("articles", sa.Column("text_lead", sa.Text, nullable=False, server_default=""))
    op.create_table(
        "article_texts",
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("html", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("fetched_at", UtcDateTime, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("attempts", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("article_texts")
    op.drop_column("articles", "text_lead")
