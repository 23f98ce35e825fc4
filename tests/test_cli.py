"""The `watch` command line, run in-process against local servers and a real SQLite file."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support.servers import LocalServer
from watch.cli import main
from watch.opml import WATCH_NS

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


def append_to_config(project: Path, text: str) -> Path:
    """Add ``text`` at the end of the project's sources.yaml; its path."""
    path = project / "sources.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


def test_check_ok_and_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "sources: 2 (2 feeds, 0 pages, 0 disabled)" in capsys.readouterr().out
    one = project / "one.yaml"
    one.write_text("sources:\n  - {name: a, url: 'https://a.example/feed', every: 1h}\n")
    assert main(["check", "-c", str(one)]) == 0
    said = capsys.readouterr().out
    assert "sources: 1 (1 feed, 0 pages, 0 disabled)" in said and "0 recipients" in said
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
    assert "2 sources: 1 with new articles" in out and "; 2 new articles" in out
    assert (project / "watch.db").exists(), "the default database sits beside sources.yaml"
    assert main(["fetch", "--strict"]) == 1
    capsys.readouterr()

    assert main(["status", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["broken"]["status"] == "error" and "500" in rows["broken"]["last_error"]
    assert rows["broken"]["error_count"] == 2 and rows["sec"]["articles"] == 2
    assert (rows["sec"]["title"], rows["sec"]["home_url"]) == ("Sec", "https://sec.example/")
    assert rows["broken"]["title"] is None and rows["broken"]["home_url"] is None

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
    assert "Sécurité" in explained and "CVE" in explained  # the topic by its label

    assert main(["feedback", str(records["2"]["id"]), "--also", "security"]) == 0
    assert main(["feedback", str(cve["id"]), "--not", "nosuchtopic"]) == 2
    capsys.readouterr()
    assert main(["feedback", str(cve["id"]), "--up"]) == 0
    liked = capsys.readouterr().out
    assert main(["feedback", str(cve["id"]), "--unvote"]) == 0
    taken_back = capsys.readouterr().out
    assert "feedback stored (up-vote)" in liked and "topics: Sécurité;" in liked
    assert "feedback stored (vote taken back)" in taken_back
    before, after = (
        int(out.split("score ")[1].split(" ")[2].rstrip(",")) for out in (liked, taken_back)
    )
    assert after < before, "the up-vote's points are gone"
    assert main(["train"]) == 0
    trained = capsys.readouterr().out
    assert "model trained with 3 feedback items" in trained
    assert trained.rstrip().endswith("articles tagged per topic: unchanged")
    assert main(["export", "--format", "csv", "--out", str(project / "out.csv")]) == 0
    assert (project / "out.csv").read_text(encoding="utf-8-sig").startswith("id,source,guid,url")
    semicolons = ["export", "--format", "csv", "--delimiter", ";", "--out", str(project / "f.csv")]
    assert main(semicolons) == 0
    assert (project / "f.csv").read_text(encoding="utf-8-sig").startswith("id;source;guid;url")


def test_fetch_with_invalid_config_exits_2(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "sources.yaml").write_text(
        "sources:\n  - {name: x, url: 'https://x.example', every: banana}\n", encoding="utf-8"
    )
    assert main(["fetch"]) == 2
    assert "sources.yaml:2: sources[0].every" in capsys.readouterr().err


def test_check_warns_about_a_private_address_that_every_fetch_would_refuse(
    project: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    append_to_config(
        project,
        "  - {name: lan, url: 'http://127.0.0.1:18205/feed0.xml'}\n"
        + "  - {name: box, url: 'http://[::ffff:10.0.0.5]/feed'}\n",
    )
    assert main(["check"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "refused" in line]
    assert warnings == [
        "warning: source 'lan': refused: 127.0.0.1 is a loopback address: every fetch will be "
        "refused; add '127.0.0.1:18205' to fetch.allow_private if it is on your own network",
        "warning: source 'box': refused: 10.0.0.5 is a private address: every fetch will be "
        "refused; add '10.0.0.5:80' to fetch.allow_private if it is on your own network",
    ], "the test server's own allowed 127.0.0.1:PORT is not warned about"


def test_one_bad_entry_is_skipped_and_said_the_others_are_fetched_then_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A typo in one of 400 entries must not block every manual fetch (`watch run` skips it
    too); the exit status still says the file is invalid."""
    append_to_config(project, "  - {name: typo, url: 'https://typo.example/feed', colour: red}\n")
    assert main(["fetch"]) == 2
    out, err = capsys.readouterr()
    assert "sources.yaml:10: sources[2].colour: unknown key" in err
    assert "(entry skipped; the other sources are fetched)" in err
    lines = out.splitlines()
    assert lines[0].startswith("new ") and " sec " in lines[0]
    assert lines[1].startswith("error ") and " broken " in lines[1], "failures last, by the totals"
    assert lines[2].startswith("2 sources: 1 with new articles")
    assert main(["fetch", "--source", "typo"]) == 2
    assert "typo: not fetched, its entry in sources.yaml is invalid (above)" in (
        capsys.readouterr().err
    )


def test_a_source_queued_behind_a_slow_one_of_its_host_is_not_called_slow(
    project: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """per_host: 1 and two sources answering in 1.5 s: the one queued behind the other says
    it was queued, and its own time is its own (the audit read "(17.3s)" on quick answers)."""
    local_server.delay("/slow", seconds=1.5, body=FEED.replace("<guid>", "<guid>s"))
    local_server.delay("/feed", seconds=1.5, body=FEED)
    path = project / "sources.yaml"
    text = path.read_text(encoding="utf-8").replace("timeout: 5\n", "timeout: 5\n  per_host: 1\n")
    path.write_text(text.replace("/broken", "/slow").replace("name: broken", "name: slow"))
    assert main(["fetch"]) == 0
    lines = sorted(capsys.readouterr().out.splitlines()[:2], key=lambda line: "queued" in line)
    own = [float(re.findall(r"\((\d+\.\d)s", line)[0]) for line in lines]
    assert re.search(r"\(\d+\.\ds\)$", lines[0]), lines
    assert re.search(r"\(\d+\.\ds, [12]s queued\)$", lines[1]), lines
    assert all(t > 1.4 for t in own), own


def test_status_shows_only_what_needs_attention_or_the_sources_named(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fetch"]) == 0
    capsys.readouterr()
    assert main(["status", "--problems"]) == 0
    rows = [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:] if line.strip()]
    assert rows[0] == "broken" and "sec" not in rows
    assert main(["status", "--source", "sec", "--format", "json"]) == 0
    assert [row["name"] for row in json.loads(capsys.readouterr().out)] == ["sec"]
    assert main(["status", "--source", "nope"]) == 2
    assert "unknown source: nope (not in sources.yaml)" in capsys.readouterr().err
    assert main(["status", "--source", "sec", "--problems"]) == 0
    assert capsys.readouterr().out == "no source needs attention (2 sources)\n"


def test_unknown_source_name(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", "--source", "nope"]) == 2
    assert "unknown source: nope" in capsys.readouterr().err


def test_status_shows_every_valid_source_when_one_entry_is_bad(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fetch"]) == 0
    append_to_config(project, "  - {name: typo, url: 'ftp://t.example', every: banana}\n")
    capsys.readouterr()
    assert main(["status"]) == 0  # one entry, two errors: counted once
    out, err = capsys.readouterr()
    assert "sec " in out and "broken " in out and "typo" not in out
    assert "1 invalid source entry skipped (as 'watch run' skips them)" in err
    assert "sources.yaml:10: sources[2].every: 'banana'" in err
    assert "(1 failed attempt in a row)" in out


def test_a_gone_source_is_skipped_by_a_plain_pass_and_shown_without_a_due_time(
    project: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    local_server.route("/gone", "gone", status=410)
    config = project / "sources.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text
        + f"  - {{name: old, url: '{local_server.url('/gone')}', every: 1h}}\n"
        + f"  - {{name: paused, url: '{local_server.url('/feed')}', enabled: false}}\n",
        encoding="utf-8",
    )
    assert main(["fetch"]) == 0
    assert "gone          old" in capsys.readouterr().out
    assert main(["fetch"]) == 0
    out = capsys.readouterr().out
    assert "skipped       old" in out and "watch fetch --source old" in out
    assert out.rstrip().endswith("; 1 gone, skipped")
    assert [r[1] for r in local_server.requests].count("/gone") == 1

    assert main(["status", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["old"]["status"] == "gone" and rows["old"]["next_due"] is None
    assert rows["paused"]["status"] == "disabled" and rows["paused"]["next_due"] is None
    assert "fix its url: in sources.yaml" in rows["old"]["problem"]
    assert "'watch fetch --source old'" in rows["old"]["problem"]
    assert main(["status"]) == 0
    table = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines() if line}
    assert table["old"][4] == "-" and table["paused"][4] == "-"

    assert main(["fetch", "--source", "old"]) == 0, "named, a gone source is fetched"
    assert [r[1] for r in local_server.requests].count("/gone") == 2
    capsys.readouterr()
    local_server.route("/moved", FEED.replace("<guid>", "<guid>m"))
    config.write_text(config.read_text(encoding="utf-8").replace("/gone'", "/moved'"))
    assert main(["fetch"]) == 0
    out = capsys.readouterr().out
    assert "new           old" in out and "skipped" not in out, "a fixed url revives it"


def test_config_and_database_may_come_before_the_command_and_the_command_s_own_win(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = project / "one.yaml"
    one.write_text("sources:\n  - {name: a, url: 'https://a.example/feed', every: 1h}\n")
    assert main(["-c", str(one), "check"]) == 0
    assert "sources: 1 (1 feed" in capsys.readouterr().out
    assert main(["-c", str(one), "check", "-c", str(project / "sources.yaml")]) == 0
    assert "sources: 2 (2 feeds" in capsys.readouterr().out
    elsewhere = project / "elsewhere.db"
    assert main(["--db", f"sqlite:///{elsewhere}", "fetch"]) == 0
    assert elsewhere.exists() and not (project / "watch.db").exists()
    capsys.readouterr()
    assert main(["--db", f"sqlite:///{elsewhere}", "status", "--format", "json"]) == 0
    assert {row["name"] for row in json.loads(capsys.readouterr().out)} == {"sec", "broken"}


def test_read_commands_never_create_a_database(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = project / "nonexist" / "dir" / "x.db"
    for command in (["export"], ["status"], ["export", "--db", f"sqlite:///{missing}"]):
        assert main(command) == 2
        assert "no database at" in capsys.readouterr().err
    assert not (project / "watch.db").exists() and not (project / "nonexist").exists()


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("banana", "--db 'banana' is not a database URL"),
        (
            "postgresql://u:pw@127.0.0.1:1/db",
            "cannot open the database postgresql://u:***@127.0.0.1:1/db: connection failed",
        ),
    ],
)
def test_a_database_that_cannot_be_opened_is_a_message(
    project: Path, capsys: pytest.CaptureFixture[str], db: str, message: str
) -> None:
    assert main(["status", "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"watch status: {message}") and "Traceback" not in err
    assert ":pw@" not in err


def test_bad_arguments_and_files_are_messages_not_tracebacks(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fetch"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["export", "--since", "banana"])
    assert exited.value.code == 2
    assert "argument --since: 'banana' is not a date" in capsys.readouterr().err
    assert main(["export", "--out", str(project / "nonexistent" / "x.jsonl")]) == 1
    assert "watch export: cannot write" in capsys.readouterr().err
    assert main(["sources", "export-opml", str(project / "nonexistent" / "x.opml")]) == 1
    assert "watch sources: cannot write" in capsys.readouterr().err
    assert main(["sources", "import-opml", str(project / "nope.opml")]) == 2
    assert "watch sources: cannot read" in capsys.readouterr().err
    atom = project / "feed.atom"
    atom.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>')
    assert main(["sources", "import-opml", str(atom)]) == 2
    assert "not an OPML document: the root element is <feed>" in capsys.readouterr().err
    doctype = project / "doctype.opml"
    doctype.write_text('<!DOCTYPE opml [<!ENTITY a "b">]><opml version="2.0"><body/></opml>')
    assert main(["sources", "import-opml", str(doctype)]) == 2
    assert "OPML refused: it declares a DOCTYPE or ENTITY" in capsys.readouterr().err


def test_export_into_a_closed_pipe_exits_quietly(project: Path) -> None:
    assert main(["fetch"]) == 0
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `watch export | head -0`: nobody reads
    try:
        done = subprocess.run(
            [sys.executable, "-m", "watch.cli", "export"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env={**os.environ, "WATCH_CONFIG": str(project / "sources.yaml")},
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 141 and done.stderr == b""


def test_check_names_a_chat_whose_webhook_variable_is_unset(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Session 8: a chat whose webhook variable is unset was learnt of only on Monday."""
    monkeypatch.delenv("TEAM_HOOK", raising=False)
    append_to_config(project, "digest:\n  chats: [{name: team, kind: slack, url_env: TEAM_HOOK}]\n")
    assert main(["check"]) == 0
    said = capsys.readouterr()
    assert "0 recipients, 1 chat" in said.out
    assert "warning: chat 'team': $TEAM_HOOK is not set; the digest is not posted there" in (
        said.err
    )


def test_check_warns_about_unset_credential_variables_and_fetch_names_them(
    project: Path,
    local_server: LocalServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    local_server.route("/private", "no", status=403)
    monkeypatch.delenv("PRIV_TOKEN", raising=False)
    monkeypatch.delenv("PRIV_USER", raising=False)
    monkeypatch.delenv("PRIV_PASSWORD", raising=False)
    append_to_config(
        project,
        f"  - {{name: priv, url: '{local_server.url('/private')}', credentials_env: PRIV}}\n",
    )
    missing = "$PRIV_TOKEN (or $PRIV_USER and $PRIV_PASSWORD) is not set"
    assert main(["check"]) == 0
    warnings = capsys.readouterr().err
    assert f"warning: source 'priv': {missing}; fetched without credentials" in warnings
    assert "warning: source 'priv' sends its credentials over plain http" in warnings
    assert main(["fetch", "--source", "priv"]) == 0
    assert f"HTTP 403 Forbidden (sent without credentials: {missing})" in capsys.readouterr().out


def test_a_source_renamed_in_sources_yaml_keeps_its_articles(
    project: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    assert main(["fetch"]) == 0
    config = project / "sources.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("name: sec,", "name: security-feed,"),
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger="watch.replan"):
        assert main(["fetch", "--source", "security-feed"]) == 0
    assert "source sec renamed security-feed: its 2 articles and history kept" in caplog.text
    capsys.readouterr()
    assert main(["export", "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted((r["source"], r["guid"]) for r in records) == [
        ("security-feed", "1"),
        ("security-feed", "2"),
    ]


def test_check_warns_about_a_topic_without_keywords_and_an_empty_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project / "sources.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "topics:\n", "topics:\n  - {name: ux, description: 'User experience'}\n"
        ),
        encoding="utf-8",
    )
    assert main(["check"]) == 0
    assert "warning: topic 'ux' has no keywords" in capsys.readouterr().err
    (project / "empty.yaml").write_text("name: nothing yet\n", encoding="utf-8")
    assert main(["check", "-c", str(project / "empty.yaml")]) == 0
    assert "warning: no sources: nothing will be collected" in capsys.readouterr().err


def story_feed(guid: str, title: str) -> str:
    when = (datetime.now(UTC) - timedelta(hours=1)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<link>https://{guid}.example/</link>"  # its home page: one site per source
        f"<item><guid>{guid}</guid><title>{title}</title><link>https://{guid}.example/</link>"
        f"<pubDate>{when}</pubDate></item></channel></rss>"
    )


STORY_TITLES = {
    "lwn": "OpenSSL fixes CVE-2026-1234 in TLS handshake",
    "hn": "OpenSSL fixes CVE-2026-1234 in the TLS handshake",
    "ars": "OpenSSL fixes CVE-2026-1234 in its TLS handshake",
}


def one_story_from_three_sources(
    tmp_path: Path,
    server: LocalServer,
    monkeypatch: pytest.MonkeyPatch,
    labels: dict[str, str] | None = None,
) -> Path:
    """sources.yaml of lwn, hn and ars, each publishing the same story (``labels`` by name),
    made the current config with its default database."""
    lines = [f'fetch:\n  allow_private: ["{server.allow}"]\nsources:']
    for name, title in STORY_TITLES.items():
        server.route(f"/{name}", story_feed(name, title))
        label = f", label: {labels[name]}" if labels and name in labels else ""
        lines.append(f"  - {{name: {name}{label}, url: '{server.url(f'/{name}')}', every: 1h}}")
    config = tmp_path / "sources.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("WATCH_CONFIG", str(config))
    monkeypatch.delenv("WATCH_DB", raising=False)
    return config


def explained(source: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, dict[str, Any]]:
    """What `watch explain` prints for ``source``'s article, and its exported record."""
    assert main(["export", "--format", "jsonl"]) == 0
    records = {r["source"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert main(["explain", str(records[source]["id"])]) == 0
    return capsys.readouterr().out, records[source]


def test_explain_and_export_name_the_sources_carrying_the_story(
    tmp_path: Path,
    local_server: LocalServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    one_story_from_three_sources(tmp_path, local_server, monkeypatch)
    assert main(["fetch"]) == 0
    capsys.readouterr()
    out, record = explained("lwn", capsys)  # scored at insert, then again when its story grew
    assert "- covered by 3 sources: lwn, ars, hn" in out
    assert "covered by 3 sources: lwn, ars, hn" in record["explanation"]
    assert main(["train"]) == 0  # every score recomputed from the store
    capsys.readouterr()
    out, record = explained("hn", capsys)
    assert "- covered by 3 sources: hn, ars, lwn" in out
    assert "covered by 3 sources: hn, ars, lwn" in record["explanation"]


def test_explain_and_export_name_sources_by_their_labels_and_follow_a_relabel(
    tmp_path: Path,
    local_server: LocalServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    labels = {"lwn": "LWN.net", "hn": "Hacker News"}  # ars has none: its name is shown
    config = one_story_from_three_sources(tmp_path, local_server, monkeypatch, labels)
    assert main(["fetch"]) == 0
    capsys.readouterr()

    out, record = explained("lwn", capsys)
    assert "- covered by 3 sources: LWN.net, ars, Hacker News" in out
    assert "\n  LWN.net (lwn) · " in out
    assert (record["source"], record["source_label"]) == ("lwn", "LWN.net")

    config.write_text(
        config.read_text(encoding="utf-8").replace("Hacker News", "HN front page"),
        encoding="utf-8",
    )
    assert main(["fetch"]) == 0  # nothing new in the feeds: the explanations follow the labels
    capsys.readouterr()
    out, record = explained("ars", capsys)
    assert "- covered by 3 sources: ars, HN front page, LWN.net" in out
    assert "covered by 3 sources: ars, HN front page, LWN.net" in record["explanation"]
    assert (record["source"], record["source_label"]) == ("ars", "ars")


def test_import_opml_lists_every_feed_it_skipped_with_the_reason(
    project: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = project / "subscriptions.opml"
    opml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>Feedly</title>'
        '</head><body><outline text="Tech">'
        f'<outline type="rss" text="Sec again" xmlUrl="{local_server.url("/feed")}"/>'
        '<outline type="rss" text="Files" xmlUrl="ftp://files.example/feed"/>'
        '<outline type="rss" text="Mine" xmlUrl="https://me:secret@private.example/feed"/>'
        '<outline type="rss" text="LWN" xmlUrl="https://lwn.net/headlines/rss"/>'
        '<outline type="rss" text="LWN twice" xmlUrl="https://lwn.net/headlines/rss/"/>'
        "</outline></body></opml>\n",
        encoding="utf-8",
    )
    assert main(["sources", "import-opml", str(opml)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"1 source added to {project / 'sources.yaml'}: lwn",
        "skipped: 2 refused URLs, 1 already in sources.yaml, 1 listed twice:",
        "  Files <ftp://files.example/feed>: not an http(s) URL",
        "  Mine <https://me:***@private.example/feed>: credentials in the URL are refused; "
        "use credentials_env",
        f"  Sec again <{local_server.url('/feed')}>: already in sources.yaml as sec",
        "  LWN twice <https://lwn.net/headlines/rss/>: listed twice in the OPML, imported once "
        "as lwn",
        "they will be fetched every 1d; after a few fetches, `watch status` advises a better "
        "frequency for those that need one",
    ]


def test_export_opml_gives_readers_the_feed_found_on_a_page_and_imports_back(
    project: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    page = '<html><head><link rel="alternate" type="application/rss+xml" href="/blog/feed"></head></html>'
    local_server.route("/blog", page, headers={"Content-Type": "text/html"})
    local_server.route("/blog/feed", FEED, headers={"Content-Type": "application/rss+xml"})
    sources = project / "sources.yaml"
    blog = local_server.url("/blog")
    sources.write_text(sources.read_text() + f"  - {{name: blog, url: '{blog}', every: 1h}}\n")
    exported = project / "watch.opml"
    assert main(["sources", "export-opml", str(exported)]) == 0, "no database yet: fine"
    assert "htmlUrl" not in exported.read_text(encoding="utf-8")
    assert main(["fetch"]) == 0
    assert main(["sources", "export-opml", str(exported)]) == 0
    outlines = {o.get(f"{{{WATCH_NS}}}name"): o for o in _rss_outlines(exported)}
    assert set(outlines) == {"sec", "broken", "blog"}
    assert outlines["sec"].get("title") == "Sec", "the feed's own title, once fetched"
    assert outlines["blog"].get("xmlUrl") == local_server.url("/blog/feed")
    assert outlines["blog"].get("htmlUrl") == blog
    assert outlines["sec"].get("htmlUrl") == "https://sec.example/", "the home page the feed gives"
    assert outlines["broken"].get("htmlUrl") is None, "never read: no home page invented"
    capsys.readouterr()

    fresh = project / "fresh.yaml"
    fresh.write_text("sources: []\n", encoding="utf-8")
    assert main(["sources", "-c", str(fresh), "import-opml", str(exported)]) == 0
    assert capsys.readouterr().out == (
        f"3 sources added to {fresh}: sec, broken, blog\nthey will be fetched at the frequency "
        "the OPML gives; after a few fetches, `watch status` advises a better frequency for "
        "those that need one\n"
    )
    assert main(["sources", "import-opml", str(exported)]) == 0
    assert capsys.readouterr().out.startswith(
        f"no source added to {sources}\nskipped: 3 already in sources.yaml:"
    )
    imported = {s["name"]: s["url"] for s in _yaml_sources(fresh)}
    assert imported == {
        "sec": local_server.url("/feed"),
        "broken": local_server.url("/broken"),
        "blog": blog,
    }


def _rss_outlines(path: Path) -> list[Any]:
    from lxml import etree

    root = etree.fromstring(path.read_bytes())
    assert root.get("version") == "2.0" and root.findtext("head/title") == "CLI test"
    return [o for o in root.iter("outline") if o.get("type") == "rss" and o.get("xmlUrl")]


def _yaml_sources(path: Path) -> list[dict[str, Any]]:
    from watch.config import load_config

    return [source.model_dump() for source in load_config(path).sources]


def test_fetch_stops_its_parser_workers_before_exiting(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers left to Python's exit hook printed "OSError: [Errno 9] Bad file descriptor"
    with a traceback after about one first `watch fetch` in three."""
    from watch.reading import DocumentReader

    closed: list[DocumentReader] = []
    close = DocumentReader.close

    def recorded_close(reader: DocumentReader) -> None:
        closed.append(reader)
        close(reader)

    monkeypatch.setattr(DocumentReader, "close", recorded_close)
    assert main(["fetch"]) == 0
    assert len(closed) == 1


def test_feedback_and_explain_say_which_topics_and_ids_exist(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fetch"]) == 0
    capsys.readouterr()
    assert main(["feedback", "1", "--also", "AI"]) == 2
    assert "unknown topic 'AI': sources.yaml defines security" in capsys.readouterr().err
    for command in (["explain", "999"], ["feedback", "999", "--up"]):
        assert main(command) == 1
        assert (
            "no article 999 in this database (an article's id is the first field of each "
            "record of 'watch export')" in capsys.readouterr().err
        )


def test_ctrl_c_stops_watch_up_and_its_board_once(project: Path) -> None:
    """Session 8: Ctrl-C in a terminal signals the whole foreground group; the board used to
    get it and then a SIGTERM from `watch up`, and printed "Stopping..." twice."""
    from watch.board import free_port, wait_until_ready

    port = free_port()
    up = subprocess.Popen(
        [sys.executable, "-m", "watch.cli", "up", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "WATCH_CONFIG": str(project / "sources.yaml"), "BROWSER": "true"},
        start_new_session=True,  # its own group, as a terminal's foreground job
    )
    try:
        assert wait_until_ready(up, f"http://127.0.0.1:{port}")
        os.killpg(up.pid, signal.SIGINT)
        said, _ = up.communicate(timeout=60)
    finally:
        if up.poll() is None:
            os.killpg(up.pid, signal.SIGKILL)
    assert up.returncode in (0, 130)  # 130: the Ctrl-C came before the scheduler's handlers
    assert said.decode().count("Stopping...") == 1, said.decode()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "the board still listens"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stopped_watch_dashboard_stops_its_board(project: Path, signum: int) -> None:
    """Session 8: the board runs in a session of its own; `watch dashboard` stopped by a
    SIGTERM (a service manager) or a SIGHUP (terminal closed) must not leave it running."""
    from watch.board import free_port, wait_until_ready

    port = free_port()
    dashboard = subprocess.Popen(
        [sys.executable, "-m", "watch.cli", "dashboard", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "WATCH_CONFIG": str(project / "sources.yaml"), "BROWSER": "true"},
    )
    try:
        assert wait_until_ready(dashboard, f"http://127.0.0.1:{port}")
        dashboard.send_signal(signum)  # the command alone, not its board
        assert dashboard.wait(timeout=60) == 128 + signum
    finally:
        if dashboard.poll() is None:
            dashboard.kill()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "the board still listens"


@pytest.mark.parametrize(
    ("environ", "interactive", "platform", "expected"),
    [
        ({"DISPLAY": ":0"}, True, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, True, "linux", True),
        ({}, True, "linux", False),  # ssh session on a server: lynx would start
        ({"DISPLAY": ":0"}, False, "linux", False),  # a service: output goes to a log
        ({}, True, "darwin", True),
        ({}, True, "win32", True),
    ],
)
def test_the_board_opens_a_browser_only_where_someone_sits_at_a_screen(
    environ: dict[str, str], interactive: bool, platform: str, expected: bool
) -> None:
    """Session 8: `watch dashboard` under systemd or over ssh asked Python's webbrowser to
    open the board, which starts a console browser when one is installed."""
    from watch.board import has_a_screen

    assert has_a_screen(environ, interactive, platform) is expected


def test_fetch_and_status_name_the_page_selector_that_reads_nothing(
    project: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """Session 8: a page whose item selector matched nothing was fetched "unchanged 0 new, 0
    updated, 0 in feed" and `watch status` said only "selector matched nothing"."""
    cards = "".join(
        f'<article><h2><a href="/r/{i}">Release {i}</a></h2></article>' for i in range(12)
    )
    local_server.route(
        "/news", f"<html><body>{cards}</body></html>", headers={"Content-Type": "text/html"}
    )
    links = (
        "".join(f'<li><a href="/r/{i}">Release {i}</a></li>' for i in range(3)) + "<li>Soon</li>"
    )
    local_server.route("/list", f"<html><body><ul>{links}</ul></body></html>")
    append_to_config(
        project,
        "".join(
            f"  - {{name: {name}, url: '{local_server.url(path)}', kind: page, every: 1h,"
            f" select: {{item: '{item}', title: '{item}', link: '{item} a'}}}}\n"
            for name, path, item in (("news", "/news", "div.entry"), ("list", "/list", "li"))
        ),
    )
    matched_nothing = (
        "select.item 'div.entry' matched nothing on the page"
        " (it has 12 <article> elements: was the layout changed?)"
    )
    lost_one = (
        "select.link 'li a' found no link in 1 of the 4 items select.item 'li' matched"
        " (those items were skipped)"
    )
    assert main(["fetch"]) == 0
    out = {line.split()[1]: line for line in capsys.readouterr().out.splitlines()[:-1]}
    assert out["news"].startswith("error") and matched_nothing in out["news"]
    assert out["list"].startswith("new") and f"3 in feed; warning: {lost_one}" in out["list"]

    assert main(["status"]) == 0
    table = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line}
    assert f"error: {matched_nothing} (1 failed attempt in a row)" in table["news"]
    assert table["list"].split()[1] == "ok" and table["list"].endswith(f"warning: {lost_one}")


def test_train_on_an_empty_database_says_so_not_a_traceback(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Session 9: scikit-learn's "empty vocabulary" came out as a traceback."""
    assert main(["train"]) == 1
    assert "nothing to train on yet: the database has no article" in capsys.readouterr().err


def test_the_first_fetch_that_stores_enough_articles_builds_the_model(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Session 9 audit: the model was only considered before a pass, so the first `watch fetch`
    of a new store left keyword-only topics until the next one (and `watch train` then said
    its "3 feedback items" moved most of them)."""
    import watch.ranking

    monkeypatch.setattr(watch.ranking, "MIN_ARTICLES_FOR_MODEL", 2)
    assert main(["fetch"]) == 0
    assert "classifier rebuilt (no model file yet)" in capsys.readouterr().err
    assert (project / "watch.model.pkl").exists()
    assert main(["fetch"]) == 0
    assert "classifier rebuilt" not in capsys.readouterr().err


def test_a_feed_answering_304_is_said_unchanged_without_made_up_counts(
    project: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """Session 9 audit: the line said "not_modified … 0 new, 0 updated, 0 in feed" for a feed
    of 55 items that answered 304 (nothing was read)."""
    local_server.route("/feed", FEED, etag='"v1"')
    assert main(["fetch", "--source", "sec"]) == 0
    capsys.readouterr()
    assert main(["fetch", "--source", "sec"]) == 0
    [line] = [line for line in capsys.readouterr().out.splitlines() if " sec " in line]
    assert line.startswith("unchanged ") and "not modified since the last fetch" in line
    assert "in feed" not in line


def site_feed(host: str, guid: str, title: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<link>https://{host}/</link><item><guid>{guid}</guid><title>{title}</title>"
        f"<link>https://{host}/{guid}</link><description>Patch now.</description>"
        "<pubDate>Mon, 16 Nov 2026 08:00:00 +0000</pubDate></item></channel></rss>"
    )


@pytest.fixture
def one_story_three_feeds(
    tmp_path: Path, local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """One story carried by two feeds of one blog (www. or not) and by a magazine."""
    title = "Critical CVE-2026-7777 vulnerability in OpenSSL"
    local_server.route("/rss", site_feed("www.blog.example", "openssl", title))
    local_server.route("/json", site_feed("blog.example", "openssl", title))
    local_server.route("/mag", site_feed("mag.example", "cve-openssl", title + " patched"))
    feeds = {"blog_rss": ("Blog (RSS)", "/rss"), "blog_json": ("Blog (JSON)", "/json")}
    feeds["mag"] = ("Le Mag IT", "/mag")
    sources = "".join(
        f"  - {{name: {name}, label: '{label}', url: '{local_server.url(path)}', every: 1h}}\n"
        for name, (label, path) in feeds.items()
    )
    (tmp_path / "sources.yaml").write_text(
        "topics:\n  - {name: securite, label: Sécurité, keywords: [CVE, vulnerability]}\n"
        "  - {name: ia, label: IA, keywords: [LLM]}\n"
        f'fetch:\n  allow_private: ["{local_server.allow}"]\n  timeout: 5\nsources:\n{sources}',
        encoding="utf-8",
    )
    monkeypatch.setenv("WATCH_CONFIG", str(tmp_path / "sources.yaml"))
    monkeypatch.delenv("WATCH_DB", raising=False)
    return tmp_path


def fetched_ids(capsys: pytest.CaptureFixture[str]) -> dict[str, int]:
    assert main(["fetch"]) == 0
    capsys.readouterr()
    assert main(["export", "--format", "jsonl"]) == 0
    records = map(json.loads, capsys.readouterr().out.splitlines())
    return {r["source"]: r["id"] for r in records}


def test_two_feeds_of_one_site_are_one_source_of_coverage(
    one_story_three_feeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Session 10 audit: a story one blog carried in two feeds said "covered by 3 sources:
    Blog (JSON), Blog (RSS), Le Mag IT" (+5.3) and the blog's copy was "covered" by itself."""
    ids = fetched_ids(capsys)
    assert main(["explain", str(ids["mag"])]) == 0
    said = capsys.readouterr().out
    assert "- covered by 2 sources: Le Mag IT, Blog (JSON)" in said
    assert "coverage       +3.3" in said
    assert main(["explain", str(ids["blog_rss"])]) == 0
    assert "- covered by 2 sources: Blog (RSS), Le Mag IT" in capsys.readouterr().out


def test_a_vote_names_every_article_it_changed_and_explain_says_where_it_was_given(
    one_story_three_feeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Session 10 audit: `feedback 9 --up` printed only "score 73 → 83" although the blog's two
    copies were up-voted too, whose `explain` then said "you up-voted it"."""
    ids = fetched_ids(capsys)
    assert main(["feedback", str(ids["mag"]), "--up"]) == 0
    said = capsys.readouterr().out
    copies = sorted(
        (ids[name], label)
        for name, label in [("blog_rss", "Blog (RSS)"), ("blog_json", "Blog (JSON)")]
    )
    others = ", ".join(f"#{i} {label} 52 → 62" for i, label in copies)
    assert f"score 52 → 62, topics: Sécurité; the story's other articles: {others};" in said
    assert "titles share words with 2 or more stories" in said
    assert "use --not TOPIC or --also TOPIC" in said
    assert "learns" not in said
    assert main(["explain", str(ids["blog_rss"])]) == 0
    assert "- you up-voted this story (from Le Mag IT)" in capsys.readouterr().out
    assert main(["explain", str(ids["mag"])]) == 0
    assert "- you up-voted this story (on this article)" in capsys.readouterr().out


def test_a_topic_is_given_by_its_name_or_label_and_explained_by_its_label(
    one_story_three_feeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Session 10 audit: `--also "Sécurité"` was refused (the error listed names only) while
    `explain` said "securite 1.00: your feedback: about securite" beside "about Sécurité"."""
    ids = fetched_ids(capsys)
    assert main(["feedback", str(ids["mag"]), "--also", "ia"]) == 0
    assert main(["feedback", str(ids["mag"]), "--not", "SÉCURITÉ"]) == 0
    assert main(["feedback", str(ids["mag"]), "--also", "securite"]) == 0
    assert "also about Sécurité" in capsys.readouterr().out
    assert main(["feedback", str(ids["mag"]), "--also", "AI"]) == 2
    assert "unknown topic 'AI': sources.yaml defines securite (Sécurité), ia (IA)" in (
        capsys.readouterr().err
    )
    assert main(["explain", str(ids["mag"])]) == 0
    said = capsys.readouterr().out
    assert "- Sécurité 1.00: your feedback: about Sécurité" in said
    assert "- IA 1.00: your feedback: about IA" in said and "securite" not in said


def test_check_refuses_a_board_url_without_its_scheme(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 3 of the session 12 audit: it passed `watch check`; the board's links vanished."""
    config = project / "board.yaml"
    config.write_text(
        "sources:\n  - {name: a, url: 'https://a.example/feed', every: 1h}\n"
        "digest:\n  board_url: veille.agence.fr\n",
        encoding="utf-8",
    )
    assert main(["check", "-c", str(config)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{config}:4: digest.board_url: 'veille.agence.fr' is not an http(s) URL (did you mean "
        "'https://veille.agence.fr'?)"
    )
    config.write_text(config.read_text().replace("veille", "http://veille"), encoding="utf-8")
    assert main(["check", "-c", str(config)]) == 0


def test_digest_help_says_an_empty_week_is_sent_with_allow_empty_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["digest", "--help"])
    usage = " ".join(capsys.readouterr().out.split())
    assert "--allow-empty with --send: send a week that has no article (refused otherwise)" in usage
