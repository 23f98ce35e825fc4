"""The pipeline: the only place that runs the stages in order, for one source or a whole pass.

    for each source (concurrently; the Fetcher bounds global and per-host concurrency):
        state    = store.get_source_state(name)
        result   = fetch(url, etag, last_modified)            # watch.fetch   (304 → done, no parse)
        feed     = parse_document(result.body)                # watch.parse   (HTML → discovered feed)
        articles = normalize_entries(feed)                    # watch.normalize
        topics   = classifier.classify(articles)              # watch.classify (before commit; these
                                                              #   three in a worker: watch.reading)
        ids      = store.upsert_articles(articles, before_insert=…, before_update=…)
                                                              # watch.store (never duplicates);
                                                              #   before the insert:
        cluster  = clusters.assign(new articles)              #   watch.cluster
        score    = score_article(topics, weight, coverage…)   #   watch.score
                                                              #   before an update: classify
                                                              #   again with the stored page text
        rescore the stories new articles joined; store.record_attempts(...)
    then, for the sources with ``full_text:`` that answered:
        texts    = read_full_texts(their articles' pages)     # watch.full_text (saved with the
                                                              #   topics and score they gave)

Every failure of one source (network, HTTP, parse, anything raised) is caught here and recorded
as that source's error, with its backoff; the other sources, the pass and the store carry on.
What each source gave (``SourceOutcome``, ``PassReport``) and how an attempt is recorded (the
source's next state, its fetch-log entry) are in watch.outcomes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from watch.classify import Classifier
from watch.cluster import Fingerprint
from watch.config import Settings, SourceConfig, WatchConfig
from watch.fetch import Fetcher, credentials_may_go, redact
from watch.full_text import read_full_texts
from watch.models import Article, FetchResult, SourceState
from watch.outcomes import PassReport, SourceOutcome, attempt_record
from watch.ranking import Ranker
from watch.reading import Document, DocumentReader, Reading
from watch.schedule import is_due, utcnow
from watch.store.base import Store
from watch.wording import counted

log = logging.getLogger(__name__)
BATCH_SOURCES = 64
BATCH_WINDOW = 0.05
"""Seconds a small batch waits for more sources before it is committed."""
MAX_ALTERNATES = 3
"""Feeds an HTML page advertises that are tried, in its order, until one answers with a feed."""


async def _next_batch(queue: asyncio.Queue[_Collected], remaining: int) -> list[_Collected]:
    """What has arrived, waiting up to BATCH_WINDOW for more while the batch is small: fewer,
    larger commits (one transaction and one classification call each)."""
    batch = [await queue.get()]
    while len(batch) < min(remaining, BATCH_SOURCES):
        if queue.empty():
            try:
                batch.append(await asyncio.wait_for(queue.get(), BATCH_WINDOW))
            except TimeoutError:
                break
        else:
            batch.append(queue.get_nowait())
    return batch


@dataclass
class _Collected:
    """One source's attempt between collecting and committing."""

    source: SourceConfig
    state: SourceState
    started: datetime
    t0: float
    waited: float = 0.0
    outcome: SourceOutcome | None = None
    result: FetchResult | None = None
    articles: list[Article] = field(default_factory=list)
    fingerprints: list[Fingerprint] = field(default_factory=list)


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
        self.reader = DocumentReader()

    # -- passes --------------------------------------------------------------
    async def run_pass(
        self,
        names: Sequence[str] | None = None,
        only_due: bool = False,
        on_done: Callable[[SourceOutcome], None] | None = None,
    ) -> PassReport:
        """Fetch the named sources (default: all enabled), or only the due ones.

        Sources are collected concurrently; whatever has arrived is committed together (one
        classification call, one upsert, one state write), so CPU work overlaps the network.
        """
        sources = self._select(names, only_due)
        self.ranker.sync_feedback()
        report = PassReport()
        arrived: asyncio.Queue[_Collected] = asyncio.Queue()
        async with Fetcher(self.config.fetch, self.settings.credentials) as fetcher:
            states = {state.name: state for state in self.store.list_source_states()}
            tasks = [
                asyncio.create_task(
                    self._collect_into(
                        fetcher, s, arrived, states.get(s.name) or SourceState(name=s.name)
                    )
                )
                for s in sources
            ]
            while len(report.outcomes) < len(sources):
                batch = await _next_batch(arrived, len(sources) - len(report.outcomes))
                for outcome in self.commit(batch):
                    report.outcomes.append(outcome)
                    if on_done:
                        on_done(outcome)
            await asyncio.gather(*tasks)
            await self._read_texts(fetcher, report.outcomes)
        return report

    def close(self) -> None:
        """Stop the parser worker (the store stays open: it belongs to the caller)."""
        self.reader.close()

    async def update_source(self, fetcher: Fetcher, source: SourceConfig) -> SourceOutcome:
        """Fetch, parse and store one source (the scheduler's unit of work; the scheduler
        syncs feedback once per tick, see ``Ranker.sync_feedback``)."""
        outcome = self.commit([await self.collect(fetcher, source)])[0]
        await self._read_texts(fetcher, [outcome])
        return outcome

    async def _read_texts(self, fetcher: Fetcher, outcomes: Sequence[SourceOutcome]) -> None:
        """Read the article pages of the ``full_text:`` sources that answered; each outcome
        tells what its pages gave (``watch.full_text``)."""
        answered = {o.name: o for o in outcomes if o.outcome not in ("error", "gone")}
        sources = [s for s in self.config.sources if s.full_text and s.name in answered]
        if not sources:
            return
        try:
            tallies = await read_full_texts(
                sources,
                self.store,
                fetcher,
                self.reader,
                self.clock(),
                self.ranker.classified_with_texts,
            )
        except Exception:  # the feeds' articles are stored; their pages wait for the next pass
            log.exception("reading article pages failed")
            return
        for name, tally in tallies.items():
            answered[name].texts, answered[name].texts_warning = tally.read, tally.warning
            answered[name].texts_seconds = tally.seconds

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

    # -- collecting: fetch, parse, normalize (no writes) ---------------------------
    async def _collect_into(
        self,
        fetcher: Fetcher,
        source: SourceConfig,
        queue: asyncio.Queue[_Collected],
        state: SourceState | None,
    ) -> None:
        queue.put_nowait(await self.collect(fetcher, source, state))

    async def collect(
        self, fetcher: Fetcher, source: SourceConfig, state: SourceState | None = None
    ) -> _Collected:
        """Everything one source gives before anything is written; failures become its outcome."""
        state = state or self.store.get_source_state(source.name) or SourceState(name=source.name)
        item = _Collected(source, state, self.clock(), time.perf_counter())
        try:
            await self._collect(fetcher, item)
        except _SourceFailed as exc:
            item.outcome = SourceOutcome(source.name, "error", error=str(exc))
        except Exception as exc:  # a bug or a hostile input must not stop the pass
            log.exception("unexpected failure on source %s", source.name)
            item.outcome = SourceOutcome(
                source.name, "error", error=f"internal error: {type(exc).__name__}: {exc}"
            )
        return item

    async def _collect(self, fetcher: Fetcher, item: _Collected) -> None:
        source, state = item.source, item.state
        url = self._feed_url(source, state)
        known = url == state.url
        asked = time.perf_counter()
        item.result = await fetcher.fetch(
            url,
            etag=state.etag if known else None,
            last_modified=state.last_modified if known else None,
            source_name=source.name,
            respect_robots=source.kind == "page",
        )
        item.waited = max(0.0, time.perf_counter() - asked - item.result.elapsed)
        state.url = url
        status = item.result.status
        if status != "ok":
            outcome = {"not_modified": "not_modified", "gone": "gone"}.get(status, "error")
            error = item.result.error or ("HTTP 410 Gone" if status == "gone" else None)
            item.outcome = SourceOutcome(source.name, outcome, error=error)
            return
        reading = await self._read(fetcher, item)
        state.title = reading.title or state.title
        state.home_url = reading.home_url or state.home_url
        item.articles = reading.articles
        item.fingerprints = reading.fingerprints
        item.outcome = SourceOutcome(source.name, "unchanged", seen=len(item.articles))
        item.outcome.warning = "; ".join(reading.warnings) or None

    async def _read(self, fetcher: Fetcher, item: _Collected) -> Reading:
        """Parse and normalize the body; an HTML page leads to the first feed it advertises
        that answers with a feed (the page's order, comment feeds last; at most
        ``MAX_ALTERNATES`` tried)."""
        source, result = item.source, item.result
        assert result is not None
        reading = await self._read_body(source, result, item.started)
        item.state.empty_selector = reading.selectors_failed  # a page's error names the selector
        if reading.error is None:
            return reading
        if source.kind != "feed" or not reading.alternates:
            raise _SourceFailed(reading.error)
        failures: list[str] = []
        for discovered in reading.alternates[:MAX_ALTERNATES]:
            try:
                alternate, found = await self._read_alternate(fetcher, item, discovered)
            except _SourceFailed as failed:
                failures.append(str(failed))
                continue
            self.store.set_meta(
                f"discovered:{source.name}", json.dumps({"from": source.url, "feed": discovered})
            )
            item.state.url, item.result = discovered, alternate
            return found
        others = len(failures) - 1
        also = f" (and {counted(others, 'other advertised feed')} failed)" if others else ""
        raise _SourceFailed(failures[0] + also)

    async def _read_alternate(
        self, fetcher: Fetcher, item: _Collected, discovered: str
    ) -> tuple[FetchResult, Reading]:
        source = item.source
        trusted = credentials_may_go(source.url, discovered)
        alternate = await fetcher.fetch(discovered, source_name=source.name if trusted else None)
        if alternate.status != "ok":
            raise _SourceFailed(
                f"discovered feed {discovered}: {alternate.error or alternate.status}"
            )
        reading = await self._read_body(source, alternate, item.started)
        if reading.error is not None:
            raise _SourceFailed(f"discovered feed {discovered}: {reading.error}")
        return alternate, reading

    async def _read_body(
        self, source: SourceConfig, result: FetchResult, started: datetime
    ) -> Reading:
        url = result.final_url or result.url
        document = Document(
            result.body,
            url,
            result.content_type,
            source.select,
            source.name,
            started,
            source.topics,
        )
        return await self.reader.read(document, self.ranker.classifier)

    def _feed_url(self, source: SourceConfig, state: SourceState) -> str:
        """The source URL, or the feed discovered from it earlier (while the URL is unchanged).

        Only a source whose last fetched URL differs from its configured one can have a
        discovered feed, so the store is asked only then.
        """
        if not state.url or state.url == source.url:
            return source.url
        raw = self.store.get_meta(f"discovered:{source.name}")
        if raw:
            found = json.loads(raw)
            if found.get("from") == source.url:
                return str(found["feed"])
        return source.url

    # -- committing: classify, store, cluster, score, record ----------------------
    def commit(self, batch: Sequence[_Collected]) -> list[SourceOutcome]:
        """Store what a batch of sources gave, then record every attempt. A storage failure is
        retried source by source, so one source cannot take the others down."""
        try:
            self._store_articles(batch)
        except Exception:
            log.exception("storing a batch of %d sources failed; retrying one by one", len(batch))
            for item in batch:
                try:
                    self._store_articles([item])
                except Exception as exc:
                    item.outcome = SourceOutcome(
                        item.source.name, "error", error=f"internal error while storing: {exc}"
                    )
        for item in batch:
            assert item.outcome is not None
            item.outcome.duration = time.perf_counter() - item.t0 - item.waited
            item.outcome.waited = item.waited
            if item.outcome.error:
                item.outcome.error = redact(item.outcome.error, self._secrets(item.source.name))
        self._record(batch)
        return [item.outcome for item in batch if item.outcome is not None]

    def _store_articles(self, batch: Sequence[_Collected]) -> None:
        items = [item for item in batch if item.articles]
        if not items:
            return
        prints = {
            (a.source, a.guid): fp
            for item in items
            for a, fp in zip(item.articles, item.fingerprints, strict=False)
        }
        articles = [a for item in items for a in item.articles]
        self.ranker.coverage.note_sites(
            {i.source.name: i.state.home_url or i.state.url for i in items}
        )
        try:
            result = self.store.upsert_articles(
                articles,
                before_insert=lambda new: self.ranker.place_new(new, prints),
                before_update=lambda led: self.ranker.classify([a for _, a in led]),
            )
        except Exception:
            self.ranker.forget_clusters()  # it may hold articles that were not stored
            raise
        if result.new_ids or result.updated_ids:
            self.ranker.rescore_joined(result.new_ids, result.updated_ids)
        for item in items:
            assert item.outcome is not None
            item.outcome.new = result.new_by_source.get(item.source.name, 0)
            item.outcome.updated = result.updated_by_source.get(item.source.name, 0)
            item.outcome.outcome = "new" if item.outcome.new else "unchanged"

    def _record(self, batch: Sequence[_Collected]) -> None:
        """Update each source's state and fetch log, in one write."""
        records = []
        for item in batch:
            assert item.outcome is not None
            records.append(
                attempt_record(item.source, item.state, item.started, item.outcome, item.result)
            )
        self.store.record_attempts(records)

    def _secrets(self, name: str) -> list[str]:
        return [v for v in self.settings.credentials.get(name, {}).values() if v]
