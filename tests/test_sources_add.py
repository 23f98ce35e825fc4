"""`watch sources add URL`: find a site's feed, measure how often it publishes, suggest `every`
and topic hints, and append the entry to sources.yaml."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.servers import LocalServer
from watch.cadence import suggest_every
from watch.cli import main
from watch.config import WatchConfig, load_config, parse_config
from watch.probe import ProbeError, probe

NOW = datetime.now(UTC).replace(microsecond=0)


def atom(count: int, every: timedelta, title: str = "Release notes") -> str:
    entries = "".join(
        f"<entry><id>tag:x,{i}</id><title>CVE-2026-{1000 + i} fixed in {title}</title>"
        f'<link href="https://blog.example/{i}"/><updated>{(NOW - i * every).isoformat()}</updated>'
        f"<summary>A vulnerability fix.</summary></entry>"
        for i in range(count)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xml:lang="en"><title>Example blog</title><link href="https://blog.example/"/>'
        f"<id>tag:x</id><updated>{NOW.isoformat()}</updated>{entries}</feed>"
    )


def config_for(server: LocalServer, topics: str = "") -> WatchConfig:
    return parse_config(
        f"fetch:\n  allow_private: ['{server.allow}']\n"
        + (
            topics
            or "topics:\n  - {name: security, keywords: [CVE, vulnerability]}\n"
            "  - {name: web, keywords: [CSS, HTML]}\n"
        )
        + "sources: []\n"
    )


def test_a_page_leads_to_its_feed_with_rate_every_and_topics(local_server: LocalServer) -> None:
    local_server.route(
        "/",
        '<html><head><link rel="alternate" type="application/atom+xml" href="/feed.atom">'
        "</head><body>Hello</body></html>",
        headers={"Content-Type": "text/html"},
    )
    local_server.route(
        "/feed.atom",
        atom(10, timedelta(hours=12)),
        headers={"Content-Type": "application/atom+xml"},
    )
    found = asyncio.run(probe(local_server.url("/"), config_for(local_server), NOW))
    assert found.url == local_server.url("/feed.atom")
    assert found.discovered_from == local_server.url("/")
    assert (found.title, found.home, found.items) == ("Example blog", "https://blog.example/", 10)
    assert found.per_week == pytest.approx(14.0)
    assert found.every == "12h" and found.topics == ["security"]
    assert found.latest == NOW


def test_a_busy_feed_gets_a_period_that_never_overflows_it() -> None:
    assert suggest_every(7 * 500, kept=20) == "15m"  # 500 a day: 10 items in ~29 min
    assert suggest_every(7 * 200, kept=20) == "1h"  # 200 a day: 10 items in ~1.2 h
    assert suggest_every(7 * 10, kept=20) == "2h"  # every ~2.4 h
    assert suggest_every(2, kept=10) == "1d"  # twice a week: a daily look
    assert suggest_every(None, kept=10) == "1d"


def test_a_url_without_a_feed_says_why(local_server: LocalServer) -> None:
    local_server.route(
        "/plain", "<html><body>no feed</body></html>", headers={"Content-Type": "text/html"}
    )
    local_server.route("/missing", "nope", status=404)
    with pytest.raises(ProbeError, match="HTML page without a feed link"):
        asyncio.run(probe(local_server.url("/plain"), config_for(local_server), NOW))
    with pytest.raises(ProbeError, match="404"):
        asyncio.run(probe(local_server.url("/missing"), config_for(local_server), NOW))


def test_private_addresses_stay_refused(local_server: LocalServer) -> None:
    """The same safety rules as any fetch: not allowed in sources.yaml, not probed."""
    config = parse_config("sources: []\n")
    with pytest.raises(ProbeError, match="refused"):
        asyncio.run(probe(local_server.url("/"), config, NOW))


SOURCES_YAML = """\
# our tech watch
name: test
topics:
  - {name: security, keywords: [CVE, vulnerability]}  # what we care about
  - {name: web, keywords: [CSS, HTML]}
fetch:
  allow_private: ["ALLOW"]
sources:
  - {name: existing, url: 'https://existing.example/feed', every: 1d}
"""


@pytest.fixture
def served_blog(local_server: LocalServer) -> LocalServer:
    local_server.route(
        "/",
        '<html><head><link rel="alternate" type="application/atom+xml" href="/feed.atom">'
        "</head></html>",
        headers={"Content-Type": "text/html"},
    )
    local_server.route(
        "/feed.atom",
        atom(10, timedelta(hours=12)),
        headers={"Content-Type": "application/atom+xml"},
    )
    return local_server


def test_watch_sources_add_appends_the_feed_with_its_suggestions(
    served_blog: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES_YAML.replace("ALLOW", served_blog.allow), encoding="utf-8")
    assert main(["sources", "add", served_blog.url("/"), "-c", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"found {served_blog.url('/feed.atom')} (advertised by {served_blog.url('/')})" in out
    assert "'Example blog', 10 items, about 2 items a day" in out
    assert "most of its items match: security" in out
    assert "as 'example-blog': every 12h, topics [security]" in out
    text = path.read_text(encoding="utf-8")
    assert text.startswith(SOURCES_YAML.replace("ALLOW", served_blog.allow)), "comments kept"
    added = load_config(path).sources[-1]
    assert (added.name, added.url, added.every, added.topics) == (
        "example-blog",
        served_blog.url("/feed.atom"),
        "12h",
        ("security",),
    )

    assert main(["sources", "add", served_blog.url("/feed.atom"), "-c", str(path)]) == 1
    assert "already in sources.yaml as example-blog" in capsys.readouterr().err


def test_watch_sources_add_choices_and_dry_run(
    served_blog: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sources.yaml"
    original = SOURCES_YAML.replace("ALLOW", served_blog.allow)
    path.write_text(original, encoding="utf-8")
    args = ["sources", "add", served_blog.url("/"), "-c", str(path)]
    assert main([*args, "--dry-run"]) == 0
    assert "would add" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == original, "a dry run writes nothing"
    assert main([*args, "--name", "existing"]) == 2
    assert "already has a source named 'existing'" in capsys.readouterr().err
    assert main([*args, "--name", "vendor", "--every", "2d", "--topics", "web"]) == 0
    added = load_config(path).sources[-1]
    assert (added.name, added.every, added.topics) == ("vendor", "2d", ("web",))


def test_watch_sources_add_reports_a_url_without_feed(
    local_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local_server.route("/", "<html><body>hi</body></html>", headers={"Content-Type": "text/html"})
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES_YAML.replace("ALLOW", local_server.allow), encoding="utf-8")
    assert main(["sources", "add", local_server.url("/"), "-c", str(path)]) == 1
    assert "HTML page without a feed link" in capsys.readouterr().err
