"""The weekly digest posted to the team's chat (Slack, Mattermost incoming webhooks).

A real HTTP server on 127.0.0.1 receives the POSTs (``tests.support.servers``), listed in
``fetch.allow_private``; the mail side goes through the real SMTP server of
``tests.support.smtp``.  Nothing touches the internet.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support.servers import LocalServer, RequestHandler
from tests.support.smtp import SmtpServer, free_port
from tests.test_digest import NOW, WEEK, article, states, week_articles
from watch.chat import (
    LIMITS,
    WORD_JOINER,
    ZERO_WIDTH_SPACE,
    chat_payload,
    chat_record_key,
    split_record_key,
)
from watch.cli import main
from watch.config import WatchConfig, parse_config, resolve_settings
from watch.config.environment import ChatWebhooks, read_chat_webhooks
from watch.digest import Digest, build_digest
from watch.digest_job import run_scheduled_chats, run_scheduled_digest, send_chats
from watch.models import StoredArticle, TrendReport
from watch.store import Store, open_store

TOKEN_PATH = "/services/T0SECRET/B0SECRET/xoxSecretToken42"
HOSTILE = "<!channel> @here Rust <https://evil.example|click> & *bold* [x](javascript:alert(1))"


def chat_config(allow: str | None, kind: str = "slack", extra: str = "") -> WatchConfig:
    allow_line = f"fetch:\n  allow_private: ['{allow}']\n  timeout: 1\n" if allow else ""
    return parse_config(
        f"""
name: Team watch
topics:
  - {{name: rust, label: "Rust & systems", keywords: [rust]}}
  - {{name: security, label: Security, keywords: [cve]}}
sources:
  - {{name: alpha, url: "https://alpha.example/feed", every: 1h}}
  - {{name: beta, url: "https://beta.example/feed", every: 1d}}
  - {{name: delta, url: "https://delta.example/feed", every: 1h}}
{allow_line}digest:
  recipients: [team@example.org]
  board_url: "https://board.example.org/?view=week&x=1"
  timezone: Europe/Paris
  chats:
    - {{name: team, kind: {kind}, url_env: SLACK_DIGEST_URL}}
{extra}"""
    )


def digest_of(config: WatchConfig, articles: list[StoredArticle] | None = None) -> Digest:
    return build_digest(
        config=config, week=WEEK, articles=week_articles() if articles is None else articles,
        source_states=states(), trends=TrendReport(week=WEEK), now=NOW,
    )  # fmt: skip


def hostile_articles() -> list[StoredArticle]:
    return week_articles() + [
        article(20, HOSTILE, score=99, url="https://alpha.example/a?b=1&c=<2>|3"),
        article(21, "@channel CVE everywhere <!everyone>", source="delta", score=98,
                topics=[("security", 0.9)]),
    ]  # fmt: skip


# -- the message -------------------------------------------------------------------------------


def test_slack_message_is_compact_escaped_mrkdwn_with_links() -> None:
    payload = chat_payload(digest_of(chat_config(None), hostile_articles()), "slack")
    text = payload["text"]
    assert payload["unfurl_links"] is False and payload["mrkdwn"] is True
    assert text.startswith("*Team watch — weekly digest 16–22 Nov 2026 (2026-W47)*\n")
    # the hostile title: Slack's control characters escaped, the mention defused
    assert "<!channel>" not in text and "<!everyone>" not in text and "<https://evil" not in text
    assert "&lt;!channel&gt; @\u2060here Rust &lt;https://evil.example|click&gt; &amp;" in text
    assert "@here" not in text and "@channel" not in text
    # the title links to its article, the link cannot be split by | or >
    assert "<https://alpha.example/a?b=1&amp;c=%3C2%3E%7C3|&lt;!channel&gt;" in text
    assert "<https://alpha.example/post/1|Rust 2.0 announced> — alpha" in text
    assert "_Also covered by 2 sources: beta, gamma_" in text
    assert "Why:" not in text, "the why lines are the mail's (session 9: compact)"
    assert "*Rust &amp; systems*" in text and "*Security*" in text
    assert "<https://board.example.org/?view=week&amp;x=1|Open the board>" in text
    assert "About Rust" not in text, "no summaries: the chat gets the compact version"


def test_mattermost_message_is_escaped_markdown_in_french() -> None:
    config = chat_config(None, kind="mattermost", extra="  language: fr\n")
    text = chat_payload(digest_of(config, hostile_articles()), "mattermost")["text"]
    assert text.startswith("**Team watch — synthèse hebdomadaire du 16 au 22 nov. 2026")
    assert f"@{WORD_JOINER}channel CVE everywhere \\<\\!everyone\\>" in text
    assert "@channel" not in text and "@here" not in text
    assert "\\[x\\]\\(javascript:alert\\(1\\)\\)" in text and "](javascript" not in text
    assert "- [Rust 2.0 announced](https://alpha.example/post/1) — alpha" in text
    assert "Pourquoi" not in text and "semaine 47" in text
    assert "…et 1 autre actualité sur le tableau de bord" in text
    assert "_Aussi couvert par 2 sources\u202f: beta, gamma_" in text
    assert "[Ouvrir le tableau de bord](https://board.example.org/?view=week&x=1)" in text


@pytest.mark.parametrize("kind", ["slack", "mattermost"])
def test_a_huge_week_fits_the_platform_and_counts_what_is_left_out(kind: str) -> None:
    topics = "".join(f"  - {{name: t{i}, keywords: [t{i}]}}\n" for i in range(60))
    config = parse_config(
        f"topics:\n{topics}sources:\n  - {{name: alpha, url: 'https://a.example/f'}}\n"
        f"digest:\n  stories_per_topic: 10\n  board_url: https://board.example.org/\n"
    )
    long = "word " * 300
    articles = [
        article(i, f"{long}{i}", score=50, topics=[(f"t{i % 60}", 0.9)],
                cluster_sources=["alpha"] + [f"s{n}" for n in range(40)], cluster=i)
        for i in range(600)
    ]  # fmt: skip
    text = chat_payload(digest_of(config, articles), kind)["text"]
    assert len(text) <= LIMITS[kind]
    assert "more stories on the board" in text and "Open the board" in text
    shown = text.count("\n• " if kind == "slack" else "\n- ")
    hidden = int(text.split("…and ")[1].split(" ")[0])
    assert shown + hidden == 600 and shown > 10


def picked_digest(config: WatchConfig, note: str) -> Digest:
    pick = article(30, "Kyber everywhere", score=10, topics=[("security", 0.9)])
    pick.note = note
    return build_digest(
        config=config, week=WEEK, articles=week_articles(), source_states=states(),
        trends=TrendReport(week=WEEK), now=NOW, picks=[pick],
    )  # fmt: skip


NOTE = "Patch <b>now</b> @channel & *budget* it\n- see [ticket](javascript:x) INFRA-42\n\n"


def test_a_pick_shows_the_teams_note_escaped_in_place_of_its_why_line() -> None:
    """Session 9: the chat showed "Why: starred on the board…" under a pick, never the note
    the team wrote for the readers (the mail has it); its lines are kept, escaped."""
    slack = chat_payload(picked_digest(chat_config(None), NOTE), "slack")["text"]
    pick = slack.split("*Picked by the team*\n")[1].split("\n\n")[0]
    assert "starred on the board" not in pick and "Why:" not in pick
    assert pick.endswith(
        f"\n    _Note: Patch &lt;b&gt;now&lt;/b&gt; @{WORD_JOINER}channel &amp; "
        f"{Z}*{Z}budget{Z}*{Z} it_"
        "\n    _- see [ticket](javascript:x) INFRA-42_"
    )
    french = chat_config(None, kind="mattermost", extra="  language: fr\n")
    markdown = chat_payload(picked_digest(french, NOTE), "mattermost")["text"]
    assert (
        f"\n  _Note\u202f: Patch \\<b\\>now\\</b\\> @{WORD_JOINER}channel \\& \\*budget\\* it_"
        "\n  _\\- see \\[ticket\\]\\(javascript:x\\) INFRA-42_\n"
    ) in markdown
    assert "@channel" not in slack + markdown and "](javascript" not in markdown
    long = chat_payload(picked_digest(chat_config(None), "word " * 400), "slack")["text"]
    assert "_Note: word word" in long and "word…_" in long and long.count("word") < 80


def test_links_in_the_teams_note_reach_the_chat_as_written_and_clickable() -> None:
    """Session 10: "Read https://medium.com/@alice/my_post*2 first" arrived in Slack as
    "…/@<word joiner>alice/my<zwsp>_<zwsp>post<zwsp>*<zwsp>2" and in Mattermost as
    "…/@<word joiner>alice/my\\_post\\*2": the mention guard and the escaping ran inside the
    URL.  A note's http(s) URLs are now links of their own, the text around them escaped."""
    note = "Read https://medium.com/@alice/my_post*2 first, @here: a|b https://x.example/?a=1|2"
    slack = chat_payload(picked_digest(chat_config(None), note), "slack")["text"]
    medium = "https://medium.com/@alice/my_post*2"
    assert (
        f"\n    _Note: Read <{medium}|{medium}> first, @{WORD_JOINER}here: a|b "
        "<https://x.example/?a=1%7C2|https://x.example/?a=1%7C2>_\n"
    ) in slack
    markdown = chat_payload(picked_digest(chat_config(None, kind="mattermost"), note), "mattermost")
    assert (
        f"\n  _Note: Read <{medium}> first, @{WORD_JOINER}here: a\\|b <https://x.example/?a=1|2>_\n"
    ) in markdown["text"]


Z = ZERO_WIDTH_SPACE
FORMATTED_TITLE = "Why *nix admins love my_var_name"


def test_slack_formatting_marks_in_feed_text_cannot_make_bold_or_italic() -> None:
    """Session 9: mrkdwn has no escape, so "*nix … my_var_name" could turn bold or italic, and
    a note's "_" closed our own italic early.  Each mark of feed text now has a zero-width space
    on either side (the same character, unlike a look-alike); our own markers are untouched."""
    articles = [
        article(40, FORMATTED_TITLE, source="my_blog", score=99,
                cluster=9, cluster_sources=["my_blog", "the~news~", "`dev`"]),
    ]  # fmt: skip
    config = chat_config(None)
    pick = article(41, "_Kyber_ *everywhere*", score=10, topics=[("security", 0.9)])
    pick.note = "rename my_var to *x*_"
    digest = build_digest(
        config=config, week=WEEK, articles=articles, source_states=states(),
        trends=TrendReport(week=WEEK), now=NOW, picks=[pick],
    )  # fmt: skip
    text = chat_payload(digest, "slack")["text"]
    assert f"|Why {Z}*{Z}nix admins love my{Z}_{Z}var{Z}_{Z}name> — my{Z}_{Z}blog" in text
    assert f"\n    _Also covered by 2 sources: {Z}`{Z}dev{Z}`{Z}, the{Z}~{Z}news{Z}~_\n" in text
    assert f"|_{Z}Kyber{Z}_{Z} {Z}*{Z}everywhere{Z}*> — alpha" in text, "none at the ends"
    assert f"\n    _Note: rename my{Z}_{Z}var to {Z}*{Z}x{Z}*{Z}{Z}__\n" in text, (
        "our italic closes"
    )
    assert text.startswith("*Team watch — weekly digest") and "\n*Picked by the team*\n" in text
    assert FORMATTED_TITLE in text.replace(Z, ""), "copied, the title is the feed's"
    markdown = chat_payload(digest_of(chat_config(None, kind="mattermost"), articles), "mattermost")
    assert "Why \\*nix admins love my\\_var\\_name" in markdown["text"]
    assert "\\`dev\\`, the\\~news\\~_" in markdown["text"] and Z not in markdown["text"]


def test_the_message_is_compact_title_source_coverage_and_link_per_story() -> None:
    """Session 9: 7,253 characters for 24 stories, each with a 120-character italic why line:
    Slack folded it behind "Show more".  A story is now one line, "also covered by" under it."""
    text = chat_payload(digest_of(chat_config(None), week_articles()), "slack")["text"]
    stories = [line for line in text.splitlines() if line.startswith("• ")]
    details = [line for line in text.splitlines() if line.startswith("    ")]
    assert len(stories) == 4 and details == ["    _Also covered by 2 sources: beta, gamma_"]
    board = "<https://board.example.org/?view=week&amp;x=1&amp;article=3|On the board>"
    assert f"• <https://alpha.example/post/3|Async traits land> — alpha · {board}" in stories
    assert len(text) < 1000


def test_record_keys_keep_the_week_and_the_chat() -> None:
    assert chat_record_key(WEEK, "team") == "2026-W47 chat:team"
    assert split_record_key("2026-W47 chat:team") == (WEEK, "team")
    assert split_record_key(WEEK) == (WEEK, None)


# -- posting, with a real local server -----------------------------------------------------------


class Hook:
    """A webhook route on the local server: records the JSON it gets, answers what it is told."""

    def __init__(self, server: LocalServer, path: str = TOKEN_PATH) -> None:
        self.server, self.path = server, path
        self.posts: list[dict[str, object]] = []
        self.status, self.answer = 200, b"ok"
        self.headers: dict[str, str] = {}
        server.handler(path, self._respond)

    def _respond(self, request: RequestHandler) -> None:
        self.posts.append(json.loads(request.body))
        request.send_body(self.status, self.answer, {"Content-Type": "text/plain", **self.headers})

    @property
    def url(self) -> str:
        return self.server.url(self.path)

    def webhooks(self) -> ChatWebhooks:
        return ChatWebhooks(urls={"team": self.url})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    opened.upsert_articles(hostile_articles())
    for state in states():
        opened.save_source_state(state)
    yield opened
    opened.close()


def test_the_digest_is_posted_once_a_week_and_recorded_apart_from_the_mail(
    local_server: LocalServer, store: Store
) -> None:
    hook, config = Hook(local_server), chat_config(local_server.allow)
    before = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)  # 07:30 in Paris, before "mon 08:00"
    assert run_scheduled_chats(store, config, hook.webhooks(), before) == []
    [record] = run_scheduled_chats(store, config, hook.webhooks(), NOW)
    assert record.week == "2026-W47 chat:team" and record.status == "sent"
    assert record.recipients == ["slack:team"] and record.sent_at == NOW
    [again] = run_scheduled_chats(store, config, hook.webhooks(), NOW + timedelta(days=2))
    assert again == record and len(hook.posts) == 1
    assert store.get_digest(WEEK) is None, "the mail's record is its own"
    [(method, path, headers)] = local_server.requests
    assert method == "POST" and headers["Content-Type"].startswith("application/json")
    assert hook.posts[0]["text"].startswith("*Team watch — weekly digest")
    [forced] = send_chats(store, config, hook.webhooks(), WEEK, force=True, now=NOW)
    assert forced.attempts == 2 and len(hook.posts) == 2


def test_a_failed_post_is_retried_with_the_mails_backoff(
    local_server: LocalServer, store: Store
) -> None:
    hook, config = Hook(local_server), chat_config(local_server.allow)
    hook.status, hook.answer = 500, b"internal_error"
    [failed] = run_scheduled_chats(store, config, hook.webhooks(), NOW)
    assert failed.status == "failed" and failed.attempts == 1
    assert failed.error == f"127.0.0.1:{local_server.port} answered HTTP 500: internal_error"
    assert failed.next_retry == NOW + timedelta(minutes=5)
    hook.status = 200
    soon = NOW + timedelta(minutes=2)
    assert run_scheduled_chats(store, config, hook.webhooks(), soon) == [failed]
    [sent] = run_scheduled_chats(store, config, hook.webhooks(), NOW + timedelta(minutes=6))
    assert sent.status == "sent" and sent.attempts == 2 and sent.error is None
    assert len(hook.posts) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_a_webhook_that_is_wrong_or_gone_is_not_retried_until_sent_by_hand(
    local_server: LocalServer, store: Store, status: int
) -> None:
    """Session 9: a revoked webhook (403), a removed one (404), an archived channel (410) were
    retried ten times over two days as if the server were only down."""
    hook, config = Hook(local_server), chat_config(local_server.allow)
    hook.status, hook.answer = status, b"invalid_token"
    [failed] = run_scheduled_chats(store, config, hook.webhooks(), NOW)
    assert failed.status == "failed" and failed.next_retry is None
    assert failed.error == (
        f"127.0.0.1:{local_server.port} answered HTTP {status}: invalid_token; not retried "
        "automatically: check $SLACK_DIGEST_URL (the webhook may be wrong, revoked or its channel "
        f"gone), then run 'watch digest --send --week {WEEK}'"
    )
    for later in (timedelta(minutes=6), timedelta(hours=7), timedelta(days=3)):
        assert run_scheduled_chats(store, config, hook.webhooks(), NOW + later) == [failed]
    assert len(hook.posts) == 1
    hook.status = 200  # the variable fixed: an explicit send posts it again
    [sent] = send_chats(store, config, hook.webhooks(), WEEK, now=NOW + timedelta(days=3))
    assert sent.status == "sent" and sent.attempts == 2 and len(hook.posts) == 2


@pytest.mark.parametrize(
    ("status", "retry_after", "wait"),
    [
        (408, None, timedelta(minutes=5)),
        (502, None, timedelta(minutes=5)),
        (429, None, timedelta(minutes=5)),
        (429, "3600", timedelta(hours=1)),
        (429, "60", timedelta(minutes=5)),  # never sooner than the backoff
        (503, "7200", timedelta(hours=2)),
    ],
)
def test_a_busy_server_is_retried_not_before_its_retry_after(
    local_server: LocalServer,
    store: Store,
    status: int,
    retry_after: str | None,
    wait: timedelta,
) -> None:
    hook, config = Hook(local_server), chat_config(local_server.allow)
    hook.status, hook.answer = status, b"rate_limited"
    hook.headers = {"Retry-After": retry_after} if retry_after else {}
    [failed] = run_scheduled_chats(store, config, hook.webhooks(), NOW)
    assert failed.status == "failed" and failed.next_retry == NOW + wait
    assert failed.error == f"127.0.0.1:{local_server.port} answered HTTP {status}: rate_limited"
    hook.status = 200
    assert run_scheduled_chats(store, config, hook.webhooks(), NOW + wait / 2) == [failed]
    [sent] = run_scheduled_chats(store, config, hook.webhooks(), NOW + wait)
    assert sent.status == "sent" and len(hook.posts) == 2


def test_a_server_that_does_not_answer_times_out_and_is_retried(
    local_server: LocalServer, store: Store
) -> None:
    config = chat_config(local_server.allow)  # fetch.timeout: 1
    local_server.delay("/slow", seconds=30)
    slow = ChatWebhooks(urls={"team": local_server.url("/slow")})
    [failed] = run_scheduled_chats(store, config, slow, NOW)
    assert failed.status == "failed"
    assert failed.error == f"no answer from 127.0.0.1:{local_server.port} within 1 s"
    hook = Hook(local_server)
    [sent] = run_scheduled_chats(store, config, hook.webhooks(), NOW + timedelta(minutes=6))
    assert sent.status == "sent" and sent.attempts == 2 and len(hook.posts) == 1


def test_a_webhook_on_a_private_address_is_refused_unless_allowed(
    local_server: LocalServer, store: Store
) -> None:
    hook = Hook(local_server)
    [refused] = send_chats(store, chat_config(None), hook.webhooks(), WEEK, now=NOW)
    assert refused.status == "failed" and local_server.requests == []
    assert refused.error == (
        "refused: 127.0.0.1 is a loopback address; a chat server of your own network must be "
        "listed in fetch.allow_private"
    )
    [sent] = send_chats(store, chat_config(local_server.allow), hook.webhooks(), WEEK, now=NOW)
    assert sent.status == "sent"


def test_redirects_are_not_followed(local_server: LocalServer, store: Store) -> None:
    hook = Hook(local_server, "/elsewhere")
    local_server.redirect(TOKEN_PATH, hook.url)
    moved = ChatWebhooks(urls={"team": local_server.url(TOKEN_PATH)})
    [failed] = send_chats(store, chat_config(local_server.allow), moved, WEEK, now=NOW)
    assert failed.error == (
        f"127.0.0.1:{local_server.port} answered HTTP 302 (a redirect, not followed: check the "
        "webhook URL)"
    )
    assert hook.posts == [] and len(local_server.requests) == 1


def test_the_webhook_url_never_shows_in_errors_or_logs(
    local_server: LocalServer, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """A server echoing the URL, a bad URL, a refused one: the token never leaves."""
    caplog.set_level(logging.DEBUG)
    hook, config = Hook(local_server), chat_config(local_server.allow)
    hook.status, hook.answer = 404, f"no hook at {hook.url}".encode()
    errors = [send_chats(store, config, hook.webhooks(), WEEK, now=NOW)[0].error]
    hook.status = 200
    for url in (hook.url.replace("http://", "gopher://"), hook.url.replace("127.0.0.1", "[::1")):
        record = send_chats(store, config, ChatWebhooks(urls={"team": url}), WEEK, now=NOW)[0]
        errors.append(record.error)
    [sent] = send_chats(store, config, hook.webhooks(), WEEK, now=NOW)
    assert sent.status == "sent"
    not_http = (
        "$SLACK_DIGEST_URL is not an http(s) URL; not retried automatically: check "
        "$SLACK_DIGEST_URL (the webhook may be wrong, revoked or its channel gone), then run "
        f"'watch digest --send --week {WEEK}'"
    )
    assert errors == [
        f"127.0.0.1:{local_server.port} answered HTTP 404: no hook at $SLACK_DIGEST_URL; not "
        "retried automatically: check $SLACK_DIGEST_URL (the webhook may be wrong, revoked or its "
        f"channel gone), then run 'watch digest --send --week {WEEK}'",
        not_http,
        not_http,
    ]
    assert caplog.records, "the failures are logged"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "xoxSecretToken42" not in logged and "T0SECRET" not in logged
    settings = resolve_settings(config=config, env={"SLACK_DIGEST_URL": hook.url})
    assert settings.chats.urls == {"team": hook.url}
    assert "xoxSecretToken42" not in repr(settings) + repr(settings.chats)


def test_an_unset_variable_is_named_and_recorded_as_a_failure(store: Store) -> None:
    config = chat_config(None)
    webhooks = read_chat_webhooks(config, {"SLACK_DIGEST_URL": "  "})
    assert webhooks.missing == {"team": "$SLACK_DIGEST_URL is not set"} and not webhooks.urls
    [record] = send_chats(store, config, webhooks, WEEK, now=NOW)
    assert record.status == "failed" and record.error == (
        "$SLACK_DIGEST_URL is not set in the environment of this process; not retried "
        "automatically: set it (restart 'watch run' so that it reads it), then run "
        f"'watch digest --send --week {WEEK}'"
    )
    assert record.next_retry is None, "waiting cannot set a variable: no 10 retries in vain"
    assert run_scheduled_chats(store, config, webhooks, NOW + timedelta(days=1)) == [record]


# -- the mail and the chats, each on its own ---------------------------------------------------


def test_a_failed_mail_does_not_hold_the_chat_and_neither_resends_the_other(
    local_server: LocalServer, smtp_server: SmtpServer, store: Store
) -> None:
    hook, config = Hook(local_server), chat_config(local_server.allow)
    context, closed = smtp_server.client_context, replace(smtp_server.settings, port=free_port())
    mail = run_scheduled_digest(store, config, closed, NOW, ssl_context=context,
                                chats=hook.webhooks())  # fmt: skip
    assert mail is not None and mail.status == "failed" and len(hook.posts) == 1
    later = NOW + timedelta(minutes=6)
    mail = run_scheduled_digest(store, config, smtp_server.settings, later, ssl_context=context,
                                chats=hook.webhooks())  # fmt: skip
    assert mail is not None and mail.status == "sent" and mail.attempts == 2
    assert len(hook.posts) == 1 and len(smtp_server.recorder.envelopes) == 1
    hook.status = 500
    chat = send_chats(store, config, hook.webhooks(), WEEK, force=True, now=later)[0]
    assert chat.status == "failed" and len(smtp_server.recorder.envelopes) == 1


def test_watch_digest_send_says_what_went_where(
    local_server: LocalServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hook = Hook(local_server)
    config_path = tmp_path / "sources.yaml"
    config_path.write_text(
        f"""
topics: [{{name: rust, keywords: [rust]}}]
sources: [{{name: alpha, url: "https://alpha.example/feed"}}]
fetch: {{allow_private: ["{local_server.allow}"]}}
digest:
  recipients: [team@example.org]
  chats:
    - {{name: team, kind: slack, url_env: SLACK_DIGEST_URL}}
    - {{name: ops, kind: mattermost, url_env: OPS_DIGEST_URL}}
""",
        encoding="utf-8",
    )
    monkeypatch.delenv("WATCH_SMTP_HOST", raising=False)
    monkeypatch.delenv("OPS_DIGEST_URL", raising=False)
    monkeypatch.setenv("SLACK_DIGEST_URL", hook.url)
    run: Callable[[], int] = lambda: main(  # noqa: E731
        ["digest", "-c", str(config_path), "--db", f"sqlite:///{tmp_path / 'w.db'}",
         "--week", WEEK, "--send", "--allow-empty"]
    )  # fmt: skip
    assert run() == 1
    out = capsys.readouterr().out
    *lines, ops = out.splitlines()
    assert lines == [
        f"digest {WEEK} by mail: not sent, WATCH_SMTP_HOST is not set",
        f"digest {WEEK} to chat team (slack): sent",
    ]  # and whether `watch run` retries ops (tests/test_digest_job.py)
    assert ops.startswith(
        f"digest {WEEK} to chat ops (mattermost): failed ($OPS_DIGEST_URL is not set in the "
        "environment of this process; not retried automatically: set it (restart 'watch run' "
        f"so that it reads it), then run 'watch digest --send --week {WEEK}')"
    )
    assert len(hook.posts) == 1 and "xoxSecretToken42" not in out
    assert run() == 1
    assert f"digest {WEEK} to chat team (slack): already sent on" in capsys.readouterr().out
    assert len(hook.posts) == 1


def digest_page(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> Any:
    """The board's Digest page (Streamlit AppTest) run with ``env``, without a mail server."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("WATCH_SMTP_HOST", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    app_path = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
    app = AppTest.from_file(str(app_path), default_timeout=30).run()
    app.switch_page("app_pages/digest.py").run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def an_article_last_week(store: Store) -> None:
    """An article published in the week the Digest page shows first: the week has something to
    send (a week without any is not sent from the board)."""
    store.upsert_articles([article(1, "Rust 2.0", published=datetime.now(UTC) - timedelta(days=7))])


# -- the board ---------------------------------------------------------------------------------


def test_the_boards_history_says_where_each_send_went_and_posts_on_demand(
    local_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    from watch.store import DigestRecord

    hook = Hook(local_server)
    config_path, url = tmp_path / "sources.yaml", f"sqlite:///{tmp_path / 'watch.db'}"
    config_path.write_text(
        f"fetch: {{allow_private: ['{local_server.allow}']}}\ndigest:\n  chats:\n"
        "    - {name: team, kind: slack, url_env: SLACK_DIGEST_URL}\n",
        encoding="utf-8",
    )
    store = open_store(url)
    an_article_last_week(store)
    store.save_digest(DigestRecord("2020-W01", "sent", 1, recipients=["team@example.org"]))
    store.save_digest(DigestRecord("2020-W01 chat:team", "failed", 2, error="HTTP 500",
                                   recipients=["slack:team"]))  # fmt: skip
    store.close()
    app = digest_page(monkeypatch, {"WATCH_CONFIG": str(config_path), "WATCH_DB": url,
                                    "SLACK_DIGEST_URL": hook.url})  # fmt: skip
    from tests.test_dashboard import table_of  # an st.table, its Markdown escapes taken off

    history = table_of(app)
    assert list(history["Week"]) == ["2020-W01", "2020-W01"]
    assert list(history["Sent to"]) == ["Slack chat 'team'", "mail"]
    assert list(history["Recipients"]) == ["", "team@example.org"]
    assert list(history["Error"]) == ["HTTP 500", ""]
    app.button(key="post_digest_chats").click().run()
    assert [s.value for s in app.success] == ["Posted to chat team."] and len(hook.posts) == 1
    assert "xoxSecretToken42" not in str(table_of(app).to_dict())
    st.cache_data.clear()
    st.cache_resource.clear()


def test_the_boards_post_now_posts_only_to_the_chats_that_have_not_got_the_week(
    local_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Session 9 audit: "Post … now to 3 chat(s)" re-posted to the chats that already had the
    week (duplicates in 3 channels) where `watch digest --send` posts to the failed ones only."""
    from zoneinfo import ZoneInfo

    import streamlit as st

    from watch.digest_weeks import previous_week
    from watch.store import DigestRecord

    team, ops = Hook(local_server), Hook(local_server, "/hooks/ops")
    config_path, url = tmp_path / "sources.yaml", f"sqlite:///{tmp_path / 'watch.db'}"
    config_path.write_text(
        f"fetch: {{allow_private: ['{local_server.allow}']}}\ndigest:\n  chats:\n"
        "    - {name: team, kind: slack, url_env: SLACK_DIGEST_URL}\n"
        "    - {name: ops, kind: mattermost, url_env: OPS_DIGEST_URL}\n",
        encoding="utf-8",
    )
    last_week = previous_week(datetime.now(ZoneInfo("Europe/Paris")))  # the page's first week
    store = open_store(url)
    an_article_last_week(store)
    store.save_digest(DigestRecord(chat_record_key(last_week, "team"), "sent", 1,
                                   sent_at=datetime.now(UTC), recipients=["slack:team"]))  # fmt: skip
    store.close()
    app = digest_page(monkeypatch, {"WATCH_CONFIG": str(config_path), "WATCH_DB": url,
                                    "SLACK_DIGEST_URL": team.url, "OPS_DIGEST_URL": ops.url})  # fmt: skip
    assert app.selectbox(key="digest_week").value == last_week
    post = app.button(key="post_digest_chats")
    assert post.label == f"Post {last_week} now to 1 chat(s) not posted yet"
    post.click().run()
    assert [s.value for s in app.success] == ["Posted to chat ops."]
    assert len(ops.posts) == 1 and team.posts == [], "the chat that had the week gets no copy"
    app.run()
    assert not [b for b in app.button if b.key == "post_digest_chats"]
    assert f"{last_week} was posted to every chat (2)." in [c.value for c in app.caption]
    assert len(ops.posts) == 1 and team.posts == []
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_team_on_chat_only_is_not_told_about_mail(
    local_server: LocalServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Session 8: with chats and no recipients, `watch digest --send` still said "by mail:
    not sent, WATCH_SMTP_HOST is not set" to a team that never asked for mail."""
    hook = Hook(local_server)
    config_path = tmp_path / "sources.yaml"
    config_path.write_text(
        f"""
sources: [{{name: alpha, url: "https://alpha.example/feed"}}]
fetch: {{allow_private: ["{local_server.allow}"]}}
digest: {{chats: [{{name: team, kind: slack, url_env: SLACK_DIGEST_URL}}]}}
""",
        encoding="utf-8",
    )
    monkeypatch.delenv("WATCH_SMTP_HOST", raising=False)
    monkeypatch.setenv("SLACK_DIGEST_URL", hook.url)
    db = f"sqlite:///{tmp_path / 'w.db'}"
    send = ["--week", WEEK, "--send", "--allow-empty"]  # an empty store: no article in WEEK
    assert main(["digest", "-c", str(config_path), "--db", db, *send]) == 0
    assert capsys.readouterr().out.splitlines() == [f"digest {WEEK} to chat team (slack): sent"]


# -- watch check -------------------------------------------------------------------------------


def test_check_warns_about_a_webhook_in_clear_text_to_a_public_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Session 9: a plain http:// webhook sends its token readable across the Internet; check
    says so (naming the chat and the variable, never the URL), and does not refuse."""
    hooks = {
        "public": "http://hooks.example.com/services/T0SECRET/B0/xoxSecretToken42",
        "public_ip": "http://93.184.215.14/hooks/xoxSecretToken42",
        "other_port": "http://chat.corp.example:8080/hooks/xoxSecretToken42",
        "secure": "https://hooks.example.com/services/T0SECRET/B0/xoxSecretToken42",
        "intranet": "http://chat.corp.example/hooks/xoxSecretToken42",
        "in_network": "http://10.1.2.3:8065/hooks/xoxSecretToken42",
        "loopback": "http://127.0.0.1:8065/hooks/xoxSecretToken42",
    }
    chats = "".join(
        f"    - {{name: {name}, kind: mattermost, url_env: {name.upper()}_HOOK}}\n"
        for name in hooks
    )
    config_path = tmp_path / "sources.yaml"
    config_path.write_text(
        "sources: [{name: alpha, url: 'https://alpha.example/feed'}]\n"
        "fetch: {allow_private: ['chat.corp.example:80', 10.0.0.0/8]}\n"
        f"digest:\n  chats:\n{chats}",
        encoding="utf-8",
    )
    for name, url in hooks.items():
        monkeypatch.setenv(f"{name.upper()}_HOOK", url)
    assert main(["check", "-c", str(config_path)]) == 0
    said = capsys.readouterr()
    warned = [line for line in said.err.splitlines() if "plain http" in line]
    assert warned == [
        f"warning: chat {name!r}: ${name.upper()}_HOOK is a plain http:// URL to a server not "
        "listed in fetch.allow_private: its secret token crosses the network in clear text, "
        "anyone on the way can post to the chat; use https://, or list the host in "
        "fetch.allow_private if the server is on your own network"
        for name in ("public", "public_ip", "other_port")
    ]
    assert "xoxSecretToken42" not in said.out + said.err and "hooks." not in said.err
