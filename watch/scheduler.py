"""The scheduler daemon behind ``watch run``: one process, one instance per database.

APScheduler 3.x (AsyncIOScheduler) runs small periodic jobs; the schedule itself lives in the
store (each source's ``next_due``), so a restart resumes it instead of fetching everything now:

- ``collect`` (every few seconds): start every due source not already in flight (its own task,
  so one slow source never delays the others); also sources the board asked to "fetch now"
  (a request stays stored until that fetch ends: a stop does not lose it).  Each consulted
  source is one log line: what it gave, then what comes next (``health.attempt_line``).
  The ``Fetcher`` follows the file: new ``fetch:`` settings or credentials give a new one (the
  old one closes once its sources are done).
- ``reload`` (every few seconds): re-read sources.yaml when it changed; a bad entry is reported
  and skipped, the valid ones keep running; changed frequencies and revived gone sources are
  re-planned (``watch.replan``, also run at startup); topics changed → scores recomputed;
  the log says what changed (``replan.describe_reload``).
- ``digest`` (every 5 minutes): send the weekly digest when its time has come (once per week).
- ``alerts`` (every minute): send each alert's new matches (``watch.alerts``).
- ``prune`` (hourly): once a day, delete what ``store.keep`` no longer keeps (``watch.retention``).
- ``model`` (at start, then hourly): rebuild the classifier when it is missing, unreadable, made
  for other topics, older than new feedback or than a day; reclassify after a topic edit;
  otherwise rescore for freshness.
- ``heartbeat``: renews this instance's lease in the store (``watch.lease``); a second
  ``watch run`` on the same database refuses to start while the lease is fresh and its holder
  alive; an instance that finds its lease taken over (it was away longer than the lease) stops.

Every job is a coroutine, so it runs on the event loop between two collections (APScheduler
would run a plain function in a thread, concurrently with them); the model and the digest mail
are blocking work, sent to a thread from inside their job, and a stop waits for them.

SIGTERM/SIGINT stop the jobs and cancel the fetches in flight: a cancelled source is not
recorded as attempted (it stays due and is fetched at the next start).  A write in progress
always finishes (the pipeline commits without yielding to the event loop), so the process
exits within moments, never after a slow server's timeout; only a model rebuild or a digest
mail in progress is waited for (seconds).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from watch.config import ConfigError, Settings, WatchConfig, load_entries
from watch.fetch import Fetcher
from watch.fetch_requests import FETCH_NOW_KEY, requested_sources, without_source
from watch.health import attempt_line
from watch.lease import AlreadyRunning, acquire_lease, new_owner, release_lease
from watch.outcomes import texts_words
from watch.pipeline import Pipeline, SourceOutcome
from watch.replan import describe_reload, invalid_entries, replan_sources
from watch.retention import prune_if_due
from watch.schedule import is_due, utcnow
from watch.store.base import Store

log = logging.getLogger(__name__)
__all__ = ["AlreadyRunning", "WatchService"]
MODEL_MAX_AGE = timedelta(days=1)
"""The running scheduler retrains at least this often, so the model learns new wording."""


class WatchService:
    """Keeps every source consulted at its own frequency until stopped."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
        tick_seconds: float = 5.0,
        heartbeat_seconds: float = 30.0,
    ) -> None:
        self.store, self.clock = store, clock
        self.tick_seconds, self.heartbeat_seconds = tick_seconds, heartbeat_seconds
        self.owner = new_owner()
        self.config, self.config_errors = self._read_config(settings)
        self._skipped = invalid_entries(settings.config_path, self.config_errors)
        self.settings = settings.with_credentials(self.config)
        self._warn_missing_credentials()
        self._mtime = self._config_mtime()
        self.pipeline = Pipeline(store, self.config, self.settings, clock=clock)
        self.in_flight: dict[str, asyncio.Task[object]] = {}
        self.fetcher: Fetcher | None = None
        self._fetcher_key: object = None
        self._closing: set[asyncio.Task[None]] = set()
        self._stop = asyncio.Event()
        self._model_lock = threading.Lock()
        self._off_loop_work: set[asyncio.Future[object]] = set()
        self._refreshing: set[asyncio.Future[None]] = set()
        """Model refreshes a topic edit started (referenced until done)."""

    # -- lifecycle ----------------------------------------------------------------
    async def serve(self) -> None:
        """Run until SIGTERM/SIGINT (or ``stop()``), then cancel in-flight fetches and return."""
        self.start()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stop)
        scheduler = AsyncIOScheduler(timezone="UTC")
        # Every job is a coroutine: APScheduler runs plain functions in a thread, where they
        # raced the collection.  Blocking work goes to a thread from inside the job.
        jobs: dict[str, tuple[Callable[[], object], float]] = {
            "collect": (self.collect_due, self.tick_seconds),
            "reload": (self.reload_between_collections, self.tick_seconds),
            "heartbeat": (self.renew_lease, self.heartbeat_seconds),
            "digest": (functools.partial(self._off_loop, self.digest_if_due), 300),
            "alerts": (functools.partial(self._off_loop, self.send_alerts), 60),
            "model": (functools.partial(self._off_loop, self.refresh_model), 3600),
            "prune": (functools.partial(self._off_loop, self.prune_if_due), 3600),
        }
        for name, (func, seconds) in jobs.items():
            scheduler.add_job(
                func,
                "interval",
                seconds=seconds,
                id=name,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=max(1, int(seconds)),  # late behind a reload is no miss
                next_run_time=self.clock(),
            )
        scheduler.start()
        log.info("watch run: %d sources, tick %ss", len(self.config.sources), self.tick_seconds)
        try:
            await self._stop.wait()
        finally:
            scheduler.shutdown(wait=False)
            cancelled = await self.cancel_in_flight()
            if cancelled:
                log.warning(
                    "stopped: fetch of %s cancelled (not recorded; due at the next start)",
                    ", ".join(sorted(cancelled)),
                )
            if self._off_loop_work:
                log.info("stopping: waiting for the model refresh or digest in progress")
                await asyncio.gather(*self._off_loop_work, return_exceptions=True)
            await self.close_fetchers()
            self.pipeline.close()
            self.release_lease()

    def start(self) -> None:
        """What a new process does first: take the lease, then re-plan the stored schedule
        against sources.yaml as it is now (it may have changed while nothing was running)."""
        self.acquire_lease()
        replan_sources(self.store, self.config.sources, self.clock())

    def stop(self) -> None:
        log.info("stopping: cancelling in-flight fetches")
        self._stop.set()

    async def drain(self) -> None:
        """Wait for every source already started to finish (and write)."""
        if self.in_flight:
            await asyncio.gather(*self.in_flight.values(), return_exceptions=True)

    async def cancel_in_flight(self) -> list[str]:
        """Cancel the sources still fetching; return their names.  None of them is recorded:
        a source's attempt is written in one step that a cancellation cannot interrupt."""
        names = list(self.in_flight)
        for task in self.in_flight.values():
            task.cancel()
        await self.drain()
        return names

    async def close_fetchers(self) -> None:
        """Close the current fetcher and the retired ones (after their sources finished)."""
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)
        if self.fetcher is not None:
            await self.fetcher.__aexit__(None, None, None)
            self.fetcher, self._fetcher_key = None, None

    # -- jobs --------------------------------------------------------------------------
    async def collect_due(self) -> list[str]:
        """Start every due (or requested) source that is not already running; return their names."""
        if self._stop.is_set():
            return []
        fetcher = self._current_fetcher()
        now = self.clock()
        states = {s.name: s for s in self.store.list_source_states()}
        requested = self._fetch_requests()
        due = [
            source
            for source in self.config.sources
            if source.name not in self.in_flight
            and (source.name in requested or is_due(source, states.get(source.name), now))
        ]
        if due:
            self.pipeline.ranker.sync_feedback()  # once per tick, not once per source
        for source in due:
            task = asyncio.create_task(self.pipeline.update_source(fetcher, source))
            self.in_flight[source.name] = task  # type: ignore[assignment]
            task.add_done_callback(self._finished(source.name))
        return [source.name for source in due]

    async def reload_between_collections(self) -> None:
        """The ``reload`` job.  A coroutine, so APScheduler runs it on the event loop (it runs
        plain functions in a thread): sources.yaml and the stored schedule then change between
        two collections, never while one reads them or a fetch writes its state.  The model
        work a topic edit asks for is CPU-bound; it goes to a thread, not awaited here: the
        next reloads go on meanwhile (a stop waits for it)."""
        reloaded, model_stale = self._apply_config_change()
        if model_stale:
            refresh = asyncio.ensure_future(self._off_loop(self.refresh_model))
            self._refreshing.add(refresh)
            refresh.add_done_callback(self._refreshing.discard)

    def reload_if_changed(self) -> bool:
        """Re-read sources.yaml when its modification time changed; True when reloaded (the
        model refreshed too when topics or labels changed)."""
        reloaded, model_stale = self._apply_config_change()
        if model_stale:
            self.refresh_model()
        return reloaded

    def _apply_config_change(self) -> tuple[bool, bool]:
        """Re-read sources.yaml if it changed and re-plan the stored schedule; say whether it
        was reloaded and whether its topics or labels changed (the model must be refreshed)."""
        mtime, path = self._config_mtime(), self.settings.config_path
        if mtime == self._mtime:
            return False, False
        self._mtime = mtime
        try:
            config, errors = self._read_config(self.settings)
        except ConfigError as exc:
            log.error("%s not reloaded, keeping the previous one:\n%s", path.name, exc)
            return False, False
        previous = self.config
        topics_changed = config.topics != self.config.topics
        labels_changed = config.labels_hash != self.config.labels_hash  # named in explanations
        self.config, self.config_errors = config, errors
        self.settings = self.settings.with_credentials(config)
        self._warn_missing_credentials()
        self.pipeline.settings = self.settings
        self.pipeline.config = self.pipeline.ranker.config = config
        replan_sources(self.store, config.sources, self.clock(), skip=set(self.in_flight))
        words, self._skipped = describe_reload(path, previous, config, errors, self._skipped)
        log.info("%s", words)
        return True, topics_changed or labels_changed

    def digest_if_due(self) -> None:
        """Mail and post the weekly digest where it is due (each decides for itself)."""
        from watch.digest_job import run_scheduled_digest

        try:
            run_scheduled_digest(
                self.store, self.config, self.settings.smtp, self.clock(), chats=self.settings.chats
            )
        except Exception:
            log.exception("digest job failed")

    def send_alerts(self) -> None:
        from watch.alerts import run_scheduled_alerts

        run_scheduled_alerts(self.store, self.config, self.settings, self.clock())

    def refresh_model(self) -> None:
        """At start, hourly and when topics change: rebuild the model when it is missing,
        unreadable, made for other topics, older than new feedback or than MODEL_MAX_AGE (new
        wording), reclassify after a topic edit; otherwise rescore so freshness decays."""
        with self._model_lock:  # the hourly job and a topic edit never rebuild it at once
            done = self.pipeline.ranker.refresh(max_age=MODEL_MAX_AGE)
            if done:
                log.info("%s", done)
            else:
                self.pipeline.ranker.rescore_all(reclassify=False)

    def prune_if_due(self) -> None:
        prune_if_due(self.store, self.config.store, self.clock())  # scores: the model job

    # -- lease -------------------------------------------------------------------------
    def acquire_lease(self) -> None:
        """Take or renew this database's scheduler lease; raise AlreadyRunning if held elsewhere."""
        acquire_lease(self.store, self.owner, self.clock())

    async def renew_lease(self) -> None:
        """The heartbeat job.  When another instance has taken the lease over (this one was
        suspended, or cut off from the database, for longer than the lease), stop: two
        schedulers on one database fetch everything twice."""
        try:
            self.acquire_lease()
        except AlreadyRunning as exc:
            log.error("stopping: this database's lease was taken over while away: %s", exc)
            self.stop()

    def release_lease(self) -> None:
        release_lease(self.store, self.owner)

    async def _off_loop(self, work: Callable[[], object]) -> None:
        """Run blocking ``work`` (the model, the digest mail) in a thread.  A stop cancels the
        job but not the thread: ``serve`` waits for it before it closes the store."""
        future = asyncio.ensure_future(asyncio.to_thread(work))
        self._off_loop_work.add(future)
        future.add_done_callback(self._off_loop_work.discard)
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(future)

    # -- fetchers ----------------------------------------------------------------------
    def _current_fetcher(self) -> Fetcher:
        """The fetcher for the current ``fetch:`` settings and credentials; a new one when they
        changed (the previous one is closed once the sources it serves are done)."""
        credentials = self.settings.credentials
        key = (
            self.config.fetch,
            tuple(sorted((name, tuple(sorted(v.items()))) for name, v in credentials.items())),
            tuple(sorted(credentials.missing.items())),
        )
        if self.fetcher is None or key != self._fetcher_key:
            if self.fetcher is not None:
                self._retire(self.fetcher)
                log.info("fetch settings or credentials changed: new fetcher")
            self.fetcher, self._fetcher_key = Fetcher(self.config.fetch, credentials), key
        return self.fetcher

    def _retire(self, fetcher: Fetcher) -> None:
        users = list(self.in_flight.values())

        async def close_when_done() -> None:
            if users:
                await asyncio.wait(users)
            await fetcher.__aexit__(None, None, None)

        task = asyncio.create_task(close_when_done())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    # -- helpers -----------------------------------------------------------------------
    def _finished(self, name: str) -> Callable[[asyncio.Task[SourceOutcome]], None]:
        def forget(task: asyncio.Task[SourceOutcome]) -> None:
            self.in_flight.pop(name, None)
            if task.cancelled():
                return  # not recorded: a "fetch now" request for it stays stored
            self._forget_fetch_request(name)
            if task.exception() is None:
                log.info("%s", self._outcome_line(task.result()))

        return forget

    def _outcome_line(self, outcome: SourceOutcome) -> str:
        """What the source gave and, from the state the pipeline just stored, what comes next."""
        source = next((s for s in self.config.sources if s.name == outcome.name), None)
        state = self.store.get_source_state(outcome.name)
        return attempt_line(outcome, source, state, self.clock()) + texts_words(outcome)

    def _read_config(self, settings: Settings) -> tuple[WatchConfig, list[str]]:
        config, errors = load_entries(settings.config_path)
        for error in errors:
            log.error("skipped: %s", error)
        return config, errors

    def _warn_missing_credentials(self) -> None:
        for name, missing in self.settings.credentials.missing.items():
            log.warning("source %s is fetched without credentials: %s", name, missing)

    def _config_mtime(self) -> float:
        try:
            return self.settings.config_path.stat().st_mtime
        except OSError:
            return 0.0

    def _fetch_requests(self) -> set[str]:
        """The sources the board asked to fetch now.  A request stays stored until that
        source's fetch ends (``_forget_fetch_request``): one cancelled by a stop survives it."""
        names = set(requested_sources(self.store.get_meta(FETCH_NOW_KEY)))
        configured = {source.name for source in self.config.sources}
        for unknown in names - configured:
            self._forget_fetch_request(unknown)
        return names & configured

    def _forget_fetch_request(self, name: str) -> None:
        """Remove ``name`` from the stored request, in one transaction with the board's
        additions (``Store.update_meta``)."""
        if name in requested_sources(self.store.get_meta(FETCH_NOW_KEY)):
            self.store.update_meta(FETCH_NOW_KEY, lambda raw: without_source(raw, name))
