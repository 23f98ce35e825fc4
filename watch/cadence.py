"""How often a source should be consulted, judged from what it publishes and what fetches brought.

A tech watch decides how often each source is read. The user sets ``every`` in sources.yaml
(reviewed like code), so this module advises; it never changes the schedule. ``watch status``
and the board's Sources page show its advice, for sources that answer (not while failing). Two
inputs:

- the publishing rate: articles per week published over the last WEEKS_OF_ARTICLES weeks;
- the fetch log (bounded per source): how many items the feed lists (its median), and whether at
  some fetch *every* listed item was new — the feed keeps its last N items, so when all N are new
  the older ones were pushed out before anyone saw them. The oldest fetch in the log is never
  counted (a first fetch brings the whole backlog as new), nor are failed fetches or feeds
  listing fewer than FULL_FEED_MIN_ITEMS items.

The rules, first match wins:

1. every item new at 2 or more of the last RECENT_FETCHES fetches → items are being missed (once
   alone is not enough: a site that changed its item ids, or a scheduler stopped for a week,
   also makes every item new once): suggest at most half the current period, and a period that
   brings at most half a feed at the publishing rate;
2. no article in 4 weeks → "check the source", or consult it weekly (SILENT_EVERY: a revival
   is seen within the week), naming the date of its latest dated item — "too soon to judge"
   only when the fetch log shows it followed for less than 4 weeks and it brought no item at
   all (a feed of 100 items, the latest years old, is quiet, not new);
3. more than half a feed published per period → items will be missed: the period that brings
   half a feed;
4. a cron schedule, otherwise → compared by hand;
5. the feed size not known (a log of 304s only) and a period more than twice the publishing
   interval → that interval, to stay current;
6. consulted more than 8 times per publication → a period close to the publishing interval
   brings the same items with far fewer requests;
7. otherwise the frequency matches the publishing rate.

The period of a cron schedule is the longest time between two of its fires ("0 8 * * 1-5"
leaves the weekend: 3 days), the time when items can pile up unseen.

The advice is a value (``Advice.said``: a phrase of ``watch.advice_words`` and its figures),
said in English by ``Advice.words`` (``watch status``) and in its language by the board.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from watch.advice_words import Said, roughly, say
from watch.config import SourceConfig, WatchConfig
from watch.models import FetchLogEntry
from watch.schedule import longest_cron_gap
from watch.store.base import Store

FULL_FEED_MIN_ITEMS = 3
"""A feed listing fewer items than this says little when all of them are new."""
RECENT_FETCHES = 10
MIN_OVERFLOWS = 2
LOG_WINDOW = 50
"""Fetch-log entries per source that callers read for ``advise``."""
WEEKS_OF_ARTICLES = 4
WEEK = timedelta(weeks=1)
PERIODS = (
    ("5m", timedelta(minutes=5)),
    ("15m", timedelta(minutes=15)),
    ("30m", timedelta(minutes=30)),
    ("1h", timedelta(hours=1)),
    ("2h", timedelta(hours=2)),
    ("6h", timedelta(hours=6)),
    ("12h", timedelta(hours=12)),
    ("1d", timedelta(days=1)),
    ("2d", timedelta(days=2)),
    ("1w", timedelta(weeks=1)),
)
SILENT_EVERY = PERIODS[-1]
"""The period for a source silent for WEEKS_OF_ARTICLES weeks (1w)."""
_SUCCESSES = ("new", "unchanged", "not_modified")


@dataclass(frozen=True)
class Advice:
    """What to do about a source's ``every``: ``said`` in a language (``watch.advice_words``)."""

    said: Said
    every: str | None = None
    """The suggested ``every:`` value when a change is advised."""
    missing_items: bool = False
    """Items are (or will be) missed at the current frequency: a problem, not a preference."""

    @property
    def words(self) -> str:
        """The advice in English, as ``watch status`` writes it."""
        return say(self.said)


def advise(
    source: SourceConfig,
    per_week: float,
    log: Sequence[FetchLogEntry] = (),
    *,
    stored: float = 0,
    latest: datetime | None = None,
) -> Advice:
    """Advice on ``source``'s ``every`` from its publishing rate and fetch log (newest first);
    ``stored``: how many of its articles the store holds, ``latest``: its latest dated one."""
    kept, overflows, fetches = _feed_size_and_overflows(log)
    period = longest_cron_gap(source.every) if source.is_cron else source.period
    if overflows >= MIN_OVERFLOWS:
        limit = period / 2
        if per_week > 0 and kept:
            limit = min(limit, WEEK * (kept / 2 / per_week))
        name = _longest_at_most(limit)
        values = {"overflows": overflows, "fetches": fetches, "every": name}
        return Advice(Said("missed", values), name, missing_items=True)
    if per_week <= 0:
        return _silent(period, log, stored, latest)
    between = WEEK / per_week
    if kept >= FULL_FEED_MIN_ITEMS and period / between > kept / 2:
        name = _longest_at_most(between * kept / 2)
        values = {"interval": roughly(between), "kept": kept, "every": name}
        if source.is_cron:
            cron = Said("will_miss_cron", {**values, "gap": roughly(period)})
            return Advice(cron, name, missing_items=True)
        return Advice(Said("will_miss", values), name, missing_items=True)
    if source.is_cron:
        return Advice(Said("cron"))
    name = _closest(between)
    if not kept and period > between * 2:
        return Advice(Said("stay_current", {"interval": roughly(between), "every": name}), name)
    if period < between / 8 and dict(PERIODS)[name] > period:
        return Advice(Said("would_do", {"interval": roughly(between), "every": name}), name)
    return Advice(Said("matches"))


def _silent(
    period: timedelta, log: Sequence[FetchLogEntry], stored: float, latest: datetime | None
) -> Advice:
    """Nothing published in WEEKS_OF_ARTICLES weeks.  "Too soon" only for a source followed
    for less than that that brought nothing at all: older items (atp's 100, the latest years
    old) say it is quiet, with the date of its latest."""
    if not stored and latest is None and _followed_for(log) < WEEK * WEEKS_OF_ARTICLES:
        return Advice(Said("no_articles_yet"))
    since = Said("latest", {"date": latest}) if latest else ""
    if period >= SILENT_EVERY[1]:
        return Advice(Said("silent", {"latest": since}))
    every = SILENT_EVERY[0]
    return Advice(Said("silent_every", {"latest": since, "every": every}), every)


def suggest_every(per_week: float | None, kept: int, silent_for: timedelta | None = None) -> str:
    """The ``every`` for a new source publishing ``per_week`` items, its feed keeping ``kept``,
    its latest item ``silent_for`` old.

    Close to the time between two publications, kept between 1 h and 1 d (a board read every
    morning needs no more than a daily look, and a busier source no less than hourly), and
    short enough that a period never brings more than half a feed. Unknown rate: 1d. A feed
    silent for WEEKS_OF_ARTICLES weeks or more: SILENT_EVERY, as ``advise`` says of it (the
    rate of its past says nothing of today).
    """
    if silent_for is not None and silent_for >= WEEK * WEEKS_OF_ARTICLES:
        return SILENT_EVERY[0]
    if not per_week:
        return "1d"
    interval = WEEK / per_week
    fresh = min(max(interval, timedelta(hours=1)), timedelta(days=1))
    if kept >= FULL_FEED_MIN_ITEMS:
        fresh = min(fresh, interval * kept / 2)
    return _longest_at_most(fresh)


def advise_sources(config: WatchConfig, store: Store, now: datetime) -> dict[str, Advice]:
    """Advice for every enabled source that has been fetched and answers, read from ``store``.
    A failing source has none: its silence says nothing of how often it publishes, and a
    longer period is no cure for an error (``watch.health`` says what to do about that)."""
    since = now - WEEK * WEEKS_OF_ARTICLES
    stats = store.source_article_stats(since=since)
    failing = {s.name for s in store.list_source_states() if s.status in ("error", "gone")}
    advice = {}
    for source in config.sources:
        answers = source.enabled and source.name not in failing
        log = store.fetch_log(source.name, limit=LOG_WINDOW) if answers else []
        if log:
            figures = stats.get(source.name, {})
            latest = figures.get("latest")
            found = advise(
                source,
                weekly_rate(figures, now),
                log,
                stored=figures.get("articles", 0.0),
                latest=datetime.fromtimestamp(latest, UTC) if latest is not None else None,
            )
            advice[source.name] = _unless_too_soon(found, figures, log)
    return advice


def _unless_too_soon(
    advice: Advice, figures: Mapping[str, float], log: Sequence[FetchLogEntry]
) -> Advice:
    """``advice``, unless it rests on too little: fewer than 2 dated items and a source followed
    for less than WEEKS_OF_ARTICLES weeks (one undated item seen a minute ago is not "publishes
    every ~28 d").  Items being missed is said whatever the rate."""
    dated = figures.get("oldest_recent") is not None and figures.get("recent", 0.0) >= 2
    if advice.missing_items or dated or _followed_for(log) >= WEEK * WEEKS_OF_ARTICLES:
        return advice
    if not figures.get("recent"):
        return advice  # nothing recent: ``_silent`` judged it
    why = Said("undated" if figures.get("oldest_recent") is None else "one_dated")
    return Advice(Said("too_soon", {"why": why}))


def weekly_rate(figures: Mapping[str, float], now: datetime) -> float:
    """Articles per week a source published, from ``Store.source_article_stats`` read since
    WEEKS_OF_ARTICLES weeks: over those weeks, or since its oldest article in them when that is
    later (a source followed for 3 days, its feed listing 3 days of items, publishes 12 in 3
    days, not 12 in 4 weeks — as ``watch sources add`` told when it was added).  Only dates the
    feed gave count for "oldest" (``oldest_recent``): 50 undated items first seen a minute ago
    say nothing of how often the source publishes."""
    recent = float(figures.get("recent", 0.0))
    oldest = figures.get("oldest_recent")
    since_oldest = now - datetime.fromtimestamp(oldest, UTC) if oldest is not None else None
    if since_oldest is None or since_oldest >= WEEK * WEEKS_OF_ARTICLES or recent < 2:
        return recent / WEEKS_OF_ARTICLES
    return (recent - 1) / (max(since_oldest, timedelta(days=1)) / WEEK)  # gaps between them


def _feed_size_and_overflows(log: Sequence[FetchLogEntry]) -> tuple[float, int, int]:
    """The median number of items the feed lists, how many counted fetches found every item
    new, and how many recent fetches were counted (the oldest successful one never is)."""
    fetched = sorted((e for e in log if e.outcome in _SUCCESSES), key=lambda e: e.at)
    listed = [e.seen_items for e in fetched if e.outcome != "not_modified"]
    kept = float(statistics.median(listed)) if listed else 0.0
    counted = fetched[1:][-RECENT_FETCHES:]
    overflows = sum(1 for e in counted if e.new_items == e.seen_items >= FULL_FEED_MIN_ITEMS)
    return kept, overflows, len(counted)


def _followed_for(log: Sequence[FetchLogEntry]) -> timedelta:
    """How long the fetch log shows the source followed: from its oldest entry to its newest;
    as good as forever when the log says nothing (empty) or is cut (LOG_WINDOW entries)."""
    if not log or len(log) >= LOG_WINDOW:
        return timedelta.max
    moments = [entry.at for entry in log]
    return max(moments) - min(moments)


def _longest_at_most(limit: timedelta) -> str:
    """The longest usual period not above ``limit`` (5m at least)."""
    return max((p for p in PERIODS if p[1] <= limit), key=lambda p: p[1], default=PERIODS[0])[0]


def _closest(interval: timedelta) -> str:
    return min(PERIODS, key=lambda p: abs(p[1] / interval - 1))[0]
