"""The store's tables as SQLAlchemy Core objects, and the column types they share.

This module owns the *query-side* description of the schema.  The DDL that creates it lives in
the numbered Alembic migrations (``watch/store/migrations/versions``); the contract tests check
that both agree.  Dialect-only objects (the SQLite FTS5 table and its triggers, the PostgreSQL
``search_vector`` generated column) exist only in the migrations.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out; stored naive-UTC on SQLite, timestamptz on PostgreSQL.

    A naive datetime given to the store is taken as UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = sa.MetaData()

articles = sa.Table(
    "articles",
    metadata,
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
    sa.Column("starred_at", UtcDateTime),
    sa.Column("note", sa.Text),
    sa.Column("text_lead", sa.Text, nullable=False, server_default=""),
    sa.UniqueConstraint("source", "guid", name="uq_articles_source_guid"),
    sa.Index("ix_articles_source_canonical", "source", "canonical_url"),
    sa.Index("ix_articles_score", "score", "published", "id"),
    sa.Index("ix_articles_published", "published", "id"),
    sa.Index("ix_articles_cluster", "cluster_id"),
    sa.Index("ix_articles_fetched_at", "fetched_at"),
    sa.Index("ix_articles_source_fetched_at", "source", "fetched_at"),
    sa.Index(
        "ix_articles_starred",
        "starred_at",
        sqlite_where=sa.text("starred = 1"),
        postgresql_where=sa.text("starred"),
    ),
    sa.Index(
        "ix_articles_unread",
        "source",
        "id",
        sqlite_where=sa.text("read = 0"),
        postgresql_where=sa.text("read = false"),
    ),
    sa.Index(
        "ix_articles_noted",
        "id",
        sqlite_where=sa.text("note IS NOT NULL"),
        postgresql_where=sa.text("note IS NOT NULL"),
    ),
)

article_topics = sa.Table(
    "article_topics",
    metadata,
    sa.Column(
        "article_id",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("topic", sa.Text, primary_key=True),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Index("ix_article_topics_topic", "topic", "article_id"),
)

source_state = sa.Table(
    "source_state",
    metadata,
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
    sa.Column("title", sa.Text),
    sa.Column("home_url", sa.Text),
)

fetch_log = sa.Table(
    "fetch_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("outcome", sa.Text, nullable=False),
    sa.Column("http_status", sa.Integer),
    sa.Column("new_items", sa.Integer, nullable=False),
    sa.Column("seen_items", sa.Integer, nullable=False),
    sa.Column("duration", sa.Float, nullable=False),
    sa.Column("error", sa.Text),
    sa.Index("ix_fetch_log_source_at", "source", "at"),
)

feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.Integer, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("topic", sa.Text),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("topics", sa.Text),  # JSON: the article's topics when a vote was given
    sa.Index("ix_feedback_article", "article_id"),
)

digests = sa.Table(
    "digests",
    metadata,
    sa.Column("week", sa.Text, primary_key=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("last_attempt", UtcDateTime),
    sa.Column("sent_at", UtcDateTime),
    sa.Column("error", sa.Text),
    sa.Column("recipients", sa.JSON, nullable=False),
    sa.Column("next_retry", UtcDateTime),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

pruned_guids = sa.Table(
    "pruned_guids",
    metadata,
    sa.Column("source", sa.Text, primary_key=True),
    sa.Column("guid", sa.Text, primary_key=True),
    sa.Column("pruned_at", UtcDateTime, nullable=False),
    sa.Column("seen_at", UtcDateTime, nullable=False),
    sa.Index("ix_pruned_guids_seen_at", "seen_at"),
)
"""Tombstones of articles deleted by retention: a feed still listing one does not re-add it."""

article_texts = sa.Table(
    "article_texts",
    metadata,
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
    sa.Column("final", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("made_with", sa.Text, nullable=False, server_default="auto"),
)
"""The text of each article read from its page (``full_text:`` sources), or the last reason
it could not be; goes with its article."""
