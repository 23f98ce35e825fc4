"""Reading state on SQL: marking read everything an ``ArticleQuery`` matches (ids included),
and counting the unread ones per source and topic.

``mark_read`` is one UPDATE whatever the number of articles: the query's WHERE clauses are
``sql_articles.filters`` (the board's and ``watch read``'s filters, full-text search
included) applied to an alias in a subquery, so no article is loaded into Python.  Only unread
rows are written, so the count returned is how many changed.  ``whole_stories`` also marks the
other articles of every matching story cluster: a story read from one source does not come
back unread from another ("One story per cluster" shows the next member otherwise).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watch.store import sql_articles
from watch.store.base import OFF_TOPIC, ArticleQuery, UnreadCounts
from watch.store.schema import article_topics, articles


class ReadingMethods:
    """The bulk "read" methods of ``Store`` for ``SqlStore``, which provides the transactions."""

    if TYPE_CHECKING:
        _dialect: str

        def _write(self) -> AbstractContextManager[Connection]: ...

        def _read(self) -> AbstractContextManager[Connection]: ...

    def unread_counts(self) -> UnreadCounts:
        """Two scans of the partial index ``ix_articles_unread`` (migration 0011): per source,
        and per topic joined to ``article_topics`` (no topic: off-topic)."""
        a, t = articles.c, article_topics.c
        unread = a.read == sa.false()  # as the index's predicate is written
        by_source = sa.select(a.source, sa.func.count()).where(unread).group_by(a.source)
        by_topic = (
            sa.select(t.topic, sa.func.count())
            .select_from(articles.outerjoin(article_topics, t.article_id == a.id))
            .where(unread)
            .group_by(t.topic)
        )
        with self._read() as conn:
            sources = {name: int(n) for name, n in conn.execute(by_source)}
            topics = {name or OFF_TOPIC: int(n) for name, n in conn.execute(by_topic)}
        topics.setdefault(OFF_TOPIC, 0)
        return UnreadCounts(sources=sources, topics=topics)

    def mark_read(self, query: ArticleQuery, *, whole_stories: bool = False) -> int:
        with self._write() as conn:
            return int(
                conn.execute(mark_read_statement(query, self._dialect, whole_stories)).rowcount
            )


def mark_read_statement(
    query: ArticleQuery, dialect: str, whole_stories: bool = False
) -> sa.Update:
    """``UPDATE articles SET read = true`` of the unread articles matching ``query`` (every
    one of them: ``one_per_cluster``, ``order``, ``limit`` and ``offset`` are ignored), and of
    the other articles of their stories with ``whole_stories``."""
    matching = articles.alias("matching")
    where = sql_articles.filters(query, dialect, matching)
    chosen: sa.ColumnElement[bool] = articles.c.id.in_(sa.select(matching.c.id).where(*where))
    if whole_stories:
        stories = sa.select(matching.c.cluster_id).where(*where, matching.c.cluster_id.is_not(None))
        copies: sa.ColumnElement[bool] = articles.c.cluster_id.in_(stories)
        if query.max_id is not None:  # not the copies collected after the count either
            copies = sa.and_(copies, articles.c.id <= query.max_id)
        chosen = sa.or_(chosen, copies)
    return articles.update().where(sa.not_(articles.c.read), chosen).values(read=True)
