"""`watch run`: due sources only, schedule kept across restarts, reload, lease, clean SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.servers import LocalServer
from watch.config import resolve_settings
from watch.fetch import Fetcher
from watch.scheduler import AlreadyRunning, WatchService
from watch.store import open_store

FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    "<item><guid>a</guid><title>Alpha</title><link>https://x.example/a</link></item></channel></rss>"
)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def write_config(path: Path, server: LocalServer, sources: list[tuple[str, str, str]]) -> None:
    lines = ["fetch:", f'  allow_private: ["{server.allow}"]', "  timeout: 5", "sources:"]
    lines += [
        f"  - {{name: {n}, url: '{server.url(p)}', every: {every}}}" for n, p, every in sources
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


async def tick(service: WatchService) -> list[str]:
    """One scheduler tick with a live fetcher: start due sources and wait for them."""
    async with Fetcher(service.config.fetch) as fetcher:
        service.fetcher = fetcher
        started = await service.collect_due()
        await service.drain()
        service.fetcher = None
    return sorted(started)


def service_for(tmp_path: Path, clock: Clock) -> WatchService:
    settings = resolve_settings(
        tmp_path / "sources.yaml", f"sqlite:///{tmp_path / 'watch.db'}", env={}
    )
    return WatchService(open_store(settings.db_url), settings, clock=clock)


def test_restart_keeps_the_schedule(local_server: LocalServer, tmp_path: Path) -> None:
    for path in ("/h", "/d"):
        local_server.route(path, FEED)
    write_config(
        tmp_path / "sources.yaml", local_server, [("hourly", "/h", "1h"), ("daily", "/d", "1d")]
    )
    clock = Clock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    first = service_for(tmp_path, clock)
    assert asyncio.run(tick(first)) == ["daily", "hourly"]
    clock.now += timedelta(minutes=10)
    assert asyncio.run(tick(first)) == []
    first.store.close()

    restarted = service_for(tmp_path, clock)  # a new process on the same database
    assert asyncio.run(tick(restarted)) == [], "a restart must not fetch everything now"
    clock.now += timedelta(minutes=55)
    assert asyncio.run(tick(restarted)) == ["hourly"]
    clock.now += timedelta(days=1)
    assert asyncio.run(tick(restarted)) == ["daily", "hourly"]
    assert len([r for r in local_server.requests if r[1] == "/h"]) == 3
    restarted.store.close()


def test_bad_entry_is_skipped_and_reload_picks_up_changes(
    local_server: LocalServer, tmp_path: Path
) -> None:
    local_server.route("/a", FEED)
    local_server.route("/b", FEED)
    config = tmp_path / "sources.yaml"
    write_config(config, local_server, [("good", "/a", "1h"), ("bad", "/b", "banana")])
    service = service_for(tmp_path, Clock(datetime.now(UTC)))
    assert [s.name for s in service.config.sources] == ["good"]
    assert any("sources[1].every" in e and "banana" in e for e in service.config_errors)
    assert asyncio.run(tick(service)) == ["good"]

    write_config(config, local_server, [("good", "/a", "1h"), ("bad", "/b", "2h")])
    os.utime(config, (1, 1))
    assert service.reload_if_changed()
    assert asyncio.run(tick(service)) == ["bad"]
    config.write_text("sources: [\n", encoding="utf-8")
    os.utime(config, (2, 2))
    assert not service.reload_if_changed(), "a broken file keeps the previous configuration"
    assert [s.name for s in service.config.sources] == ["good", "bad"]
    service.store.close()


def test_fetch_now_request_from_the_board(local_server: LocalServer, tmp_path: Path) -> None:
    local_server.route("/a", FEED)
    write_config(tmp_path / "sources.yaml", local_server, [("a", "/a", "1d")])
    clock = Clock(datetime.now(UTC))
    service = service_for(tmp_path, clock)
    assert asyncio.run(tick(service)) == ["a"]
    assert asyncio.run(tick(service)) == []
    service.store.set_meta("fetch_now", json.dumps({"sources": ["a"]}))
    assert asyncio.run(tick(service)) == ["a"]
    assert asyncio.run(tick(service)) == [], "a request is honoured once"
    service.store.close()


def test_one_scheduler_per_database(local_server: LocalServer, tmp_path: Path) -> None:
    write_config(tmp_path / "sources.yaml", local_server, [])
    clock = Clock(datetime.now(UTC))
    first, second = service_for(tmp_path, clock), service_for(tmp_path, clock)
    first.acquire_lease()
    with pytest.raises(AlreadyRunning):
        second.acquire_lease()
    first.release_lease()
    second.acquire_lease()
    first.store.close()
    second.store.close()


def test_sigterm_finishes_in_flight_work_and_exits_cleanly(
    local_server: LocalServer, tmp_path: Path
) -> None:
    arrived = threading.Event()

    def slow_feed(request) -> None:  # type: ignore[no-untyped-def]
        arrived.set()
        local_server.stopping.wait(1.0)  # the fetch is in flight when SIGTERM arrives
        request.send_body(200, FEED.encode(), {"Content-Type": "application/rss+xml"})

    local_server.handler("/slow", slow_feed)
    write_config(tmp_path / "sources.yaml", local_server, [("slow", "/slow", "1h")])
    env = {
        **os.environ,
        "WATCH_CONFIG": str(tmp_path / "sources.yaml"),
        "WATCH_DB": f"sqlite:///{tmp_path / 'watch.db'}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "watch.cli", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert arrived.wait(timeout=60), "watch run never fetched the source"
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err.decode()
    store = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    state = store.get_source_state("slow")
    assert state is not None and state.status == "ok" and state.next_due is not None
    assert store.get_source_state("slow").items_seen == 1  # type: ignore[union-attr]
    store.close()


def test_a_shorter_frequency_applies_at_once_after_reload(
    local_server: LocalServer, tmp_path: Path
) -> None:
    local_server.route("/a", FEED)
    config = tmp_path / "sources.yaml"
    write_config(config, local_server, [("a", "/a", "1d")])
    clock = Clock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    service = service_for(tmp_path, clock)
    assert asyncio.run(tick(service)) == ["a"]
    clock.now += timedelta(hours=2)
    assert asyncio.run(tick(service)) == []
    write_config(config, local_server, [("a", "/a", "1h")])
    os.utime(config, (1, 1))
    assert service.reload_if_changed()
    assert asyncio.run(tick(service)) == ["a"], "due an hour after the last attempt, not a day"
    service.store.close()
