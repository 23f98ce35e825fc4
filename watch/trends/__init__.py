"""Weekly trends: per-topic volumes, emerging terms and entities, growing and fading topics.

This module owns what "moved" in one ISO week compared with the ``weeks_back`` weeks before it,
and what a week is: ``week_bounds`` and ``iso_week`` give the readers' week (Monday 00:00 to
Monday 00:00 in ``digest.timezone``; UTC by default), the one the digest and the board use too.
An article counts in the week of its publication date.
Term counts are story frequencies (``watch.trends.stories``): a story, an article's cluster or
the article alone when it has none, mentions a term or not, however many sources or feeds of
one site carry it; terms that come from exactly the same stories make one line of the lists
("CVE-2026-1234, faille, OpenSSL"), so one story cannot fill them.  Topic volumes count
articles.  Terms are unigrams and
bigrams of the title, and unigrams of the text's lead with half the weight; entities are CVE
ids, product names with a version ("Firefox 131") and capitalized multi-word names ("Rust
Foundation").  Words are grouped as the classifier compares them (``watch.text``: accents,
ligatures and plurals folded), so "vulnérabilités", "vulnérabilité" and "Vulnerabilite" are
one term, shown in its most frequent written form.

What counts as a term of one article lives in ``watch.trends.terms``.  Noise stays out: stop
words of English and French and of the languages feeds mix in most
(German, Spanish, Portuguese, Italian, Dutch: ``watch.text.OTHER_STOP_WORDS``), weekdays and
months (``CALENDAR``) and feed boilerplate (``BOILERPLATE``: "untitled", "author", "read more")
are never terms; only articles in English, French, German, Spanish, Italian, Dutch,
Portuguese or an unknown language give terms
(``TrendInput.language``, else a guess from their script and stop words), though every article
counts in the volumes.  A hyphenated compound ("post-quantum") is one term.  "off-topic" has a
volume but is never a growing or fading topic.

Emerging terms come as one list for the whole week (``emerging``, each tagged with its main
topic: what the digest shows) and per topic (``by_topic``: from that topic's articles only).
A week not over at ``now`` is compared pro rata: the previous weeks' averages are scaled by the
share of the week gone, and the report says so (``through``).  No model and no network: the
board and the digest call ``weekly_trends`` with articles they already hold.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from watch.models import TermTrend, TrendReport
from watch.store.base import OFF_TOPIC
from watch.trends.stories import (
    Stories,
    StoryKey,
    StoryTerms,
    same_stories_merged,
    story_key,
)
from watch.trends.terms import ArticleTerms, article_terms, counts_terms

TEXT_WEIGHT = 0.5
EXAMPLES = 5
WEEK = timedelta(days=7)
_WEEK_NAME = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass
class TrendInput:
    """What trends need of one article."""

    id: int
    published: datetime
    topics: tuple[str, ...]
    title: str
    text: str
    language: str | None = None
    """Declared or detected language ("en", "fr-CA"); None when unknown (then guessed)."""
    cluster_id: int | None = None
    """The article's story cluster: a term counts once per story (None: the article alone)."""


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso_week(dt: datetime, timezone: str = "UTC") -> str:
    """ISO week of a datetime (naive means UTC) in ``timezone``, like ``"2026-W47"``."""
    year, week, _ = _utc(dt).astimezone(ZoneInfo(timezone)).isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(week: str, timezone: str = "UTC") -> tuple[datetime, datetime]:
    """``[Monday 00:00, next Monday 00:00)`` of an ISO week name in ``timezone`` (the readers'
    week: ``digest.timezone``), as UTC instants; ValueError when the name is malformed."""
    monday = _monday(week)
    return _local_midnight(monday, timezone), _local_midnight(monday + WEEK, timezone)


def _monday(week: str) -> datetime:
    """The (naive) Monday of an ISO week name."""
    match = _WEEK_NAME.match(week)
    if not match:
        raise ValueError(f"{week!r} is not an ISO week like 2026-W47")
    year, number = int(match.group(1)), int(match.group(2))
    try:
        return datetime.fromisocalendar(year, number, 1)
    except ValueError:
        weeks = datetime(year, 12, 28).isocalendar().week if 1 <= year <= 9999 else 0
        raise ValueError(f"{week!r} is not an ISO week: {year} has weeks 01 to {weeks}") from None


def _name(monday: datetime) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _local_midnight(day: datetime, timezone: str) -> datetime:
    return day.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def trend_window(
    week: str, weeks_back: int = 4, timezone: str = "UTC"
) -> tuple[datetime, datetime]:
    """``[start, end)`` of the weeks ``weekly_trends`` compares: the articles it needs are the
    ones published in it."""
    starts = _Weeks.of(week, weeks_back, timezone).starts
    return starts[0], starts[-1]


@dataclass(frozen=True)
class _Weeks:
    """The week asked for and the ``weeks_back`` before it, as local weeks."""

    names: list[str]
    """Week names by offset (0 = the week asked for)."""
    starts: list[datetime]
    """UTC start of each week, oldest first, then the end of the week asked for."""

    @classmethod
    def of(cls, week: str, weeks_back: int, timezone: str) -> _Weeks:
        monday = _monday(week)
        names = [_name(monday - offset * WEEK) for offset in range(weeks_back + 1)]
        mondays = [monday - offset * WEEK for offset in range(weeks_back, -2, -1)]
        return cls(names, [_local_midnight(day, timezone) for day in mondays])

    def offset(self, published: datetime) -> int:
        """0 for the week asked for, 1 for the week before, …; -1 outside these weeks."""
        index = bisect_right(self.starts, _utc(published))
        return len(self.starts) - 1 - index if 0 < index < len(self.starts) else -1


@dataclass
class _Counts:
    """Document frequencies by week offset (0 = the week asked for), title and lead apart."""

    title: list[Counter[str]]
    lead: list[Counter[str]]
    stories: list[int]
    """Stories counted by week offset: how much was said, whatever the words."""

    @classmethod
    def empty(cls, weeks: int) -> _Counts:
        return cls(
            [Counter() for _ in range(weeks)], [Counter() for _ in range(weeks)], [0] * weeks
        )

    def add(self, offset: int, story: StoryTerms) -> None:
        self.title[offset].update(story.title)
        self.lead[offset].update(story.lead)
        self.stories[offset] += 1

    def busier(self, weeks_back: int, share: float) -> float:
        """What the previous weeks' average is multiplied by to be compared with this week: the
        share of the week gone, or how many times more stories this week has, if more."""
        before = sum(self.stories[1 : weeks_back + 1]) / max(weeks_back, 1)
        return max(share, self.stories[0] / before) if before else share

    def weighted(self, term: str, offset: int) -> float:
        return self.title[offset][term] + TEXT_WEIGHT * self.lead[offset][term]


_Mention = tuple[TrendInput, tuple[str, ...], ArticleTerms]
"""An article of the week asked for, its topics ("off-topic" when none) and its terms."""


@dataclass
class _Week:
    """What one week's trends are computed from."""

    all: _Counts
    topics: dict[str, _Counts]
    volumes: dict[str, list[int]]
    display: dict[str, str] = field(default_factory=dict)
    this_week: dict[str | None, list[_Mention]] = field(default_factory=lambda: {None: []})
    """The week's articles (``None``) and each topic's, with their terms."""

    def shown(self, key: str, mentions: list[_Mention]) -> str:
        """An entity's display form, else the term's most frequent written form in the
        articles that mention it (accented, then shorter, on a tie)."""
        if key in self.display:
            return self.display[key]
        forms = Counter(form for _, _, found in mentions if (form := found.written(key)))
        if not forms:
            return key
        return max(forms, key=lambda f: (forms[f], not f.isascii(), -len(f), f))

    def stories_of(self, keys: Iterable[str], topic: str | None) -> dict[str, frozenset[StoryKey]]:
        """The stories of the week (of ``topic`` when given) that mention each term key."""
        mentions = self.this_week.get(topic, [])
        return {
            key: frozenset(
                story_key(article.cluster_id, article.id)
                for article, _, found in mentions
                if key in found.title or key in found.lead
            )
            for key in keys
        }


def _count(articles: Iterable[TrendInput], calendar: _Weeks) -> _Week:
    weeks = len(calendar.names)
    week = _Week(_Counts.empty(weeks), {}, defaultdict(lambda: [0] * weeks))
    stories = Stories()
    for article in articles:
        offset = calendar.offset(article.published)
        if offset < 0:
            continue
        topics = article.topics or (OFF_TOPIC,)
        for topic in topics:
            week.volumes[topic][offset] += 1
        if not counts_terms(article.title, article.text, article.language):
            continue
        found = article_terms(article.title, article.text)
        week.display.update(found.display)
        if offset == 0:
            for name in (None, *article.topics):
                week.this_week.setdefault(name, []).append((article, topics, found))
        alone = stories.add(offset, article.cluster_id, article.topics, found)
        if alone is not None:
            _add_story(week, offset, alone)
    for offset, story in stories.gathered():
        _add_story(week, offset, story)
    return week


def _add_story(week: _Week, offset: int, story: StoryTerms) -> None:
    """Count a story's terms once in the week, and once in each of its articles' topics."""
    week.all.add(offset, story)
    for topic in story.topics:
        if topic not in week.topics:
            week.topics[topic] = _Counts.empty(len(week.all.title))
        week.topics[topic].add(offset, story)


def _growth(current: float, previous: float) -> float:
    return (current + 1.0) / (previous + 1.0)


def _emerging(
    counts: _Counts, weeks_back: int, min_count: int, growth: float, share: float, week: _Week
) -> list[tuple[str, int, float]]:
    """(term, story count, previous weekly average) of every emerging term, best first (then
    by count, entities first); the previous weeks are scaled by ``share`` (of the week gone),
    or by how much busier this week is: a word said as often as before, in proportion, does not
    emerge because more was said ("type", "lists" in a week of new sources)."""
    found = []
    scale = counts.busier(weeks_back, share)
    for term, count in (counts.title[0] + counts.lead[0]).items():
        if count < min_count:
            continue
        previous = sum(counts.weighted(term, w) for w in range(1, weeks_back + 1))
        previous /= max(weeks_back, 1)
        ratio = _growth(counts.weighted(term, 0), previous * scale)
        if ratio >= growth:
            found.append((-ratio, -count, term not in week.display, term, previous))
    found.sort()
    return [(term, -count, previous) for _, count, _, term, previous in found]


def _describe(week: _Week, term: str, count: int, previous: float, topic: str | None) -> TermTrend:
    """A TermTrend with its main topic (``topic`` when given) and example ids (title mentions
    first, newest first, among ``topic``'s articles when given)."""
    articles = week.this_week.get(topic, [])
    in_title = [mention for mention in articles if term in mention[2].title]
    in_lead = [mention for mention in articles if term in mention[2].lead]
    topics = Counter(name for _, names, _ in in_title + in_lead for name in names)
    main = topic or (topics.most_common(1)[0][0] if topics else OFF_TOPIC)
    examples = sorted((a.id for a, _, _ in in_title), reverse=True)
    examples += sorted((a.id for a, _, _ in in_lead), reverse=True)
    return TermTrend(
        term=week.shown(term, in_title + in_lead),
        count=count,
        previous=round(previous, 2),
        topic=None if main == OFF_TOPIC else main,
        example_ids=examples[:EXAMPLES],
    )


def _drop_covered_terms(
    ranked: list[tuple[str, TermTrend]], entities: set[str]
) -> list[tuple[str, TermTrend]]:
    """Drop a plain term when an emerging entity or phrase sharing a word explains most of it:
    "Rust Foundation" makes "rust", "foundation" and "foundation announces" redundant."""
    kept = []
    for key, trend in ranked:
        words = set(key.split())
        covered = key not in entities and any(
            other_key != key
            and other.count >= 0.8 * trend.count
            and (other_key in entities or (len(words) == 1 and " " in other_key))
            and words & set(other_key.split())
            for other_key, other in ranked
        )
        if not covered:
            kept.append((key, trend))
    return kept


def _topic_moves(
    volumes: dict[str, list[int]], growth: float, fading: float, floor: float, share: float
) -> tuple[list[str], list[str]]:
    """Fading and growing topics ("off-topic" is neither); ``share`` as in ``_emerging``."""
    fading_topics, growing_topics = [], []
    for topic, counts in sorted(volumes.items()):
        expected = share * sum(counts[1:]) / max(len(counts) - 1, 1)
        if topic == OFF_TOPIC:
            continue
        if expected >= floor and counts[0] < fading * expected:
            fading_topics.append(topic)
        elif counts[0] >= floor and _growth(counts[0], expected) >= growth:
            growing_topics.append(topic)
    return fading_topics, growing_topics


def weekly_trends(
    articles: Iterable[TrendInput],
    week: str,
    weeks_back: int = 4,
    top_terms: int = 15,
    *,
    min_count: int = 3,
    growth: float = 2.0,
    fading: float = 0.5,
    min_previous_volume: float = 3.0,
    now: datetime | None = None,
    timezone: str = "UTC",
) -> TrendReport:
    """What moved in ``week`` versus the ``weeks_back`` weeks before it.

    A term emerges when at least ``min_count`` stories mention it this week and its weighted
    count grew by ``growth`` (``(now + 1) / (previous average + 1)``); sorted by growth, then
    count; terms from the same stories make one line; ``top_terms`` lines for the week and as
    many per topic.  A topic fades when its volume
    falls under ``fading`` × its previous average (which must be at least
    ``min_previous_volume``), and grows by the same rule as terms.  A week not over at ``now``
    (default: the clock) is compared with the previous averages scaled pro rata.  Weeks run
    from Monday 00:00 to Monday 00:00 in ``timezone`` (the readers' week, ``digest.timezone``).
    """
    calendar = _Weeks.of(week, weeks_back, timezone)
    start, end = calendar.starts[-2:]
    moment = datetime.now(UTC) if now is None else _utc(now)
    share = 1.0 if moment >= end else max((moment - start) / (end - start), 1 / (7 * 24))
    counted = _count(articles, calendar)

    def ranked(counts: _Counts, topic: str | None) -> list[TermTrend]:
        found = _emerging(counts, weeks_back, min_count, growth, share, counted)[: top_terms * 3]
        described = [(t, _describe(counted, t, n, p, topic)) for t, n, p in found]
        kept = _drop_covered_terms(described, set(counted.display))
        stories = counted.stories_of((key for key, _ in kept), topic)
        return same_stories_merged(kept, stories)[:top_terms]

    moves = _topic_moves(counted.volumes, growth, fading, min_previous_volume, share)
    return TrendReport(
        week=week,
        volumes={
            topic: {calendar.names[offset]: count for offset, count in enumerate(counts)}
            for topic, counts in sorted(counted.volumes.items())
        },
        emerging=ranked(counted.all, None),
        fading_topics=moves[0],
        growing_topics=moves[1],
        by_topic={topic: ranked(counted.topics[topic], topic) for topic in sorted(counted.topics)},
        through=None if share == 1.0 else moment,
    )
