"""Search looks in the text of article pages too: a full-text index over ``article_texts.text``.

SQLite: ``article_texts_fts``, an FTS5 table over the text with ``article_texts`` as its
external content (its rowid is the article's id), tokenized as ``articles_fts``; triggers keep
it in step (a text is written once per article and seldom again: a trigger per row costs
little here, unlike the articles' batches of revision 0010), the delete trigger also when a
text goes with its article (``ON DELETE CASCADE``).  PostgreSQL: a generated ``search_vector``
on ``article_texts``, computed as revision 0004 computes the articles' (unaccented, every
ASCII punctuation mark a space, at most 200,000 characters), with a GIN index.  Both are
filled for the texts already stored.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import string

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

SQLITE_TEXT_INDEX = [
    """CREATE VIRTUAL TABLE article_texts_fts USING fts5(
        text, content='article_texts', content_rowid='article_id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER article_texts_fts_ai AFTER INSERT ON article_texts BEGIN
        INSERT INTO article_texts_fts(rowid, text) VALUES (new.article_id, new.text);
    END""",
    """CREATE TRIGGER article_texts_fts_ad AFTER DELETE ON article_texts BEGIN
        INSERT INTO article_texts_fts(article_texts_fts, rowid, text)
        VALUES ('delete', old.article_id, old.text);
    END""",
    """CREATE TRIGGER article_texts_fts_au AFTER UPDATE OF text ON article_texts BEGIN
        INSERT INTO article_texts_fts(article_texts_fts, rowid, text)
        VALUES ('delete', old.article_id, old.text);
        INSERT INTO article_texts_fts(rowid, text) VALUES (new.article_id, new.text);
    END""",
    "INSERT INTO article_texts_fts(article_texts_fts) VALUES ('rebuild')",
]

_PUNCTUATION = string.punctuation
_WORDS_ONLY = (
    "translate(watch_unaccent(left(text, 200000)), "
    f"'{_PUNCTUATION.replace(chr(39), chr(39) * 2)}', '{' ' * len(_PUNCTUATION)}')"
)
PG_TEXT_INDEX = [
    "ALTER TABLE article_texts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    f"to_tsvector('simple', {_WORDS_ONLY})) STORED",
    "CREATE INDEX ix_article_texts_search ON article_texts USING gin (search_vector)",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": SQLITE_TEXT_INDEX, "postgresql": PG_TEXT_INDEX}.get(dialect, [])
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("article_texts_fts_ai", "article_texts_fts_ad", "article_texts_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS article_texts_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_article_texts_search")
        op.execute("ALTER TABLE article_texts DROP COLUMN IF EXISTS search_vector")
