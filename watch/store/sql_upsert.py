"""Batch upsert of articles: one lookup per source and chunk, one executemany per kind of write.

Identity is (source, guid); an incoming article whose guid is unknown falls back on
(source, canonical_url, title) and then takes the new guid.  Within one batch, the LAST of
several articles with the same (source, guid) wins.  An update rewrites content fields the feed
changed; ``published`` only when the feed gave a real date (not one a page counted from the
fetch, like "il y a 2 heures": the first reading is the precise one); topics when the incoming
article carries some; score, score_parts, explanation and cluster_id only when it carries a
cluster_id.  The user's flags and ``fetched_at`` (first seen) are kept.  An unknown article
whose (source, guid) retention deleted is skipped (``sql_retention.drop_pruned``).

The text read from an article's page (``text_lead``, ``watch.full_text``) keeps counting
whatever its source's ``full_text:`` says now: an incoming article without one takes the stored
one; its topics, classified from the feed alone, are not written; when its feed text changed,
``before_update`` classifies it again with that text, inside the same transaction, so nothing
ever sees the feed's topics in place of the page's.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watch.models import Article, UpsertResult
from watch.store.base import ClassificationUpdate
from watch.store.schema import article_topics, articles
from watch.store.sql_retention import drop_pruned
from watch.store.sql_rows import (
    ARTICLE_CONTENT_FIELDS,
    article_to_row,
    classification_row,
    pair_params,
    pair_values,
    topics_to_json,
)

LOOKUP_CHUNK = 500
Hook = Callable[[Sequence[tuple[int, Article]]], None]
"""Receives (id, article) pairs inside the write transaction, before they are written."""

_LOOKUP_COLUMNS = [
    articles.c.id,
    *(articles.c[name] for name in ARTICLE_CONTENT_FIELDS),
    articles.c.published,
    articles.c.date_from_feed,
    articles.c.source,
    articles.c.text_lead,
]
_JSON_FIELDS = ("topics", "score_parts", "explanation")
"""Read back as raw text by the lookup and decoded only when a comparison needs them."""

_SELECTED = ", ".join(
    [f"a.{c.name}" for c in _LOOKUP_COLUMNS]
    + [f"CAST(a.{name} AS TEXT) AS {name}" for name in _JSON_FIELDS]
    + ["a.score", "a.cluster_id"]
)
_RESULT_TYPES = [
    *_LOOKUP_COLUMNS,
    *(sa.column(name, sa.Text) for name in _JSON_FIELDS),
    articles.c.score,
    articles.c.cluster_id,
]


@lru_cache(maxsize=64)
def _lookup_statement(key_column: str, size: int) -> Any:
    """SELECT the stored rows matching ``size`` (source, key) pairs given as :s<i>, :k<i>.

    A VALUES list joined on the (source, …) index: one probe per pair on both dialects (an
    ``IN`` over row values makes SQLite scan the whole index).
    """
    return sa.text(
        f"WITH wanted(source, key) AS (VALUES {pair_values(size)}) "
        f"SELECT {_SELECTED} FROM wanted JOIN articles a "
        f"ON a.source = wanted.source AND a.{key_column} = wanted.key ORDER BY a.id"
    ).columns(*_RESULT_TYPES)


def _lookup(conn: Connection, key_column: str, pairs: Sequence[tuple[str, str]]) -> Any:
    """Stored rows whose (source, ``key_column``) is one of ``pairs``."""
    statement = _lookup_statement(key_column, len(pairs))
    return conn.execute(statement, pair_params(pairs)).mappings()


def upsert_batch(
    conn: Connection,
    batch: Sequence[Article],
    before_insert: Hook | None = None,
    before_update: Hook | None = None,
) -> UpsertResult:
    """Insert new and update changed ``batch`` articles inside the caller's transaction;
    ``before_update`` classifies again the changed ones that take a stored page text."""
    latest = list({(a.source, a.guid): a for a in batch}.values())
    new: list[Article] = []
    changes: list[tuple[int, Article, dict[str, Any]]] = []
    for chunk in chunks(latest):
        matches = _match_existing(conn, chunk)
        for article in chunk:
            stored = matches.get((article.source, article.guid))
            if stored is None:
                new.append(article)
            else:
                changes.append((stored["id"], article, dict(stored)))

    new = drop_pruned(conn, new)
    stale = _take_stored_leads(changes, before_update)
    updated = _apply_updates(conn, changes, stale)
    new_ids = _insert_new(conn, new, before_insert)
    return UpsertResult(
        new=len(new_ids),
        updated=len(updated),
        new_ids=new_ids,
        new_articles=new,
        updated_ids=[article_id for article_id, _ in updated],
        new_by_source=dict(Counter(a.source for a in new)),
        updated_by_source=dict(Counter(source for _, source in updated)),
    )


def chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterable[Sequence[Any]]:
    """``items`` in slices of at most ``size`` (a statement's ``IN`` list, its parameters)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _sources_with_articles(conn: Connection, sources: set[str]) -> set[str]:
    """Which of ``sources`` have stored articles (one probe of the (source, guid) index each)."""
    stmt = sa.select(articles.c.source).where(articles.c.source.in_(sorted(sources))).distinct()
    return set(conn.execute(stmt).scalars())


def _match_existing(conn: Connection, items: Sequence[Article]) -> dict[tuple[str, str], Any]:
    """(source, incoming guid) -> stored row, by guid first, then by (canonical_url, title).
    Articles of a source with nothing stored yet (a new source) are not looked up."""
    matches: dict[tuple[str, str], Any] = {}
    known = _sources_with_articles(conn, {a.source for a in items})
    items = [a for a in items if a.source in known]
    if not items:
        return matches
    wanted = {(a.source, a.guid) for a in items}
    for row in _lookup(conn, "guid", sorted(wanted)):
        matches[(row["source"], row["guid"])] = row
    orphans = [a for a in items if (a.source, a.guid) not in matches]
    if not orphans:
        return matches
    taken = {row["id"] for row in matches.values()}
    by_url = {(a.source, a.canonical_url, a.title): a for a in reversed(orphans)}
    urls = sorted({(a.source, a.canonical_url) for a in orphans})
    for row in _lookup(conn, "canonical_url", urls):
        article = by_url.get((row["source"], row["canonical_url"], row["title"]))
        if article is not None and row["id"] not in taken:
            del by_url[(row["source"], row["canonical_url"], row["title"])]
            matches[(article.source, article.guid)] = row
            taken.add(row["id"])
    return matches


def _content_changes(article: Article, stored: dict[str, Any]) -> dict[str, Any]:
    values = {name: getattr(article, name) for name in ARTICLE_CONTENT_FIELDS}
    if article.date_from_feed and not article.date_relative:
        values["published"] = article.published
        values["date_from_feed"] = True
    changed = {k: v for k, v in values.items() if stored[k] != v}
    return values if changed else {}


def _take_stored_leads(
    changes: list[tuple[int, Article, dict[str, Any]]], before_update: Hook | None
) -> set[int]:
    """Give each incoming article without a page text the one stored (the page counts, read
    once); ``before_update`` classifies again those whose feed text changed.  Return the ids
    of the others, whose incoming topics (the feed's alone) are stale."""
    stale: set[int] = set()
    again: list[tuple[int, Article]] = []
    for article_id, article, stored in changes:
        if article.text_lead or not stored["text_lead"]:
            continue
        article.text_lead = stored["text_lead"]
        if before_update is not None and _content_changes(article, stored):
            again.append((article_id, article))
        else:
            stale.add(article_id)
    if before_update is not None and again:
        before_update(again)
    return stale


def _classification_changes(article: Article, stored: dict[str, Any]) -> dict[str, Any]:
    """Topics when the article carries some; score, parts, explanation and cluster only when it
    carries a cluster_id (the pipeline scores after clustering); {} when nothing differs."""
    values: dict[str, Any] = {}
    if article.topics:
        values["topics"] = topics_to_json(article.topics)
    if article.cluster_id is not None:
        values["score"] = float(article.score)
        values["score_parts"] = dict(article.score_parts)
        values["explanation"] = list(article.explanation)
        values["cluster_id"] = article.cluster_id
    if not values:
        return {}
    current = {name: json.loads(stored[name] or "null") for name in _JSON_FIELDS if name in values}
    current.update({k: stored[k] for k in ("score", "cluster_id") if k in values})
    return values if any(current[k] != v for k, v in values.items()) else {}


def _apply_updates(
    conn: Connection, changes: list[tuple[int, Article, dict[str, Any]]], stale: set[int]
) -> list[tuple[int, str]]:
    """Write changed rows, grouped by the set of columns written (no classification for the
    ``stale`` ids); return (id, source) of each."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    retopiced: list[tuple[int, Article]] = []
    updated: list[tuple[int, str]] = []
    for article_id, article, stored in changes:
        values = _content_changes(article, stored)
        classification = {} if article_id in stale else _classification_changes(article, stored)
        if "topics" in classification:
            retopiced.append((article_id, article))
        values.update(classification)
        if values:
            groups[tuple(sorted(values))].append({"_id": article_id, **values})
            updated.append((article_id, article.source))
    for columns, rows in groups.items():
        stmt = (
            articles.update()
            .where(articles.c.id == sa.bindparam("_id"))
            .values({name: sa.bindparam(name) for name in columns})
        )
        conn.execute(stmt, rows)
    if retopiced:
        write_topic_rows(conn, retopiced)
    return updated


def _insert_new(
    conn: Connection,
    new: list[Article],
    before_insert: Callable[[Sequence[tuple[int, Article]]], None] | None,
) -> list[int]:
    """Insert with ids allocated up front (one plain executemany, no RETURNING per row)."""
    if not new:
        return []
    ids = _allocate_ids(conn, len(new))
    if before_insert is not None:
        before_insert(list(zip(ids, new, strict=True)))
    rows = [{"id": i, **article_to_row(a)} for i, a in zip(ids, new, strict=True)]
    conn.execute(articles.insert(), rows)
    if conn.dialect.name == "sqlite":
        _index_for_search(conn, rows)
    write_topic_rows(conn, [(i, a) for i, a in zip(ids, new, strict=True) if a.topics], fresh=True)
    return ids


def _index_for_search(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Add new rows to SQLite's search index in one statement (migration 0010: a per-row
    trigger cost three times as much)."""
    conn.exec_driver_sql(
        "INSERT INTO articles_fts(rowid, title, summary_text) VALUES (?, ?, ?)",
        [(row["id"], row["title"], row["summary_text"]) for row in rows],
    )


def _allocate_ids(conn: Connection, count: int) -> list[int]:
    """``count`` fresh article ids: from the sequence on PostgreSQL; on SQLite max(id) + 1…,
    safe because the caller's transaction holds the write lock (BEGIN IMMEDIATE)."""
    if conn.dialect.name == "postgresql":
        stmt = sa.text(
            "SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, :n)"
        )
        return [int(i) for i in conn.execute(stmt, {"n": count}).scalars()]
    top = conn.execute(sa.select(sa.func.max(articles.c.id))).scalar() or 0
    return list(range(top + 1, top + 1 + count))


def write_classification(conn: Connection, updates: Sequence[ClassificationUpdate]) -> None:
    """Write the topics, score, explanation and cluster of each update, and its topic rows."""
    if not updates:
        return
    rows = [{"_id": u.article_id, **classification_row(u)} for u in updates]
    stmt = (
        articles.update()
        .where(articles.c.id == sa.bindparam("_id"))
        .values({name: sa.bindparam(name) for name in rows[0] if name != "_id"})
    )
    conn.execute(stmt, rows)
    write_topic_rows(conn, [(u.article_id, u) for u in updates])


def write_topic_rows(
    conn: Connection, items: Sequence[tuple[int, Any]], fresh: bool = False
) -> None:
    """Replace the article_topics rows of each (article id, object with ``topics``)."""
    if not fresh:
        for chunk in chunks([article_id for article_id, _ in items]):
            conn.execute(article_topics.delete().where(article_topics.c.article_id.in_(chunk)))
    rows = [
        {"article_id": article_id, "topic": topic.name, "confidence": float(topic.confidence)}
        for article_id, holder in items
        for topic in {t.name: t for t in holder.topics}.values()
    ]
    if rows:
        conn.execute(article_topics.insert(), rows)
