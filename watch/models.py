"""Data that travels between stages, named for where it comes from and goes to.

``FetchResult`` (from the network) → ``ParsedFeed``/``ParsedEntry`` (from the document) →
``Article`` (normalized, to storage) → ``StoredArticle`` (from storage, with its id, the user's
flags and its classification).  ``SourceState`` is what storage remembers about a source between
passes.  Plain dataclasses: no behaviour beyond small derived properties.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from watch.teaser import summary_and_lead

FetchStatus = Literal["ok", "not_modified", "error", "gone"]
SourceStatus = Literal["new", "ok", "error", "gone", "disabled"]


@dataclass
class FetchResult:
    """What one HTTP exchange gave for a source (after redirects)."""

    url: str
    status: FetchStatus
    http_status: int | None = None
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    retry_after: float | None = None
    """Seconds the server asked us to wait (Retry-After), already capped."""
    elapsed: float = 0.0
    final_url: str | None = None


@dataclass
class ParsedEntry:
    """One item as the document gives it, before normalization (links may be relative)."""

    guid: str | None = None
    link: str | None = None
    title: str | None = None
    summary: str | None = None
    """HTML or text as found (content preferred over description when longer)."""
    author: str | None = None
    published: datetime | None = None
    """Aware datetime when the document gave a parseable date, else None."""
    published_relative: bool = False
    """The date was counted from the fetch ("il y a 2 heures", "hier", "3 mars"): a later
    fetch reads it less precisely, so the first reading is kept."""
    updated: datetime | None = None
    language: str | None = None
    base_url: str | None = None
    """xml:base in force for this entry, when the document set one."""


@dataclass
class ParsedFeed:
    """A document understood as a feed (or a page through selectors)."""

    format: str
    """rss20, rss10, rss09x, atom10, atom03, json, page, …"""
    title: str | None = None
    link: str | None = None
    language: str | None = None
    entries: list[ParsedEntry] = field(default_factory=list)
    parser: str = ""
    """Which parser produced it: fast, feedparser, json, page."""
    warnings: list[str] = field(default_factory=list)


@dataclass
class TopicMatch:
    """One topic an article is about, with the classifier's confidence and its reasons."""

    name: str
    confidence: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class Article:
    """A normalized article, ready to store. Identity is (source, guid)."""

    source: str
    guid: str
    url: str
    canonical_url: str
    title: str
    summary_html: str
    summary_text: str
    author: str | None
    published: datetime
    """UTC; the first-seen time when the feed's date was missing or absurd."""
    fetched_at: datetime
    language: str | None = None
    date_from_feed: bool = True
    date_relative: bool = False
    """Counted from the fetch (a page's "il y a 2 heures"): never overwrites a stored date.
    Not stored; ``watch.store`` reads it when an article is seen again."""
    topics: list[TopicMatch] = field(default_factory=list)
    score: float = 0.0
    score_parts: dict[str, float] = field(default_factory=dict)
    explanation: list[str] = field(default_factory=list)
    cluster_id: int | None = None
    text_lead: str = ""
    """The start of the article's text read from its page (``full_text:`` sources; at most
    ``TEXT_LEAD_MAX`` characters, cut at a word); "" until one was read."""

    @property
    def text_for_topics(self) -> str:
        """What the classifier reads besides the title: the feed's summary, then the start of
        the page's text, once when one is the start of the other (feeds often give the first
        paragraph as summary, cut: "… […]", "Read more"): ``watch.teaser.summary_and_lead``."""
        return summary_and_lead(self.summary_text, self.text_lead)


TEXT_LEAD_MAX = 1000
"""Characters of an article's page text kept beside the article (``Article.text_lead``)."""


@dataclass
class ArticleText:
    """The text of an article read from its page (``watch.full_text``), or why none was."""

    article_id: int
    html: str = ""
    """Sanitized (``watch.normalize.sanitize_html``), links absolute."""
    text: str = ""
    """Plain, paragraphs separated by blank lines."""
    fetched_at: datetime | None = None
    error: str | None = None
    """Why the page gave no text ("HTTP 404 Not Found", "no article text found"); None when
    it did."""
    attempts: int = 0
    """How many passes tried the page (as stored; since its ``full_text`` setting changed)."""
    final: bool = False
    """The failure is the page's own answer (robots.txt, not HTML, no more text than the
    feed's…): reading it again would give the same, so it is not tried again."""
    made_with: str = "auto"
    """The source's ``full_text`` setting it was read with: "auto" (``true``) or the CSS
    selector; a text made with another setting is read again."""

    @property
    def lead(self) -> str:
        """The start of the text kept beside its article (``Article.text_lead``): the first
        ``TEXT_LEAD_MAX`` characters, cut at a word (the whole text when shorter)."""
        text, limit = self.text, TEXT_LEAD_MAX
        if len(text) <= limit:
            return text.strip()
        cut = text[: limit + 1]
        end = max(cut.rfind(" "), cut.rfind("\n"))
        return (cut[:end] if end > limit // 2 else text[:limit]).rstrip()


@dataclass
class StoredArticle(Article):
    """An article read back from storage."""

    id: int = 0
    read: bool = False
    starred: bool = False
    starred_at: datetime | None = None
    """When it was starred (picked for that week's digest); None for stars older than that."""
    note: str = ""
    """The team's note on it, for the digest's readers."""
    vote: int = 0
    """+1, -1 or 0 from the user's thumbs."""
    cluster_size: int = 1
    cluster_sources: list[str] = field(default_factory=list)


def story_key(article: StoredArticle) -> int:
    """The story an article belongs to: its cluster, or itself (``-id``) when alone."""
    return article.cluster_id if article.cluster_id is not None else -article.id


@dataclass
class SourceState:
    """What storage remembers about one source."""

    name: str
    status: SourceStatus = "new"
    etag: str | None = None
    last_modified: str | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    error_count: int = 0
    next_due: datetime | None = None
    items_seen: int = 0
    last_new: int = 0
    url: str | None = None
    """The URL fetched last (a discovered feed URL for an HTML page)."""
    empty_selector: bool = False
    """A page source whose selectors read no item on its last read (recorded as its error)."""
    title: str | None = None
    """The feed's own title, as it names itself (from its last successful read)."""
    home_url: str | None = None
    """The site the feed belongs to (the feed's ``<link>``; a page source's own URL)."""


@dataclass
class FetchLogEntry:
    """One attempt on one source, for the health view (bounded per source)."""

    source: str
    at: datetime
    outcome: Literal["new", "unchanged", "not_modified", "error", "gone"]
    http_status: int | None = None
    new_items: int = 0
    seen_items: int = 0
    duration: float = 0.0
    error: str | None = None


VOTES = {"up": 1, "down": -1, "unvote": 0}
"""The article's ``vote`` each vote feedback leaves (0: none, taken back)."""
FEEDBACK_REASON = "your feedback: about "
"""How a topic's reason starts when the team said the article is about it ("… security")."""


@dataclass
class Feedback:
    """A user's judgement on an article."""

    article_id: int
    kind: Literal["up", "down", "unvote", "not_topic", "also_topic"]
    """A 👍/👎 vote, "unvote" (the article's vote taken back), or a topic correction."""
    topic: str | None = None
    at: datetime | None = None
    id: int = 0
    topics: tuple[str, ...] | None = None
    """For a vote: the article's topics when it was given (the store records them)."""


@dataclass
class UpsertResult:
    """How many stored articles were new and how many were updated, with their ids."""

    new: int = 0
    updated: int = 0
    new_ids: list[int] = field(default_factory=list)
    """Ids of the inserted articles, in the order of the input batch."""
    updated_ids: list[int] = field(default_factory=list)
    new_by_source: dict[str, int] = field(default_factory=dict)
    updated_by_source: dict[str, int] = field(default_factory=dict)
    new_articles: list[Article] = field(default_factory=list)
    """The input articles that were inserted, aligned with ``new_ids``."""


@dataclass
class TermTrend:
    """A term or entity whose weekly count grew (or appeared) versus the previous weeks."""

    term: str
    count: int
    """Stories mentioning it in the week (a cluster of articles counts once)."""
    previous: float
    """Average weekly count over the previous weeks (0 when new)."""
    topic: str | None = None
    example_ids: list[int] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    """Every term of the line, best first, when several come from exactly the same stories
    (``term`` names the first three: "CVE-2026-1234, faille, OpenSSL")."""


@dataclass
class TrendReport:
    """What moved in one ISO week ("2026-W47") compared with the weeks before it."""

    week: str
    volumes: dict[str, dict[str, int]] = field(default_factory=dict)
    """topic (or "off-topic") -> ISO week -> article count, for the week and the ones before."""
    emerging: list[TermTrend] = field(default_factory=list)
    """The week's emerging terms, each tagged with its main topic (what the digest shows)."""
    fading_topics: list[str] = field(default_factory=list)
    growing_topics: list[str] = field(default_factory=list)
    by_topic: dict[str, list[TermTrend]] = field(default_factory=dict)
    """Topic -> terms emerging among that topic's articles (every topic of the week's
    articles, "off-topic" excluded; an empty list when nothing stands out)."""
    through: datetime | None = None
    """When the week is not over: the moment counted up to (comparisons are pro rata)."""
