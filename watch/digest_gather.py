"""What a week's digest is made of, read from the store: its articles (best of each cluster),
picks, trends, source states and the attempts of the week (``gather_digest``), for the mail, the
chats, ``watch digest`` and the board's preview alike; ``watch.digest`` builds it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime

from watch.cadence import advise_sources
from watch.config import WatchConfig
from watch.digest import MAX_PICKS, Digest, build_digest
from watch.health import page_warnings
from watch.models import StoredArticle, TrendReport
from watch.store.base import ArticleQuery, Store
from watch.taste import voted_articles
from watch.trends import TrendInput, trend_window, week_bounds, weekly_trends

MAX_ARTICLES = 100_000
"""Upper bound on the week's clusters read for one digest."""
TREND_WEEKS_BACK = 4
TREND_BATCH = 1000

# -- gather ----------------------------------------------------------------------------------


def gather_digest(store: Store, config: WatchConfig, week: str, now: datetime) -> Digest:
    """Read the week's articles (best of each cluster), source states, attempts (the fetch log of
    the week: the sources consulted in it) and trends; build the digest.

    The mail, the chats, ``watch digest`` and the board's preview all read it here: a story
    down-voted on the board or by ``watch feedback --down`` is left out of every one of them."""
    since, until = week_bounds(week, config.digest.timezone)  # the trends' week too
    in_week = ArticleQuery(since=since, until=until, undated_backlog=False)
    ranked = replace(in_week, order="score", one_per_cluster=True, limit=MAX_ARTICLES)
    return build_digest(
        config=config,
        week=week,
        articles=store.query_articles(ranked),
        source_states=store.list_source_states(),
        trends=week_trends(store, week, config.digest.timezone),
        now=now,
        article_count=store.count_articles(in_week),
        source_notes=(advise_sources(config, store, now), page_warnings(config, store.fetch_log)),
        picks=store.query_articles(
            ArticleQuery(picked_between=(since, until), order="score", limit=2 * MAX_PICKS)
        ),
        down_voted=voted_articles(store, ("down",)),  # the digest reads vote < 0 itself
        week_attempts=store.fetch_log(limit=None, since=since, until=until),
    )


def week_trends(
    store: Store, week: str, timezone: str = "UTC", weeks_back: int = TREND_WEEKS_BACK
) -> TrendReport:
    """The trends of ``week`` against the ``weeks_back`` weeks before it, in the readers' weeks
    (``timezone``), from the articles PUBLISHED in those weeks (not those fetched in them)."""
    since, until = trend_window(week, weeks_back, timezone)
    published = _published_between(store, since, until)
    return weekly_trends(_trend_inputs(published), week, weeks_back=weeks_back, timezone=timezone)


def _published_between(store: Store, since: datetime, until: datetime) -> Iterator[StoredArticle]:
    """An article without a date of its own is dated by when it was first seen; that is its
    publication only once its source is watched: the first collection's are left out."""
    query = ArticleQuery(
        since=since, until=until, order="id", limit=TREND_BATCH, undated_backlog=False
    )
    while batch := store.query_articles(query):
        yield from batch
        query = replace(query, offset=query.offset + TREND_BATCH)


def _trend_inputs(articles: Iterable[StoredArticle]) -> Iterator[TrendInput]:
    for article in articles:
        topics = tuple(match.name for match in article.topics)
        yield TrendInput(
            article.id,
            article.published,
            topics,
            article.title,
            article.summary_text,
            article.language,
            article.cluster_id,
        )
