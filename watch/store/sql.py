"""``SqlStore``: the ``Store`` interface on SQLAlchemy Core (SQLite by default, PostgreSQL by URL).

This module owns the store's lifecycle (engine, transactions) and the small domains: sources
and fetch log, feedback, digests, meta.  Elsewhere: article writes (``sql_upsert``) and reads
(``sql_articles``), retention (``sql_retention``), migrations (``sql_migrate``), the fetch
log's trimming (``sql_fetch_log``), article texts (``sql_texts``), marking read in bulk
(``sql_reading``).  Every method is one short transaction: writes take the lock up front
(``BEGIN IMMEDIATE`` on SQLite) and big upserts are split so the board is never blocked long.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watch.models import (
    VOTES,
    Article,
    Feedback,
    FetchLogEntry,
    SourceState,
    StoredArticle,
    UpsertResult,
)
from watch.store import sql_articles, sql_fetch_log, sql_migrate
from watch.store.base import (
    MAX_NOTE,
    ArticleQuery,
    ClassificationUpdate,
    DigestRecord,
    ScoringInput,
    Store,
)
from watch.store.schema import articles, digests, fetch_log, meta, pruned_guids, source_state
from watch.store.schema import feedback as feedback_table
from watch.store.sql_engine import WRITE_OPTION, make_engine
from watch.store.sql_reading import ReadingMethods
from watch.store.sql_retention import RetentionMethods
from watch.store.sql_rows import (
    digest_to_row,
    row_to_digest,
    row_to_fetch_log,
    row_to_source_state,
    source_state_to_row,
)
from watch.store.sql_texts import TextMethods
from watch.store.sql_upsert import upsert_batch, write_classification

UPSERT_CHUNK = 2000
"""Articles written per transaction: keeps each write lock short."""
ID_CHUNK = 500
"""Ids read per ``scoring_inputs`` query: keeps each IN list short."""
META_LOCK = 0x6D657461  # "meta": read-modify-write of a meta value
log = logging.getLogger(__name__)


class ReadOnlyStoreError(RuntimeError):
    """A write was attempted on a store opened with ``read_only=True``."""


class SqlStore(RetentionMethods, ReadingMethods, TextMethods, Store):
    """``Store`` over one SQLAlchemy engine."""

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.url = url
        self.read_only = read_only
        self._engine = make_engine(url, read_only=read_only)
        self._dialect = self._engine.dialect.name

    # -- lifecycle ---------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        if self.read_only:
            raise ReadOnlyStoreError(f"store {self.url} is open read-only")
        with self._engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn

    def migrate(self) -> None:
        with self._write() as conn:
            sql_migrate.upgrade(conn, self._dialect)

    def schema_version(self) -> str | None:
        """The Alembic revision the database is at (None before the first migration)."""
        with self._read() as conn:
            return sql_migrate.revision(conn)

    def close(self) -> None:
        self._engine.dispose()

    def _upsert(self, conn: Connection, table: sa.Table, row: dict[str, Any]) -> None:
        """Insert ``row`` or replace the non-key columns of the row with the same key."""
        self._upsert_many(conn, table, [row])

    def _upsert_many(
        self, conn: Connection, table: sa.Table, rows: Sequence[dict[str, Any]]
    ) -> None:
        """Insert or replace ``rows`` (same columns) with one cached statement, executemany."""
        if not rows:
            return
        if self._dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        keys = [c.name for c in table.primary_key.columns]
        stmt = insert(table)
        updates = {name: stmt.excluded[name] for name in rows[0] if name not in keys}
        conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=updates), list(rows))

    # -- sources -----------------------------------------------------------
    def get_source_state(self, name: str) -> SourceState | None:
        with self._read() as conn:
            row = (
                conn.execute(source_state.select().where(source_state.c.name == name))
                .mappings()
                .first()
            )
        return row_to_source_state(row) if row else None

    def list_source_states(self) -> list[SourceState]:
        with self._read() as conn:
            rows = conn.execute(source_state.select().order_by(source_state.c.name)).mappings()
            return [row_to_source_state(row) for row in rows]

    def save_source_state(self, state: SourceState) -> None:
        with self._write() as conn:
            self._upsert(conn, source_state, source_state_to_row(state))

    def rename_source(self, old: str, new: str) -> int:
        with self._write() as conn:
            moved = conn.execute(
                articles.update().where(articles.c.source == old).values(source=new)
            ).rowcount
            conn.execute(source_state.update().where(source_state.c.name == old).values(name=new))
            conn.execute(fetch_log.update().where(fetch_log.c.source == old).values(source=new))
            conn.execute(
                pruned_guids.update().where(pruned_guids.c.source == old).values(source=new)
            )
            conn.execute(
                meta.update()
                .where(meta.c.key == f"discovered:{old}")
                .values(key=f"discovered:{new}")
            )
        return int(moved)

    def add_fetch_log(self, entry: FetchLogEntry, keep: int = 200) -> None:
        with self._write() as conn:
            sql_fetch_log.append(conn, [entry], keep)

    def record_attempts(
        self, records: Sequence[tuple[SourceState, FetchLogEntry]], keep: int = 200
    ) -> None:
        """Save the states and append the log entries of several sources in one transaction."""
        if not records:
            return
        with self._write() as conn:
            rows = [source_state_to_row(state) for state, _ in records]
            self._upsert_many(conn, source_state, rows)
            sql_fetch_log.append(conn, [entry for _, entry in records], keep)

    def fetch_log(
        self,
        source: str | None = None,
        limit: int | None = 100,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[FetchLogEntry]:
        stmt = sql_fetch_log.select(source, limit, since, until)
        with self._read() as conn:
            return [row_to_fetch_log(row) for row in conn.execute(stmt).mappings()]

    def source_article_stats(self, since: datetime | None = None) -> dict[str, dict[str, float]]:
        with self._read() as conn:
            return sql_articles.source_stats(conn, since)

    # -- articles ----------------------------------------------------------
    def upsert_articles(
        self,
        articles: Sequence[Article],
        before_insert: Callable[[Sequence[tuple[int, Article]]], None] | None = None,
        before_update: Callable[[Sequence[tuple[int, Article]]], None] | None = None,
    ) -> UpsertResult:
        total = UpsertResult()
        for start in range(0, len(articles), UPSERT_CHUNK):
            with self._write() as conn:
                chunk = articles[start : start + UPSERT_CHUNK]
                result = upsert_batch(conn, chunk, before_insert, before_update)
            total.new += result.new
            total.updated += result.updated
            total.new_ids.extend(result.new_ids)
            total.new_articles.extend(result.new_articles)
            total.updated_ids.extend(result.updated_ids)
            for counts, more in (
                (total.new_by_source, result.new_by_source),
                (total.updated_by_source, result.updated_by_source),
            ):
                for source, n in more.items():
                    counts[source] = counts.get(source, 0) + n
        return total

    def query_articles(self, query: ArticleQuery) -> list[StoredArticle]:
        with self._read() as conn:
            return sql_articles.load(conn, sql_articles.page_ids(conn, query))

    def count_articles(self, query: ArticleQuery) -> int:
        with self._read() as conn:
            return sql_articles.count(conn, query)

    def newest_article_id(self) -> int | None:
        with self._read() as conn:
            return conn.execute(sa.select(sa.func.max(articles.c.id))).scalar()

    def get_article(self, article_id: int) -> StoredArticle | None:
        with self._read() as conn:
            found = sql_articles.load(conn, [article_id])
        return found[0] if found else None

    def iter_articles(
        self, since: datetime | None = None, batch: int = 1000
    ) -> Iterator[StoredArticle]:
        def fetch(after: int) -> list[StoredArticle]:
            with self._read() as conn:
                return sql_articles.load(conn, sql_articles.id_batch(conn, since, after, batch))

        return sql_articles.stream(fetch, lambda article: article.id, batch)

    def set_flags(
        self,
        article_id: int,
        read: bool | None = None,
        starred: bool | None = None,
        at: datetime | None = None,
    ) -> None:
        values: dict[str, Any] = {"read": read, "starred": starred}
        values = {k: v for k, v in values.items() if v is not None}
        if not values:
            return
        if starred is not None:
            values["starred_at"] = (at or datetime.now(UTC)) if starred else None
        with self._write() as conn:
            conn.execute(articles.update().where(articles.c.id == article_id).values(**values))

    def set_note(self, article_id: int, note: str) -> None:
        kept = note.strip()[:MAX_NOTE] or None
        with self._write() as conn:
            conn.execute(articles.update().where(articles.c.id == article_id).values(note=kept))

    # -- classification ----------------------------------------------------
    def update_classification(self, updates: Sequence[ClassificationUpdate]) -> None:
        if not updates:
            return
        with self._write() as conn:
            write_classification(conn, updates)

    def update_scores(self, updates: Sequence[ClassificationUpdate]) -> None:
        if not updates:
            return
        rows = [
            {
                "_id": u.article_id,
                "score": float(u.score),
                "score_parts": dict(u.score_parts),
                "explanation": list(u.explanation),
            }
            for u in updates
        ]
        stmt = (
            articles.update()
            .where(articles.c.id == sa.bindparam("_id"))
            .values({name: sa.bindparam(name) for name in ("score", "score_parts", "explanation")})
        )
        with self._write() as conn:
            conn.execute(stmt, rows)

    def scoring_inputs(self, ids: Sequence[int]) -> list[ScoringInput]:
        wanted = sorted(set(ids))
        found: list[ScoringInput] = []
        with self._read() as conn:
            for start in range(0, len(wanted), ID_CHUNK):
                found += sql_articles.scoring_inputs(conn, wanted[start : start + ID_CHUNK])
        return found

    def cluster_members(self, cluster_id: int) -> list[StoredArticle]:
        query = ArticleQuery(limit=10_000)
        with self._read() as conn:
            stmt = (
                sa.select(articles.c.id)
                .where(articles.c.cluster_id == cluster_id)
                .order_by(articles.c.score.desc(), articles.c.published.desc(), articles.c.id)
                .limit(query.limit)
            )
            return sql_articles.load(conn, list(conn.execute(stmt).scalars()))

    # -- feedback ----------------------------------------------------------
    def add_feedback(self, feedback: Feedback) -> int:
        at = feedback.at or datetime.now(UTC)
        with self._write() as conn:
            shown = None
            if feedback.kind in VOTES:  # a vote judges the topics as they are shown now
                shown = json.dumps(sorted(sql_articles.topic_names(conn, feedback.article_id)))
            new_id = conn.execute(
                feedback_table.insert()
                .values(
                    article_id=feedback.article_id,
                    kind=feedback.kind,
                    topic=feedback.topic,
                    at=at,
                    topics=shown,
                )
                .returning(feedback_table.c.id)
            ).scalar_one()
            vote = VOTES.get(feedback.kind)
            if vote is not None:
                conn.execute(
                    articles.update().where(_same_story(feedback.article_id)).values(vote=vote)
                )
        return int(new_id)

    def list_feedback(self) -> list[Feedback]:
        with self._read() as conn:
            rows = conn.execute(feedback_table.select().order_by(feedback_table.c.id)).mappings()
            return [
                Feedback(
                    article_id=r["article_id"],
                    kind=r["kind"],
                    topic=r["topic"],
                    at=r["at"],
                    id=r["id"],
                    topics=tuple(json.loads(r["topics"])) if r["topics"] is not None else None,
                )
                for r in rows
            ]

    # -- digests -----------------------------------------------------------
    def get_digest(self, week: str) -> DigestRecord | None:
        with self._read() as conn:
            row = conn.execute(digests.select().where(digests.c.week == week)).mappings().first()
        return row_to_digest(row) if row else None

    def save_digest(self, record: DigestRecord) -> None:
        with self._write() as conn:
            self._upsert(conn, digests, digest_to_row(record))

    def list_digests(self, limit: int = 20) -> list[DigestRecord]:
        with self._read() as conn:
            rows = conn.execute(
                digests.select().order_by(digests.c.week.desc()).limit(limit)
            ).mappings()
            return [row_to_digest(row) for row in rows]

    # -- key/value ---------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._read() as conn:
            return conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as conn:
            self._upsert(conn, meta, {"key": key, "value": value})

    def update_meta(self, key: str, change: Callable[[str | None], str]) -> str:
        with self._write() as conn:  # BEGIN IMMEDIATE on SQLite: one writer at a time
            if self._dialect == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({META_LOCK})")
            current = conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()
            value = change(current)
            self._upsert(conn, meta, {"key": key, "value": value})
        return value


def _same_story(article_id: int) -> sa.ColumnElement[bool]:
    """The article and the other articles of its story cluster (a vote is on the story)."""
    story = sa.select(articles.c.cluster_id).where(articles.c.id == article_id).scalar_subquery()
    return sa.or_(articles.c.id == article_id, articles.c.cluster_id == story)


def open_store(url: str, *, read_only: bool = False, migrate: bool = True) -> Store:
    """Open the store at ``url`` (``sqlite:///path`` or ``postgresql://…``), migrated unless told not."""
    store = SqlStore(url, read_only=read_only)
    if migrate and not read_only:
        store.migrate()
    return store
