"""Editions of the digest (``digest.editions``): one watch, one database, several audiences.

Session 12 audit, missing feature: a project lead reports to the team in French with everything,
to a client with ``leave_out: [why, health]`` and two topics, to a UK partner in English; a
second sources.yaml on the same database found the week "already sent".  Mail through the real
SMTP server of ``tests.support.smtp``, records in a real SQLite store.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.smtp import Envelope, Session
from streamlit.testing.v1 import AppTest

from tests.support.smtp import SmtpServer, free_port
from tests.test_dashboard import Board
from tests.test_digest import (
    FRENCH_YAML,
    NOW,
    WEEK,
    StoreOpener,
    make_config,
    reopen,  # noqa: F401 -- the fixture
    seed,
    week_articles,
)
from watch.cli import main
from watch.config import ConfigError
from watch.config.loading import parse_config
from watch.digest_editions import edition_config
from watch.digest_job import gather_digest, run_scheduled_digest
from watch.digest_render import render_text
from watch.digest_status import Delivery, Recorded, digest_status, read_recorded, setup_line
from watch.store import DigestRecord, open_store

CLIENT, PARTNER = "2026-W47 edition:client-banque", "2026-W47 edition:uk-partner"
EDITIONS = """  editions:
    - name: client-banque
      recipients: [dsi@banque.example]
      leave_out: [why, health]
      topics: [security]
    - {name: uk-partner, language: en, recipients: [lead@partner.example]}
"""
TEAM_YAML = FRENCH_YAML + EDITIONS  # the digest in French to the team, with everything
WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def to_whom(server: SmtpServer) -> list[list[str]]:
    return [list(envelope.rcpt_tos) for envelope in server.recorder.envelopes]


def weekly(store_opener: StoreOpener, server: SmtpServer, now: datetime, config_text: str = TEAM_YAML,
           smtp_port: int | None = None) -> DigestRecord | None:  # fmt: skip
    smtp = replace(server.settings, port=smtp_port) if smtp_port else server.settings
    return run_scheduled_digest(store_opener(), make_config(config_text), smtp, now,
                                ssl_context=server.client_context)  # fmt: skip


# -- what an edition reads ---------------------------------------------------------------------


def test_an_edition_is_the_digest_with_what_it_sets_in_its_own_language(
    reopen: StoreOpener,  # noqa: F811
) -> None:
    store, config = reopen(), make_config(TEAM_YAML)
    seed(store, week_articles())
    team = render_text(gather_digest(store, config, WEEK, NOW))
    client = render_text(gather_digest(store, edition_config(config, "client-banque"), WEEK, NOW))
    partner = render_text(gather_digest(store, edition_config(config, "uk-partner"), WEEK, NOW))
    assert "synthèse hebdomadaire" in team and "Santé des sources" in team
    assert "Rust 2.0 announced" in team and "Pourquoi" in team
    assert "synthèse hebdomadaire" in client, "French, as the digest it inherits from"
    assert "CVE-2026-1234 in OpenSSL" in client and "Rust 2.0 announced" not in client
    assert "Pourquoi" not in client and "Santé des sources" not in client
    assert "weekly digest" in partner and "synthèse" not in partner
    assert "Rust 2.0 announced" in partner and "Source health" in partner and "Why:" in partner
    partner_config = edition_config(config, "uk-partner").digest
    assert partner_config.recipients == ("lead@partner.example",)
    assert (partner_config.chats, partner_config.editions) == ((), ())
    assert partner_config.board_url == config.digest.board_url, "inherited"


# -- sent once a week each, retried alone -------------------------------------------------------


def test_each_edition_is_mailed_once_a_week_beside_the_digest(
    smtp_server: SmtpServer,
    reopen: StoreOpener,  # noqa: F811
) -> None:
    seed(reopen(), week_articles())
    mail = weekly(reopen, smtp_server, NOW)
    assert mail is not None and (mail.week, mail.status) == (WEEK, "sent")
    assert to_whom(smtp_server) == [
        ["team@example.org", "lead@example.org"],
        ["dsi@banque.example"],
        ["lead@partner.example"],
    ]
    subjects = [message["Subject"] for message in smtp_server.recorder.messages()]
    assert "synthèse hebdomadaire" in subjects[1] and "weekly digest" in subjects[2]
    store = reopen()
    assert {r.week: r.status for r in store.list_digests()} == {
        WEEK: "sent", CLIENT: "sent", PARTNER: "sent"
    }  # fmt: skip
    weekly(reopen, smtp_server, NOW + timedelta(hours=1))
    weekly(reopen, smtp_server, NOW + timedelta(days=3))
    assert len(smtp_server.recorder.envelopes) == 3, "each once a week"


def test_an_edition_whose_recipient_is_refused_is_retried_alone(
    smtp_server: SmtpServer,
    reopen: StoreOpener,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="watch.digest_job")
    refused = {"dsi@banque.example"}

    async def handle_RCPT(server: object, session: Session, envelope: Envelope, address: str,
                          options: list[str]) -> str:  # fmt: skip
        if address in refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.recorder.handle_RCPT = handle_RCPT  # type: ignore[attr-defined]
    seed(reopen(), week_articles())
    weekly(reopen, smtp_server, NOW)
    client = reopen().get_digest(CLIENT)
    assert client is not None and client.status == "failed"
    assert client.error == "all recipients refused: dsi@banque.example (550)"
    assert client.next_retry == NOW + timedelta(minutes=5)
    assert [m.getMessage() for m in caplog.records if m.name == "watch.digest_job"] == [
        f"digest {CLIENT} not sent by mail: all recipients refused: dsi@banque.example (550); "
        "retried in 5 min (attempt 2 of 10)"
    ]
    assert len(smtp_server.recorder.envelopes) == 2, "the digest and the partner's went out"
    refused.clear()  # the client's IT fixed the mailbox
    weekly(reopen, smtp_server, NOW + timedelta(minutes=6))
    assert to_whom(smtp_server)[2:] == [["dsi@banque.example"]], "neither resent"
    client = reopen().get_digest(CLIENT)
    assert client is not None and (client.status, client.attempts) == ("sent", 2)


def test_an_edition_at_its_own_time_is_retried_alone_when_the_server_was_down(
    smtp_server: SmtpServer,
    reopen: StoreOpener,  # noqa: F811
) -> None:
    later = TEAM_YAML.replace("language: en,", 'language: en, schedule: "mon 11:00",')
    seed(reopen(), week_articles())
    weekly(reopen, smtp_server, NOW, later)  # 10:30 in Paris: the partner's is not due yet
    assert to_whom(smtp_server) == [
        ["team@example.org", "lead@example.org"],
        ["dsi@banque.example"],
    ]
    assert reopen().get_digest(PARTNER) is None
    eleven = datetime(2026, 11, 23, 10, 5, tzinfo=UTC)  # 11:05 in Paris
    weekly(reopen, smtp_server, eleven, later, smtp_port=free_port())  # the server is down
    partner = reopen().get_digest(PARTNER)
    assert partner is not None and partner.status == "failed" and partner.attempts == 1
    assert (partner.error or "").startswith("cannot send via 127.0.0.1")
    main_mail = reopen().get_digest(WEEK)
    assert main_mail is not None and main_mail.attempts == 1, "the digest was not tried again"
    weekly(reopen, smtp_server, eleven + timedelta(minutes=6), later)
    assert to_whom(smtp_server)[2:] == [["lead@partner.example"]]


def test_a_week_before_the_watch_started_is_skipped_for_the_editions_too(
    smtp_server: SmtpServer,
    reopen: StoreOpener,  # noqa: F811
) -> None:
    """The first `watch run` on a new database, a Wednesday: last week has no digest at all."""
    weekly(reopen, smtp_server, WEDNESDAY)
    assert smtp_server.recorder.envelopes == []
    why = "nothing collected that week: the watch started on Wed 25 Nov 11:00 (Europe/Paris)"
    records = {r.week: (r.status, r.error, r.next_retry) for r in reopen().list_digests()}
    assert records == {key: ("skipped", why, None) for key in (WEEK, CLIENT, PARTNER)}
    partner = reopen().get_digest(PARTNER)
    assert partner is not None and partner.recipients == ["lead@partner.example"]


# -- watch digest --edition ---------------------------------------------------------------------


def project(tmp_path: Path, server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """sources.yaml with editions, a database with last week's articles, a clock on NOW."""
    from watch import digest_commands

    (tmp_path / "sources.yaml").write_text(TEAM_YAML, encoding="utf-8")
    monkeypatch.setenv("WATCH_SMTP_HOST", server.settings.host)
    monkeypatch.setenv("WATCH_SMTP_PORT", str(server.settings.port))
    monkeypatch.setenv("WATCH_SMTP_SECURITY", "none")
    monkeypatch.setattr(digest_commands, "utcnow", lambda: NOW)
    db = f"sqlite:///{tmp_path / 'w.db'}"
    store = open_store(db)
    try:
        seed(store, week_articles())
    finally:
        store.close()
    return ["-c", str(tmp_path / "sources.yaml"), "--db", db]


def test_watch_digest_edition_previews_writes_and_sends_that_edition_only(
    plain_server: SmtpServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from watch import digest_commands

    options = project(tmp_path, plain_server, monkeypatch)
    assert main(["digest", *options, "--edition", "uk-partner"]) == 0
    assert "weekly digest" in capsys.readouterr().out
    out = tmp_path / "client.md"
    assert main(["digest", *options, "--edition", "client-banque", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"digest {WEEK} written to {out}\n"
    assert "CVE-2026-1234" in out.read_text() and "Rust 2.0" not in out.read_text()
    send = ["digest", *options, "--edition", "client-banque", "--send"]
    assert main(send) == 0
    assert (
        capsys.readouterr().out
        == f"digest {WEEK} client-banque by mail to dsi@banque.example: sent\n"
    )
    monkeypatch.setattr(digest_commands, "utcnow", lambda: NOW + timedelta(hours=1))
    assert main(send) == 0
    assert capsys.readouterr().out == (
        f"digest {WEEK} client-banque by mail to dsi@banque.example: already sent on Mon 23 Nov "
        "10:30 (Europe/Paris); --force resends it\n"
    )
    assert to_whom(plain_server) == [["dsi@banque.example"]], "only the edition, once"
    store = open_store(options[-1])
    try:
        assert [record.week for record in store.list_digests()] == [CLIENT]
    finally:
        store.close()


def test_watch_digest_with_an_unknown_edition_lists_the_editions(
    plain_server: SmtpServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    options = project(tmp_path, plain_server, monkeypatch)
    assert main(["digest", *options, "--edition", "client", "--send"]) == 2
    assert capsys.readouterr().err == (
        "digest: no edition 'client' in sources.yaml (editions: client-banque, uk-partner)\n"
    )
    assert plain_server.recorder.envelopes == []


# -- watch status and watch check ---------------------------------------------------------------


def test_watch_status_names_each_edition_in_its_own_time_zone(reopen: StoreOpener) -> None:  # noqa: F811
    text = TEAM_YAML.replace("language: en,", "language: en, timezone: Europe/London,")
    config = make_config(text)
    sent = datetime(2026, 11, 23, 7, 2, tzinfo=UTC)
    store = reopen()
    store.save_digest(DigestRecord(WEEK, "sent", 1, sent_at=sent,
                                   recipients=["team@example.org", "lead@example.org"]))  # fmt: skip
    store.save_digest(DigestRecord(CLIENT, "failed", 1, last_attempt=NOW, error="HTTP 500",
                                   next_retry=NOW + timedelta(minutes=5),
                                   recipients=["dsi@banque.example"]))  # fmt: skip
    store.save_digest(DigestRecord("2026-W48 extra edition:uk-partner", "sent", 1, sent_at=NOW,
                                   recipients=["lead@partner.example"]))  # fmt: skip
    store.save_digest(DigestRecord(PARTNER, "sent", 1, sent_at=sent,
                                   recipients=["lead@partner.example"]))  # fmt: skip
    recorded = read_recorded(store, config.digest, NOW)
    assert digest_status(config.digest, Delivery(smtp=True), recorded, NOW) == [
        "digest:",
        "  2026-W47 by mail: sent Mon 23 Nov 08:02 (Europe/Paris) to 2 recipients",
        "  2026-W47 client-banque by mail: failed (HTTP 500); retried by `watch run` in 5 min "
        "(attempt 2 of 10)",
        "  2026-W47 uk-partner by mail: sent Mon 23 Nov 07:02 (Europe/London) to 1 recipient",
        "  2026-W48 extra uk-partner by mail: sent Mon 23 Nov 09:30 (Europe/London) to 1 recipient",
    ]
    nothing = Recorded({}, started=None)
    assert digest_status(config.digest, Delivery(smtp=False), nothing, NOW)[2:] == [
        "  2026-W47 client-banque by mail: not sent, WATCH_SMTP_HOST is not set",
        "  2026-W47 uk-partner by mail: not sent, WATCH_SMTP_HOST is not set",
    ]


def test_watch_check_lists_the_editions_on_its_digest_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = TEAM_YAML.replace("language: en,", 'language: en, schedule: "tue 09:00",')
    assert setup_line(make_config(text).digest) == (
        "  digest:  mon 08:00 Europe/Paris, 2 recipients, 0 chats; editions: client-banque "
        "(1 recipient), uk-partner (en, tue 09:00, 1 recipient)"
    )
    assert setup_line(make_config(FRENCH_YAML).digest) == (
        "  digest:  mon 08:00 Europe/Paris, 2 recipients, 0 chats"
    )
    (tmp_path / "sources.yaml").write_text(text, encoding="utf-8")
    assert main(["check", "-c", str(tmp_path / "sources.yaml")]) == 0
    assert "; editions: client-banque (1 recipient), uk-partner" in capsys.readouterr().out


# -- sources.yaml errors, located ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("editions", "error"),
    [
        (
            "    - {name: client, recipients: [a@b.example], topics: [securty]}\n",
            "sources.yaml:24: digest.editions[0].topics[0]: topic 'securty' is not defined (did "
            "you mean 'security'? defined: rust, security, quiet)",
        ),
        (
            "    - {name: client, recipients: [a@b.example]}\n"
            "    - {name: client, recipients: [c@d.example]}\n",
            "sources.yaml:23: digest.editions: duplicate edition name 'client': each edition is "
            "sent once a week",
        ),
        (
            "    - {name: client, language: en}\n",
            "sources.yaml:24: digest.editions[0].recipients: is required",
        ),
        (
            "    - {name: client, recipients: [a@b.example], chats: []}\n",
            "sources.yaml:24: digest.editions[0].chats: unknown key (known keys: name, "
            "recipients, language, topics, stories_per_topic, leave_out, board_url, schedule, "
            "timezone)",
        ),
        (
            "    - {name: client, recipients: [not-an-address]}\n",
            "sources.yaml:24: digest.editions[0].recipients: 'not-an-address' is not an e-mail "
            "address",
        ),
    ],
)
def test_an_edition_sources_yaml_cannot_run_says_where(editions: str, error: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(FRENCH_YAML + "  editions:\n" + editions)
    assert raised.value.errors == [error]


def test_an_edition_cannot_take_a_chats_name() -> None:
    text = FRENCH_YAML + (
        "  chats: [{name: client, kind: slack, url_env: SLACK_DIGEST_URL}]\n"
        "  editions: [{name: client, recipients: [a@b.example]}]\n"
    )
    with pytest.raises(ConfigError) as raised:
        parse_config(text)
    assert raised.value.errors == [
        "sources.yaml:24: digest.editions: edition name 'client' is a chat's name too: give the "
        "edition another name (`watch status` and the board tell them apart by name)"
    ]


# -- the board's Digest page --------------------------------------------------------------------


@pytest.fixture
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """The board of tests.test_dashboard, its digest with a French edition for a client."""
    from tests.test_dashboard import SOURCES_YAML, board_on

    editions = "    - {name: client-fr, language: fr, recipients: [dsi@banque.example]}\n"
    yaml = SOURCES_YAML + "digest:\n  recipients: [team@example.org]\n  editions:\n" + editions
    yield from board_on(tmp_path, monkeypatch, yaml)


def preview_html(app: AppTest) -> str:
    return base64.b64decode(app.get("iframe")[0].proto.src.split(",", 1)[1]).decode()


def test_the_digest_page_names_the_edition_of_each_send_and_previews_an_edition(
    board: Board,
) -> None:
    from tests.test_dashboard import run_app, table_of

    store = board.open()
    sent = datetime.now(UTC) - timedelta(days=7)
    for key, to in (("2020-W01", "team@x.org"), ("2020-W01 edition:client-fr", "dsi@x.org")):
        store.save_digest(DigestRecord(key, "sent", 1, sent_at=sent, recipients=[to]))
    store.close()
    app = run_app("app_pages/digest.py")
    history = table_of(app)
    rows = sorted(zip(history["Week"], history["Sent to"], history["Recipients"], strict=True))
    assert rows == [
        ("2020-W01", "mail", "team@x.org"),
        ("2020-W01", "mail, edition client-fr", "dsi@x.org"),
    ]
    assert "weekly digest" in preview_html(app), "the digest itself first"
    choice = app.selectbox(key="digest_edition")
    assert choice.label == "Edition" and choice.options[1:] == ["client-fr"]
    choice.set_value("client-fr").run()
    assert not app.exception and "synthèse hebdomadaire" in preview_html(app)


def test_the_digest_page_sends_the_edition_it_previews_once_as_the_command_does(
    board: Board, plain_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Session 13: with an edition previewed, "Send now" mailed the team's digest; it sends that
    edition to its recipients, in its language, under its own record, and not twice (a second
    press, from a page drawn before the first, is refused as `watch digest --edition` without
    --force is, naming the command that resends it)."""
    from tests.test_chat import an_article_last_week
    from tests.test_dashboard import run_app
    from watch.digest_weeks import previous_week

    for name, value in (("HOST", plain_server.settings.host), ("SECURITY", "none"),
                        ("PORT", str(plain_server.settings.port))):  # fmt: skip
        monkeypatch.setenv(f"WATCH_SMTP_{name}", value)
    store = board.open()
    an_article_last_week(store)
    store.close()
    week = previous_week(datetime.now(UTC).astimezone(ZoneInfo("Europe/Paris")))
    first, second = run_app("app_pages/digest.py"), run_app("app_pages/digest.py")
    for app in (first, second):
        assert app.selectbox(key="digest_week").value == week
        app.selectbox(key="digest_edition").set_value("client-fr").run()
        assert [b.label for b in app.button] == [f"Send the client-fr edition of {week} now"]
    first.button(key="send_edition").click().run()
    assert [s.value for s in first.success] == [
        rf"Sent the client-fr edition of {week} to dsi\@banque\.example."  # Markdown, escaped
    ]
    [mail] = plain_server.recorder.messages()
    assert mail["To"] == "dsi@banque.example" and mail["Content-Language"] == "fr"
    assert "synthèse hebdomadaire" in mail["Subject"]
    second.button(key="send_edition").click().run()  # its page was drawn before the send
    assert not second.success and len(plain_server.recorder.envelopes) == 1, "sent once"
    assert not second.button, "no second send from the board"
    [refused] = [c.value for c in second.caption if "was sent on" in c.value]
    assert refused.startswith(f"The client-fr edition of {week} was sent on ")
    assert refused.endswith(
        f"(Europe/Paris): `watch digest --edition client-fr --week {week} --send --force` sends it"
        " again."
    )
    store = board.open()
    try:
        records = {r.week: (r.status, r.recipients) for r in store.list_digests()}
    finally:
        store.close()
    assert records == {f"{week} edition:client-fr": ("sent", ["dsi@banque.example"])}, (
        "the team's digest untouched"
    )
    first.selectbox(key="digest_edition").set_value("the digest (digest.recipients)").run()
    assert [b.label for b in first.button] == [f"Send {week} now to 1 recipient"]


def test_the_digest_page_sends_no_edition_of_a_week_the_scheduler_skipped(
    board: Board, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rules of the digest's button hold for an edition's, on the edition's own record: a
    skipped week gets no button, and the command given sends that edition."""
    from tests.test_chat import an_article_last_week
    from tests.test_dashboard import run_app
    from watch.digest_weeks import previous_week

    monkeypatch.setenv("WATCH_SMTP_HOST", "127.0.0.1")  # configured; nothing is sent here
    week = previous_week(datetime.now(UTC).astimezone(ZoneInfo("Europe/Paris")))
    store = board.open()
    an_article_last_week(store)
    store.save_digest(DigestRecord(f"{week} edition:client-fr", "skipped", 0,
                                   recipients=["dsi@banque.example"]))  # fmt: skip
    store.close()
    app = run_app("app_pages/digest.py")
    assert [b.label for b in app.button] == [f"Send {week} now to 1 recipient"], "not the digest"
    app.selectbox(key="digest_edition").set_value("client-fr").run()
    assert not app.button
    assert (
        f"{week} was not sent: the watch started after that week. `watch digest --edition"
        f" client-fr --send --allow-empty --week {week}` sends it anyway."
    ) in [c.value for c in app.caption]


def test_an_edition_can_do_without_the_boards_links_the_digest_has(
    reopen: StoreOpener,  # noqa: F811
) -> None:
    """An edition inherited digest.board_url with no way to drop it: a client without access to
    the intranet board got "On the board" links it cannot open.  `board_url: none` drops them."""
    yaml = FRENCH_YAML + EDITIONS.replace("      topics: [security]\n", "      board_url: none\n")
    store, config = reopen(), make_config(yaml)
    seed(store, week_articles())
    team = render_text(gather_digest(store, config, WEEK, NOW))
    client = render_text(gather_digest(store, edition_config(config, "client-banque"), WEEK, NOW))
    partner = edition_config(config, "uk-partner").digest
    assert "https://board.example.org/?article=" in team
    assert "board.example.org" not in client and "Rust 2.0 announced" in client
    assert partner.board_url == "https://board.example.org/", "inherited where not said"
    with pytest.raises(ConfigError, match="board_url"):
        make_config(yaml.replace("board_url: none", "board_url: nowhere"))
