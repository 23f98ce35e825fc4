"""What made each article text, and whether its failure is final (``watch.full_text``).

``article_texts.made_with`` is the source's ``full_text`` setting the page was read with:
"auto" (``full_text: true``) or its CSS selector; a text made with another setting than the
source's is read again, once.  ``article_texts.final`` marks a failure that is the page's own
answer (robots.txt refusal, not HTML, no more text than the feed's summary…): reading the page
again would give the same, so it is not tried again.  The rows already stored were read
automatically, their failures tried again as before; "no more text than the feed's summary" takes
its new words (with "a paywall or a teaser page?"), which the board and ``watch status`` know.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


OLD_NO_MORE = "no more text than the feed's summary"
NEW_NO_MORE = "no more text than the feed's summary (a paywall or a teaser page?)"


def upgrade() -> None:
    # plain ADD COLUMN: a batch copy of the table would drop SQLite's text search triggers
    op.add_column(
        "article_texts", sa.Column("final", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.add_column(
        "article_texts", sa.Column("made_with", sa.Text, nullable=False, server_default="auto")
    )
    reworded = sa.text("UPDATE article_texts SET error = :new WHERE error = :old")
    op.get_bind().execute(reworded, {"new": NEW_NO_MORE, "old": OLD_NO_MORE})


def downgrade() -> None:
    op.drop_column("article_texts", "made_with")
    op.drop_column("article_texts", "final")
