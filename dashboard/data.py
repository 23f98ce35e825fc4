"""Board data: the only dashboard module that talks to the store.

It owns the settings and config the board runs with (read once), the two store connections
(read-only for queries, writable only for the user's actions), the cached queries behind every
page (``st.cache_data`` with a short ttl, so new articles appear without a restart) and the
pages' actions ("fetch now", send digest), each written at once and followed by a cache clear
(``refresh``); the board's article actions (flags, note, feedback, marking read) are in
``dashboard.actions``.  Optional stages (trends, digest) are imported lazily: a page shows a placeholder
while they are missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard.words import BoardWords, board_words
from watch.cadence import Advice, advise_sources
from watch.config import Settings, WatchConfig, load_config, resolve_settings
from watch.fetch_requests import FETCH_NOW_KEY, read_request, with_sources
from watch.models import ArticleText, StoredArticle, TrendReport, story_key
from watch.store.base import ArticleQuery, DigestRecord, Store, UnreadCounts

if TYPE_CHECKING:
    from watch.digest import Digest

QUERY_TTL = 30
"""Seconds a cached board query lives: new articles show up within this delay."""
SLOW_TTL = 300
PAGE_SIZE = 25
ReadState = Literal["unread", "starred", "all"]
BoardOrder = Literal["score", "published"]


@dataclass(frozen=True)
class BoardContext:
    """What every page needs: the resolved settings and the validated sources.yaml."""

    settings: Settings
    config: WatchConfig

    @property
    def db_url(self) -> str:
        return self.settings.db_url

    @property
    def words(self) -> BoardWords:
        """The board's words, in its language (``board.language``, else the digest's)."""
        return board_words(self.config)


@dataclass(frozen=True)
class BoardFilters:
    """The board's filters, as the sidebar widgets give them (hashable, for the cache)."""

    text: str = ""
    topics: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    min_score: float = 0.0
    state: ReadState = "unread"
    one_per_cluster: bool = True
    order: BoardOrder = "score"
    """Best first ("score") or newest first ("published")."""
    timezone: str = "UTC"
    """The readers' zone (digest.timezone): a date picked is a day there, not in UTC."""

    def to_query(self, page: int = 0, page_size: int = PAGE_SIZE) -> ArticleQuery:
        """The store query for one page (0-based) of results."""
        return ArticleQuery(
            text=self.text.strip() or None,
            topics=list(self.topics) or None,
            sources=list(self.sources) or None,
            since=self._instant(self.since, time.min),
            until=self._instant(self.until, time.max),
            min_score=self.min_score or None,
            read=False if self.state == "unread" else None,
            starred_or_noted=True if self.state == "starred" else None,
            one_per_cluster=self.one_per_cluster,
            order=self.order,
            limit=page_size,
            offset=page * page_size,
        )

    def _instant(self, day: date | None, moment: time) -> datetime | None:
        """``moment`` of ``day`` in the readers' zone, as a UTC instant (as the store keeps)."""
        if day is None:
            return None
        return datetime.combine(day, moment, ZoneInfo(self.timezone)).astimezone(UTC)


@dataclass
class BoardPage:
    """One page of ranked articles and how many match in all."""

    articles: list[StoredArticle] = field(default_factory=list)
    total: int = 0


# -- settings and connections -------------------------------------------------


@st.cache_resource(show_spinner=False)
def load_context() -> BoardContext:
    """Read WATCH_CONFIG / WATCH_DB (through watch.config) and sources.yaml, once per process."""
    settings = resolve_settings()
    config = load_config(settings.config_path)
    return BoardContext(settings=resolve_settings(config=config), config=config)


def _open_store(url: str, read_only: bool) -> Store:
    from watch.store import open_store

    return open_store(url, read_only=read_only)  # type: ignore[no-any-return]


@st.cache_resource(show_spinner=False)
def reader(db_url: str) -> Store:
    """The read-only connection every query goes through (never blocks the scheduler)."""
    return _open_store(db_url, read_only=True)


@st.cache_resource(show_spinner=False)
def writer(db_url: str) -> Store:
    """The writable connection, used only by the user's actions."""
    return _open_store(db_url, read_only=False)


# -- board ----------------------------------------------------------------------


@st.cache_data(ttl=QUERY_TTL, show_spinner=False, max_entries=256)
def board_page(
    db_url: str, filters: BoardFilters, page: int, page_size: int = PAGE_SIZE
) -> BoardPage:
    """One page of ranked articles for these filters; only the rows of that page are loaded."""
    store = reader(db_url)
    query = filters.to_query(page, page_size)
    if query.one_per_cluster and query.order == "score":
        articles = best_per_cluster(store, query)
    else:
        articles = store.query_articles(query)
    return BoardPage(articles=articles, total=store.count_articles(query))


def best_per_cluster(store: Store, query: ArticleQuery, chunk: int = 100) -> list[StoredArticle]:
    """The page of ``query`` (best first) keeping the best-scored article of each cluster.

    Reads the flat ranking in chunks and skips lower-ranked cluster mates, so the first pages
    cost a few small indexed reads.  Same result as ``one_per_cluster=True``, which the store
    computes with a window over every matching row (about 0.9 s on 100,000 articles).
    """
    flat = replace(query, one_per_cluster=False, limit=chunk, offset=0)
    wanted = query.offset + query.limit
    seen: set[int] = set()
    picked: list[StoredArticle] = []
    while len(picked) < wanted:
        rows = store.query_articles(flat)
        for article in rows:
            key = story_key(article)
            if key not in seen:
                seen.add(key)
                picked.append(article)
        if len(rows) < chunk:
            break
        flat = replace(flat, offset=flat.offset + chunk)
    return picked[query.offset : wanted]


@st.cache_data(ttl=QUERY_TTL, show_spinner=False, max_entries=64)
def story_of(db_url: str, article_id: int) -> list[StoredArticle]:
    """Article ``article_id`` (the board's ``?article=``, ``dashboard.linked``) then the other
    articles of its story, best first; empty when it is not stored (removed, or never)."""
    store = reader(db_url)
    found = store.query_articles(ArticleQuery(ids=[article_id], limit=1))
    if not found or found[0].cluster_id is None:
        return found
    others = [a for a in store.cluster_members(found[0].cluster_id) if a.id != article_id]
    return [found[0], *others]


@st.cache_data(ttl=QUERY_TTL, show_spinner=False, max_entries=64)
def article_texts(db_url: str, ids: tuple[int, ...]) -> dict[int, ArticleText]:
    """The page text, or why the page was not read, of those of the articles ``ids`` that have
    one (``full_text:`` sources), in one query: the cards on screen, read together.  Their
    HTML is not read (the board shows the plain text; a cached copy stays small)."""
    return reader(db_url).article_texts(ids, html=False) if ids else {}


@st.cache_data(ttl=SLOW_TTL, show_spinner=False)
def known_sources(db_url: str) -> list[str]:
    """Names of every source with a stored state (configured ones are added by the page)."""
    return sorted(state.name for state in reader(db_url).list_source_states())


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def unread_counts(db_url: str) -> UnreadCounts:
    """Unread articles per source and per topic, for the sidebar's choices."""
    return reader(db_url).unread_counts()


def refresh() -> None:
    """Forget cached query results after a write, so the next render reads the database."""
    board_page.clear()
    story_of.clear()
    unread_counts.clear()
    source_rows.clear()
    digest_history.clear()


# -- topics & trends --------------------------------------------------------------


def iso_week(when: datetime, timezone: str = "UTC") -> str:
    """``2026-W07``: the week of ``when`` in ``timezone`` (the readers' week: digest.timezone)."""
    from watch.trends import iso_week as week_of

    return week_of(when, timezone)


def week_bounds(week: str, timezone: str = "UTC") -> tuple[datetime, datetime]:
    """``[Monday 00:00, next Monday 00:00)`` of ``week`` in ``timezone``, as UTC instants."""
    from watch.trends import week_bounds as bounds

    return bounds(week, timezone)


@st.cache_data(ttl=SLOW_TTL, show_spinner="Computing trends…")
def trend_report(db_url: str, week: str, timezone: str = "UTC", weeks_back: int = 4) -> TrendReport:
    """The week's trends (``watch.digest_job.week_trends``: the digest's own, in the readers'
    weeks and by publication date)."""
    from watch.digest_job import week_trends

    return week_trends(reader(db_url), week, timezone, weeks_back)


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def top_articles(
    db_url: str, topic: str, since: datetime, until: datetime | None = None, limit: int = 5
) -> list[StoredArticle]:
    """The best-scored stories of a topic published in [since, until) (one per cluster)."""
    query = ArticleQuery(
        topics=[topic], since=since, until=until, one_per_cluster=True, limit=limit
    )
    return reader(db_url).query_articles(query)


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def articles_by_id(db_url: str, ids: tuple[int, ...]) -> list[StoredArticle]:
    if not ids:
        return []
    return reader(db_url).query_articles(ArticleQuery(ids=list(ids), limit=len(ids)))


# -- sources ----------------------------------------------------------------------


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def source_advice(db_url: str, _config: WatchConfig) -> dict[str, Advice]:
    """Frequency advice per source (``watch.cadence``); the config is the process's own."""
    return advise_sources(_config, reader(db_url), datetime.now(UTC))


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def picks_of(db_url: str, week: str, timezone: str) -> int:
    """How many articles were starred during ``week`` (they open that week's digest)."""
    return reader(db_url).count_articles(ArticleQuery(picked_between=week_bounds(week, timezone)))


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def page_warnings(db_url: str, _config: WatchConfig) -> dict[str, str]:
    """The last warning of each page source ("3 of 14 items had no link…"), as `watch status`."""
    from watch.health import page_warnings as last_warnings

    return last_warnings(_config, reader(db_url).fetch_log)


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def source_rows(db_url: str, weeks: int = 4) -> tuple[list[Any], dict[str, dict[str, float]]]:
    """Source states and per-source article figures over the last ``weeks`` weeks."""
    store = reader(db_url)
    since = datetime.now(UTC) - timedelta(weeks=weeks)
    return store.list_source_states(), store.source_article_stats(since=since)


def pending_fetch(db_url: str) -> dict[str, Any] | None:
    """The "fetch now" request the scheduler has not honoured yet, if any."""
    request = read_request(reader(db_url).get_meta(FETCH_NOW_KEY))
    return request if request["sources"] else None


def request_fetch(db_url: str, names: list[str], now: datetime | None = None) -> dict[str, Any]:
    """Ask the scheduler to fetch these sources now: merged into the pending request
    (``watch.fetch_requests``, in one transaction with the scheduler's removals)."""
    at = now or datetime.now(UTC)
    raw = writer(db_url).update_meta(FETCH_NOW_KEY, lambda raw: with_sources(raw, names, at))
    return read_request(raw)


# -- digest -----------------------------------------------------------------------


@st.cache_data(ttl=QUERY_TTL, show_spinner=False)
def digest_history(db_url: str, limit: int = 20) -> list[DigestRecord]:
    return reader(db_url).list_digests(limit=limit)


def week_digest(context: BoardContext, week: str, now: datetime) -> Digest:
    """The digest of ``week`` as it will be mailed, read from the store at ``now``."""
    from watch.digest_job import gather_digest

    return gather_digest(reader(context.db_url), context.config, week, now)


def digest_preview_html(digest: Digest) -> str:
    """``digest`` rendered exactly as it will be mailed."""
    from watch.digest_render import render_html

    return render_html(digest)


def send_digest_now(context: BoardContext, week: str) -> DigestRecord | None:
    """Send this week's digest now through the configured SMTP server (forced); None when
    no SMTP server is configured."""
    from watch.digest_job import send_digest

    if context.settings.smtp is None:
        return None
    record: DigestRecord | None = send_digest(
        writer(context.db_url),
        context.config,
        context.settings.smtp,
        week,
        force=True,
        now=datetime.now(UTC),
    )
    refresh()
    return record
