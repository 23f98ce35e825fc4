"""PostgreSQL search splits words at every ASCII punctuation mark, as SQLite's FTS5 does.

PostgreSQL's text-search parser keeps versions ("3.12"), host names ("trailers.apple.com"),
paths ("/r/food") and addresses whole, and drops what looks like an HTML tag ("<dialog>"):
those words were found on SQLite and not on PostgreSQL.  ``search_vector`` is now computed
from the unaccented text with every ASCII punctuation mark turned into a space (unaccent
first: it writes some marks, "½" → "1/2").  SQLite is unchanged.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import string

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

PUNCTUATION = string.punctuation
_SEARCH_TEXT = "watch_unaccent(left(title || ' ' || summary_text, 200000))"
_QUOTED = PUNCTUATION.replace("'", "''")
WORDS_ONLY = f"translate({_SEARCH_TEXT}, '{_QUOTED}', '{' ' * len(PUNCTUATION)}')"


def _set_search_vector(text_expression: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_articles_search")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
    op.execute(
        "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        f"to_tsvector('simple', {text_expression})) STORED"
    )
    op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search_vector)")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _set_search_vector(WORDS_ONLY)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _set_search_vector(_SEARCH_TEXT)
