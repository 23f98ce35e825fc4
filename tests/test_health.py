"""Source health says what to do: each kind of failure, backing off, an empty feed, long names.

Real sources on local servers, fetched by `watch fetch`, then read back by `watch status`.
"""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.servers import LocalServer
from watch.cli import main
from watch.config import SourceConfig, WatchConfig
from watch.fetch.failures import failure_kind
from watch.health import source_health, status_table
from watch.models import SourceState

FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    "<item><guid>a</guid><title>Alpha</title><link>https://x.example/a</link></item>"
    "</channel></rss>"
)
EMPTY = '<?xml version="1.0"?><rss version="2.0"><channel><title>quiet</title></channel></rss>'
HTML = "<html><head><title>Blog</title></head><body><p>No feed here</p></body></html>"
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def failing(tmp_path: Path, local_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One source per kind of failure, plus an empty feed and a healthy one."""
    local_server.route("/feed", FEED)
    local_server.route("/empty", EMPTY, headers={"Content-Type": "application/rss+xml"})
    local_server.route("/login", "no", status=403)
    local_server.route("/down", "oops", status=503)
    local_server.route("/blog", HTML, headers={"Content-Type": "text/html"})
    port = closed_port()
    urls = {
        "ok": local_server.url("/feed"),
        "empty": local_server.url("/empty"),
        "moved": local_server.url("/nowhere"),
        "login": local_server.url("/login"),
        "down": local_server.url("/down"),
        "blog": local_server.url("/blog"),
        "closed": f"http://127.0.0.1:{port}/feed",
        "intranet": local_server.url("/feed").replace("127.0.0.1", "localhost"),
    }
    lines = [
        "fetch:",
        f'  allow_private: ["{local_server.allow}", "127.0.0.1:{port}"]',
        "  timeout: 5",
        "sources:",
    ]
    lines += [f"  - {{name: {name}, url: '{url}', every: 1h}}" for name, url in urls.items()]
    (tmp_path / "sources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("WATCH_CONFIG", str(tmp_path / "sources.yaml"))
    monkeypatch.delenv("WATCH_DB", raising=False)
    return tmp_path


def test_each_kind_of_failure_says_what_to_do(
    failing: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fetch"]) == 0
    fetched = {line.split()[1]: line for line in capsys.readouterr().out.splitlines()[:-1]}
    assert "HTTP 404 Not Found — the feed may have moved: open the site" in fetched["moved"]
    assert "a feed behind a login needs credentials_env (README)" in fetched["login"]
    assert fetched["down"].split("  (")[0].endswith("HTTP 503 Service Unavailable")
    assert f"add 'localhost:{local_server.port}' to fetch.allow_private" in fetched["intranet"]
    blog = local_server.url("/blog")
    assert f"`watch sources add {blog}` finds its feed or proposes a kind: page" in fetched["blog"]
    assert "warning: the feed lists no items" in fetched["empty"]

    assert main(["status", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["moved"]["advice"].startswith("the feed may have moved: open the site, or")
    assert rows["login"]["advice"].startswith("the server refuses us: a feed behind a login")
    for transient in ("down", "closed"):
        assert rows[transient]["advice"].startswith("retried automatically: retry in "), transient
    assert rows["intranet"]["advice"] == (
        f"add 'localhost:{local_server.port}' to fetch.allow_private if it is on your own network"
    )
    assert rows["blog"]["advice"].startswith(f"`watch sources add {blog}` finds its feed")
    assert rows["ok"]["problem"] is None
    assert rows["empty"]["status"] == "ok"
    assert rows["empty"]["problem"] == "warning: the feed lists no items"
    assert rows["empty"]["suggested_every"] is None, "one fetch is not 4 weeks without articles"
    failed = [name for name, row in rows.items() if row["status"] == "error"]
    assert sorted(failed) == ["blog", "closed", "down", "intranet", "login", "moved"]
    for name in failed:  # one failed attempt says nothing of how often a source publishes
        assert rows[name]["suggested_every"] is None, name
        assert "no articles in 4 weeks" not in (rows[name]["advice"] or ""), name

    assert main(["status"]) == 0
    out = capsys.readouterr().out
    advised = out.partition("frequency advice")[2].partition("\n\n")[0].splitlines()[1:]
    assert all(line.split(":")[0].strip() in ("ok", "empty") for line in advised), advised
    table = {line.split()[0]: line for line in out.splitlines() if line}
    assert table["moved"].endswith(
        "(1 failed attempt in a row); the feed may have moved: open the site, or "
        "`watch sources add <site URL>` finds its feed"
    )


def test_failure_kinds_are_read_from_the_words_the_fetch_stage_writes() -> None:
    kinds = {
        "HTTP 404 Not Found": "moved",
        "discovered feed https://a.example/f: HTTP 404 Not Found": "moved",
        "HTTP 401 Unauthorized (sent without credentials: $TOKEN is not set)": "refused",
        "HTTP 429 Too Many Requests": "slow_down",
        "could not read robots.txt: HTTP 500 Internal Server Error": "network",
        "timed out after 5 s": "timeout",
        "DNS lookup failed for nowhere.invalid": "dns",
        "connection refused by 127.0.0.1:9": "down",
        "refused: intranet resolves to 10.0.0.5, a private address": "private",
        "refused: redirect to 127.0.0.1:9 (loopback address)": "private",
        "TLS error: certificate verify failed: self-signed certificate (a.example:443)": "tls",
        "not a feed (HTML page without a feed link)": "not_a_feed",
        "HTTP 418 I'm a teapot": "other",
        "HTTP 410 Gone": "gone",
        "HTTP 503 Service Unavailable": "server",
        "body larger than 10 MB": "too_large",
        "could not parse the document (XMLSyntaxError: boom)": "unreadable",
        "select.link found no link in 3 of 14 items": "selector",
    }
    assert {error: failure_kind(error).name for error in kinds} == kinds


def test_a_source_backing_off_says_so_and_when_it_is_retried() -> None:
    """every: 1h, 4 failures: the next try is 8 h away — said as a backoff, not "due in 8 h"."""
    source = SourceConfig(name="api", url="https://api.example/feed", every="1h")
    state = SourceState(
        name="api",
        status="error",
        last_attempt=NOW,
        last_success=NOW - timedelta(days=1),
        last_error="HTTP 503 Service Unavailable",
        error_count=4,
        next_due=NOW + timedelta(hours=8),
    )
    [row] = source_health(WatchConfig(sources=(source,)), [state], {}, NOW)
    retry = "retried automatically: retry in 8 h (backing off after 4 failures)"
    assert row.advice == f"{retry}; if it lasts, tell the site"
    assert status_table([row], NOW)[1].endswith(
        f"(4 failed attempts in a row); {retry}; if it lasts, tell the site"
    )


def test_what_to_do_about_a_failing_source_is_said_in_the_boards_language() -> None:
    """The same advice as `watch status` above, said in French and German for the board: when
    the retry is and why so late, what to do about the failure, how a gone source comes back."""
    from watch.advice_words import say
    from watch.digest_lang import FRENCH, GERMAN
    from watch.health import what_to_do

    source = SourceConfig(name="api", url="https://api.example/feed", every="1h")
    state = SourceState(
        name="api",
        status="error",
        last_attempt=NOW,
        last_error="HTTP 503 Service Unavailable",
        error_count=4,
        next_due=NOW + timedelta(hours=8),
    )
    steps = what_to_do(source, state, NOW)
    assert steps is not None
    assert say(steps, FRENCH) == (
        "réessayée automatiquement\u202f: nouvel essai dans 8 h (essais espacés après 4 échecs)"
        "\u202f; si cela dure, prévenir le site"
    )
    assert say(steps, GERMAN) == (
        "wird automatisch erneut versucht: nächster Versuch in 8 Std. (längere Abstände nach 4"
        " Fehlversuchen); wenn es anhält, der Website Bescheid geben"
    )
    gone = SourceState(name="api", status="gone", last_error="HTTP 410 Gone", error_count=1)
    revive = what_to_do(source, gone, NOW)
    assert revive is not None and "«\u202fwatch fetch --source api\u202f»" in say(revive, FRENCH)
    disabled = SourceConfig(name="api", url="https://api.example/feed", enabled=False)
    assert what_to_do(disabled, state, NOW) is None


def test_the_status_table_stays_aligned_with_long_names() -> None:
    names = ["a", "imported-source-with-a-forty-char-name-xx", "x" * 55]
    sources = [
        SourceConfig(name=name, url=f"https://{i}.example/feed") for i, name in enumerate(names)
    ]
    states = [
        SourceState(name=name, status="ok", last_attempt=NOW, last_success=NOW) for name in names
    ]
    lines = status_table(source_health(WatchConfig(sources=tuple(sources)), states, {}, NOW), NOW)
    starts = {line.index(" ok ") if " ok " in line else line.index(" status ") for line in lines}
    assert starts == {40}, lines
    assert any(line.startswith("x" * 39 + "… ") for line in lines)


def test_watch_fetch_lines_stay_aligned_with_long_names(
    tmp_path: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    local_server.route("/feed", FEED)
    names = ["a", "an-imported-source-with-a-very-long-name"]
    lines = [f'fetch:\n  allow_private: ["{local_server.allow}"]\nsources:']
    lines += [f"  - {{name: {n}, url: '{local_server.url('/feed')}?{n}'}}" for n in names]
    config = tmp_path / "sources.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["fetch", "-c", str(config), "--db", f"sqlite:///{tmp_path / 'w.db'}"]) == 0
    out = capsys.readouterr().out.splitlines()[:-1]
    assert {line.index(" 1 new") for line in out} == {14 + len(names[1])}, out
