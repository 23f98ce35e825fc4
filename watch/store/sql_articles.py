"""Reading articles: filters (incl. full-text search), pages, clusters, statistics.

Full-text search (the board's syntax: words, "phrases", -exclusions, OR) is read and turned
into SQL in ``sql_search``, on SQLite's FTS5 table and PostgreSQL's ``search_vector`` alike.
A page is computed as ids first (narrow rows, indexed order) and only the page's rows are
materialized; cluster size and other sources are filled for those rows with one extra query.

Coverage counts sites, not feeds (``watch.coverage``: a source's site is the host of the home
page its feed names, else of its feed, read from ``source_state``): ``cluster_sources`` names
one source per OTHER site, never the article's own site.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from watch.coverage import other_sources, site_of
from watch.models import StoredArticle
from watch.store.base import OFF_TOPIC, ArticleQuery, ScoringInput
from watch.store.schema import UtcDateTime, article_topics, articles, source_state
from watch.store.sql_rows import row_to_article, topics_from_json
from watch.store.sql_search import search_filter, searches_words

ORDERS = ("score", "published", "id")
T = TypeVar("T")


def topic_names(conn: Connection, article_id: int) -> list[str]:
    """The names of the topics an article has now."""
    stmt = sa.select(article_topics.c.topic).where(article_topics.c.article_id == article_id)
    return list(conn.execute(stmt).scalars())


def _topic_filter(topics: Sequence[str], table: Any) -> ColumnElement[bool]:
    named = [t for t in topics if t != OFF_TOPIC]
    has_topic = sa.exists().where(article_topics.c.article_id == table.c.id)
    clauses: list[ColumnElement[bool]] = []
    if named:
        clauses.append(
            table.c.id.in_(
                sa.select(article_topics.c.article_id).where(article_topics.c.topic.in_(named))
            )
        )
    if OFF_TOPIC in topics:
        clauses.append(~has_topic)
    return sa.or_(*clauses) if clauses else sa.false()


def filters(query: ArticleQuery, dialect: str, table: Any = articles) -> list[ColumnElement[bool]]:
    """WHERE clauses for ``query`` on ``table`` (``articles`` or an alias of it).

    ``since`` is inclusive, ``until`` exclusive, both on ``published``.
    """
    a = table.c
    clauses: list[ColumnElement[bool]] = []
    if query.text:
        match = search_filter(query.text, dialect, table, whole_words=query.whole_words)
        if match is not None:
            clauses.append(match)
    if query.topics is not None:
        clauses.append(_topic_filter(query.topics, table))
    if query.sources is not None:
        clauses.append(a.source.in_(list(query.sources)))
    if query.since is not None:
        clauses.append(a.published >= query.since)
    if query.until is not None:
        clauses.append(a.published < query.until)
    if query.min_score is not None:
        clauses.append(a.score >= query.min_score)
    if query.read is not None:
        clauses.append(a.read == query.read)
    if query.starred is not None:
        clauses.append(a.starred == query.starred)
    if query.starred_or_noted is not None:
        marked = a.id.in_(_starred_or_noted_ids())
        clauses.append(marked if query.starred_or_noted else sa.not_(marked))
    if query.picked_between is not None:
        clauses.append(_picked_between(table, *query.picked_between))
    if query.ids is not None:
        clauses.append(a.id.in_(list(query.ids)))
    if query.max_id is not None:
        clauses.append(a.id <= query.max_id)
    if query.min_id is not None:
        clauses.append(a.id > query.min_id)
    if not query.undated_backlog:
        clauses.append(sa.or_(a.date_from_feed, a.fetched_at > _first_collection(table)))
    return clauses


def _starred_or_noted_ids() -> Any:
    """The ids of the starred articles and of those with a note (an empty note is NULL), as a
    UNION: each half reads a partial index of its own (``ix_articles_starred``,
    ``ix_articles_noted``), where an OR of the two scans the table (300 ms at 130,000 articles
    on SQLite, 7 ms this way).  An alias, never correlated with the outer query."""
    marked = articles.alias("marked")
    starred = sa.select(marked.c.id).where(marked.c.starred)
    return starred.union(sa.select(marked.c.id).where(marked.c.note.is_not(None)))


def _picked_between(table: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    a = table.c
    when = sa.func.coalesce(a.starred_at, a.published)
    return sa.and_(a.starred, when >= start, when < end)


def _first_collection(table: Any) -> ColumnElement[Any]:
    """When the article's source was first collected (its earliest first-seen time)."""
    earlier = articles.alias("first_seen")
    return (
        sa.select(sa.func.min(earlier.c.fetched_at))
        .where(earlier.c.source == table.c.source)
        .scalar_subquery()
    )


def _order(columns: Any, order: str, few_rows: bool = False) -> list[Any]:
    """The ORDER BY of ``order``.  With ``few_rows`` (the starred ones) the score is an
    expression, so SQLite reads the few rows through their own index and sorts them, instead
    of walking the whole score index looking for them (150 ms at 100,000 articles)."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; expected one of {ORDERS}")
    if order == "score":
        score = columns.score + 0 if few_rows else columns.score
        return [score.desc(), columns.published.desc(), columns.id.desc()]
    if order == "published":
        return [columns.published.desc(), columns.id.desc()]
    return [columns.id.asc()]


def _cluster_key() -> ColumnElement[Any]:
    """Cluster id, or a key of its own (-id) for an article without cluster."""
    return sa.func.coalesce(articles.c.cluster_id, -articles.c.id)


def _best_of_cluster(query: ArticleQuery, dialect: str) -> ColumnElement[bool]:
    """No other matching article of the same cluster ranks before this one.

    Rank = (score, published, id) descending, the order of ``order="score"``.  A correlated
    NOT EXISTS on the cluster_id index: with an ORDER BY … LIMIT page only the rows walked are
    probed, and it reads the same on SQLite and PostgreSQL.
    """
    a, b = articles.c, articles.alias("better")
    ranks_before = sa.or_(
        b.c.score > a.score,
        sa.and_(b.c.score == a.score, b.c.published > a.published),
        sa.and_(b.c.score == a.score, b.c.published == a.published, b.c.id > a.id),
    )
    better = sa.exists().where(
        b.c.cluster_id == a.cluster_id, ranks_before, *filters(query, dialect, b)
    )
    return sa.or_(a.cluster_id.is_(None), ~better)


def _ranked_in_cluster(where: list[ColumnElement[bool]]) -> Any:
    """Matching rows with their rank in their cluster (window function), as a subquery."""
    rank = sa.func.row_number().over(
        partition_by=_cluster_key(), order_by=_order(articles.c, "score")
    )
    columns = (articles.c.id, articles.c.score, articles.c.published, rank.label("rank"))
    return sa.select(*columns).where(*where).subquery()


def page_ids(conn: Connection, query: ArticleQuery) -> list[int]:
    """The ids of the requested page, in order."""
    return list(conn.execute(page_statement(query, conn.dialect.name)).scalars())


def page_statement(query: ArticleQuery, dialect: str) -> Any:
    """The SELECT of the ids of the requested page.

    ``one_per_cluster`` uses the correlated NOT EXISTS (walks only the page) except with a
    text search, where the subquery would re-run the full-text match for every probe: there a
    window function ranks the (fewer) matching rows once.
    """
    where = filters(query, dialect)
    if query.one_per_cluster and searches_words(query.text or ""):
        ranked = _ranked_in_cluster(where)
        stmt = (
            sa.select(ranked.c.id)
            .where(ranked.c.rank == 1)
            .order_by(*_order(ranked.c, query.order))
        )
    else:
        if query.one_per_cluster:
            where.append(_best_of_cluster(query, dialect))
        starred = bool(query.starred or query.starred_or_noted) or query.picked_between is not None
        order = _order(articles.c, query.order, few_rows=starred)
        stmt = sa.select(articles.c.id).where(*where).order_by(*order)
    return stmt.limit(query.limit).offset(query.offset)


def count(conn: Connection, query: ArticleQuery) -> int:
    where = filters(query, conn.dialect.name)
    if query.one_per_cluster:
        counted: Any = sa.func.count(sa.distinct(_cluster_key()))
    else:
        counted = sa.func.count()
    return int(conn.execute(sa.select(counted).select_from(articles).where(*where)).scalar_one())


def load(conn: Connection, ids: Sequence[int]) -> list[StoredArticle]:
    """The articles of ``ids`` in that order, with their cluster size and other sources."""
    if not ids:
        return []
    rows = conn.execute(sa.select(articles).where(articles.c.id.in_(list(ids)))).mappings()
    by_id = {row["id"]: row_to_article(row) for row in rows}
    found = [by_id[i] for i in ids if i in by_id]
    fill_clusters(conn, found)
    return found


def scoring_inputs(conn: Connection, ids: Sequence[int]) -> list[ScoringInput]:
    """The scoring inputs of ``ids`` (no text read), in id order."""
    a = articles.c
    stmt = sa.select(
        a.id, a.source, a.topics, a.published, a.date_from_feed, a.vote, a.cluster_id,
        a.explanation, a.title,
    ).where(a.id.in_(list(ids)))  # fmt: skip
    return [
        ScoringInput(
            id=row.id,
            source=row.source,
            topics=topics_from_json(row.topics),
            published=row.published,
            date_from_feed=bool(row.date_from_feed),
            vote=int(row.vote),
            cluster_id=row.cluster_id,
            explanation=list(row.explanation or []),
            title=row.title,
        )
        for row in conn.execute(stmt.order_by(a.id))
    ]


def fill_clusters(conn: Connection, found: Sequence[StoredArticle]) -> None:
    """Fill each article's ``cluster_sources`` (one source per other site of its story,
    ``coverage.other_sources``) and ``cluster_size`` (how many sites carry the story)."""
    cluster_ids = {a.cluster_id for a in found if a.cluster_id is not None}
    if not cluster_ids:
        return
    members: dict[int, set[str]] = defaultdict(set)
    a, s = articles.c, source_state.c
    stmt = sa.select(a.cluster_id, a.source).where(a.cluster_id.in_(cluster_ids)).distinct()
    for cluster_id, source in conn.execute(stmt):
        members[cluster_id].add(source)
    named = set().union(*members.values()) | {article.source for article in found}
    sites = {
        name: site_of(name, home, url)
        for name, home, url in conn.execute(
            sa.select(s.name, s.home_url, s.url).where(s.name.in_(named))
        )
    }
    for article in found:
        if article.cluster_id is not None:
            others = other_sources(article.source, members[article.cluster_id], sites)
            article.cluster_sources = others
            article.cluster_size = 1 + len(others)


def id_batch(conn: Connection, since: datetime | None, after: int, batch: int) -> list[int]:
    """Up to ``batch`` ids greater than ``after`` (fetched_at >= since), in id order."""
    stmt = sa.select(articles.c.id).where(articles.c.id > after)
    if since is not None:
        stmt = stmt.where(articles.c.fetched_at >= since)
    return list(conn.execute(stmt.order_by(articles.c.id).limit(batch)).scalars())


def stream(fetch: Callable[[int], list[T]], key: Callable[[T], int], batch: int) -> Iterator[T]:
    """Keyset pagination: ``fetch(after_key)`` until a short batch; yield every item.

    Each batch is its own short read, so no transaction stays open while the caller works.
    """
    after = 0
    while True:
        items = fetch(after)
        yield from items
        if len(items) < batch:
            return
        after = key(items[-1])


def source_stats(conn: Connection, since: datetime | None) -> dict[str, dict[str, float]]:
    """Per source: ``articles``, ``recent`` (published since ``since``), ``on_topic`` share,
    ``oldest_recent`` and ``latest`` (timestamps of the oldest dated item since ``since`` and
    of the latest dated item of all; absent without any: a first-seen time is no date)."""
    a = articles.c
    on_topic = sa.exists().where(article_topics.c.article_id == a.id)
    is_recent = sa.true() if since is None else a.published >= since
    dated = sa.and_(is_recent, a.date_from_feed)  # undated items take their first-seen time
    oldest = sa.type_coerce(sa.func.min(sa.case((dated, a.published))), UtcDateTime)
    latest = sa.type_coerce(sa.func.max(sa.case((a.date_from_feed, a.published))), UtcDateTime)
    stmt = sa.select(
        a.source,
        sa.func.count(),
        sa.func.sum(sa.case((is_recent, 1), else_=0)),
        sa.func.sum(sa.case((on_topic, 1), else_=0)),
        oldest,
        latest,
    ).group_by(a.source)
    stats: dict[str, dict[str, float]] = {}
    for source, total, recent_n, topical, oldest_recent, latest_dated in conn.execute(stmt):
        stats[source] = {
            "articles": float(total),
            "recent": float(recent_n or 0),
            "on_topic": float(topical or 0) / total if total else 0.0,
        }
        if oldest_recent is not None:
            stats[source]["oldest_recent"] = oldest_recent.timestamp()
        if latest_dated is not None:
            stats[source]["latest"] = latest_dated.timestamp()
    return stats
