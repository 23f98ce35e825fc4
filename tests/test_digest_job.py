"""The weekly digest job's rules about WHEN a week is sent and what a failed send becomes.

Session 9 audit: the current, unfinished week could be sent (board and ``watch digest --send``),
was then recorded as sent, and Monday's scheduled send sent nothing: the stars given from
Wednesday to Sunday never reached the readers.  Mail through the real SMTP server of
``tests.support.smtp``, chats through the real HTTP server of ``tests.support.servers``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.support.servers import LocalServer
from tests.support.smtp import SmtpServer, free_port
from tests.test_chat import Hook, chat_config
from tests.test_digest import (
    FRENCH_YAML,
    IN_WEEK,
    NOW,
    WEEK,
    StoreOpener,
    article,
    make_config,
    seed,
    typeset,
    week_articles,
)
from watch.cli import main
from watch.digest_job import (
    gather_digest,
    run_scheduled_chats,
    run_scheduled_digest,
    send_chats,
    send_digest,
)
from watch.digest_weeks import current_week, previous_week, retry_note
from watch.models import FetchLogEntry, SourceState
from watch.store import DigestRecord, Store, open_store

THIS_WEEK = "2026-W48"  # Monday 23 to Sunday 29 November 2026
WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
THURSDAY = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
NEXT_MONDAY = datetime(2026, 11, 30, 7, 30, tzinfo=UTC)  # 08:30 in Paris, after "mon 08:00"
NOT_ENDED = (
    "2026-W48 has not ended: it ends Sunday 29 November and is sent Monday 30 November at "
    "08:00 (Europe/Paris); --force sends it now anyway, as an extra that does not count as the "
    "weekly send"
)


@pytest.fixture
def reopen(tmp_path: Path) -> Iterator[StoreOpener]:
    """Opens a store object on the same SQLite file at each call (as ``watch run`` restarts)."""
    opened: list[Store] = []

    def opener() -> Store:
        opened.append(open_store(f"sqlite:///{tmp_path / 'watch.db'}"))
        return opened[-1]

    yield opener
    for store in opened:
        store.close()


# -- a week is sent once it has ended ----------------------------------------------------------


def test_an_unfinished_week_is_not_mailed_and_forcing_it_leaves_mondays_send(
    smtp_server: SmtpServer, reopen: StoreOpener
) -> None:
    config, context = make_config(), smtp_server.client_context
    store = reopen()
    seed(store, [*week_articles(), article(30, "Tokio 2 released", published=WEDNESDAY)])
    with pytest.raises(ValueError, match=re.escape(NOT_ENDED)):
        send_digest(store, config, smtp_server.settings, THIS_WEEK, now=WEDNESDAY,
                    ssl_context=context)  # fmt: skip
    assert smtp_server.recorder.envelopes == [] and store.list_digests() == []
    extra = send_digest(store, config, smtp_server.settings, THIS_WEEK, force=True,
                        now=WEDNESDAY, ssl_context=context)  # fmt: skip
    assert extra.week == "2026-W48 extra" and extra.status == "sent"
    assert store.get_digest(THIS_WEEK) is None, "the extra is not the weekly send"
    store.set_flags(3, starred=True, at=THURSDAY)  # "Async traits land", starred on Thursday
    weekly = run_scheduled_digest(store, config, smtp_server.settings, NEXT_MONDAY,
                                  ssl_context=context)  # fmt: skip
    assert weekly is not None and weekly.week == THIS_WEEK and weekly.status == "sent"
    first, monday = (m.get_body(("plain",)).get_content() for m in smtp_server.recorder.messages())
    assert "Tokio 2 released" in first and "== Picked by the team ==" not in first
    picks = monday.split("== Picked by the team ==")[1].split("==")[0]
    assert "Async traits land" in picks, "Thursday's star opens Monday's mail"


def test_a_week_that_has_ended_is_sent_before_its_scheduled_time_as_the_weekly_send(
    smtp_server: SmtpServer, reopen: StoreOpener
) -> None:
    config, context = make_config(), smtp_server.client_context
    store = reopen()
    seed(store, week_articles())
    early_monday = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)  # 06:00 in Paris, W47 is over
    sent = send_digest(store, config, smtp_server.settings, WEEK, now=early_monday,
                       ssl_context=context)  # fmt: skip
    assert sent.week == WEEK and sent.status == "sent"
    assert run_scheduled_digest(store, config, smtp_server.settings, NOW,
                                ssl_context=context) is None  # fmt: skip
    assert len(smtp_server.recorder.envelopes) == 1


def test_an_unfinished_week_is_not_posted_and_forcing_it_leaves_mondays_post(
    local_server: LocalServer, reopen: StoreOpener
) -> None:
    hook, config = Hook(local_server), chat_config(local_server.allow)
    store = reopen()
    seed(store, week_articles())
    with pytest.raises(ValueError, match=re.escape(NOT_ENDED)):
        send_chats(store, config, hook.webhooks(), THIS_WEEK, now=WEDNESDAY)
    assert hook.posts == []
    [extra] = send_chats(store, config, hook.webhooks(), THIS_WEEK, force=True, now=WEDNESDAY,
                         allow_empty=True)  # fmt: skip
    assert extra.week == "2026-W48 extra chat:team" and extra.status == "sent"
    [weekly] = run_scheduled_chats(store, config, hook.webhooks(), NEXT_MONDAY)
    assert weekly.week == "2026-W48 chat:team" and weekly.status == "sent"
    assert len(hook.posts) == 2


def write_config(tmp_path: Path, server: LocalServer, extra: str = "") -> list[str]:
    """A sources.yaml with one chat on ``server``; the ``-c … --db …`` arguments."""
    path = tmp_path / "sources.yaml"
    path.write_text(
        f"""
topics: [{{name: rust, keywords: [rust]}}]
sources: [{{name: alpha, url: "https://alpha.example/feed"}}]
fetch: {{allow_private: ["{server.allow}"]}}
digest: {{chats: [{{name: team, kind: slack, url_env: SLACK_DIGEST_URL}}]}}
{extra}""",
        encoding="utf-8",
    )
    return ["-c", str(path), "--db", f"sqlite:///{tmp_path / 'w.db'}"]


def test_watch_digest_send_refuses_the_current_week_and_force_sends_an_extra(
    local_server: LocalServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hook = Hook(local_server)
    monkeypatch.setenv("SLACK_DIGEST_URL", hook.url)
    monkeypatch.delenv("WATCH_SMTP_HOST", raising=False)
    options = write_config(tmp_path, local_server)
    week = current_week(datetime.now(ZoneInfo("Europe/Paris")))  # digest.timezone's default
    assert main(["digest", *options, "--send", "--week", week]) == 2
    said = capsys.readouterr()
    assert said.out == "" and hook.posts == []
    assert said.err.startswith(f"digest: {week} has not ended: it ends Sunday ")
    assert said.err.rstrip().endswith(
        "--force sends it now anyway, as an extra that does not count as the weekly send"
    )
    assert main(["digest", *options, "--send", "--force", "--allow-empty", "--week", week]) == 0
    assert capsys.readouterr().out == f"digest {week} extra to chat team (slack): sent\n"
    store = open_store(options[-1])
    try:
        assert [r.week for r in store.list_digests()] == [f"{week} extra chat:team"]
    finally:
        store.close()
    assert len(hook.posts) == 1


# -- the preview says where this week's stars go -----------------------------------------------


def test_the_preview_of_last_week_says_where_this_weeks_stars_go(
    local_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = write_config(tmp_path, local_server)
    now = datetime.now(UTC)
    store = open_store(options[-1])
    try:
        store.upsert_articles(
            [article(1, "Rust 2.0", published=now), article(2, "Tokio", published=now)]
        )
        for article_id in (1, 2):
            store.set_flags(article_id, starred=True, at=now)
    finally:
        store.close()
    this_week = current_week(now.astimezone(ZoneInfo("Europe/Paris")))
    assert main(["digest", *options]) == 0
    said = capsys.readouterr()
    assert said.err == (
        f"2 articles starred this week open the {this_week} digest, not this one: "
        f"'watch digest --week {this_week}' previews the picks.\n"
    )
    assert previous_week(now.astimezone(ZoneInfo("Europe/Paris"))) in said.out
    assert main(["digest", *options, "--week", this_week]) == 0
    said = capsys.readouterr()
    assert said.err.startswith(f"{this_week} has not ended: this preview is partial; it ends ")
    assert "starred" not in said.err and "Rust 2.0" in said.out


def test_the_preview_of_a_week_not_ended_says_it_is_partial_and_when_it_is_sent(
    local_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Session 9 audit: ``watch digest --week 2026-W48`` on its Wednesday printed a full digest
    with no word that the week is not over."""
    options = write_config(tmp_path, local_server)
    this_week = current_week(datetime.now(ZoneInfo("Europe/Paris")))
    next_week = current_week(datetime.now(ZoneInfo("Europe/Paris")) + timedelta(days=7))
    for week in (this_week, next_week):
        assert main(["digest", *options, "--week", week]) == 0
        said = capsys.readouterr()
        assert said.err.startswith(f"{week} has not ended: this preview is partial; it ends ")
        assert re.search(r"and is sent \w+ \d+ \w+ at 08:00 \(Europe/Paris\)\n$", said.err)
    last_week = previous_week(datetime.now(ZoneInfo("Europe/Paris")))
    assert main(["digest", *options, "--week", last_week]) == 0
    assert "has not ended" not in capsys.readouterr().err


# -- a failed send says whether and when it is tried again -------------------------------------


def failed(week: str = WEEK, attempts: int = 1, retry: timedelta | None = None) -> DigestRecord:
    next_retry = NOW + retry if retry is not None else None
    return DigestRecord(week, "failed", attempts, error="HTTP 500", next_retry=next_retry)


def test_a_failed_send_says_when_watch_run_tries_it_again_or_that_it_does_not() -> None:
    digest = make_config().digest  # "mon 08:00" in Europe/Paris; NOW is Monday 10:30 there
    five = timedelta(minutes=5)
    assert retry_note(failed(retry=five), digest, NOW) == "retried in 5 min (attempt 2 of 10)"
    by_run = retry_note(failed(attempts=4, retry=timedelta(minutes=40)), digest, NOW, " by X")
    assert by_run == "retried by X in 40 min (attempt 5 of 10)"
    before_schedule = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 07:00 in Paris
    early = replace(failed(), next_retry=before_schedule + five)
    assert retry_note(early, digest, before_schedule) == "retried in 1 h (attempt 2 of 10)"
    assert retry_note(failed(attempts=10), digest, NOW) == (
        "not retried: 10 attempts failed, the most made"
    )
    assert retry_note(failed("2026-W40", retry=five), digest, NOW) == (
        "not retried: only the last complete week is retried, by `watch run`"
    )
    assert retry_note(failed("2026-W48 extra chat:team"), digest, NOW) == (
        "not retried: an extra send of a week that had not ended"
    )
    assert retry_note(failed(), digest, NOW) == "", "a webhook wrong or gone: its error says"
    sent = DigestRecord(WEEK, "sent", 1, sent_at=NOW)
    assert retry_note(sent, digest, NOW) == ""


def test_the_log_of_a_scheduled_failure_gives_the_attempt_and_when_it_is_retried(
    smtp_server: SmtpServer,
    local_server: LocalServer,
    reopen: StoreOpener,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="watch.digest_job")
    hook, config = Hook(local_server), chat_config(local_server.allow)
    hook.status, hook.answer = 500, b"internal_error"
    store = reopen()
    seed(store, week_articles())
    closed = replace(smtp_server.settings, port=free_port())
    run_scheduled_digest(store, config, closed, NOW, ssl_context=smtp_server.client_context,
                         chats=hook.webhooks())  # fmt: skip
    mail, chat = (record.getMessage() for record in caplog.records)
    assert mail.startswith(f"digest {WEEK} not sent by mail: cannot send via 127.0.0.1")
    assert mail.endswith("; retried in 5 min (attempt 2 of 10)")
    assert chat == (
        f"digest {WEEK} not posted to chat team: 127.0.0.1:{local_server.port} answered HTTP "
        "500: internal_error; retried in 5 min (attempt 2 of 10)"
    )


def test_watch_digest_send_says_when_a_failed_chat_is_retried(
    local_server: LocalServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hook = Hook(local_server)
    hook.status, hook.answer = 503, b"busy"
    monkeypatch.setenv("SLACK_DIGEST_URL", hook.url)
    monkeypatch.delenv("WATCH_SMTP_HOST", raising=False)
    options = write_config(tmp_path, local_server)
    last_week = previous_week(datetime.now(ZoneInfo("Europe/Paris")))
    options += ["--allow-empty"]  # an empty store: its weeks have no article
    assert main(["digest", *options, "--send", "--week", last_week]) == 1
    [line] = capsys.readouterr().out.splitlines()
    failure, _, retry = line.partition("; ")
    assert failure == (
        f"digest {last_week} to chat team (slack): failed (127.0.0.1:{local_server.port} "
        "answered HTTP 503: busy)"
    )
    # 5 min, or later on a Monday before "mon 08:00": the week is retried from then on
    assert re.fullmatch(r"retried by `watch run` in \d+ (min|h) \(attempt 2 of 10\)", retry)
    assert main(["digest", *options, "--send", "--week", "2026-W01"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"digest 2026-W01 to chat team (slack): failed (127.0.0.1:{local_server.port} answered "
        "HTTP 503: busy); not retried: only the last complete week is retried, by `watch run`"
    ]


def test_watch_digest_help_says_what_send_and_force_do_for_mail_and_chats(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["digest", "--help"])
    usage = " ".join(capsys.readouterr().out.split())
    assert "--send send it by mail and post it to the chats of digest.chats" in usage
    assert "mail it again even if sent, post it again to every chat" in usage
    assert "a week that has not ended is sent now as an extra" in usage


# -- the overview counts the sources consulted in the week -------------------------------------


def test_the_overview_counts_the_sources_consulted_in_its_week_from_the_fetch_log(
    reopen: StoreOpener,
) -> None:
    """Session 10 audit: the W47 digest said "8 sources consultées, dont 4 en erreur" when the
    first fetch ever was in W48: it counted every source ever attempted, failing NOW."""
    store = reopen()
    for name in ("alpha", "beta", "gamma", "delta"):  # all attempted, alpha failing now (W48)
        failing = name == "alpha"
        store.save_source_state(
            SourceState(
                name,
                status="error" if failing else "ok",
                last_attempt=WEDNESDAY,
                error_count=int(failing),
            )
        )
    tuesday, friday = datetime(2026, 11, 17, 9, tzinfo=UTC), datetime(2026, 11, 20, 9, tzinfo=UTC)
    log = [("alpha", WEDNESDAY, "error"), ("beta", WEDNESDAY, "new"),  # W48: not W47's
           ("beta", tuesday, "new"), ("beta", friday, "error"),  # W47: ended failing
           ("gamma", tuesday, "error"), ("gamma", friday, "not_modified")]  # fmt: skip
    for source, at, outcome in log:
        store.add_fetch_log(FetchLogEntry(source, at, outcome))  # type: ignore[arg-type]
    french = make_config(FRENCH_YAML)
    before = gather_digest(store, french, "2026-W46", NOW)
    assert (before.overview["sources_consulted"], before.overview["sources_failing"]) == (0, 0)
    assert before.overview_line.endswith(typeset(" ; 0 source consultée sur 4.")), (
        before.overview_line
    )
    week = gather_digest(store, french, WEEK, NOW)
    # gamma failed on Tuesday and recovered by Friday: consulted, not failing
    assert week.overview_line.endswith(typeset(" ; 2 sources consultées sur 4, dont 1 en erreur."))
    english = gather_digest(store, make_config(), THIS_WEEK, NEXT_MONDAY)
    assert english.overview_line.endswith("; 2 of 4 sources consulted, 1 failing.")


# -- no digest of a week before the watch existed (session 12 audit) ---------------------------


def test_the_first_run_on_a_new_database_sends_no_digest_of_the_week_before_it(
    smtp_server: SmtpServer,
    local_server: LocalServer,
    reopen: StoreOpener,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Finding 1 of the session 12 audit: the first `watch run` (a Wednesday, before any fetch)
    at once mailed and posted last week's digest, "0 articles … never consulted", to a client."""
    caplog.set_level(logging.INFO, logger="watch.digest_start")
    hook, config = Hook(local_server), chat_config(local_server.allow)
    context, store = smtp_server.client_context, reopen()
    mail = run_scheduled_digest(store, config, smtp_server.settings, WEDNESDAY,
                                ssl_context=context, chats=hook.webhooks())  # fmt: skip
    assert smtp_server.recorder.envelopes == [] and hook.posts == []
    why = "nothing collected that week: the watch started on Wed 25 Nov 11:00 (Europe/Paris)"
    assert mail is not None and (mail.week, mail.status, mail.error) == (WEEK, "skipped", why)
    chat = store.get_digest("2026-W47 chat:team")
    assert chat is not None and (chat.status, chat.error, chat.next_retry) == ("skipped", why, None)
    assert [r.getMessage() for r in caplog.records] == [
        f"digest 2026-W47 not sent: {why}",
        f"digest 2026-W47 chat:team not sent: {why}",
    ]
    first_fetch = WEDNESDAY + timedelta(minutes=1)  # the watch collects: W48 is its first week
    store.upsert_articles([article(30, "Tokio 2 released", published=first_fetch)])
    later = WEDNESDAY + timedelta(hours=1)
    run_scheduled_digest(reopen(), config, smtp_server.settings, later, ssl_context=context,
                         chats=hook.webhooks())  # fmt: skip
    assert smtp_server.recorder.envelopes == [] and hook.posts == [], "skipped for good"
    weekly = run_scheduled_digest(reopen(), config, smtp_server.settings, NEXT_MONDAY,
                                  ssl_context=context, chats=hook.webhooks())  # fmt: skip
    assert weekly is not None and (weekly.week, weekly.status) == (THIS_WEEK, "sent")
    [message] = smtp_server.recorder.messages()
    assert "Tokio 2 released" in message.get_body(("plain",)).get_content()
    assert len(hook.posts) == 1


def test_a_week_of_the_running_watch_with_no_article_is_still_sent(
    smtp_server: SmtpServer, reopen: StoreOpener
) -> None:
    """Every source failing all week: no article, but the team must learn that its sources
    fail, so the weekly send goes out and says so."""
    store, config = reopen(), make_config()
    tuesday = datetime(2026, 11, 17, 9, tzinfo=UTC)
    for name in ("alpha", "beta", "gamma", "delta"):
        store.add_fetch_log(FetchLogEntry(name, tuesday, "error"))
    sent = run_scheduled_digest(store, config, smtp_server.settings, NOW,
                                ssl_context=smtp_server.client_context)  # fmt: skip
    assert sent is not None and (sent.week, sent.status) == (WEEK, "sent")
    [message] = smtp_server.recorder.messages()
    text = message.get_body(("plain",)).get_content()
    assert "0 articles collected" in text and "4 sources consulted, 4 failing" in text


def test_a_store_upgraded_with_articles_keeps_its_weekly_send_and_remembers_its_start(
    smtp_server: SmtpServer, reopen: StoreOpener
) -> None:
    """A database of an older version has articles but no recorded start: its first article
    says when the watch started, and the scheduler keeps that moment for good."""
    from watch.digest_start import FIRST_COLLECTION, first_collection

    store = reopen()
    seed(store, week_articles())  # first seen in W47, no fetch log, no start recorded
    assert store.get_meta(FIRST_COLLECTION) is None
    sent = run_scheduled_digest(store, make_config(), smtp_server.settings, NOW,
                                ssl_context=smtp_server.client_context)  # fmt: skip
    assert sent is not None and (sent.week, sent.status) == (WEEK, "sent")
    assert store.get_meta(FIRST_COLLECTION) == IN_WEEK.isoformat()
    store.add_fetch_log(FetchLogEntry("alpha", IN_WEEK - timedelta(days=30), "new"))
    assert first_collection(store) == IN_WEEK, "remembered: a log trimmed later cannot move it"


def use_clock(monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
    from watch import digest_commands

    monkeypatch.setattr(digest_commands, "utcnow", lambda: now)


def test_a_manual_send_of_a_week_without_any_article_is_refused_and_says_what_was_meant(
    local_server: LocalServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Finding 2 of the session 12 audit: `watch digest --send --force` (no --week) resent the
    empty last week to the client; she meant "this week, now"."""
    hook = Hook(local_server)
    monkeypatch.setenv("SLACK_DIGEST_URL", hook.url)
    monkeypatch.delenv("WATCH_SMTP_HOST", raising=False)
    options = write_config(tmp_path, local_server)
    store = open_store(options[-1])
    try:
        store.upsert_articles([article(1, "Rust 2.0", published=WEDNESDAY)])  # the first fetch
    finally:
        store.close()
    use_clock(monkeypatch, THURSDAY)
    refusal = (
        "digest: 2026-W47 has no article (the watch started on 2026-11-25); to send this week so "
        "far: watch digest --send --force --week 2026-W48; --allow-empty sends 2026-W47 as it is\n"
    )
    for force in ([], ["--force"]):
        assert main(["digest", *options, "--send", *force]) == 1
        assert capsys.readouterr().err == refusal
    assert hook.posts == []
    assert main(["digest", *options, "--send", "--force", "--week", THIS_WEEK]) == 0
    assert capsys.readouterr().out == "digest 2026-W48 extra to chat team (slack): sent\n"
    assert main(["digest", *options, "--send", "--allow-empty"]) == 0
    assert capsys.readouterr().out == "digest 2026-W47 to chat team (slack): sent\n"
    assert len(hook.posts) == 2


def test_a_manual_send_of_an_empty_week_of_the_running_watch_says_to_look_at_the_sources(
    local_server: LocalServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SLACK_DIGEST_URL", Hook(local_server).url)
    options = write_config(tmp_path, local_server)
    use_clock(monkeypatch, THURSDAY)
    assert main(["digest", *options, "--send"]) == 1
    assert capsys.readouterr().err == (
        "digest: 2026-W47 has no article (the watch has collected nothing yet); --allow-empty "
        "sends 2026-W47 as it is\n"
    )
    store = open_store(options[-1])
    try:
        store.add_fetch_log(FetchLogEntry("alpha", datetime(2026, 11, 10, tzinfo=UTC), "error"))
    finally:
        store.close()
    assert main(["digest", *options, "--send"]) == 1
    assert capsys.readouterr().err == (
        "digest: 2026-W47 has no article (no source gave one that week: 'watch status' says "
        "which fail); --allow-empty sends 2026-W47 as it is\n"
    )


# -- the maintainer's review of "no digest before the watch" (session 12) ----------------------


def test_every_sender_refuses_a_week_without_any_article_unless_allowed(
    smtp_server: SmtpServer, local_server: LocalServer, reopen: StoreOpener
) -> None:
    """The board mailed and posted an empty week that `watch digest --send` refuses: the one
    rule is in ``send_digest`` and ``send_chats`` now, which the CLI, board and scheduler call."""
    from watch.digest_empty import EmptyWeek

    hook, config = Hook(local_server), chat_config(local_server.allow)
    context = smtp_server.client_context
    store = reopen()
    store.add_fetch_log(FetchLogEntry("alpha", IN_WEEK, "error"))  # the watch ran, nothing came
    refusal = (
        "2026-W47 has no article (no source gave one that week: 'watch status' says which "
        "fail); --allow-empty sends 2026-W47 as it is"
    )
    with pytest.raises(EmptyWeek, match=re.escape(refusal)):
        send_digest(store, config, smtp_server.settings, WEEK, now=NOW, ssl_context=context)
    with pytest.raises(EmptyWeek, match=re.escape(refusal)):
        send_chats(store, config, hook.webhooks(), WEEK, now=NOW)
    assert store.list_digests() == [], "nothing recorded: nothing was attempted"
    assert smtp_server.recorder.envelopes == [] and hook.posts == []
    mail = send_digest(store, config, smtp_server.settings, WEEK, now=NOW, ssl_context=context,
                       allow_empty=True)  # fmt: skip
    [chat] = send_chats(store, config, hook.webhooks(), WEEK, now=NOW, allow_empty=True)
    assert (mail.status, chat.status) == ("sent", "sent") and len(hook.posts) == 1


def test_a_forced_send_of_this_week_without_any_article_says_nothing_was_collected_yet(
    local_server: LocalServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """On a Monday morning with healthy sources, "no source gave one that week: 'watch status'
    says which fail" sent the reader after failures there were not; and --allow-empty without
    --send was taken without a word, doing nothing."""
    monkeypatch.setenv("SLACK_DIGEST_URL", Hook(local_server).url)
    options = write_config(tmp_path, local_server)
    store = open_store(options[-1])
    try:
        store.add_fetch_log(FetchLogEntry("alpha", datetime(2026, 11, 10, tzinfo=UTC), "new"))
    finally:
        store.close()
    use_clock(monkeypatch, THURSDAY)
    assert main(["digest", *options, "--send", "--force", "--week", THIS_WEEK]) == 1
    assert capsys.readouterr().err == (
        "digest: 2026-W48 has no article (nothing collected yet this week); --allow-empty sends "
        "2026-W48 as it is\n"
    )
    assert main(["digest", *options, "--allow-empty"]) == 2
    assert capsys.readouterr().err == (
        "digest: --allow-empty goes with --send; a preview shows any week\n"
    )


def test_a_week_before_the_watch_with_backfilled_articles_is_skipped_in_honest_words(
    smtp_server: SmtpServer, reopen: StoreOpener
) -> None:
    """`watch fetch` on Wednesday of W48 brought items the feeds dated in W47: status said "W47
    skipped, nothing collected that week" while `watch digest --week 2026-W47` showed them.
    Still skipped (a new watch's backfill is not news for the client), saying what there is."""
    from watch.digest_status import Delivery, digest_status, read_recorded

    store, config = reopen(), make_config()
    backfill = [article(n, f"Old news {n}", published=IN_WEEK) for n in (1, 2)]
    store.upsert_articles([replace(old, fetched_at=WEDNESDAY) for old in backfill])
    why = (
        "the watch started after that week, on Wed 25 Nov 11:00 (Europe/Paris): its 2 "
        "articles, published then and collected since, are on the board"
    )
    recorded = read_recorded(store, config.digest, THURSDAY)
    lines = digest_status(config.digest, Delivery(smtp=True), recorded, THURSDAY)
    assert lines[1] == f"  {WEEK} by mail: skipped, {why}"
    mail = run_scheduled_digest(store, config, smtp_server.settings, THURSDAY,
                                ssl_context=smtp_server.client_context)  # fmt: skip
    assert mail is not None and (mail.week, mail.status, mail.error) == (WEEK, "skipped", why)
    assert smtp_server.recorder.envelopes == []


def test_a_failed_send_by_hand_of_a_week_before_the_watch_is_retried_as_status_says(
    smtp_server: SmtpServer, reopen: StoreOpener
) -> None:
    """`watch digest --send --allow-empty` of the week before the watch, SMTP down: status said
    "retried by `watch run` in 5 min" and the scheduler never retried it."""
    from watch.digest_status import Delivery, digest_status, read_recorded

    store, config, context = reopen(), make_config(), smtp_server.client_context
    store.upsert_articles([article(30, "Tokio 2 released", published=WEDNESDAY)])  # W48 starts it
    closed = replace(smtp_server.settings, port=free_port())
    failed = send_digest(store, config, closed, WEEK, now=THURSDAY, ssl_context=context,
                         allow_empty=True)  # fmt: skip
    assert failed.status == "failed" and failed.next_retry == THURSDAY + timedelta(minutes=5)
    lines = digest_status(
        config.digest, Delivery(smtp=True), read_recorded(store, config.digest, THURSDAY), THURSDAY
    )
    assert lines[1].endswith("; retried by `watch run` in 5 min (attempt 2 of 10)"), lines
    retried = run_scheduled_digest(store, config, smtp_server.settings, failed.next_retry,
                                   ssl_context=context)  # fmt: skip
    assert retried is not None and (retried.week, retried.status) == (WEEK, "sent")
    assert len(smtp_server.recorder.envelopes) == 1
