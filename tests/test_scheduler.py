"""`watch run`: due sources only, schedule kept across restarts, reload, lease, prompt SIGTERM.

Most tests drive the service tick by tick with a fake clock; a few run ``serve()`` itself
(in-process, stopped from the local server's handler thread) or the real ``watch run``
process, when what matters is what happens at startup or on a signal.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import watch.scheduler
from tests.support.servers import LocalServer
from watch.config import resolve_settings
from watch.models import Feedback, FetchLogEntry
from watch.replan import replan_sources
from watch.scheduler import AlreadyRunning, WatchService
from watch.store import open_store
from watch.store.base import ArticleQuery

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


async def collect(service: WatchService) -> list[str]:
    """One scheduler tick: start due sources (on the service's own fetcher), wait for them."""
    started = await service.collect_due()
    await service.drain()
    return sorted(started)


async def tick(service: WatchService) -> list[str]:
    """One tick in an event loop of its own (the service's fetcher closed after it)."""
    started = await collect(service)
    await service.close_fetchers()
    return started


def service_for(
    tmp_path: Path, clock: Callable[[], datetime], env: dict[str, str] | None = None
) -> WatchService:
    settings = resolve_settings(
        tmp_path / "sources.yaml", f"sqlite:///{tmp_path / 'watch.db'}", env=env or {}
    )
    return WatchService(open_store(settings.db_url), settings, clock=clock, tick_seconds=0.05)


def feed_that_signals(server: LocalServer, path: str) -> threading.Event:
    """Serve FEED at ``path``; the event is set when it has been requested."""
    arrived = threading.Event()
    server.handler(
        path,
        lambda request: (
            request.send_body(200, FEED.encode(), {"Content-Type": "application/rss+xml"}),
            arrived.set(),
        ),
    )
    return arrived


def serve_until(service: WatchService, arrived: threading.Event, timeout: float = 10) -> bool:
    """Run ``serve()`` until ``arrived`` is set by a request handler (or ``timeout``), then stop
    it as SIGTERM would; True when the event came."""

    async def go() -> bool:
        serving = asyncio.create_task(service.serve())
        came = await asyncio.to_thread(arrived.wait, timeout)
        service.stop()
        await serving
        return came

    try:
        return asyncio.run(go())
    finally:
        service.store.close()


def watch_run(tmp_path: Path, *extra_env: tuple[str, str]) -> subprocess.Popen[bytes]:
    """The real ``watch run`` process on tmp_path's sources.yaml and database."""
    env = {
        **os.environ,
        "WATCH_CONFIG": str(tmp_path / "sources.yaml"),
        "WATCH_DB": f"sqlite:///{tmp_path / 'watch.db'}",
        **dict(extra_env),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "watch.cli", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_request(event: threading.Event, process: subprocess.Popen[bytes]) -> bool:
    """Wait until ``event`` (a request arrived) or the process exited; True for the request."""
    threading.Thread(target=lambda: (process.wait(), event.set()), daemon=True).start()
    return event.wait(timeout=60) and process.poll() is None


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


def test_sigterm_cancels_a_slow_fetch_and_exits_at_once(
    local_server: LocalServer, tmp_path: Path
) -> None:
    arrived = threading.Event()

    def trickle(request) -> None:  # type: ignore[no-untyped-def]
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Content-Length", "1000")
        request.end_headers()
        arrived.set()
        request.stream(iter(lambda: local_server.stopping.wait(1.0) or b"<", b""))

    local_server.handler("/slow", trickle)
    config = tmp_path / "sources.yaml"
    write_config(config, local_server, [("slow", "/slow", "1h")])
    config.write_text(config.read_text().replace("timeout: 5", "timeout: 60"))
    process = watch_run(tmp_path)
    try:
        assert wait_for_request(arrived, process), process.communicate()[1].decode()
        signalled = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
        stopped_in = time.monotonic() - signalled
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err.decode()
    assert stopped_in < 5, f"took {stopped_in:.1f} s to stop (the fetch timeout is 60 s)"
    assert "fetch of slow cancelled" in err.decode()
    store = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    assert store.get_source_state("slow") is None, "a cancelled fetch is not an attempt"
    assert json.loads(store.get_meta("scheduler_lease") or "{}")["owner"] == ""
    store.close()


def test_run_starts_with_a_bad_entry_and_collects_the_valid_ones(
    local_server: LocalServer, tmp_path: Path
) -> None:
    arrived = feed_that_signals(local_server, "/a")
    write_config(
        tmp_path / "sources.yaml", local_server, [("good", "/a", "1h"), ("bad", "/b", "banana")]
    )
    process = watch_run(tmp_path)
    try:
        started = wait_for_request(arrived, process)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert started and process.returncode == 0, err.decode()
    assert "sources.yaml:6: sources[1].every: 'banana' is not a duration" in err.decode()


def test_a_lease_left_by_a_dead_process_on_this_host_is_taken_over_at_once(
    local_server: LocalServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_config(tmp_path / "sources.yaml", local_server, [])
    script = [sys.executable, "-c", "import os; print(os.getpid())"]
    dead = subprocess.run(script, check=True, capture_output=True, text=True)  # exited: dead
    holder = f"{socket.gethostname()}:{dead.stdout.strip()}:0badc0de"
    service = service_for(tmp_path, lambda: datetime.now(UTC))
    fresh = datetime.now(UTC).isoformat()
    service.store.set_meta("scheduler_lease", json.dumps({"owner": holder, "heartbeat": fresh}))
    with caplog.at_level(logging.WARNING, logger="watch.lease"):
        service.acquire_lease()
    assert f"taking over the lease of 'watch run' {holder}" in caplog.text
    assert json.loads(service.store.get_meta("scheduler_lease") or "")["owner"] == service.owner

    alive = f"{socket.gethostname()}:{os.getppid()}:0badc0de"
    service.store.set_meta("scheduler_lease", json.dumps({"owner": alive, "heartbeat": fresh}))
    with pytest.raises(AlreadyRunning, match=f"pid {os.getppid()} on this host"):
        service.acquire_lease()
    elsewhere = "build-box:4242:0badc0de"
    service.store.set_meta("scheduler_lease", json.dumps({"owner": elsewhere, "heartbeat": fresh}))
    with pytest.raises(AlreadyRunning, match=r"on host build-box.*expires at \d\d:\d\d:\d\d UTC"):
        service.acquire_lease()
    service.store.close()


def test_a_frequency_changed_while_stopped_applies_at_startup(
    local_server: LocalServer, tmp_path: Path
) -> None:
    arrived = feed_that_signals(local_server, "/a")
    config = tmp_path / "sources.yaml"
    write_config(config, local_server, [("a", "/a", "30d")])
    first = service_for(tmp_path, lambda: datetime.now(UTC) - timedelta(minutes=10))
    assert asyncio.run(tick(first)) == ["a"]  # fetched 10 minutes ago, next due in 30 days
    first.store.close()
    arrived.clear()
    write_config(config, local_server, [("a", "/a", "5m")])
    restarted = service_for(tmp_path, lambda: datetime.now(UTC))
    assert serve_until(restarted, arrived), "every: 5m must apply at startup, not in 30 days"


def test_the_daemon_sends_credentials_from_the_environment(
    local_server: LocalServer, tmp_path: Path
) -> None:
    arrived = feed_that_signals(local_server, "/private")
    config = tmp_path / "sources.yaml"
    write_config(config, local_server, [("priv", "/private", "1h")])
    config.write_text(config.read_text().replace("every: 1h}", "every: 1h, credentials_env: PRIV}"))
    service = service_for(tmp_path, lambda: datetime.now(UTC), env={"PRIV_TOKEN": "s3cr3t"})
    assert serve_until(service, arrived)
    assert local_server.requests[0][2].get("Authorization") == "Bearer s3cr3t"


def test_reload_applies_fetch_settings_and_credentials_of_new_sources(
    local_server: LocalServer, tmp_path: Path
) -> None:
    local_server.route("/a", FEED)
    local_server.route("/b", FEED)
    config = tmp_path / "sources.yaml"
    config.write_text(
        f"sources:\n  - {{name: a, url: '{local_server.url('/a')}', every: 1h}}\n",
        encoding="utf-8",
    )
    clock = Clock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    service = service_for(tmp_path, clock, env={"B_TOKEN": "tok-b"})

    async def running() -> None:  # one event loop, as in `watch run`
        assert await collect(service) == ["a"]
        state = service.store.get_source_state("a")
        assert state is not None and "loopback" in (state.last_error or ""), "not allowed yet"
        write_config(config, local_server, [("a", "/a", "1h"), ("b", "/b", "1h")])
        config.write_text(
            config.read_text().replace("/b', every: 1h}", "/b', every: 1h, credentials_env: B}")
        )
        os.utime(config, (1, 1))
        assert service.reload_if_changed()
        clock.now += timedelta(hours=2)  # past the backoff of the refused attempt
        assert await collect(service) == ["a", "b"]
        await service.close_fetchers()

    asyncio.run(running())
    assert {p: h.get("Authorization") for _, p, h in local_server.requests} == {
        "/a": None,
        "/b": "Bearer tok-b",
    }
    service.store.close()


def test_a_fetch_in_flight_finishes_on_the_fetcher_it_started_with(
    local_server: LocalServer, tmp_path: Path
) -> None:
    arrived, answer = threading.Event(), threading.Event()

    def slow(request) -> None:  # type: ignore[no-untyped-def]
        arrived.set()
        answer.wait(10)
        request.send_body(200, FEED.encode(), {"Content-Type": "application/rss+xml"})

    local_server.handler("/slow", slow)
    config = tmp_path / "sources.yaml"
    write_config(config, local_server, [("slow", "/slow", "1h")])
    service = service_for(tmp_path, Clock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC)))

    async def running() -> None:
        assert await service.collect_due() == ["slow"]
        assert await asyncio.to_thread(arrived.wait, 10), "the request is in flight"
        first = service.fetcher
        config.write_text(config.read_text().replace("timeout: 5", "timeout: 7"))
        os.utime(config, (1, 1))
        assert service.reload_if_changed()
        assert await service.collect_due() == [], "still in flight"
        assert service.fetcher is not first, "new fetch settings, new fetcher"
        await asyncio.sleep(0)  # let the retired fetcher close if it were not waiting
        answer.set()
        await service.drain()
        await service.close_fetchers()

    asyncio.run(running())
    state = service.store.get_source_state("slow")
    assert state is not None and state.status == "ok", state and state.last_error
    service.store.close()


def test_a_gone_source_is_revived_by_a_new_url_or_a_disable_enable_cycle(
    local_server: LocalServer, tmp_path: Path
) -> None:
    local_server.route("/gone", "gone", status=410)
    local_server.route("/also-gone", "gone", status=410)
    local_server.route("/new", FEED)
    config = tmp_path / "sources.yaml"
    write_config(config, local_server, [("a", "/gone", "1h"), ("b", "/also-gone", "1h")])
    clock = Clock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    service = service_for(tmp_path, clock)
    assert asyncio.run(tick(service)) == ["a", "b"]
    clock.now += timedelta(days=2)
    assert asyncio.run(tick(service)) == [], "gone sources are not consulted again"

    write_config(config, local_server, [("a", "/new", "1h"), ("b", "/also-gone", "1h")])
    os.utime(config, (1, 1))
    assert service.reload_if_changed()
    assert asyncio.run(tick(service)) == ["a"], "a fixed url is fetched at once"
    assert service.store.get_source_state("a").status == "ok"  # type: ignore[union-attr]

    config.write_text(config.read_text().replace("every: 1h}\n", "every: 1h, enabled: false}\n"))
    os.utime(config, (2, 2))
    assert service.reload_if_changed()
    write_config(config, local_server, [("a", "/new", "1h"), ("b", "/also-gone", "1h")])
    os.utime(config, (3, 3))
    assert service.reload_if_changed()
    assert asyncio.run(tick(service)) == ["b"], "re-enabled: tried again at once"
    assert service.store.get_source_state("b").status == "gone"  # type: ignore[union-attr]
    service.store.close()


def test_a_gone_source_whose_url_changed_while_stopped_is_fetched_at_startup(
    local_server: LocalServer, tmp_path: Path
) -> None:
    local_server.route("/gone", "gone", status=410)
    local_server.route("/new", FEED)
    config = tmp_path / "sources.yaml"
    write_config(config, local_server, [("a", "/gone", "1h")])
    clock = Clock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    first = service_for(tmp_path, clock)
    assert asyncio.run(tick(first)) == ["a"]
    first.store.close()
    write_config(config, local_server, [("a", "/new", "1h")])
    restarted = service_for(tmp_path, clock)
    restarted.start()
    assert asyncio.run(tick(restarted)) == ["a"]
    restarted.release_lease()
    restarted.store.close()


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


def test_a_topic_edit_while_running_reclassifies_and_keeps_corrections(
    local_server: LocalServer, tmp_path: Path
) -> None:
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><guid>a</guid><title>A CVE in the recipe app</title>"
        "<link>https://x.example/a</link></item>"
        "<item><guid>b</guid><title>A new recipe for apple pie</title>"
        "<link>https://x.example/b</link></item></channel></rss>"
    )
    local_server.route("/a", feed)
    config = tmp_path / "sources.yaml"
    write_config(config, local_server, [("news", "/a", "1h")])
    base = config.read_text(encoding="utf-8")
    config.write_text("topics:\n  - {name: security, keywords: [CVE]}\n" + base, encoding="utf-8")
    service = service_for(tmp_path, Clock(datetime.now(UTC)))
    asyncio.run(tick(service))
    by_title = {a.title: a for a in service.store.query_articles(ArticleQuery())}
    cve = by_title["A CVE in the recipe app"]
    not_security = Feedback(article_id=cve.id, kind="not_topic", topic="security")
    service.pipeline.ranker.record_feedback(not_security)

    topics = "  - {name: security, keywords: [CVE]}\n  - {name: cooking, keywords: [recipe]}\n"
    config.write_text("topics:\n" + topics + base, encoding="utf-8")
    os.utime(config, (1, 1))
    assert service.reload_if_changed()
    now = {
        a.title: [m.name for m in a.topics] for a in service.store.query_articles(ArticleQuery())
    }
    assert now == {
        "A CVE in the recipe app": ["cooking"],
        "A new recipe for apple pie": ["cooking"],
    }
    service.store.close()


def test_a_label_edit_while_running_renames_the_sources_in_explanations_at_once(
    local_server: LocalServer, tmp_path: Path
) -> None:
    for name, words in (("lwn", "in TLS handshake"), ("hn", "in the TLS handshake")):
        local_server.route(
            f"/{name}",
            '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            f"<link>https://{name}.example/</link><item>"  # one site per source
            f"<guid>{name}</guid><title>OpenSSL fixes CVE-2026-1234 {words}</title>"
            f"<link>https://{name}.example/1</link></item></channel></rss>",
        )
    config = tmp_path / "sources.yaml"
    write_config(config, local_server, [("lwn", "/lwn", "1h"), ("hn", "/hn", "1h")])
    service = service_for(tmp_path, Clock(datetime.now(UTC)))
    asyncio.run(tick(service))

    def coverage_lines() -> set[str]:
        articles = service.store.query_articles(ArticleQuery())
        return {line for a in articles for line in a.explanation if "covered by" in line}

    assert coverage_lines() == {"covered by 2 sources: hn, lwn", "covered by 2 sources: lwn, hn"}
    config.write_text(
        config.read_text(encoding="utf-8").replace("{name: hn,", "{name: hn, label: Hacker News,"),
        encoding="utf-8",
    )
    os.utime(config, (1, 1))
    assert service.reload_if_changed()
    assert coverage_lines() == {
        "covered by 2 sources: Hacker News, lwn",
        "covered by 2 sources: lwn, Hacker News",
    }
    service.store.close()


def test_each_consulted_source_is_one_log_line_saying_what_happens_next(
    local_server: LocalServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The line said what a fetch gave, never what comes next: when it is fetched again, when
    a failing one is retried and why, how a gone one comes back.  Read from the stored state."""
    local_server.route("/a", FEED)
    local_server.route("/gone", "", status=410)
    local_server.route("/limited", "slow down", status=429, headers={"Retry-After": "3600"})
    local_server.route("/broken", "oops", status=500)
    sources = [("a", "/a", "1h"), ("g", "/gone", "1h"), ("limited", "/limited", "5m")]
    write_config(tmp_path / "sources.yaml", local_server, [*sources, ("broken", "/broken", "5m")])
    clock = Clock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    service = service_for(tmp_path, clock)
    with caplog.at_level(logging.INFO, logger="watch.scheduler"):
        asyncio.run(tick(service))
        for _ in range(2):  # the 2nd and 3rd failures of "broken", each when it is due
            clock.now = service.store.get_source_state("broken").next_due  # type: ignore[union-attr]
            asyncio.run(tick(service))
    service.store.close()
    lines = [r.getMessage() for r in caplog.records if r.name == "watch.scheduler"]
    assert any(
        re.fullmatch(r"a: 1 new, 0 updated of 1; next in 1 h, at 10:0\d UTC", x) for x in lines
    )
    gone = next(line for line in lines if line.startswith("g: gone: HTTP 410"))
    assert gone.endswith("; no longer fetched: fix its url: in sources.yaml, or "
                         "disable and re-enable it, to bring it back")  # fmt: skip
    limited = next(line for line in lines if line.startswith("limited: error: HTTP 429"))
    assert limited.endswith("; retry in 1 h (Retry-After)"), limited
    broken = [line for line in lines if line.startswith("broken: error:")]
    assert broken[0].endswith("; retry in 5 min (1st failure)"), broken
    assert broken[2].endswith("; retry in 20 min (3rd failure, backing off)"), broken
    assert all("\n" not in line for line in lines)


def test_a_reload_changes_the_schedule_between_collections_never_during_one(
    local_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """APScheduler runs a plain function in a thread: the reload then swapped sources.yaml and
    re-planned the store while a collection read them (seen: a source renamed while running
    was fetched again at once as a new one) and could write back a state a fetch had just
    replaced.  It must run on the event loop, like the collection and the fetches' writes."""
    local_server.route("/a", FEED)
    config = tmp_path / "sources.yaml"
    write_config(config, local_server, [("a", "/a", "1h")])
    service = service_for(tmp_path, lambda: datetime.now(UTC))
    assert asyncio.run(tick(service)) == ["a"]
    replanned_in: list[int] = []
    reloaded = threading.Event()

    def replan_recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        names = replan_sources(*args, **kwargs)
        replanned_in.append(threading.get_ident())
        if kwargs.get("skip") is not None:  # a reload (the startup re-plan has no skip)
            reloaded.set()
        return names

    monkeypatch.setattr(watch.scheduler, "replan_sources", replan_recording)
    write_config(config, local_server, [("renamed", "/a", "1h")])  # picked up by `serve`
    os.utime(config, (1, 1))

    async def go() -> None:
        serving = asyncio.create_task(service.serve())
        assert await asyncio.to_thread(reloaded.wait, 10), "the edit is picked up"
        service.stop()
        await serving

    try:
        asyncio.run(go())
        assert set(replanned_in) == {threading.get_ident()}, "re-planned outside the event loop"
        assert service.store.get_source_state("a") is None
        state = service.store.get_source_state("renamed")
        assert state is not None and state.status == "ok", "the renamed source keeps its history"
        assert len(local_server.requests) == 1, "a renamed source is not fetched again"
    finally:
        service.store.close()


def test_a_scheduler_whose_lease_was_taken_over_stops(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """Suspended or cut off from the database past the lease, a `watch run` finds another one
    holding it at its next heartbeat: it stops (before, the heartbeat's AlreadyRunning was a
    traceback in the log every 30 s and both schedulers kept fetching)."""
    arrived = feed_that_signals(local_server, "/a")
    write_config(tmp_path / "sources.yaml", local_server, [("a", "/a", "1h")])
    settings = resolve_settings(
        tmp_path / "sources.yaml", f"sqlite:///{tmp_path / 'watch.db'}", env={}
    )
    service = WatchService(
        open_store(settings.db_url), settings, tick_seconds=0.05, heartbeat_seconds=0.05
    )
    elsewhere = {"owner": "build-box:4242:0badc0de", "heartbeat": datetime.now(UTC).isoformat()}

    async def go() -> None:
        serving = asyncio.create_task(service.serve())
        assert await asyncio.to_thread(arrived.wait, 10)  # running, lease held
        service.store.set_meta("scheduler_lease", json.dumps(elsewhere))
        await asyncio.wait_for(serving, timeout=10)

    try:
        asyncio.run(go())
        lease = json.loads(service.store.get_meta("scheduler_lease") or "{}")
        assert lease["owner"] == elsewhere["owner"], "the other instance keeps its lease"
    finally:
        service.store.close()


def test_a_fetch_now_request_cancelled_by_a_stop_survives_the_restart(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """The request was consumed when the fetch started: cancelled by SIGTERM, it was lost and
    the source kept its old due time (tomorrow)."""
    arrived, answer = threading.Event(), threading.Event()
    slow = [False]

    def respond(request) -> None:  # type: ignore[no-untyped-def]
        if slow[0]:
            arrived.set()
            answer.wait(10)
        request.send_body(200, FEED.encode(), {"Content-Type": "application/rss+xml"})

    local_server.handler("/a", respond)
    write_config(tmp_path / "sources.yaml", local_server, [("a", "/a", "1d")])
    clock = Clock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    first = service_for(tmp_path, clock)
    assert asyncio.run(tick(first)) == ["a"]
    slow[0] = True
    first.store.set_meta("fetch_now", json.dumps({"sources": ["a"], "requested_at": "x"}))

    async def stopped_while_fetching() -> list[str]:
        assert await first.collect_due() == ["a"]
        assert await asyncio.to_thread(arrived.wait, 10), "the requested fetch is in flight"
        cancelled = await first.cancel_in_flight()  # what SIGTERM does
        await first.close_fetchers()
        return cancelled

    try:
        assert asyncio.run(stopped_while_fetching()) == ["a"]
    finally:
        answer.set()
    first.store.close()
    slow[0] = False
    restarted = service_for(tmp_path, clock)
    assert asyncio.run(tick(restarted)) == ["a"], "the request is honoured after the restart"
    assert asyncio.run(tick(restarted)) == [], "and then only once"
    assert restarted.store.get_meta("fetch_now") == ""
    restarted.store.close()


def test_a_longer_frequency_applies_after_reload(local_server: LocalServer, tmp_path: Path) -> None:
    """every: 5m → 2h kept the 5 minute due time (the earlier of stored and re-planned)."""
    local_server.route("/a", FEED)
    config = tmp_path / "sources.yaml"
    write_config(config, local_server, [("a", "/a", "5m")])
    clock = Clock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    service = service_for(tmp_path, clock)
    assert asyncio.run(tick(service)) == ["a"]
    write_config(config, local_server, [("a", "/a", "2h")])
    os.utime(config, (1, 1))
    assert service.reload_if_changed()
    clock.now += timedelta(minutes=6)
    assert asyncio.run(tick(service)) == [], "every: 2h now, not 5m"
    clock.now += timedelta(hours=2)
    assert asyncio.run(tick(service)) == ["a"]
    service.store.close()


def reload_log(service: WatchService, config: Path, caplog: pytest.LogCaptureFixture) -> list[str]:
    """The "reloaded" lines ``service`` logs once ``config`` has changed; closes its store."""
    os.utime(config, (1, 1))
    with caplog.at_level(logging.INFO, logger="watch.scheduler"):
        assert service.reload_if_changed()
    service.store.close()
    return [r.getMessage() for r in caplog.records if "reloaded" in r.getMessage()]


def test_the_reload_log_says_what_changed(
    local_server: LocalServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "sources.yaml"
    before = [
        ("macworld", "/m", "5m"),
        ("old", "/o", "1h"),
        ("b", "/b", "1h"),
        ("monthly", "/y", "30d"),
    ]
    write_config(config, local_server, before)
    service = service_for(tmp_path, Clock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC)))
    after = [
        ("macworld", "/m", "2h"),
        ("new", "/n", "1h"),
        ("b2", "/b", "1h"),
        ("monthly", "/y", "soon"),
    ]
    write_config(config, local_server, after)
    lines = reload_log(service, config, caplog)
    assert lines == [
        "sources.yaml reloaded: 3 sources; added: new; removed: old; renamed: b → b2; "
        "every changed: macworld 5m → 2h; monthly paused: line 8 is invalid"
    ]


def test_removing_50_sources_names_8_and_counts_the_rest() -> None:
    from watch.config import parse_config
    from watch.replan import describe_changes

    def config(names: list[str]) -> str:
        entries = [f"  - {{name: {n}, url: 'https://{n}.example/feed', every: 1h}}" for n in names]
        return "sources:\n" + "\n".join(entries) + "\n"

    kept = [f"kept{i}" for i in range(3)]
    gone = [f"gone{i:02d}" for i in range(50)]
    line = describe_changes(parse_config(config(kept + gone)), parse_config(config(kept)), {})
    assert line == (
        "3 sources; removed: gone00, gone01, gone02, gone03, gone04, gone05, gone06, gone07 "
        "and 42 more"
    )


def test_the_reload_log_names_the_file_a_duplicate_entry_and_a_source_fixed_again(
    local_server: LocalServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A second entry named like a running one is skipped while the first keeps running; a
    source whose entry is fixed again is resumed, not added; the log names run.yaml."""
    config = tmp_path / "run.yaml"
    write_config(config, local_server, [("rsc", "/r", "1h"), ("b", "/b", "banana")])
    settings = resolve_settings(config, f"sqlite:///{tmp_path / 'watch.db'}", env={})
    clock = Clock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    service = WatchService(open_store(settings.db_url), settings, clock=clock)
    write_config(
        config, local_server, [("rsc", "/r", "1h"), ("b", "/b", "2h"), ("rsc", "/x", "1h")]
    )
    lines = reload_log(service, config, caplog)
    assert lines == [
        "run.yaml reloaded: 2 sources; resumed: b; line 7 skipped: duplicate name 'rsc'"
        " (first at line 5); rsc keeps running"
    ]


def test_the_reload_log_names_the_alerts_and_the_digest_settings_that_changed(
    local_server: LocalServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Session 12 audit: adding an alert and changing another's query logged "sources.yaml
    reloaded: 3 sources, nothing changed in them" (the edits did apply)."""
    config = tmp_path / "sources.yaml"
    write_config(config, local_server, [("a", "/a", "1h")])
    sources = config.read_text(encoding="utf-8")

    def alerts(*entries: str) -> str:
        return "alerts:\n" + "".join(
            f"  - {{{entry}, recipients: [ops@example.org]}}\n" for entry in entries
        )

    config.write_text(
        "digest: {language: fr}\n"
        + alerts("name: client, query: acme", "name: old, query: x")
        + sources,
        encoding="utf-8",
    )
    service = service_for(tmp_path, Clock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC)))
    config.write_text(
        "digest: {language: en, recipients: [team@example.org]}\n"
        + alerts("name: client, query: 'acme OR globex'", "name: injection, query: sqli")
        + sources,
        encoding="utf-8",
    )
    assert reload_log(service, config, caplog) == [
        "sources.yaml reloaded: 1 source; alert added: injection; alert changed: client (query);"
        " alert removed: old; digest: recipients changed, language fr → en"
    ]


def test_the_daemon_log_has_one_line_per_fetch_and_no_library_chatter(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """httpx logged every request at INFO beside our own line for the same fetch, and alembic
    its "Context impl SQLiteImpl" at every start."""
    local_server.route("/a", FEED)
    write_config(tmp_path / "sources.yaml", local_server, [("good", "/a", "1h")])
    process = watch_run(tmp_path)
    lines: list[str] = []
    fetched = threading.Event()

    def read_log() -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            lines.append(raw.decode())
            if "good: 1 new" in lines[-1]:
                fetched.set()
        fetched.set()  # the process ended

    reader = threading.Thread(target=read_log, daemon=True)
    reader.start()
    try:
        assert fetched.wait(60) and process.poll() is None, "".join(lines)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        reader.join(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    log = "".join(lines)
    assert process.returncode == 0, log
    assert "HTTP Request" not in log and "httpx" not in log, log
    assert "Context impl" not in log and "alembic" not in log, log
    assert re.search(r"INFO watch\.scheduler: good: 1 new, 0 updated of 1; next in 1 h, at ", log)


def test_a_topic_edit_rebuilds_the_model_without_holding_up_the_next_reloads(
    local_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reload job returns while the model is rebuilt in a thread (it used to wait for it,
    and APScheduler skipped, with a warning every 5 s, each reload due meanwhile)."""
    config = tmp_path / "sources.yaml"
    write_config(config, local_server, [("a", "/a", "1h")])
    service = service_for(tmp_path, Clock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC)))
    release, finished = threading.Event(), threading.Event()

    def slow_refresh() -> None:
        release.wait(timeout=5)  # the rebuild takes until the test releases it
        finished.set()

    monkeypatch.setattr(service, "refresh_model", slow_refresh)
    config.write_text(
        "topics:\n  - {name: cloud, keywords: [Kubernetes]}\n" + config.read_text(), "utf-8"
    )
    os.utime(config, (1, 1))

    async def scenario() -> bool:
        await service.reload_between_collections()
        returned_during_the_rebuild = not finished.is_set()
        release.set()
        await asyncio.gather(*service._refreshing)
        return returned_during_the_rebuild and finished.is_set()

    assert asyncio.run(scenario())
    service.store.close()


def test_the_log_line_of_a_page_that_lost_items_carries_its_warning() -> None:
    """Session 8: `watch fetch` and `watch status` showed a page's partial loss; the daemon's
    log line said only "12 new", so a lead reading the journal never learnt of it."""
    from watch.health import describe_outcome
    from watch.pipeline import SourceOutcome

    lost = "select.link 'a@href' found no link in 3 of 14 items (those items were skipped)"
    outcome = SourceOutcome("vendor", "new", new=11, seen=11, warning=lost)
    assert describe_outcome(outcome) == f"vendor: 11 new, 0 updated of 11; warning: {lost}"


def test_watch_run_posts_the_weekly_digest_to_the_chat_without_any_mail_set_up(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """Session 8: the digest job returned early without SMTP settings and recipients, so a
    team that reads Slack only never got its digest from `watch run`."""
    posts: list[bytes] = []
    local_server.handler(
        "/hooks/team", lambda request: (posts.append(request.body), request.send_body(200, b"ok"))
    )
    write_config(tmp_path / "sources.yaml", local_server, [])
    with (tmp_path / "sources.yaml").open("a", encoding="utf-8") as config:
        config.write(
            "digest:\n  timezone: Europe/Paris\n"
            "  chats: [{name: team, kind: mattermost, url_env: TEAM_HOOK}]\n"
        )
    monday_0805_paris = datetime(2026, 11, 23, 7, 5, tzinfo=UTC)
    service = service_for(
        tmp_path, Clock(monday_0805_paris), env={"TEAM_HOOK": local_server.url("/hooks/team")}
    )
    first_fetch = FetchLogEntry("alpha", monday_0805_paris - timedelta(days=5), "error")
    service.store.add_fetch_log(first_fetch)  # the watch ran in W47 (its sources failing)
    service.digest_if_due()
    service.digest_if_due()  # once a week
    record = service.store.get_digest("2026-W47 chat:team")
    service.store.close()
    assert len(posts) == 1 and b"2026-W47" in posts[0]
    assert record is not None and record.status == "sent"
