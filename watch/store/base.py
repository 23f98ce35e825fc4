"""The storage interface: every backend implements ``Store``; callers know nothing else.

Grouped by domain: sources (state and fetch log), articles (upsert, query, search, flags),
article texts (``watch.store.base_texts``, mixed in), classification (topics, scores,
clusters), feedback, digests.  A contract test suite (``tests/test_store_contract.py``) runs
against every backend.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from watch.models import (
    Article,
    Feedback,
    FetchLogEntry,
    SourceState,
    StoredArticle,
    TopicMatch,
    UpsertResult,
)
from watch.store.base_texts import TextCounts as TextCounts
from watch.store.base_texts import TextStore
from watch.store.base_texts import WantedText as WantedText

OFF_TOPIC = "off-topic"
"""The topic name that means an article without topic: in ``ArticleQuery.topics``,
``UnreadCounts.topics``, a command's ``--topic``, the trends' series."""


@dataclass
class ArticleQuery:
    """A filter over stored articles; every field narrows, None means no filter."""

    text: str | None = None
    """Full-text search over title, summary and the text read from the article's page
    (``full_text:`` sources) (FTS5 / tsvector), the board's syntax (``watch.store.sql_search``)."""
    whole_words: bool = False
    """True: ``text``'s last word is a word, not also the start of a longer one as on the
    board while one types ("rust" does not find "Rustic"): an alert's search."""
    topics: Sequence[str] | None = None
    """Articles about any of these topics; the special name ``OFF_TOPIC`` means no topic."""
    sources: Sequence[str] | None = None
    since: datetime | None = None
    until: datetime | None = None
    min_score: float | None = None
    read: bool | None = None
    starred: bool | None = None
    starred_or_noted: bool | None = None
    """Starred or with a note of the team (True), neither (False): the board's "Starred or
    noted", which lists an unstarred article whose note is still to be cleared."""
    picked_between: tuple[datetime, datetime] | None = None
    """Starred in ``[start, end)``; a star of unknown time counts when the article was
    published then.  The digest's picks of a week."""
    ids: Sequence[int] | None = None
    max_id: int | None = None
    """Articles of id up to this one: those stored when it was the highest id (ids only grow),
    so a confirmation marks what was counted, not what was collected since."""
    min_id: int | None = None
    """Articles of id above this one: those stored after it (an alert's mark, ``watch.alerts``)."""
    one_per_cluster: bool = False
    """Keep only the best-scored article of each cluster."""
    undated_backlog: bool = True
    """False leaves out the items a source's first collection brought without a date of their
    own: their first-seen time is when the source was added, not when they were published."""
    order: str = "score"
    """"score" (desc, then newest), "published" (newest first) or "id"."""
    limit: int = 50
    offset: int = 0


MAX_NOTE = 1000
"""Characters of the team's note on an article that are kept."""


@dataclass
class ClassificationUpdate:
    """New topics, score and cluster for one stored article."""

    article_id: int
    topics: list[TopicMatch]
    score: float
    score_parts: dict[str, float]
    explanation: list[str] = field(default_factory=list)
    cluster_id: int | None = None


@dataclass
class ScoringInput:
    """What scoring a stored article needs (no text): read back to score it again."""

    id: int
    source: str
    topics: list[TopicMatch]
    published: datetime
    date_from_feed: bool
    vote: int
    cluster_id: int | None
    explanation: list[str] = field(default_factory=list)
    """As stored: what a rescore that does not classify again keeps of an off-topic article."""
    title: str = ""
    """For the user's taste (``watch.taste``: the words of voted titles)."""


@dataclass
class DigestRecord:
    """One digest week: rendered, and sent or failed."""

    week: str
    status: str
    """"sent", "failed", "pending", or "skipped" (a week before the watch's first collection,
    ``watch.digest_start``: never sent, never retried)."""
    attempts: int = 0
    last_attempt: datetime | None = None
    sent_at: datetime | None = None
    error: str | None = None
    recipients: list[str] = field(default_factory=list)
    next_retry: datetime | None = None


KEPT_REASONS = ("starred", "feedback", "source", "recent")
"""Why an article older than the retention is kept, first match wins (``Store.prune_articles``):
starred or noted, with feedback, the first or newest of its source, first seen recently."""


@dataclass
class PruneResult:
    """What ``Store.prune_articles`` deleted (or would delete) and kept."""

    deleted: int = 0
    kept: dict[str, int] = field(default_factory=dict)
    """Articles published before the cutoff but kept, per reason (``KEPT_REASONS``)."""
    stories: int = 0
    """Stories (clusters) that lost articles and keep others: their scores need recomputing."""


@dataclass
class UnreadCounts:
    """Unread articles per source name and per topic name (``"off-topic"`` included)."""

    sources: dict[str, int] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)


@dataclass
class StorageSize:
    """The size of the database, in bytes."""

    total: int
    free: int | None = None
    """Of ``total``, pages freed by deletions that new rows reuse before the file grows
    (SQLite; None when the backend does not say)."""


class Store(TextStore):
    """One interface over SQLite and PostgreSQL (the article-text methods: ``base_texts``)."""

    url: str

    # -- lifecycle ---------------------------------------------------------
    @abstractmethod
    def migrate(self) -> None:
        """Bring the schema to the newest version (numbered migrations)."""

    @abstractmethod
    def schema_version(self) -> str | None:
        """The schema revision the database is at (None before the first migration)."""

    @abstractmethod
    def close(self) -> None: ...

    # -- sources -----------------------------------------------------------
    @abstractmethod
    def get_source_state(self, name: str) -> SourceState | None: ...

    @abstractmethod
    def list_source_states(self) -> list[SourceState]: ...

    @abstractmethod
    def save_source_state(self, state: SourceState) -> None:
        """Insert or replace the state of one source."""

    @abstractmethod
    def rename_source(self, old: str, new: str) -> int:
        """Give everything stored under source ``old`` (articles, state, fetch log, discovered
        feed) to ``new``, which has nothing stored yet; return the number of articles moved."""

    @abstractmethod
    def add_fetch_log(self, entry: FetchLogEntry, keep: int = 200) -> None:
        """Append an attempt; keep only the newest ``keep`` entries of that source."""

    def record_attempts(
        self, records: Sequence[tuple[SourceState, FetchLogEntry]], keep: int = 200
    ) -> None:
        """Save the states and append the log entries of several sources (backends batch it)."""
        for state, entry in records:
            self.save_source_state(state)
            self.add_fetch_log(entry, keep)

    @abstractmethod
    def fetch_log(
        self,
        source: str | None = None,
        limit: int | None = 100,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[FetchLogEntry]:
        """Newest first; ``since`` <= at < ``until`` when given; ``limit=None``: all of them."""

    @abstractmethod
    def source_article_stats(self, since: datetime | None = None) -> dict[str, dict[str, float]]:
        """Per source: ``articles`` (total), ``recent`` (published since), ``on_topic`` share."""

    # -- articles ----------------------------------------------------------
    @abstractmethod
    def upsert_articles(
        self,
        articles: Sequence[Article],
        before_insert: Callable[[Sequence[tuple[int, Article]]], None] | None = None,
        before_update: Callable[[Sequence[tuple[int, Article]]], None] | None = None,
    ) -> UpsertResult:
        """Insert new articles, update changed ones; never delete, never duplicate.

        The result lists the ids of new and of updated articles, and their counts per source.
        On update, the topics are replaced when the article carries some; score, score_parts,
        explanation and cluster_id are only written when the article carries a cluster_id.
        ``before_insert`` receives the (new id, article) pairs inside the write transaction,
        before they are inserted: the pipeline clusters and scores them there, so a new row is
        written once, complete.  If the write fails, nothing of the batch is stored.

        A stored page text (``text_lead``) counts whatever the source's ``full_text:`` says
        now: an incoming article without one takes it, and its topics (the feed's alone) are not
        written; ``before_update`` receives the (id, article) pairs of those whose feed text
        changed, inside the transaction, to classify them again with it.

        Identity: (source, guid), falling back to (source, canonical_url, title) so a feed that
        changes its guids does not duplicate.  An article deleted by ``prune_articles`` is
        neither new nor updated when its feed lists it again.  An update keeps the user's
        flags and first-seen time.  Classification fields of ``Article`` are stored too.
        """

    @abstractmethod
    def query_articles(self, query: ArticleQuery) -> list[StoredArticle]: ...

    @abstractmethod
    def count_articles(self, query: ArticleQuery) -> int:
        """How many match ``query`` (limit and offset ignored)."""

    @abstractmethod
    def newest_article_id(self) -> int | None:
        """The highest article id stored (None when there is none): ids only grow."""

    @abstractmethod
    def get_article(self, article_id: int) -> StoredArticle | None: ...

    @abstractmethod
    def iter_articles(
        self, since: datetime | None = None, batch: int = 1000
    ) -> Iterator[StoredArticle]:
        """Every stored article (fetched_at >= since), in id order, streamed in batches."""

    @abstractmethod
    def set_flags(
        self,
        article_id: int,
        read: bool | None = None,
        starred: bool | None = None,
        at: datetime | None = None,
    ) -> None:
        """Mark read or unread, starred or not; starring remembers when (``at``, default now)."""

    @abstractmethod
    def set_note(self, article_id: int, note: str) -> None:
        """The team's note on the article ("" removes it), at most ``MAX_NOTE`` characters."""

    @abstractmethod
    def mark_read(self, query: ArticleQuery, *, whole_stories: bool = False) -> int:
        """Mark read every article matching ``query`` (all of them: ``one_per_cluster``,
        ``limit`` and ``offset`` are ignored) and, with ``whole_stories``, the other articles
        of their story clusters; one write that loads no article.  Return how many articles
        were unread and are read now."""

    @abstractmethod
    def unread_counts(self) -> UnreadCounts:
        """How many articles are unread, per source and per topic (``"off-topic"``: those
        with none), for a reader's sidebar."""

    # -- retention ---------------------------------------------------------
    @abstractmethod
    def prune_articles(
        self,
        published_before: datetime,
        first_seen_before: datetime,
        *,
        dry_run: bool = False,
        batch: int = 500,
    ) -> PruneResult:
        """Delete the articles published before ``published_before``, except those kept: starred
        or noted, with feedback, the first collected, newest published or newest seen article of
        each source, and those first seen since ``first_seen_before``.  Their topics, texts and
        search entries go with them, their (source, guid) is remembered so that a feed still listing
        them does not bring them back (``upsert_articles``).  One short transaction per ``batch``
        articles; ``dry_run`` deletes nothing and says what would go."""

    @abstractmethod
    def forget_pruned(self, unseen_since: datetime) -> int:
        """Forget the remembered guids of deleted articles that no fetch listed since
        ``unseen_since``; return how many."""

    @abstractmethod
    def storage_size(self) -> StorageSize:
        """How big the database is."""

    @abstractmethod
    def compact(self) -> bool:
        """Give the space freed by deletions back to the disk (SQLite: VACUUM, which locks the
        database while it rewrites it); False when the backend does it by itself."""

    # -- classification ----------------------------------------------------
    @abstractmethod
    def update_classification(self, updates: Sequence[ClassificationUpdate]) -> None: ...

    @abstractmethod
    def update_scores(self, updates: Sequence[ClassificationUpdate]) -> None:
        """Write only the score, its parts and explanation of each update (topics and cluster
        unchanged)."""

    @abstractmethod
    def scoring_inputs(self, ids: Sequence[int]) -> list[ScoringInput]:
        """What scoring needs of each stored article of ``ids`` (in id order, unknown ids
        skipped)."""

    @abstractmethod
    def cluster_members(self, cluster_id: int) -> list[StoredArticle]: ...

    # -- feedback ----------------------------------------------------------
    @abstractmethod
    def add_feedback(self, feedback: Feedback) -> int:
        """Store one judgement; return its id.  A vote (up/down/unvote) also sets ``vote`` on the
        article and on the other articles of its story cluster: a story disliked from one
        source does not come back from another."""

    @abstractmethod
    def list_feedback(self) -> list[Feedback]: ...

    # -- digests -----------------------------------------------------------
    @abstractmethod
    def get_digest(self, week: str) -> DigestRecord | None: ...

    @abstractmethod
    def save_digest(self, record: DigestRecord) -> None: ...

    @abstractmethod
    def list_digests(self, limit: int = 20) -> list[DigestRecord]: ...

    # -- key/value (model versions, scheduler bookkeeping) ------------------
    @abstractmethod
    def get_meta(self, key: str) -> str | None: ...

    @abstractmethod
    def set_meta(self, key: str, value: str) -> None: ...

    @abstractmethod
    def update_meta(self, key: str, change: Callable[[str | None], str]) -> str:
        """Set ``key`` to ``change(its current value)`` in one transaction, so that two processes
        updating it (the board asking for a fetch, the scheduler clearing it) never lose each
        other's change; return the new value."""
