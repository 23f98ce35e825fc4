"""Initial schema: articles (+ full-text index per dialect), topics, sources, feedback, digests, meta.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watch.store.schema import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE_FTS = [
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, summary_text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, summary_text)
        VALUES (new.id, new.title, new.summary_text);
    END""",
    """CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, summary_text)
        VALUES ('delete', old.id, old.title, old.summary_text);
    END""",
    """CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, summary_text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, summary_text)
        VALUES ('delete', old.id, old.title, old.summary_text);
        INSERT INTO articles_fts(rowid, title, summary_text)
        VALUES (new.id, new.title, new.summary_text);
    END""",
]

PG_SEARCH_VECTOR = """
ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', watch_unaccent(left(title || ' ' || summary_text, 200000)))
) STORED
"""


def _create_pg_unaccent() -> None:
    """``watch_unaccent(text)``: unaccent() when the extension can be had, else identity."""
    bind = op.get_bind()
    available = bind.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'"
    ).first()
    schema = None
    if available:
        savepoint = bind.begin_nested()
        try:
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
            savepoint.commit()
        except sa.exc.DBAPIError:
            savepoint.rollback()
        schema = bind.exec_driver_sql(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'unaccent'"
        ).scalar()
    body = (
        f"SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1)"
        if schema
        else "SELECT $1"
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION watch_unaccent(text) RETURNS text "
        f"LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ {body} $$"
    )


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("guid", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("canonical_url", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary_html", sa.Text, nullable=False),
        sa.Column("summary_text", sa.Text, nullable=False),
        sa.Column("author", sa.Text),
        sa.Column("published", UtcDateTime, nullable=False),
        sa.Column("fetched_at", UtcDateTime, nullable=False),
        sa.Column("language", sa.Text),
        sa.Column("date_from_feed", sa.Boolean, nullable=False),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("score_parts", sa.JSON, nullable=False),
        sa.Column("explanation", sa.JSON, nullable=False),
        sa.Column("cluster_id", sa.Integer),
        sa.Column("read", sa.Boolean, nullable=False),
        sa.Column("starred", sa.Boolean, nullable=False),
        sa.Column("vote", sa.Integer, nullable=False),
        sa.UniqueConstraint("source", "guid", name="uq_articles_source_guid"),
    )
    op.create_index("ix_articles_source_canonical", "articles", ["source", "canonical_url"])
    op.create_index("ix_articles_score", "articles", ["score", "published", "id"])
    op.create_index("ix_articles_published", "articles", ["published", "id"])
    op.create_index("ix_articles_cluster", "articles", ["cluster_id"])
    op.create_index("ix_articles_fetched_at", "articles", ["fetched_at"])

    op.create_table(
        "article_topics",
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("topic", sa.Text, primary_key=True),
        sa.Column("confidence", sa.Float, nullable=False),
    )
    op.create_index("ix_article_topics_topic", "article_topics", ["topic", "article_id"])

    op.create_table(
        "source_state",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_attempt", UtcDateTime),
        sa.Column("last_success", UtcDateTime),
        sa.Column("last_error", sa.Text),
        sa.Column("error_count", sa.Integer, nullable=False),
        sa.Column("next_due", UtcDateTime),
        sa.Column("items_seen", sa.Integer, nullable=False),
        sa.Column("last_new", sa.Integer, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("empty_selector", sa.Boolean, nullable=False),
    )

    op.create_table(
        "fetch_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("http_status", sa.Integer),
        sa.Column("new_items", sa.Integer, nullable=False),
        sa.Column("seen_items", sa.Integer, nullable=False),
        sa.Column("duration", sa.Float, nullable=False),
        sa.Column("error", sa.Text),
    )
    op.create_index("ix_fetch_log_source_at", "fetch_log", ["source", "at"])

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("topic", sa.Text),
        sa.Column("at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_feedback_article", "feedback", ["article_id"])

    op.create_table(
        "digests",
        sa.Column("week", sa.Text, primary_key=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_attempt", UtcDateTime),
        sa.Column("sent_at", UtcDateTime),
        sa.Column("error", sa.Text),
        sa.Column("recipients", sa.JSON, nullable=False),
        sa.Column("next_retry", UtcDateTime),
    )

    op.create_table(
        "meta",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        _create_pg_unaccent()
        op.execute(PG_SEARCH_VECTOR)
        op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search_vector)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for table in ("meta", "digests", "feedback", "fetch_log", "source_state", "article_topics"):
        op.drop_table(table)
    op.drop_table("articles")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS watch_unaccent(text)")
