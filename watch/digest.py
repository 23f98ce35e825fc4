"""The weekly digest: gather → build → render, as pure functions over data passed in.

This module owns what a digest contains and how it reads, not how it is sent or stored:

``build_digest`` turns one ISO week of stored articles, the sources' states and the week's
trends into a ``Digest`` (overview, the team's picks — articles starred on the board — first,
then per-topic top stories one per cluster, emerging terms,
source health, board link; each story's own address on the board, ``watch.board_address``;
sources shown by their ``label:``; the days covered and the story dates in ``digest.timezone``;
links without their tracking parameters; a story's ``lang`` when not the digest's).  Rendering it (HTML,
text, Markdown, the e-mail) is ``watch.digest_render``.  Every word the digest writes itself comes from the table of
``digest.language`` (``watch.digest_lang``: en, fr, de), given to the templates as ``w``.
Reading the store lives in ``watch.digest_job``; SMTP in ``watch.mailer``.

Safety: every feed-supplied string is cleaned of control characters (no CR/LF reaches a header
or breaks a line), HTML output is escaped by Jinja2's autoescape, Markdown output escapes its
syntax characters, and only http/https URLs ever become links (a note's, ``linkify``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from watch.board_address import article_address
from watch.config import WatchConfig
from watch.digest_lang import ENGLISH, DigestLanguage, digest_language
from watch.digest_words import (
    SourceHealthItem,
    also_covered,
    clean_line,
    note_lines,
    overview_words,
    safe_url,
    source_health,
    story_link,
    story_title,
    summary_line,
    topic_labels,
    week_period,
    why_line,
)
from watch.health import SourceNotes
from watch.models import FetchLogEntry, SourceState, StoredArticle, TermTrend, TrendReport
from watch.store.base import MAX_NOTE

MAX_EMERGING = 10
MAX_HEALTH = 8
"""Source-health lines in the mail (the worst first); the others are counted: decision-makers
read it, the board's Sources page has the full list."""
MAX_PICKS = 15
FAILED = ("error", "gone")
"""A source's status, or an attempt's outcome, that counts it as failing in the overview."""
PICKS_TOPIC = "picks"
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


@dataclass
class DigestStory:
    """One story of a section: the best article of its cluster, and why it is there."""

    article: StoredArticle
    why: str
    also_covered_by: list[str] = field(default_factory=list)
    """The labels of the other sources carrying the story (``WatchConfig.source_label``)."""
    source_label: str = ""
    """The label of the article's source; its name when empty."""
    timezone: str = "UTC"
    """The readers' time zone (``digest.timezone``): dates are the days they lived."""
    summary: str = ""
    """The start of the article's text ("" when it only repeats the title)."""
    note: str = ""
    """The team's note on a pick, all of it (``MAX_NOTE``), its lines kept (``note_lines``)."""
    language: DigestLanguage = ENGLISH
    """The words of ``digest.language`` (``watch.digest_lang``)."""
    year: int = 0
    """The digest's year: a story of another year shows its year (in words, not ISO dates)."""
    board_link: str | None = None
    """The article on the board (``watch.board_address``); None without ``digest.board_url``."""

    @property
    def title(self) -> str:
        return story_title(self.article.title, self.language)

    @property
    def note_lines(self) -> list[str]:
        """The note's lines as the team wrote them (bullets, line breaks), each one clean."""
        return note_lines(self.note, MAX_NOTE)

    @property
    def link(self) -> str | None:
        """The article URL, tracking parameters removed, when it is a safe http(s) link, else
        None (render as text)."""
        return story_link(self.article.url)

    @property
    def date(self) -> str:
        published = self.article.published
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        local = published.astimezone(ZoneInfo(self.timezone))
        return self.language.story_date(local.date(), local.strftime("%Y-%m-%d"), self.year)

    @property
    def source(self) -> str:
        """What people read for the article's source: its label, else its name."""
        return clean_line(self.source_label or self.article.source)

    @property
    def lang(self) -> str | None:
        """The ``lang`` of the story's title and summary (``own_language``)."""
        return own_language(self.article, self.language)


def own_language(article: StoredArticle, language: DigestLanguage) -> str | None:
    """The article's language as stored when it is not ``language``'s, for the ``lang`` of its
    title and summary (WCAG 3.1.2); None when the same, unknown or not a language tag."""
    tag = article.language or ""
    if not _LANGUAGE_TAG.fullmatch(tag):
        return None
    return None if tag.partition("-")[0].casefold() == language.code.casefold() else tag


@dataclass
class DigestSection:
    """One topic of the digest with its top stories."""

    topic: str
    label: str
    stories: list[DigestStory] = field(default_factory=list)


@dataclass
class Digest:
    """Everything a week's digest says, ready to render."""

    watch_name: str
    week: str
    subject: str
    overview: dict[str, Any]
    sections: list[DigestSection]
    emerging: list[TermTrend]
    health: list[SourceHealthItem]
    board_url: str | None
    language: DigestLanguage = ENGLISH
    health_more: int = 0
    """Sources needing attention beyond the MAX_HEALTH worst ones ``health`` lists."""
    leave_out: frozenset[str] = frozenset()
    """Parts the readers do not get (``digest.leave_out``: "why", "trends", "health")."""

    def shows(self, part: str) -> bool:
        """Whether the digest has ``part`` ("why", "trends", "health")."""
        return part not in self.leave_out

    @property
    def story_count(self) -> int:
        return sum(len(section.stories) for section in self.sections)

    @property
    def period(self) -> str:
        """The days the digest covers: "16–22 Nov 2026"."""
        return week_period(self.week, self.language)

    def title(self, name: str) -> str:
        """The subject's words, with ``name`` as the rendering needs it (Markdown-escaped)."""
        return self._say_week("subject", name=name)

    @property
    def heading(self) -> str:
        """The line under the watch's name: "Weekly digest — 16–22 Nov 2026 (2026-W47)"."""
        return self._say_week("heading")

    @property
    def overview_line(self) -> str:
        """How much was read: "6 articles collected (5 distinct stories) from 4 sources; …"."""
        return overview_words(self.overview, self.language)

    def _say_week(self, phrase: str, **values: str) -> str:
        span = week_period(self.week, self.language, "span")
        number = int(self.week.rpartition("W")[2])
        return self.language.say(
            phrase, period=self.period, span=span, week=self.week, week_number=number, **values
        )


# -- build -----------------------------------------------------------------------------------


def build_digest(
    *,
    config: WatchConfig,
    week: str,
    articles: Sequence[StoredArticle],
    source_states: Sequence[SourceState],
    trends: TrendReport,
    now: datetime,
    article_count: int | None = None,
    picks: Sequence[StoredArticle] = (),
    source_notes: SourceNotes | None = None,
    down_voted: Sequence[StoredArticle] = (),
    week_attempts: Sequence[FetchLogEntry] | None = None,
) -> Digest:
    """Build the digest of ISO ``week`` from its articles (any order; clusters are deduplicated).

    ``article_count`` is the number of articles collected in the week when ``articles`` holds
    only one per cluster (the store's count); by default ``len(articles)``.  ``picks`` (the
    week's starred articles) open the digest in a section of their own, whatever their topic
    or score; their stories do not appear again under a topic.  A story down-voted (an article
    of its cluster, in ``articles`` or ``down_voted``, has a 👎) is not worth reading: it is left
    out, unless the team picked it; the overview counts it as collected, not in its top topics.
    ``week_attempts`` (the fetch log of the week) says which sources were consulted in the week
    and which of them failed (their last attempt of the week); without it, the sources' states
    (every source ever attempted, failing now) stand for the week.
    """
    name = clean_line(config.name) or "watch"
    best = _best_per_cluster(articles)
    picked = _best_per_cluster(picks)[:MAX_PICKS]
    taken = {_cluster_key(article) for article in picked}
    disliked = {_cluster_key(a) for a in (*articles, *down_voted) if a.vote < 0} - taken
    worth = [article for article in best if _cluster_key(article) not in disliked]
    sections = _picks_section(config, picked, week) + _build_sections(
        config, [article for article in worth if _cluster_key(article) not in taken], week
    )
    health = source_health(config, source_states, now, source_notes)  # the worst first
    leave_out = frozenset(config.digest.leave_out)
    digest = Digest(
        watch_name=name,
        week=week,
        subject="",
        overview=_overview(
            config, articles, (best, worth), _consulted(source_states, week_attempts), article_count
        ),
        sections=sections,
        emerging=[] if "trends" in leave_out else list(trends.emerging[:MAX_EMERGING]),
        health=[] if "health" in leave_out else health[:MAX_HEALTH],
        board_url=safe_url(config.digest.board_url),
        language=digest_language(config.digest.language),
        health_more=0 if "health" in leave_out else max(0, len(health) - MAX_HEALTH),
        leave_out=leave_out,
    )
    digest.subject = clean_line(digest.title(name))
    return digest


def _rank_key(article: StoredArticle) -> tuple[float, float, int]:
    return (-article.score, -article.published.timestamp(), article.id)


def _cluster_key(article: StoredArticle) -> object:
    return article.cluster_id if article.cluster_id is not None else ("id", article.id)


def _best_per_cluster(articles: Sequence[StoredArticle]) -> list[StoredArticle]:
    """The best-scored article of each cluster (unclustered articles stand alone), ranked."""
    best: dict[object, StoredArticle] = {}
    for article in articles:
        key = _cluster_key(article)
        kept = best.get(key)
        if kept is None or _rank_key(article) < _rank_key(kept):
            best[key] = article
    return sorted(best.values(), key=_rank_key)


def _digest_topics(config: WatchConfig) -> list[tuple[str, str]]:
    labels = topic_labels(config)
    names = config.digest.topics or tuple(labels)
    return [(name, labels.get(name, name)) for name in names]


def _main_topic(article: StoredArticle, wanted: set[str]) -> str | None:
    """The topic of ``article`` among ``wanted`` with the highest confidence."""
    candidates = [match for match in article.topics if match.name in wanted]
    if not candidates:
        return None
    return max(candidates, key=lambda match: match.confidence).name


def _build_sections(
    config: WatchConfig, ranked: Sequence[StoredArticle], week: str
) -> list[DigestSection]:
    """Per topic the top stories; each cluster appears once, under its most confident topic
    that still has room (a security story also about cloud fills the cloud section once the
    security one is full, never pushing a topic out of the digest)."""
    topics = _digest_topics(config)
    per_topic = config.digest.stories_per_topic
    sections = {name: DigestSection(topic=name, label=clean_line(label)) for name, label in topics}
    open_topics = set(sections)
    for article in ranked:
        topic = _main_topic(article, open_topics)
        if topic is None:
            continue
        stories = sections[topic].stories
        stories.append(_story(config, article, (topic, sections[topic].label), week))
        if len(stories) >= per_topic:
            open_topics.discard(topic)
            if not open_topics:
                break
    return [sections[name] for name, _ in topics if sections[name].stories]


def _picks_section(
    config: WatchConfig, picked: Sequence[StoredArticle], week: str
) -> list[DigestSection]:
    """The team's picks, each said why in the words of its most confident topic."""
    if not picked:
        return []
    words = digest_language(config.digest.language)
    labels = dict(_digest_topics(config)) | topic_labels(config)
    section = DigestSection(topic=PICKS_TOPIC, label=words.say("picks"))
    for article in picked:
        topic = _main_topic(article, set(labels)) or ""
        story = _story(config, article, (topic, clean_line(labels.get(topic, ""))), week)
        why = [words.say("starred"), story.why] if story.why else [words.say("starred")]
        story.why = words.say("semicolon").join(why)
        story.note = "\n".join(note_lines(article.note, MAX_NOTE))
        section.stories.append(story)
    return [section]


def _story(
    config: WatchConfig, article: StoredArticle, topic: tuple[str, str], week: str
) -> DigestStory:
    """The story of ``article`` in the section of ``topic`` (name, label), its sources shown
    by their labels, in the digest's language."""
    language = digest_language(config.digest.language)
    return DigestStory(
        article=article,
        why=why_line(article, *topic, language),
        summary=summary_line(article),
        also_covered_by=also_covered(config, article),
        source_label=config.source_label(article.source),
        timezone=config.digest.timezone,
        language=language,
        year=int(week[:4]),
        board_link=article_address(config.digest.board_url, article.id),
    )


def _overview(
    config: WatchConfig,
    articles: Sequence[StoredArticle],
    stories: tuple[Sequence[StoredArticle], Sequence[StoredArticle]],
    consulted: dict[str, bool],
    article_count: int | None,
) -> dict[str, Any]:
    """The week's counts; ``stories``: collected, and worth reading (the top topics');
    ``consulted``: whether each source consulted failed."""
    labels = {name: clean_line(label) for name, label in _digest_topics(config)}
    ranked, worth = stories
    counts: Counter[str] = Counter()
    for article in worth:
        for name in {match.name for match in article.topics} & labels.keys():
            counts[name] += 1
    publishing = {article.source for article in articles}
    publishing.update(*(article.cluster_sources for article in ranked))
    enabled = {source.name for source in config.sources if source.enabled}
    failed = [failing for name, failing in consulted.items() if name in enabled]
    return {
        "articles": len(articles) if article_count is None else article_count,
        "stories": len(ranked),
        "sources_consulted": len(failed),
        "sources_failing": sum(failed),
        "sources_enabled": len(enabled),
        "sources_publishing": len(publishing),
        "top_topics": [(labels[name], counts[name]) for name in _top_three(counts, list(labels))],
    }


def _consulted(
    states: Sequence[SourceState], attempts: Sequence[FetchLogEntry] | None
) -> dict[str, bool]:
    """Each source consulted → whether it failed: its last attempt of the week (``attempts``),
    or without them its state now (for every source ever attempted)."""
    if attempts is None:
        return {s.name: s.status in FAILED for s in states if s.last_attempt or s.last_success}
    last: dict[str, FetchLogEntry] = {}
    for entry in sorted(attempts, key=lambda entry: entry.at):
        last[entry.source] = entry
    return {name: entry.outcome in FAILED for name, entry in last.items()}


def _top_three(counts: Counter[str], order: list[str]) -> list[str]:
    """The three most counted topics; a tie goes to the one listed first in sources.yaml."""
    return sorted(counts, key=lambda name: (-counts[name], order.index(name)))[:3]
