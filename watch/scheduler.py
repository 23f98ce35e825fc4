"""The scheduler daemon behind ``watch run``: one process, one instance per database.

APScheduler 3.x (AsyncIOScheduler) runs small periodic jobs; the schedule itself lives in the
store (each source's ``next_due``), so a restart resumes it instead of fetching everything now:

- ``collect`` (every few seconds): start every due source not already in flight (its own task,
  so one slow source never delays the others); also sources the board asked to "fetch now".
- ``reload`` (every few seconds): re-read sources.yaml when it changed; a bad entry is reported
  and skipped, the valid ones keep running; topics changed → scores recomputed.
- ``digest`` (every 5 minutes): send the weekly digest when its time has come (once per week).
- ``retrain`` (hourly): retrain the classifier when new feedback arrived; rescore for freshness.
- ``heartbeat``: renews this instance's lease in the store; a second ``watch run`` on the same
  database refuses to start while the lease is fresh.

SIGTERM/SIGINT stop the jobs, let in-flight sources finish their writes, and exit cleanly.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from watch.config import ConfigError, Settings, WatchConfig, validate_entries
from watch.fetch import Fetcher
from watch.pipeline import Pipeline
from watch.schedule import is_due, restored_next_due, utcnow
from watch.store.base import Store

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=90)


class AlreadyRunning(Exception):
    """Another ``watch run`` holds this database's lease."""


class WatchService:
    """Keeps every source consulted at its own frequency until stopped."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
        tick_seconds: float = 5.0,
    ) -> None:
        self.store, self.settings, self.clock = store, settings, clock
        self.tick_seconds = tick_seconds
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.config, self.config_errors = self._read_config()
        self._mtime = self._config_mtime()
        self.pipeline = Pipeline(store, self.config, settings, clock=clock)
        self.in_flight: dict[str, asyncio.Task[object]] = {}
        self.fetcher: Fetcher | None = None
        self._stop = asyncio.Event()
        self._feedback_seen = len(store.list_feedback())

    # -- lifecycle ----------------------------------------------------------------
    async def serve(self) -> None:
        """Run until SIGTERM/SIGINT (or ``stop()``), then finish in-flight work and return."""
        self.acquire_lease()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stop)
        scheduler = AsyncIOScheduler(timezone="UTC")
        jobs = {
            "collect": (self.collect_due, self.tick_seconds),
            "reload": (self.reload_if_changed, self.tick_seconds),
            "heartbeat": (self.acquire_lease, 30),
            "digest": (self.digest_if_due, 300),
            "retrain": (self.retrain_if_needed, 3600),
        }
        for name, (func, seconds) in jobs.items():
            scheduler.add_job(
                func,
                "interval",
                seconds=seconds,
                id=name,
                max_instances=1,
                coalesce=True,
                next_run_time=self.clock(),
            )
        async with Fetcher(self.config.fetch, self.settings.credentials) as fetcher:
            self.fetcher = fetcher
            scheduler.start()
            log.info("watch run: %d sources, tick %ss", len(self.config.sources), self.tick_seconds)
            await self._stop.wait()
            scheduler.shutdown(wait=False)
            await self.drain()
        self.pipeline.close()
        self.release_lease()

    def stop(self) -> None:
        log.info("stopping: letting in-flight sources finish")
        self._stop.set()

    async def drain(self) -> None:
        """Wait for every source already started to finish (and write)."""
        if self.in_flight:
            await asyncio.gather(*self.in_flight.values(), return_exceptions=True)

    # -- jobs --------------------------------------------------------------------------
    async def collect_due(self) -> list[str]:
        """Start every due (or requested) source that is not already running; return their names."""
        if self.fetcher is None or self._stop.is_set():
            return []
        now = self.clock()
        states = {s.name: s for s in self.store.list_source_states()}
        requested = self._take_fetch_requests()
        started = []
        for source in self.config.sources:
            if source.name in self.in_flight:
                continue
            if source.name in requested or is_due(source, states.get(source.name), now):
                task = asyncio.create_task(self.pipeline.update_source(self.fetcher, source))
                self.in_flight[source.name] = task  # type: ignore[assignment]
                task.add_done_callback(self._finished(source.name))
                started.append(source.name)
        return started

    def reload_if_changed(self) -> bool:
        """Re-read sources.yaml when its modification time changed; True when reloaded."""
        mtime = self._config_mtime()
        if mtime == self._mtime:
            return False
        self._mtime = mtime
        try:
            config, errors = self._read_config()
        except ConfigError as exc:
            log.error("sources.yaml not reloaded, keeping the previous one:\n%s", exc)
            return False
        topics_changed = config.topics != self.config.topics
        self._replan_changed_frequencies(config)
        self.config, self.config_errors = config, errors
        self.pipeline.config = self.pipeline.ranker.config = config
        if topics_changed:
            self.pipeline.ranker._classifier = None
            self.pipeline.ranker.rescore_all(reclassify=True)
        log.info("sources.yaml reloaded: %d sources", len(config.sources))
        return True

    def digest_if_due(self) -> None:
        if self.settings.smtp is None or not self.config.digest.recipients:
            return
        from watch.digest_job import run_scheduled_digest

        try:
            run_scheduled_digest(self.store, self.config, self.settings.smtp, self.clock())
        except Exception:
            log.exception("digest job failed")

    def retrain_if_needed(self) -> None:
        """Retrain when feedback arrived since the last training; else refresh freshness."""
        count = len(self.store.list_feedback())
        if count != self._feedback_seen:
            self.pipeline.ranker.retrain()
            self._feedback_seen = count
        else:
            self.pipeline.ranker.rescore_all(reclassify=False)

    def _replan_changed_frequencies(self, config: WatchConfig) -> None:
        """A source whose ``every`` changed is re-planned from its last attempt (a shorter
        frequency must not wait for the due time the old one set)."""
        before = {source.name: source.every for source in self.config.sources}
        now = self.clock()
        for source in config.sources:
            state = self.store.get_source_state(source.name)
            if state is not None and before.get(source.name, source.every) != source.every:
                state.next_due = restored_next_due(source, state, now)
                self.store.save_source_state(state)

    # -- lease -------------------------------------------------------------------------
    def acquire_lease(self) -> None:
        """Take or renew this database's scheduler lease; raise AlreadyRunning if held elsewhere."""
        now = self.clock()
        raw = self.store.get_meta("scheduler_lease")
        if raw:
            lease = json.loads(raw)
            fresh = now - datetime.fromisoformat(lease["heartbeat"]) < LEASE
            if fresh and lease["owner"] != self.owner:
                raise AlreadyRunning(
                    f"another 'watch run' is active on this database ({lease['owner']})"
                )
        self.store.set_meta(
            "scheduler_lease", json.dumps({"owner": self.owner, "heartbeat": now.isoformat()})
        )

    def release_lease(self) -> None:
        raw = self.store.get_meta("scheduler_lease")
        if raw and json.loads(raw)["owner"] == self.owner:
            self.store.set_meta(
                "scheduler_lease",
                json.dumps({"owner": "", "heartbeat": "1970-01-01T00:00:00+00:00"}),
            )

    # -- helpers -----------------------------------------------------------------------
    def _finished(self, name: str) -> Callable[[object], None]:
        def forget(_task: object) -> None:
            self.in_flight.pop(name, None)

        return forget

    def _read_config(self) -> tuple[WatchConfig, list[str]]:
        path = self.settings.config_path
        config, errors = validate_entries(Path(path).read_text(encoding="utf-8"), str(path))
        for error in errors:
            log.error("skipped: %s", error)
        return config, errors

    def _config_mtime(self) -> float:
        try:
            return self.settings.config_path.stat().st_mtime
        except OSError:
            return 0.0

    def _take_fetch_requests(self) -> set[str]:
        raw = self.store.get_meta("fetch_now")
        if not raw:
            return set()
        self.store.set_meta("fetch_now", "")
        try:
            data = json.loads(raw)
        except ValueError:
            return set()
        names = data.get("sources", []) if isinstance(data, dict) else data
        return {str(n) for n in names}
