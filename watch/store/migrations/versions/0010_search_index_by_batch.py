"""SQLite: new articles enter the search index in one statement per batch, not by a trigger.

The ``AFTER INSERT`` trigger wrote each new row into ``articles_fts`` one at a time: 1.1 s of a
first pass over 6,000 articles, against 0.4 s for the same rows given to FTS5 in one
``executemany`` (``benchmarks/README.md``, session 11).  ``sql_upsert._insert_new`` now writes
them in the same transaction as the articles; deletions and edits keep their triggers.
PostgreSQL (a generated ``search_vector`` column) is unchanged.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INSERT_TRIGGER = """CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, summary_text)
        VALUES (new.id, new.title, new.summary_text);
    END"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS articles_fts_ai")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(INSERT_TRIGGER)
