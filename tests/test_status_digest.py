"""`watch status` says how the weekly digest went: the last complete week's mail and chats (and
the current week's extras), read from a real SQLite store, times in digest.timezone."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from watch import commands, digest_commands
from watch.chat import chat_record_key
from watch.cli import main
from watch.store import DigestRecord, open_store

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # Tuesday of 2026-W48, 11:00 in Paris
SENT = datetime(2026, 11, 23, 7, 1, tzinfo=UTC)  # Monday 08:01 in Paris
CHATS = "team: SLACK_DIGEST_URL", "ops: OPS_DIGEST_URL", "news: NEWS_DIGEST_URL"
PERMANENT = (
    "hooks.slack.com answered HTTP 404; not retried automatically: check $OPS_DIGEST_URL (the "
    "webhook may be wrong, revoked or its channel gone), then run 'watch digest --send --week "
    "2026-W47'"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    chats = "".join(
        f"    - {{name: {name}, kind: slack, url_env: {env}}}\n"
        for name, env in (chat.split(": ") for chat in CHATS)
    )
    (tmp_path / "sources.yaml").write_text(
        "name: Status digest\n"
        "digest:\n  schedule: mon 08:00\n  timezone: Europe/Paris\n"
        "  recipients: [a@team.example, b@team.example]\n"
        f"  chats:\n{chats}"
        "sources:\n  - {name: sec, url: 'https://sec.example/feed', every: 1h}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WATCH_CONFIG", str(tmp_path / "sources.yaml"))
    monkeypatch.setenv("WATCH_DB", f"sqlite:///{tmp_path / 'watch.db'}")
    monkeypatch.setenv("WATCH_SMTP_HOST", "127.0.0.1")
    for chat in CHATS:
        monkeypatch.delenv(chat.split(": ")[1], raising=False)
    monkeypatch.setenv("SLACK_DIGEST_URL", "https://hooks.slack.example/services/T0/B0/x")
    monkeypatch.setenv("OPS_DIGEST_URL", "https://hooks.slack.example/services/T0/B1/y")
    monkeypatch.setattr(commands, "utcnow", lambda: NOW)
    monkeypatch.setattr(digest_commands, "utcnow", lambda: NOW)
    store = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    try:
        for record in _records():
            store.save_digest(record)
    finally:
        store.close()
    return tmp_path


def _records() -> list[DigestRecord]:
    mail = ["a@team.example", "b@team.example"]
    return [
        DigestRecord("2026-W46", "failed", 3, SENT - timedelta(days=7), error="old, not shown"),
        DigestRecord("2026-W47", "sent", 1, SENT, SENT, recipients=mail),
        DigestRecord(
            chat_record_key("2026-W47", "team"),
            "failed",
            1,
            NOW,
            error="hooks.slack.example answered HTTP 503",
            recipients=["slack:team"],
            next_retry=NOW + timedelta(minutes=5),
        ),
        DigestRecord(
            chat_record_key("2026-W47", "ops"),
            "failed",
            1,
            SENT,
            error=PERMANENT,
            recipients=["slack:ops"],
        ),
        DigestRecord(
            "2026-W48 extra", "sent", 1, NOW, NOW - timedelta(minutes=30), recipients=mail
        ),
    ]


def test_status_tells_the_last_weeks_mail_and_chats_in_the_readers_time_zone(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    block = out[out.index("digest:\n") :].splitlines()
    assert block == [
        "digest:",
        "  2026-W47 by mail: sent Mon 23 Nov 08:01 (Europe/Paris) to 2 recipients",
        "  2026-W47 to chat team (slack): failed (hooks.slack.example answered HTTP 503); "
        "retried by `watch run` in 5 min (attempt 2 of 10)",
        f"  2026-W47 to chat ops (slack): failed ({PERMANENT})",
        "  2026-W47 to chat news (slack): not sent yet: due since Mon 23 Nov 08:00 "
        "(Europe/Paris), but $NEWS_DIGEST_URL is not set",
        "  2026-W48 extra by mail: sent Tue 24 Nov 10:30 (Europe/Paris) to 2 recipients",
    ]
    assert out.startswith("source ") and "sec " in out and "UTC" not in out

    assert main(["status", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["name"] for row in rows] == ["sec"], "the JSON stays a list of sources"


def test_status_says_when_a_week_not_sent_is_due_and_when_mail_is_not_set_up(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monday_early = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # 07:00 in Paris: W48 not sent yet
    monkeypatch.setattr(commands, "utcnow", lambda: monday_early)
    assert main(["status"]) == 0
    block = capsys.readouterr().out.split("digest:\n")[1].splitlines()
    assert block[0] == "  2026-W48 by mail: not sent yet: due Mon 30 Nov 08:00 (Europe/Paris)"
    assert block[1] == (
        "  2026-W48 to chat team (slack): not sent yet: due Mon 30 Nov 08:00 (Europe/Paris)"
    )
    assert len(block) == 4, "the extra of 2026-W48 is no longer the current week's"

    monkeypatch.delenv("WATCH_SMTP_HOST")
    assert main(["status"]) == 0
    said = capsys.readouterr().out
    assert "  2026-W48 by mail: not sent, WATCH_SMTP_HOST is not set\n" in said


def test_digest_send_says_already_sent_in_the_readers_time_zone(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for chat in CHATS:  # the chats fail on the spot, without a request
        monkeypatch.delenv(chat.split(": ")[1], raising=False)
    assert main(["digest", "--send", "--week", "2026-W47"]) == 1
    out = capsys.readouterr().out
    assert (
        "digest 2026-W47 by mail to a@team.example, b@team.example: already sent on "
        "Mon 23 Nov 08:01 (Europe/Paris); --force resends it"
    ) in out.splitlines()
