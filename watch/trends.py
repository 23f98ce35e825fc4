"""Weekly trends: per-topic volumes, emerging terms and entities, growing and fading topics.

This module owns what "moved" in one ISO week compared with the ``weeks_back`` weeks before it.
Counts are document frequencies (an article mentions a term or not).  Terms are unigrams and
bigrams of the title, and unigrams of the text's lead with half the weight, with English and French stop
words removed; entities are CVE ids, product names with a version ("Firefox 131") and
capitalized multi-word names ("Rust Foundation").  No model and no network: the board and the
digest call ``weekly_trends`` with articles they already hold.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from watch.models import TermTrend, TrendReport

OFF_TOPIC = "off-topic"
TEXT_WEIGHT = 0.5
LEAD_CHARS = 200
EXAMPLES = 5
WEEK = timedelta(days=7)

_WEEK_NAME = re.compile(r"^(\d{4})-W(\d{2})$")
_CVE = re.compile(r"\bCVE-\d{4}-\d{4,7}\b", re.IGNORECASE)
_VERSION = re.compile(r"^\d+(?:\.\d+){0,3}$")
_PUNCTUATION = "\"'“”‘’«»()[]{}<>.,;:!?…|/\\*_~`"
_LEAD_TABLE = str.maketrans(dict.fromkeys(_PUNCTUATION, " "))
_BREAKS = ',;:!?.…)]}"”»|'
_STOP_WORDS_TEXT = """a about above after again against all also am an and any are aren't as
    at be because been before being below between both but by can cannot could did do does
    doing down during each even ever every few for from further get gets got had has have
    having he her here hers him his how however i if in into is isn't it it's its itself just
    last like made make makes many may me more most much must my new next no nor not now of
    off on once one only or other our ours out over own per really said same says see she
    should since so some still such than that that's the their theirs them then there these
    they this those through to too two under until up upon us use used using very via want
    was way we week well were what when where which while who whom why will with within
    without would year years yet you your yours
    à afin ai aie alors au aucun aussi autre aux avec avoir avant bien c ça car ce ceci cela
    celle celles celui ces cet cette ceux chaque chez ci comme comment d dans de depuis des
    deux doit donc dont du elle elles en encore entre est et été être eu fait faire faut il
    ils j je jusqu l la le les leur leurs lors lui m ma mais me même mes moins mon n ne ni
    nos notre nous on ont ou où par parce pas peu peut plus pour pourquoi qu quand que quel
    quelle quelles quels qui s sa sans se selon ses si sien son sont sous sur t ta tandis te
    tes toi ton tous tout toute toutes très tu un une vers via vos votre vous y"""
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@dataclass
class TrendInput:
    """What trends need of one article."""

    id: int
    published: datetime
    topics: tuple[str, ...]
    title: str
    text: str


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso_week(dt: datetime) -> str:
    """ISO week of a datetime (naive means UTC), like ``"2026-W47"``."""
    year, week, _ = _utc(dt).isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(week: str) -> tuple[datetime, datetime]:
    """``[Monday 00:00 UTC, next Monday)`` of an ISO week name (ValueError when malformed)."""
    match = _WEEK_NAME.match(week)
    if not match:
        raise ValueError(f"{week!r} is not an ISO week like 2026-W47")
    start = datetime.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    start = start.replace(tzinfo=UTC)
    return start, start + WEEK


def _tokens(text: str) -> list[str]:
    """Whitespace tokens with surrounding punctuation removed (a trailing one is kept as a
    break marker: ``"Rust,"`` -> ``"Rust"`` then ``""``)."""
    tokens: list[str] = []
    for raw in text.split():
        token = raw.strip(_PUNCTUATION)
        if token:
            tokens.append(token.removesuffix("'s").removesuffix("’s"))
        if not token or raw[-1] in _BREAKS:
            tokens.append("")
    return tokens


def _lead_words(text: str) -> set[str]:
    """Words of the lead of the text, punctuation removed (all in C: stop words and numbers are
    left in and skipped once per distinct word by ``_is_term``)."""
    return set(text.casefold().translate(_LEAD_TABLE).split())


def _is_term(key: str) -> bool:
    return len(key) > 1 and key[0].isalpha() and key not in _STOP_WORDS


def _title_terms(tokens: list[str]) -> set[str]:
    """Unigrams and bigrams of the title's content words."""
    stop = _STOP_WORDS
    words = [
        t if len(t) > 1 and t[0].isalpha() and t not in stop else ""
        for t in map(str.casefold, tokens)
    ]
    terms = {w for w in words if w}
    terms.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if a and b)
    return terms


def _title_entities(tokens: list[str]) -> dict[str, str]:
    """Product names with a version ("Firefox 131") and multi-word capitalized names."""
    found: dict[str, str] = {}
    capitals = [t[:1].isupper() for t in tokens]
    if not any(capitals):
        return found
    title_case = sum(capitals) > 0.6 * len(tokens)
    run: list[str] = []
    for token, capital in zip([*tokens, ""], [*capitals, False], strict=True):
        if run and token[:1].isdigit() and _VERSION.match(token):
            shown = f"{' '.join(run[-2:])} {token}"
            found[shown.casefold()] = shown
        if (
            capital
            and token[0].isalpha()
            and not token.isupper()
            and token.casefold() not in _STOP_WORDS
        ):
            run.append(token)
            continue
        if len(run) >= 2 and not title_case:
            found[" ".join(run).casefold()] = " ".join(run)
        run = [token] if capital and len(token) > 1 and token.isupper() else []
    return found


def _cves(text: str) -> dict[str, str]:
    if "cve-" not in text.casefold():
        return {}
    return {cve.casefold(): cve.upper() for cve in _CVE.findall(text)}


@dataclass
class ArticleTerms:
    """Term keys of one article: in its title, in its lead only, and how entities are shown."""

    title: set[str]
    lead: set[str]
    display: dict[str, str]
    """Entity key -> display form ("firefox 131" -> "Firefox 131"); plain words show as is."""


def article_terms(title: str, text: str) -> ArticleTerms:
    """Terms of one article's title, and of its lead (those not already in the title)."""
    tokens = _tokens(title)
    display = _title_entities(tokens)
    display.update(_cves(title))
    in_title = _title_terms(tokens)
    in_title.update(display)
    lead = text[:LEAD_CHARS]
    lead_cves = _cves(lead)
    in_lead = _lead_words(lead)
    in_lead.update(lead_cves)
    display.update(lead_cves)
    return ArticleTerms(title=in_title, lead=in_lead - in_title, display=display)


@dataclass
class _Tally:
    """Document frequencies by week offset (0 = the week asked for), title and lead apart."""

    title: list[Counter[str]]
    lead: list[Counter[str]]
    display: dict[str, str] = field(default_factory=dict)
    this_week: list[tuple[TrendInput, tuple[str, ...], set[str], set[str]]] = field(
        default_factory=list
    )

    def weighted(self, term: str, offset: int) -> float:
        return self.title[offset][term] + TEXT_WEIGHT * self.lead[offset][term]


def _week_offset(published: datetime, target_start: datetime) -> int:
    """0 for the target week, 1 for the week before, …; negative for later weeks."""
    return -((_utc(published) - target_start) // WEEK)


def _tally(
    articles: Iterable[TrendInput], start: datetime, weeks_back: int
) -> tuple[_Tally, dict[str, list[int]]]:
    tally = _Tally(
        title=[Counter() for _ in range(weeks_back + 1)],
        lead=[Counter() for _ in range(weeks_back + 1)],
    )
    volumes: dict[str, list[int]] = defaultdict(lambda: [0] * (weeks_back + 1))
    for article in articles:
        offset = _week_offset(article.published, start)
        if not 0 <= offset <= weeks_back:
            continue
        topics = article.topics or (OFF_TOPIC,)
        for topic in topics:
            volumes[topic][offset] += 1
        terms = article_terms(article.title, article.text)
        tally.title[offset].update(terms.title)
        tally.lead[offset].update(terms.lead)
        if terms.display:
            tally.display.update(terms.display)
        if offset == 0:
            tally.this_week.append((article, topics, terms.title, terms.lead))
    return tally, volumes


def _growth(current: float, previous: float) -> float:
    return (current + 1.0) / (previous + 1.0)


def _emerging(
    tally: _Tally, weeks_back: int, min_count: int, growth: float
) -> list[tuple[float, str, int, float]]:
    """(growth, term, article count, previous average) of every emerging term, best first."""
    found = []
    counts = tally.title[0] + tally.lead[0]
    for term, count in counts.items():
        if count < min_count or not _is_term(term):
            continue
        previous = sum(tally.weighted(term, w) for w in range(1, weeks_back + 1))
        previous /= max(weeks_back, 1)
        ratio = _growth(tally.weighted(term, 0), previous)
        if ratio >= growth:
            found.append((ratio, term, count, previous))
    found.sort(key=lambda item: (-item[0], -item[2], item[1] not in tally.display, item[1]))
    return found


def _describe(tally: _Tally, term: str, count: int, previous: float) -> TermTrend:
    """A TermTrend with its main topic and example ids (title mentions first, newest first)."""
    topics: Counter[str] = Counter()
    in_title, in_lead = [], []
    for article, article_topics, title_terms, lead_terms in tally.this_week:
        if term in title_terms:
            in_title.append(article.id)
        elif term in lead_terms:
            in_lead.append(article.id)
        else:
            continue
        topics.update(article_topics)
    topic = topics.most_common(1)[0][0] if topics else OFF_TOPIC
    return TermTrend(
        term=tally.display.get(term, term),
        count=count,
        previous=round(previous, 2),
        topic=None if topic == OFF_TOPIC else topic,
        example_ids=(sorted(in_title, reverse=True) + sorted(in_lead, reverse=True))[:EXAMPLES],
    )


def _drop_covered_terms(ranked: list[TermTrend], entities: set[str]) -> list[TermTrend]:
    """Drop a plain term when an emerging entity or phrase sharing a word explains most of it:
    "Rust Foundation" makes "rust", "foundation" and "foundation announces" redundant."""
    kept = []
    for trend in ranked:
        key = trend.term.casefold()
        words = set(key.split())
        covered = key not in entities and any(
            other is not trend
            and other.count >= 0.8 * trend.count
            and (other.term.casefold() in entities or (len(words) == 1 and " " in other.term))
            and words & set(other.term.casefold().split())
            for other in ranked
        )
        if not covered:
            kept.append(trend)
    return kept


def _topic_moves(
    volumes: dict[str, list[int]], growth: float, fading: float, min_previous: float
) -> tuple[list[str], list[str]]:
    fading_topics, growing_topics = [], []
    for topic, counts in sorted(volumes.items()):
        previous = sum(counts[1:]) / max(len(counts) - 1, 1)
        if previous >= min_previous and counts[0] < fading * previous:
            fading_topics.append(topic)
        elif counts[0] >= min_previous and _growth(counts[0], previous) >= growth:
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
) -> TrendReport:
    """What moved in ``week`` versus the ``weeks_back`` weeks before it.

    A term emerges when at least ``min_count`` articles mention it this week and its weighted
    count grew by ``growth`` (``(now + 1) / (previous average + 1)``); sorted by growth, then
    count.  A topic fades when its volume falls under ``fading`` × its previous average (which
    must be at least ``min_previous_volume``), and grows by the same rule as terms.  To see one
    topic's terms, pass only that topic's articles.
    """
    start, _ = week_bounds(week)
    tally, volumes = _tally(articles, start, weeks_back)
    ranked = [
        _describe(tally, term, count, previous)
        for _, term, count, previous in _emerging(tally, weeks_back, min_count, growth)[
            : top_terms * 3
        ]
    ]
    fading_topics, growing_topics = _topic_moves(volumes, growth, fading, min_previous_volume)
    weeks = [iso_week(start - offset * WEEK) for offset in range(weeks_back + 1)]
    return TrendReport(
        week=week,
        volumes={
            topic: {weeks[offset]: count for offset, count in enumerate(counts)}
            for topic, counts in sorted(volumes.items())
        },
        emerging=_drop_covered_terms(ranked, set(tally.display))[:top_terms],
        fading_topics=fading_topics,
        growing_topics=growing_topics,
    )
