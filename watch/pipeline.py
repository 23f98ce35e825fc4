"""The pipeline: the only place that runs the stages in order, for one source or a whole pass.

    for each source (concurrently; the Fetcher bounds global and per-host concurrency):
        state    = store.get_source_state(name)
        result   = fetch(url, etag, last_modified)            # watch.fetch   (304 → done, no parse)
        feed     = parse_document(result.body)                # watch.parse   (HTML → discovered feed)
        articles = normalize_entries(feed)                    # watch.normalize
        topics   = classifier.classify(articles)              # watch.classify (before commit)
        ids      = store.upsert_articles(articles)            # watch.store   (never duplicates)
        cluster  = clusters.assign(new articles)              # watch.cluster
        score    = score_article(topics, weight, coverage…)   # watch.score
        store.update_classification(...); store.save_source_state(...)

Every failure of one source (network, HTTP, parse, anything raised) is caught here and recorded
as that source's error, with its backoff; the other sources, the pass and the store carry on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from watch.classify import Classifier
from watch.cluster import ClusterIndex, build_index
from watch.config import Settings, SourceConfig, WatchConfig
from watch.fetch import Fetcher, redact
from watch.models import Article, FetchLogEntry, FetchResult, ParsedFeed, SourceState
from watch.normalize import normalize_entries
from watch.parse import NotAFeed, ParseError, parse_document
from watch.ranking import Ranker
from watch.schedule import is_due, next_due_after_attempt, utcnow
from watch.store.base import Store

log = logging.getLogger(__name__)
CLUSTER_WINDOW = timedelta(days=14)


@dataclass
class SourceOutcome:
    """What one source gave in a pass, as the CLI prints it."""

    name: str
    outcome: str
    """new, unchanged, not_modified, error, gone or skipped."""
    new: int = 0
    updated: int = 0
    seen: int = 0
    error: str | None = None
    duration: float = 0.0


@dataclass
class PassReport:
    outcomes: list[SourceOutcome] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def new_articles(self) -> int:
        return sum(o.new for o in self.outcomes)

    @property
    def failed(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.outcome in ("error", "gone")]


class _SourceFailed(Exception):
    """Raised inside update_source to end a source's attempt with a recorded error."""


class Pipeline:
    """Runs passes over the configured sources; holds what lives across passes."""

    def __init__(
        self,
        store: Store,
        config: WatchConfig,
        settings: Settings,
        classifier: Classifier | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.config = config
        self.settings = settings
        self.clock = clock
        self.ranker = Ranker(store, config, settings, classifier, clock)
        self._clusters: ClusterIndex | None = None

    # -- passes --------------------------------------------------------------
    async def run_pass(
        self,
        names: Sequence[str] | None = None,
        only_due: bool = False,
        on_done: Callable[[SourceOutcome], None] | None = None,
    ) -> PassReport:
        """Fetch the named sources (default: all enabled), or only the due ones."""
        sources = self._select(names, only_due)
        report = PassReport()
        if not sources:
            return report
        async with Fetcher(self.config.fetch, self.settings.credentials) as fetcher:

            async def one(source: SourceConfig) -> None:
                outcome = await self.update_source(fetcher, source)
                report.outcomes.append(outcome)
                if on_done:
                    on_done(outcome)

            await asyncio.gather(*(one(s) for s in sources))
        return report

    def _select(self, names: Sequence[str] | None, only_due: bool) -> list[SourceConfig]:
        if names:
            unknown = set(names) - {s.name for s in self.config.sources}
            if unknown:
                raise KeyError(", ".join(sorted(unknown)))
            return [s for s in self.config.sources if s.name in names]
        sources = [s for s in self.config.sources if s.enabled]
        if only_due:
            now = self.clock()
            states = {s.name: s for s in self.store.list_source_states()}
            sources = [s for s in sources if is_due(s, states.get(s.name), now)]
        return sources

    # -- one source ----------------------------------------------------------
    async def update_source(self, fetcher: Fetcher, source: SourceConfig) -> SourceOutcome:
        """Fetch, parse, store one source; every failure becomes the source's recorded error."""
        started, t0 = self.clock(), time.perf_counter()
        state = self.store.get_source_state(source.name) or SourceState(name=source.name)
        try:
            outcome, result = await self._collect(fetcher, source, state, started)
        except _SourceFailed as exc:
            outcome, result = SourceOutcome(source.name, "error", error=str(exc)), None
        except Exception as exc:  # a bug or a hostile input must not stop the pass
            log.exception("unexpected failure on source %s", source.name)
            outcome = SourceOutcome(source.name, "error", error=f"internal error: {type(exc).__name__}: {exc}")
            result = None
        outcome.duration = time.perf_counter() - t0
        if outcome.error:
            outcome.error = redact(outcome.error, self._secrets(source.name))
        self._record(source, state, outcome, result, started)
        return outcome

    async def _collect(
        self, fetcher: Fetcher, source: SourceConfig, state: SourceState, started: datetime
    ) -> tuple[SourceOutcome, FetchResult]:
        url = self._feed_url(source)
        result = await fetcher.fetch(
            url,
            etag=state.etag if url == state.url else None,
            last_modified=state.last_modified if url == state.url else None,
            source_name=source.name,
            respect_robots=source.kind == "page",
        )
        state.url = url
        if result.status == "not_modified":
            return SourceOutcome(source.name, "not_modified"), result
        if result.status == "gone":
            return SourceOutcome(source.name, "gone", error=result.error or "HTTP 410 Gone"), result
        if result.status == "error":
            return SourceOutcome(source.name, "error", error=result.error), result
        feed, result = await self._parse(fetcher, source, result, state)
        state.empty_selector = source.kind == "page" and not feed.entries
        base_url = result.final_url or result.url
        articles = normalize_entries(feed, source=source.name, base_url=base_url, fetched_at=started)
        return self._store_articles(source, articles), result

    async def _parse(
        self, fetcher: Fetcher, source: SourceConfig, result: FetchResult, state: SourceState
    ) -> tuple[ParsedFeed, FetchResult]:
        url = result.final_url or result.url
        try:
            return await self._parse_body(source, result, url), result
        except NotAFeed as exc:
            if source.kind != "feed" or not exc.alternates:
                raise _SourceFailed(str(exc)) from None
            discovered = exc.alternates[0]
        except ParseError as exc:
            raise _SourceFailed(str(exc)) from None
        alternate = await fetcher.fetch(discovered, source_name=source.name)
        if alternate.status != "ok":
            raise _SourceFailed(f"discovered feed {discovered}: {alternate.error or alternate.status}")
        try:
            feed = await self._parse_body(source, alternate, alternate.final_url or discovered)
        except ParseError as exc:
            raise _SourceFailed(f"discovered feed {discovered}: {exc}") from None
        self.store.set_meta(f"discovered:{source.name}", json.dumps({"from": source.url, "feed": discovered}))
        state.url = discovered
        return feed, alternate

    async def _parse_body(self, source: SourceConfig, result: FetchResult, url: str) -> ParsedFeed:
        return await asyncio.to_thread(
            parse_document, result.body, url=url, content_type=result.content_type, select=source.select
        )

    def _feed_url(self, source: SourceConfig) -> str:
        """The source URL, or the feed discovered from it earlier (while the URL is unchanged)."""
        raw = self.store.get_meta(f"discovered:{source.name}")
        if raw:
            found = json.loads(raw)
            if found.get("from") == source.url:
                return str(found["feed"])
        return source.url

    def _store_articles(self, source: SourceConfig, articles: list[Article]) -> SourceOutcome:
        self.ranker.classify(articles, source)
        result = self.store.upsert_articles(articles)
        if result.new_ids:
            self.ranker.cluster_and_score(result.new_ids, self.clusters())
        outcome = "new" if result.new else "unchanged"
        return SourceOutcome(source.name, outcome, new=result.new, updated=result.updated, seen=len(articles))

    def clusters(self) -> ClusterIndex:
        """The cluster index over recent articles, built from the store on first use."""
        if self._clusters is None:
            since = self.clock() - CLUSTER_WINDOW
            rows = (
                (a.id, a.cluster_id if a.cluster_id is not None else a.id, a.title, a.summary_text, a.canonical_url, a.published)
                for a in self.store.iter_articles(since=since)
            )
            self._clusters = build_index(rows)
        return self._clusters

    # -- bookkeeping -----------------------------------------------------------
    def _record(
        self,
        source: SourceConfig,
        state: SourceState,
        outcome: SourceOutcome,
        result: FetchResult | None,
        started: datetime,
    ) -> None:
        failed = outcome.outcome in ("error", "gone")
        state.last_attempt = started
        if result is not None and result.status == "ok" and not failed:
            state.etag, state.last_modified = result.etag, result.last_modified
        if failed:
            state.error_count += 1
            state.last_error = outcome.error
            state.status = "gone" if outcome.outcome == "gone" else "error"
        else:
            state.status, state.error_count, state.last_error = "ok", 0, None
            state.last_success = started
            state.items_seen += outcome.seen
            state.last_new = outcome.new
        retry_after = result.retry_after if result is not None else None
        state.next_due = next_due_after_attempt(source, started, failed, state.error_count, retry_after)
        self.store.save_source_state(state)
        self.store.add_fetch_log(
            FetchLogEntry(
                source=source.name,
                at=started,
                outcome=outcome.outcome,  # type: ignore[arg-type]
                http_status=result.http_status if result is not None else None,
                new_items=outcome.new,
                seen_items=outcome.seen,
                duration=outcome.duration,
                error=outcome.error,
            )
        )

    def _secrets(self, name: str) -> list[str]:
        return [v for v in self.settings.credentials.get(name, {}).values() if v]
