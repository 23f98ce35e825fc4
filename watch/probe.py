"""Looking at a URL before following it: which feed, how often it publishes, what it is about.

``watch sources add URL`` starts here. The URL is fetched like any source (same safety rules,
``fetch.allow_private`` included); a web page leads to the feeds it advertises
(``<link rel="alternate">``, best first), the first that reads with items is kept. From its
items come what a user needs to decide how to follow it:

- its title, format, language and home page;
- how often it publishes: items per week over the span of the items' dates (at least two
  dated items an hour apart, else unknown);
- how old its newest dated item is (items without a date tell nothing);
- the suggested ``every`` (``watch.cadence.suggest_every``: a feed silent for weeks gets 1w);
- the topics of sources.yaml that its items match (keyword rules, no model): a topic matched
  by at least HINT_SHARE of the items is suggested as a hint.

A page that advertises no feed can still be followed as a ``kind: page`` source; the
ProbeError then carries a ``select:`` block to paste, or says why none was found
(``watch.select_guess.page_advice``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from watch.cadence import WEEK, suggest_every
from watch.classify import keyword_classifier
from watch.config import TopicConfig, WatchConfig
from watch.fetch import Fetcher
from watch.models import Article, FetchResult
from watch.normalize import html_to_text, normalize_entries
from watch.parse import NotAFeed, ParseError, parse_document
from watch.select_guess import page_advice

HINT_SHARE = 0.5
HINT_MIN_ITEMS = 3
"""Fewer items say too little about a source's subjects to suggest hints."""
MAX_ALTERNATES = 3
"""Advertised feeds tried, best first, before giving up."""


class ProbeError(Exception):
    """The URL gave no feed; the message says why in words."""


@dataclass
class Probe:
    """What a URL's feed looks like."""

    url: str
    """The feed's URL (the one given, or the feed its page advertises)."""
    format: str
    title: str | None
    home: str | None
    language: str | None
    items: int
    per_week: float | None
    """Items published per week, None when the items' dates cannot tell."""
    latest: datetime | None
    """The date of the newest dated item (None when no item has a date)."""
    every: str
    topics: list[str] = field(default_factory=list)
    """Topics of sources.yaml matched by at least HINT_SHARE of the items."""
    discovered_from: str | None = None


async def probe(url: str, config: WatchConfig, now: datetime) -> Probe:
    """Fetch ``url`` and describe its feed; raise ProbeError when there is none."""
    async with Fetcher(config.fetch) as fetcher:
        result = await fetcher.fetch(url)
        _check(result, url)
        try:
            return _describe(result, config.topics, now)
        except NotAFeed as page:
            candidates = page.alternates[:MAX_ALTERNATES]
            if not candidates:
                raise ProbeError(
                    f"{url}: {page}{page_advice(result, now, config.topics)}"
                ) from None
        problems = []
        for candidate in candidates:
            alternate = await fetcher.fetch(candidate)
            try:
                _check(alternate, candidate)
                found = _describe(alternate, config.topics, now)
            except (ProbeError, ParseError) as exc:
                problems.append(f"{candidate}: {exc}")
                continue
            found.discovered_from = url
            return found
    raise ProbeError(f"{url} advertises feeds, but none could be read: " + "; ".join(problems))


def _check(result: FetchResult, url: str) -> None:
    if result.status != "ok":
        error = result.error or result.status
        raise ProbeError(f"{url}: {error}{_how_to_allow(error, url)}")


def _how_to_allow(error: str, url: str) -> str:
    """For an address refused as private: how to allow it, if the user trusts it."""
    if not error.startswith("refused:") or not any(
        word in error for word in ("loopback", "private", "link-local", "shared")
    ):
        return ""
    if "redirect to" in error:
        return "; if you trust that address, list it in fetch.allow_private in sources.yaml"
    parts = urlsplit(url)
    allowed = f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname
    return f'; if you trust it, add "{allowed}" to fetch.allow_private in sources.yaml'


def _describe(result: FetchResult, topics: tuple[TopicConfig, ...], now: datetime) -> Probe:
    url = result.final_url or result.url
    try:
        feed = parse_document(result.body, url=url, content_type=result.content_type)
    except NotAFeed:
        raise
    except ParseError as exc:
        raise ProbeError(f"{url}: {exc}") from None
    articles = normalize_entries(feed, source="probe", base_url=url, fetched_at=now)
    if not articles:
        raise ProbeError(f"{url}: the feed has no items")
    per_week = publishing_rate(articles)
    latest = max((a.published for a in articles if a.date_from_feed), default=None)
    return Probe(
        url=result.url,
        format=feed.format,
        title=html_to_text(feed.title) or None if feed.title else None,
        home=feed.link if feed.link and urlsplit(feed.link).scheme in ("http", "https") else None,
        language=feed.language,
        items=len(articles),
        per_week=per_week,
        latest=latest,
        every=suggest_every(per_week, len(articles), now - latest if latest else None),
        topics=hinted_topics(articles, topics),
    )


def publishing_rate(articles: list[Article]) -> float | None:
    """Items per week over the span of the dates the feed gave, None when they cannot tell."""
    dates = sorted(a.published for a in articles if a.date_from_feed)
    if len(dates) < 2 or dates[-1] - dates[0] < timedelta(hours=1):
        return None
    return (len(dates) - 1) / ((dates[-1] - dates[0]) / WEEK)


def hinted_topics(articles: list[Article], topics: tuple[TopicConfig, ...]) -> list[str]:
    if not topics or len(articles) < HINT_MIN_ITEMS:
        return []
    classifier = keyword_classifier(topics)
    matches = classifier.classify([(a.title, a.summary_text, ()) for a in articles])
    counts: dict[str, int] = {}
    for found in matches:
        for match in found:
            counts[match.name] = counts.get(match.name, 0) + 1
    return [t.name for t in topics if counts.get(t.name, 0) >= HINT_SHARE * len(articles)]
