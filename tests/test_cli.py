"""The `watch` command line, run in-process against local servers and a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.servers import LocalServer
from watch.cli import main

FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Sec</title><link>https://sec.example/</link>'
    "<item><guid>1</guid><title>Critical CVE-2026-1234 vulnerability in OpenSSL</title>"
    "<link>https://sec.example/1?utm_source=rss</link><description>Patch now.</description>"
    "<pubDate>Mon, 16 Nov 2026 08:00:00 +0000</pubDate></item>"
    "<item><guid>2</guid><title>Football results</title><link>https://sec.example/2</link>"
    "<pubDate>Mon, 16 Nov 2026 09:00:00 +0000</pubDate></item></channel></rss>"
)


@pytest.fixture
def project(tmp_path: Path, local_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    local_server.route("/feed", FEED)
    local_server.route("/broken", "nope", status=500)
    (tmp_path / "sources.yaml").write_text(
        "name: CLI test\n"
        "topics:\n  - {name: security, label: Sécurité, keywords: [CVE, vulnerability, vulnérabilité]}\n"
        f'fetch:\n  allow_private: ["{local_server.allow}"]\n  timeout: 5\n'
        "sources:\n"
        f"  - {{name: sec, url: '{local_server.url('/feed')}', every: 1h, topics: [security], weight: 1.5}}\n"
        f"  - {{name: broken, url: '{local_server.url('/broken')}', every: 1h}}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WATCH_CONFIG", str(tmp_path / "sources.yaml"))
    monkeypatch.delenv("WATCH_DB", raising=False)
    return tmp_path


def test_check_ok_and_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "sources: 2 (2 feeds" in capsys.readouterr().out
    bad = project / "bad.yaml"
    bad.write_text("sources:\n  - {name: x, url: 'ftp://x', every: 0s}\n", encoding="utf-8")
    assert main(["check", "-c", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2: sources[0].url: 'ftp://x' is not an http(s) URL" in err
    assert f"{bad}:2: sources[0].every: '0s' is below the 5 minute minimum" in err


def test_fetch_status_export_explain_feedback(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fetch"]) == 0, "a failing source does not fail the pass"
    out = capsys.readouterr().out
    assert "new " in out and "sec" in out and "HTTP 500" in out and "1 failed" in out
    assert (project / "watch.db").exists(), "the default database sits beside sources.yaml"
    assert main(["fetch", "--strict"]) == 1
    capsys.readouterr()

    assert main(["status", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["broken"]["status"] == "error" and "500" in rows["broken"]["last_error"]
    assert rows["broken"]["error_count"] == 2 and rows["sec"]["articles"] == 2

    assert main(["export", "--format", "jsonl"]) == 0
    records = {r["guid"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    cve = records["1"]
    for key in (
        "id",
        "source",
        "guid",
        "url",
        "title",
        "summary",
        "published",
        "fetched_at",
        "topics",
        "score",
        "score_parts",
        "cluster_id",
        "cluster_size",
    ):
        assert key in cve
    assert cve["source"] == "sec" and cve["published"] == "2026-11-16T08:00:00Z"
    assert [t["name"] for t in cve["topics"]] == ["security"] and records["2"]["topics"] == []
    assert cve["score"] > records["2"]["score"]

    assert main(["explain", str(cve["id"])]) == 0
    explained = capsys.readouterr().out
    assert "security" in explained and "CVE" in explained

    assert main(["feedback", str(records["2"]["id"]), "--also", "security"]) == 0
    assert main(["feedback", str(cve["id"]), "--not", "nosuchtopic"]) == 2
    assert main(["train"]) == 0
    capsys.readouterr()
    assert main(["export", "--format", "csv", "--out", str(project / "out.csv")]) == 0
    assert (project / "out.csv").read_text(encoding="utf-8").startswith("id,source,guid,url,title")


def test_fetch_with_invalid_config_exits_2(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "sources.yaml").write_text(
        "sources:\n  - {name: x, url: 'https://x.example', every: banana}\n", encoding="utf-8"
    )
    assert main(["fetch"]) == 2
    assert "sources.yaml:2: sources[0].every" in capsys.readouterr().err


def test_unknown_source_name(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", "--source", "nope"]) == 2
    assert "unknown source: nope" in capsys.readouterr().err
