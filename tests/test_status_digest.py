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
from watch.models import FetchLogEntry
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
        store.add_fetch_log(FetchLogEntry("sec", SENT - timedelta(days=14), "new"))  # running
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
    assert main(["digest", "--send", "--allow-empty", "--week", "2026-W47"]) == 1
    out = capsys.readouterr().out
    assert (
        "digest 2026-W47 by mail to a@team.example, b@team.example: already sent on "
        "Mon 23 Nov 08:01 (Europe/Paris); --force resends it"
    ) in out.splitlines()


# -- a week before the watch's first collection (session 12 audit) -----------------------------


def test_status_says_a_week_before_the_first_collection_is_skipped_and_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 1 of the session 12 audit: no digest of a week that ended before the watch
    started; `watch status` says why nothing was sent instead of "due since … sends it"."""
    from watch.config import resolve_settings
    from watch.digest_job import run_scheduled_digest

    (tmp_path / "sources.yaml").write_text(
        "digest:\n  recipients: [a@team.example]\n"
        "  chats: [{name: team, kind: slack, url_env: SLACK_DIGEST_URL}]\n"
        "sources:\n  - {name: sec, url: 'https://sec.example/feed', every: 1h}\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'watch.db'}"
    monkeypatch.setenv("WATCH_CONFIG", str(tmp_path / "sources.yaml"))
    monkeypatch.setenv("WATCH_DB", db)
    monkeypatch.setenv("WATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SLACK_DIGEST_URL", "https://hooks.slack.example/services/T0/B0/x")
    monkeypatch.setattr(commands, "utcnow", lambda: NOW)
    store = open_store(db)
    store.add_fetch_log(FetchLogEntry("sec", NOW - timedelta(hours=2), "error"))  # Tue 09:00
    store.close()
    started = "the watch started on Tue 24 Nov 09:00 (Europe/Paris)"
    why = f"skipped, nothing collected that week: {started}"
    expected = ["digest:", f"  2026-W47 by mail: {why}", f"  2026-W47 to chat team (slack): {why}"]
    assert main(["status"]) == 0
    assert capsys.readouterr().out.split("\n\n")[-1].splitlines() == expected
    store = open_store(db)
    try:  # the scheduler records it so, without a word to the servers (none listens)
        config = commands.load_entries(tmp_path / "sources.yaml")[0]
        env = {"WATCH_SMTP_HOST": "127.0.0.1", "SLACK_DIGEST_URL": "https://hooks.example/x"}
        settings = resolve_settings(config=config, env=env)
        mail = run_scheduled_digest(store, config, settings.smtp, NOW, chats=settings.chats)
        chat = store.get_digest("2026-W47 chat:team")
        assert mail is not None and chat is not None and mail.status == chat.status == "skipped"
    finally:
        store.close()
    assert main(["status"]) == 0
    assert capsys.readouterr().out.split("\n\n")[-1].splitlines() == expected


def test_the_boards_history_says_a_skipped_week_was_not_sent_and_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board's Digest page: the skipped week's row and its reason in the board's words; this
    week shown first; the skipped week has no send nor post button (the review of session 12:
    "Post now" was offered for a skipped chat), its caption gives the command instead."""
    from zoneinfo import ZoneInfo

    import streamlit as st

    from tests.test_chat import digest_page
    from tests.test_dashboard import table_of
    from watch.digest_weeks import current_week, previous_week

    paris = datetime.now(ZoneInfo("Europe/Paris"))
    last_week, this_week = previous_week(paris), current_week(paris)
    config_path, url = tmp_path / "sources.yaml", f"sqlite:///{tmp_path / 'watch.db'}"
    config_path.write_text(
        "digest:\n  recipients: [a@team.example]\n"
        "  chats: [{name: team, kind: slack, url_env: SLACK_DIGEST_URL}]\n",
        encoding="utf-8",
    )
    why = "nothing collected that week: the watch started on Wed 25 Nov 03:03 (Europe/Paris)"
    store = open_store(url)
    store.save_digest(DigestRecord(last_week, "skipped", error=why, recipients=["a@team.example"]))
    store.save_digest(
        DigestRecord(last_week + " chat:team", "skipped", error=why, recipients=["slack:team"])
    )
    store.close()
    env = {"WATCH_CONFIG": str(config_path), "WATCH_DB": url, "SLACK_DIGEST_URL": "http://x/y"}
    app = digest_page(monkeypatch, env)
    history = table_of(app)
    assert list(history["Status"]) == ["skipped", "skipped"]
    assert list(history["Error"]) == ["the watch started after that week"] * 2
    assert app.selectbox(key="digest_week").options == [this_week, last_week]
    monkeypatch.setenv("WATCH_SMTP_HOST", "127.0.0.1")  # the send button's caption: why not sent
    st.cache_data.clear()
    st.cache_resource.clear()
    app.selectbox(key="digest_week").set_value(last_week).run()
    assert (
        f"{last_week} was not sent: the watch started after that week. `watch digest --send "
        f"--allow-empty --week {last_week}` sends it anyway."
    ) in [caption.value.replace("\\", "") for caption in app.caption]
    assert not app.button, "neither a send nor a post of a skipped week"
    st.cache_data.clear()
    st.cache_resource.clear()


def test_the_board_offers_no_send_nor_post_of_a_week_without_any_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review of session 12: a board used without `watch run` (no record of last week) offered
    "Send now" for a week without any article, which `watch digest --send` refuses."""
    from zoneinfo import ZoneInfo

    import streamlit as st

    from tests.test_chat import digest_page
    from watch.digest_weeks import previous_week

    last_week = previous_week(datetime.now(ZoneInfo("Europe/Paris")))
    config_path, url = tmp_path / "sources.yaml", f"sqlite:///{tmp_path / 'watch.db'}"
    config_path.write_text(
        "digest:\n  recipients: [a@team.example]\n"
        "  chats: [{name: team, kind: slack, url_env: SLACK_DIGEST_URL}]\n",
        encoding="utf-8",
    )
    open_store(url).close()
    env = {"WATCH_CONFIG": str(config_path), "WATCH_DB": url, "SLACK_DIGEST_URL": "http://x/y"}
    app = digest_page(monkeypatch, env)
    monkeypatch.setenv("WATCH_SMTP_HOST", "127.0.0.1")  # mail set up: only the week stops it
    st.cache_data.clear()
    st.cache_resource.clear()
    app.selectbox(key="digest_week").set_value(last_week).run()
    assert not app.exception and not app.button, "neither a send nor a post of an empty week"
    assert (
        f"{last_week} has no article: there is nothing to send from here. `watch digest --send "
        f"--allow-empty --week {last_week}` sends it anyway."
    ) in [caption.value.replace("\\", "") for caption in app.caption]
    st.cache_data.clear()
    st.cache_resource.clear()
