"""Retention on SQL: which old articles may go, deleting them in short batches, and tombstones.

The policy (how long, why kept) is ``watch.retention``'s; this module applies it to the tables.
Old articles are walked in id order, ``batch`` at a time, each batch one short write
transaction (``BEGIN IMMEDIATE`` on SQLite: the board's reads never wait, the scheduler's
writes wait one batch at most).  The rows a source needs to stay dated are computed once per
run (``protected_ids``): its newest published article (the cadence advice reads its rate from
it), its newest seen (the highest id: SQLite allocates max(id) + 1, so a deleted top id would be
given again to a new article) and its first collected (``ArticleQuery.undated_backlog`` dates
the first collection by it).  An article arriving during the run is first seen now, so never
deletable: the set cannot go stale.

The DELETE checks the star, the note and the feedback again, so a star given by the board
between the choice and the delete wins (PostgreSQL re-reads a row updated meanwhile); it
returns the rows deleted, and only those get a tombstone.  ``article_topics`` and
``article_texts`` rows go by their ``ON DELETE CASCADE`` (SQLite's ``foreign_keys`` is on), the
full-text entries by the SQLite triggers ``articles_fts_ad`` (the article's title and summary)
and ``article_texts_fts_ad`` (its page's text, fired by the cascade), or with the rows
(PostgreSQL's generated ``search_vector`` of ``articles`` and ``article_texts``).
Cluster sizes and "also covered by" are counted from the rows left when read
(``sql_articles.fill_clusters``); the stories that lost members are counted for the caller,
whose scores name their coverage.

Tombstones (``pruned_guids``): (source, guid) of each deleted article.  ``drop_pruned`` takes
them out of an upsert's new articles and refreshes their ``seen_at`` (at most once a day), so a
tombstone lives as long as its feed lists the item, then ``forget_pruned`` drops it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, Row

from watch.models import Article
from watch.store.base import PruneResult, StorageSize
from watch.store.schema import articles, feedback, pruned_guids
from watch.store.sql_rows import pair_params, pair_values

SEEN_REFRESH = timedelta(days=1)
"""A tombstone's ``seen_at`` is rewritten when the item is listed again this long after."""
_CHUNK = 500
_PAD = 50


class RetentionMethods:
    """The retention methods of ``Store`` for ``SqlStore``, which provides the transactions."""

    if TYPE_CHECKING:
        read_only: bool
        _engine: Engine

        def _read(self) -> AbstractContextManager[Connection]: ...
        def _write(self) -> AbstractContextManager[Connection]: ...

    def prune_articles(
        self,
        published_before: datetime,
        first_seen_before: datetime,
        *,
        dry_run: bool = False,
        batch: int = 500,
    ) -> PruneResult:
        with self._read() as conn:
            protected = protected_ids(conn)
        result, after = PruneResult(), 0
        clusters: set[int] = set()
        while True:
            with self._read() if dry_run else self._write() as conn:
                rows = old_batch(conn, published_before, after, batch)
                going, kept = sort_out(conn, rows, protected, first_seen_before)
                deleted = len(going)
                if not dry_run:
                    gone = delete_articles(conn, going, datetime.now(UTC))
                    clusters.update(c for c in gone if c is not None)
                    deleted = len(gone)  # fewer when the board starred one meanwhile
            add_up(result, deleted, kept)
            if len(rows) < batch:
                break
            after = rows[-1].id
        if clusters:
            with self._read() as conn:
                result.stories = stories_left(conn, clusters)
        return result

    def forget_pruned(self, unseen_since: datetime) -> int:
        with self._write() as conn:
            stmt = pruned_guids.delete().where(pruned_guids.c.seen_at < unseen_since)
            return int(conn.execute(stmt).rowcount)

    def storage_size(self) -> StorageSize:
        with self._read() as conn:
            return storage_size(conn)

    def compact(self) -> bool:
        if self._engine.dialect.name != "sqlite":
            return False  # PostgreSQL's autovacuum makes freed space reusable by itself
        if self.read_only:
            from watch.store.sql import ReadOnlyStoreError

            raise ReadOnlyStoreError("a read-only store cannot be compacted")
        with self._engine.connect() as conn:  # VACUUM runs outside any transaction
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute("VACUUM")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file shrinks now
        return True


def protected_ids(conn: Connection) -> set[int]:
    """Per source: the newest seen (max id), newest published and first collected articles."""
    a = articles.c
    ids = set(conn.execute(sa.select(sa.func.max(a.id)).group_by(a.source)).scalars())
    for column, edge_of in ((a.published, sa.func.max), (a.fetched_at, sa.func.min)):
        edges = sa.select(a.source, edge_of(column).label("edge")).group_by(a.source).subquery()
        on_edge = sa.and_(a.source == edges.c.source, column == edges.c.edge)
        stmt = (
            sa.select(sa.func.max(a.id))
            .select_from(articles.join(edges, on_edge))
            .group_by(a.source)
        )
        ids |= set(conn.execute(stmt).scalars())
    return ids


def old_batch(conn: Connection, published_before: datetime, after: int, size: int) -> list[Row]:
    """Up to ``size`` articles published before ``published_before`` with an id above
    ``after``, in id order, with what deciding their fate needs."""
    a = articles.c
    stmt = (
        sa.select(a.id, a.source, a.guid, a.starred, a.note, a.fetched_at)
        .where(a.published < published_before, a.id > after)
        .order_by(a.id)
        .limit(size)
    )
    return list(conn.execute(stmt))


def sort_out(
    conn: Connection, rows: Sequence[Row], protected: Collection[int], first_seen_before: datetime
) -> tuple[list[int], Counter[str]]:
    """The ids of ``rows`` that may go, and how many of the others are kept for each reason."""
    ids = [row.id for row in rows]
    judged = set(
        conn.execute(
            sa.select(feedback.c.article_id).where(feedback.c.article_id.in_(ids)).distinct()
        ).scalars()
    )
    going: list[int] = []
    kept: Counter[str] = Counter()
    for row in rows:
        reason = _kept_because(row, judged, protected, first_seen_before)
        if reason is None:
            going.append(row.id)
        else:
            kept[reason] += 1
    return going, kept


def _kept_because(
    row: Row, judged: set[int], protected: Collection[int], first_seen_before: datetime
) -> str | None:
    if row.starred or row.note:
        return "starred"
    if row.id in judged:
        return "feedback"
    if row.id in protected:
        return "source"
    if row.fetched_at >= first_seen_before:
        return "recent"
    return None


def delete_articles(conn: Connection, ids: Sequence[int], now: datetime) -> list[int | None]:
    """Delete ``ids`` that are still neither starred, noted nor judged; remember their guids;
    return the cluster id of each article deleted."""
    if not ids:
        return []
    a = articles.c
    judged = sa.exists().where(feedback.c.article_id == a.id)
    stmt = (
        articles.delete()
        .where(a.id.in_(list(ids)), sa.not_(a.starred), a.note.is_(None), ~judged)
        .returning(a.source, a.guid, a.cluster_id)
    )
    gone = list(conn.execute(stmt))
    if gone:
        rows = [
            {"source": r.source, "guid": r.guid, "pruned_at": now, "seen_at": now} for r in gone
        ]
        conn.execute(_insert_ignoring_duplicates(conn), rows)
    return [row.cluster_id for row in gone]


def _insert_ignoring_duplicates(conn: Connection) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    return insert(pruned_guids).on_conflict_do_nothing()


def stories_left(conn: Connection, cluster_ids: Collection[int]) -> int:
    """How many of ``cluster_ids`` still have members."""
    wanted, found = sorted(cluster_ids), 0
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        stmt = sa.select(sa.func.count(sa.distinct(articles.c.cluster_id))).where(
            articles.c.cluster_id.in_(chunk)
        )
        found += int(conn.execute(stmt).scalar_one())
    return found


def add_up(result: PruneResult, going: int, kept: Counter[str]) -> None:
    result.deleted += going
    for reason, n in kept.items():
        result.kept[reason] = result.kept.get(reason, 0) + n


def drop_pruned(conn: Connection, new: Sequence[Article]) -> list[Article]:
    """``new`` without the articles whose (source, guid) was pruned; the tombstones of those
    listed again are marked seen (when their ``seen_at`` is a day old)."""
    if not new:
        return []
    refresh: list[dict[str, Any]] = []
    dropped: set[tuple[str, str]] = set()
    seen = {(a.source, a.guid): a.fetched_at for a in new}
    for source, guid, seen_at in _tombstones(conn, list(seen)):
        dropped.add((source, guid))
        if seen[(source, guid)] - seen_at >= SEEN_REFRESH:
            refresh.append({"_source": source, "_guid": guid, "seen_at": seen[(source, guid)]})
    if refresh:
        p = pruned_guids.c
        where = sa.and_(p.source == sa.bindparam("_source"), p.guid == sa.bindparam("_guid"))
        conn.execute(
            pruned_guids.update().where(where).values(seen_at=sa.bindparam("seen_at")), refresh
        )
    return [a for a in new if (a.source, a.guid) not in dropped]


def _tombstones(
    conn: Connection, listed: list[tuple[str, str]]
) -> Iterator[tuple[str, str, datetime]]:
    """The (source, guid, seen_at) of the tombstones among ``listed`` (source, guid) pairs:
    one query per chunk, however many sources the pairs come from; none while retention has
    deleted nothing (every first pass)."""
    if conn.execute(sa.select(pruned_guids.c.source).limit(1)).first() is None:
        return
    for start in range(0, len(listed), _CHUNK):
        chunk = listed[start : start + _CHUNK]
        size = -(-len(chunk) // _PAD) * _PAD  # a few statement sizes, compiled once each
        chunk += [chunk[-1]] * (size - len(chunk))
        rows = conn.execute(_tombstone_statement(size), pair_params(chunk))
        yield from {(row.source, row.guid, row.seen_at) for row in rows}


@lru_cache(maxsize=64)
def _tombstone_statement(size: int) -> Any:
    """SELECT the tombstones of ``size`` (source, guid) pairs (``pair_values``: a VALUES list
    joined on the primary key, as ``sql_upsert`` looks articles up)."""
    p = pruned_guids.c
    return sa.text(
        f"WITH listed(source, guid) AS (VALUES {pair_values(size)}) SELECT p.source, p.guid,"
        " p.seen_at FROM listed JOIN pruned_guids p"
        " ON p.source = listed.source AND p.guid = listed.guid"
    ).columns(p.source, p.guid, p.seen_at)


def storage_size(conn: Connection) -> StorageSize:
    if conn.dialect.name == "sqlite":
        pages, page_size, free = (
            int(conn.exec_driver_sql(f"PRAGMA {name}").scalar_one())
            for name in ("page_count", "page_size", "freelist_count")
        )
        return StorageSize(total=pages * page_size, free=free * page_size)
    total = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one()
    return StorageSize(total=int(total))
