"""Alerts (``alerts:`` in sources.yaml): a saved filter that mails and posts new matches at once.

Mail through the real SMTP server of ``tests.support.smtp``, chats through a real webhook on the
local HTTP server of ``tests.support.servers`` (``tests.test_chat.Hook``); the store is SQLite.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.servers import LocalServer, RequestHandler
from tests.support.smtp import SmtpServer, free_port
from tests.test_chat import Hook
from tests.test_scheduler import Clock, serve_until, service_for, write_config
from watch.alerts import AlertOutcome, Channels, read_states, run_alerts
from watch.cli import main
from watch.config import ConfigError, WatchConfig, parse_config
from watch.config.alerts import AlertConfig
from watch.config.environment import ChatWebhooks
from watch.models import Article, TopicMatch
from watch.store import Store, open_store

NOW = datetime.now(UTC)
"""Alerts tell about news: articles are published an hour before it."""

TOPICS_AND_SOURCES = """
name: Team watch
topics:
  - {name: security, label: Security, keywords: [cve]}
  - {name: cloud, label: Cloud, keywords: [kubernetes]}
  - {name: rust, label: Rust, keywords: [rust]}
sources:
  - {name: alpha, label: Alpha News, url: "https://alpha.example/feed"}
  - {name: beta, label: Beta Wire, url: "https://beta.example/feed"}
"""
STACK_CVE = """
  - name: stack-cve
    label: "CVE sur notre stack"
    query: '"CVE" drupal OR symfony'
    topics: [security]
    recipients: [ops@example.org]
"""


def alert_config(alerts: str = STACK_CVE, extra: str = "") -> WatchConfig:
    return parse_config(f"{TOPICS_AND_SOURCES}{extra}alerts:{alerts}")


def add(
    store: Store,
    title: str,
    *,
    source: str = "alpha",
    topics: tuple[str, ...] = ("security",),
    score: float = 50.0,
    cluster: int | None = None,
) -> int:
    """Store one article published an hour ago; its id."""
    guid = f"{source}-{title}"
    url = f"https://{source}.example/{abs(hash(guid))}"
    article = Article(
        source=source, guid=guid, url=url, canonical_url=url, title=title,
        summary_html="", summary_text=f"About {title}", author=None,
        published=NOW - timedelta(hours=1), fetched_at=NOW,
        topics=[TopicMatch(name, 0.9) for name in topics], score=score, cluster_id=cluster,
    )  # fmt: skip
    (new_id,) = store.upsert_articles([article]).new_ids
    return new_id


@contextmanager
def opened(url: str) -> Iterator[Store]:
    store = open_store(url)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    yield opened
    opened.close()


def by_mail(server: SmtpServer) -> Channels:
    return Channels(server.settings, ChatWebhooks())


def statuses(outcomes: list[AlertOutcome]) -> list[tuple[str, str, str]]:
    return [(o.alert, o.destination, o.status) for o in outcomes]


def bodies(server: SmtpServer) -> list[tuple[str, str, str]]:
    """(subject, text, html) of every mail received."""
    return [
        (
            str(mail["Subject"]),
            mail.get_body(("plain",)).get_content(),  # type: ignore[union-attr]
            mail.get_body(("html",)).get_content(),  # type: ignore[union-attr]
        )
        for mail in server.recorder.messages()
    ]


# -- what is sent, once ------------------------------------------------------------------------


def test_first_sight_sends_nothing_then_each_new_story_is_mailed_once(
    plain_server: SmtpServer, store: Store
) -> None:
    config = alert_config(extra="digest:\n  board_url: 'https://board.example.org/'\n")
    old = add(store, "CVE-2026-0001 in Drupal, from last month", score=95)
    assert statuses(run_alerts(store, config, by_mail(plain_server), NOW)) == [
        ("stack-cve", "mail", "started")
    ]
    assert plain_server.recorder.envelopes == [], "no flood of what was stored before"
    assert read_states(store, "stack-cve")["mail"].mark == old

    new = add(store, "CVE-2026-1234: Drupal core patched", score=80.4, cluster=7)
    [sent] = run_alerts(store, config, by_mail(plain_server), NOW)
    assert sent.status == "sent"
    [(subject, text, html)] = bodies(plain_server)
    assert subject == "[watch] CVE sur notre stack: 1 new"
    assert "CVE-2026-1234: Drupal core patched" in text and "last month" not in text
    assert "Alpha News · score 80 · Security" in text
    assert "https://alpha.example/" in text
    assert "Open the board: https://board.example.org/" in text
    assert '<a href="https://board.example.org/"' in html
    on_board = f"https://board.example.org/?article={new}"  # the story itself on the board
    assert f"  On the board: {on_board}\r\n" in text
    assert f'<a href="{on_board}" style="color: #1a5fb4;">On the board</a>' in html

    assert statuses(run_alerts(store, config, by_mail(plain_server), NOW))[0][2] == "nothing new"
    add(store, "Drupal fixes CVE-2026-1234", source="beta", score=90, cluster=7)
    assert statuses(run_alerts(store, config, by_mail(plain_server), NOW))[0][2] == "nothing new"
    assert len(plain_server.recorder.envelopes) == 1, "another copy of the story is no news"


def test_a_mail_lists_one_line_per_story_best_score_first_at_most_20(
    plain_server: SmtpServer, store: Store
) -> None:
    config = alert_config()
    run_alerts(store, config, by_mail(plain_server), NOW)
    add(store, "Symfony CVE-1", score=60, cluster=1)
    add(store, "Symfony CVE-1 analysed", source="beta", score=70, cluster=1)
    for n in range(2, 24):
        add(store, f"Drupal CVE-{n}", score=n)
    run_alerts(store, config, by_mail(plain_server), NOW)
    [(subject, text, _)] = bodies(plain_server)
    assert subject == "[watch] CVE sur notre stack: 23 new"
    lines = [line for line in text.splitlines() if line.startswith("* ")]
    assert lines[:3] == ["* Symfony CVE-1 analysed", "* Drupal CVE-23", "* Drupal CVE-22"]
    assert len(lines) == 20 and "…and 3 more stories on the board" in text
    assert "Also covered by 1 source: Alpha News" in text


def test_query_topics_and_min_score_each_filter(plain_server: SmtpServer, store: Store) -> None:
    config = alert_config(
        """
  - {name: by-query, query: '"CVE" drupal OR symfony', recipients: [a@example.org]}
  - {name: by-topic, topics: [cloud], recipients: [b@example.org]}
  - {name: by-score, min_score: 70, recipients: [c@example.org]}
"""
    )
    run_alerts(store, config, by_mail(plain_server), NOW)
    add(store, "CVE-2026-7 in Symfony forms", score=40)
    add(store, "Kubernetes 2.0 released", topics=("cloud",), score=30)
    add(store, "A perfect sourdough", topics=(), score=90)
    add(store, "Rust 2.1 is out", topics=("rust",), score=20)
    add(store, "CVE-2026-8 in WordPress", score=45)

    dry = run_alerts(store, config, by_mail(plain_server), NOW, send=False)
    would = {o.alert: [item.title for item in o.message.items] for o in dry if o.message}
    assert would == {
        "by-query": ["CVE-2026-7 in Symfony forms"],
        "by-topic": ["Kubernetes 2.0 released"],
        "by-score": ["A perfect sourdough"],
    }
    assert plain_server.recorder.envelopes == [], "a dry run sends nothing"
    run_alerts(store, config, by_mail(plain_server), NOW)
    sent = {str(mail["To"]): str(mail["Subject"]) for mail in plain_server.recorder.messages()}
    assert sent == {
        "a@example.org": "[watch] by-query: 1 new",
        "b@example.org": "[watch] by-topic: 1 new",
        "c@example.org": "[watch] by-score: 1 new",
    }
    texts = " ".join(text for _, text, _ in bodies(plain_server))
    assert "Rust 2.1" not in texts and "WordPress" not in texts


def test_news_only_an_article_published_days_ago_is_not_alerted(
    plain_server: SmtpServer, store: Store
) -> None:
    config = alert_config()
    run_alerts(store, config, by_mail(plain_server), NOW)
    add(store, "Drupal CVE-2026-9, a new source's backlog")
    later = NOW + timedelta(days=4)
    assert statuses(run_alerts(store, config, by_mail(plain_server), later))[0][2] == "nothing new"


# -- nothing is lost when a destination fails ---------------------------------------------------


def test_smtp_down_loses_nothing_the_next_run_sends_it(
    plain_server: SmtpServer, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="watch.alerts")
    config, down = (
        alert_config(),
        Channels(replace(plain_server.settings, port=free_port()), ChatWebhooks()),
    )
    run_alerts(store, config, down, NOW)
    add(store, "Drupal CVE-2026-10")
    mark = read_states(store, "stack-cve")["mail"].mark
    for _ in range(2):
        [failed] = run_alerts(store, config, down, NOW)
        assert failed.status == "failed" and "cannot send via 127.0.0.1" in (failed.error or "")
    assert read_states(store, "stack-cve")["mail"].mark == mark, "the mark waits for a send"
    [sent] = run_alerts(store, config, by_mail(plain_server), NOW)
    assert sent.status == "sent" and "Drupal CVE-2026-10" in bodies(plain_server)[0][1]
    logged = [r.getMessage() for r in caplog.records]
    assert len([line for line in logged if "not sent by mail" in line]) == 1, "once, not per run"
    assert logged[-1] == (
        "alert stack-cve: 1 new story sent by mail to ops@example.org (after 2 failed attempts)"
    )


def test_one_failed_attempt_is_logged_in_the_singular(
    plain_server: SmtpServer, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """Session 12 audit: the log said "(after 1 failed attempts)"."""
    caplog.set_level(logging.INFO, logger="watch.alerts")
    config = alert_config()
    down = Channels(replace(plain_server.settings, port=free_port()), ChatWebhooks())
    run_alerts(store, config, down, NOW)
    add(store, "Drupal CVE-2026-11")
    assert statuses(run_alerts(store, config, down, NOW))[0][2] == "failed"
    assert statuses(run_alerts(store, config, by_mail(plain_server), NOW))[0][2] == "sent"
    assert caplog.records[-1].getMessage() == (
        "alert stack-cve: 1 new story sent by mail to ops@example.org (after 1 failed attempt)"
    )


def test_a_failed_chat_is_sent_again_without_mailing_twice(
    plain_server: SmtpServer, store: Store, local_server: LocalServer
) -> None:
    hook = Hook(local_server)
    config = alert_config(
        STACK_CVE + "    chats: [team]\n",
        extra=f"fetch: {{allow_private: ['{local_server.allow}'], timeout: 2}}\n"
        "digest:\n  chats: [{name: team, kind: slack, url_env: SLACK_URL}]\n",
    )
    channels = Channels(plain_server.settings, hook.webhooks())
    run_alerts(store, config, channels, NOW)
    add(store, "<!channel> @here Drupal CVE-2026-11 <https://evil.example|click>", score=77)
    hook.status = 500
    assert statuses(run_alerts(store, config, channels, NOW)) == [
        ("stack-cve", "mail", "sent"),
        ("stack-cve", "chat:team", "failed"),
    ]
    hook.status = 200
    assert statuses(run_alerts(store, config, channels, NOW)) == [
        ("stack-cve", "mail", "nothing new"),
        ("stack-cve", "chat:team", "sent"),
    ]
    assert len(plain_server.recorder.envelopes) == 1 and len(hook.posts) == 2
    text = str(hook.posts[-1]["text"])
    assert text.startswith("*CVE sur notre stack*\n1 new story for this alert")
    assert "<!channel>" not in text and "@here" not in text and "<https://evil" not in text
    assert "Alpha News · score 77 · Security" in text


def test_a_chat_that_refuses_the_post_for_good_is_not_retried_every_minute(
    store: Store, local_server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Session 12 review: a 4xx answer (the webhook revoked, the post refused) failed every
    minute for three days and held back the newer stories."""
    caplog.set_level(logging.INFO, logger="watch.alerts")
    hook, config = Hook(local_server), chat_alert(local_server)
    channels = Channels(None, hook.webhooks())
    run_alerts(store, config, channels, NOW)
    add(store, "Drupal CVE-2026-20")
    hook.status, hook.answer = 404, b"no_service"
    [refused] = run_alerts(store, config, channels, NOW)
    assert refused.status == "refused" and "answered HTTP 404: no_service" in (refused.error or "")
    assert statuses(run_alerts(store, config, channels, NOW))[0][2] == "nothing new"
    assert len(hook.posts) == 1, "not posted again"
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.startswith("alert stack-cve not sent to chat team: 127.0.0.1")
    assert warning.endswith(
        "the chat refuses it, so this message (1 story) is dropped for it, never sent again; "
        "the next new story is tried again"
    )
    hook.status = 200
    add(store, "Symfony CVE-2026-21")
    [sent] = run_alerts(store, config, channels, NOW)
    assert sent.status == "sent" and "Symfony CVE-2026-21" in str(hook.posts[-1]["text"])
    assert "CVE-2026-20" not in str(hook.posts[-1]["text"])


def chat_alert(
    server: LocalServer, destinations: str = "chats: [team]", kind: str = "slack"
) -> WatchConfig:
    """The stack-cve alert posting to the chat "team" (a webhook on ``server``)."""
    alert = STACK_CVE.replace("recipients: [ops@example.org]", destinations)
    return alert_config(
        alert,
        extra=f"fetch: {{allow_private: ['{server.allow}'], timeout: 2}}\n"
        f"digest:\n  chats: [{{name: team, kind: {kind}, url_env: SLACK_URL}}]\n",
    )


def test_a_chat_post_fits_the_platforms_limit_the_other_stories_counted() -> None:
    """Session 12 review: 20 stories with long links made a 21,003-character Mattermost post,
    which Mattermost refuses (16,383 at most)."""
    from tests.test_digest import article
    from watch.alert_message import alert_message, chat_text

    link = "https://news.example.org/rss/articles/" + "x" * 560 + "?oc=5"
    sources = [f"source-{n}" for n in range(8)]
    stories = [
        article(n, "T" * 250, url=f"{link}{n}", cluster_sources=sources) for n in range(1, 31)
    ]
    config = alert_config(extra="digest:\n  board_url: 'https://board.example.org/'\n")
    message = alert_message(config, config.alerts[0], stories)
    assert (len(message.items), message.more) == (20, 10)
    for kind, limit in (("mattermost", 16_000), ("slack", 39_000)):
        text = chat_text(message, kind)
        listed = text.count(link)
        assert len(text) <= limit and listed > 0
        assert f"…and {30 - listed} more stories on the board" in text
        assert "https://board.example.org/" in text.splitlines()[-1], "the board link is kept"
    assert chat_text(message, "slack").count(link) == 20, "listed as ever when it fits"
    assert chat_text(message, "mattermost").count(link) < 20


# -- a destination taken off and put back ------------------------------------------------------


def test_a_destination_put_back_starts_afresh_instead_of_sending_what_it_missed(
    plain_server: SmtpServer, store: Store, local_server: LocalServer
) -> None:
    hook = Hook(local_server)
    both = chat_alert(local_server, "recipients: [ops@example.org]\n    chats: [team]")
    chat_only = chat_alert(local_server)
    channels = Channels(plain_server.settings, hook.webhooks())
    run_alerts(store, both, channels, NOW)
    assert statuses(run_alerts(store, chat_only, channels, NOW)) == [
        ("stack-cve", "chat:team", "nothing new")
    ]
    for n in range(3):
        add(store, f"Drupal CVE-2026-3{n}, while the mail was off")
    assert statuses(run_alerts(store, both, channels, NOW, send=False)) == [
        ("stack-cve", "mail", "not started"),
        ("stack-cve", "chat:team", "would send"),
    ]
    assert statuses(run_alerts(store, both, channels, NOW)) == [
        ("stack-cve", "mail", "started"),
        ("stack-cve", "chat:team", "sent"),
    ]
    assert plain_server.recorder.envelopes == [], "what came while it was off is not mailed"
    add(store, "Symfony CVE-2026-34")
    run_alerts(store, both, channels, NOW)
    [(_, text, _)] = bodies(plain_server)
    assert "CVE-2026-34" in text and "CVE-2026-30" not in text

    run_alerts(store, chat_only, channels, NOW)
    add(store, "Drupal CVE-2026-35")
    run_alerts(store, chat_only, channels, NOW)
    assert set(read_states(store, "stack-cve")) == {"chat:team"}, "the mail's state is dropped"


def test_an_alert_put_back_starts_afresh_and_a_named_run_keeps_the_others(
    plain_server: SmtpServer, store: Store
) -> None:
    other = "\n  - {name: cloud, topics: [cloud], recipients: [cloud@example.org]}\n"
    with_cloud, channels = alert_config(STACK_CVE + other), by_mail(plain_server)
    run_alerts(store, with_cloud, channels, NOW)
    run_alerts(store, alert_config(), channels, NOW)  # the cloud alert taken off
    add(store, "Kubernetes 2.0 released", topics=("cloud",))
    add(store, "Drupal CVE-2026-36")
    assert statuses(run_alerts(store, with_cloud, channels, NOW, names=["stack-cve"])) == [
        ("stack-cve", "mail", "sent")
    ]
    assert statuses(run_alerts(store, with_cloud, channels, NOW)) == [
        ("stack-cve", "mail", "nothing new"),
        ("cloud", "mail", "started"),
    ]
    assert [str(mail["To"]) for mail in plain_server.recorder.messages()] == ["ops@example.org"]
    add(store, "Kubernetes 2.1 released", topics=("cloud",))
    add(store, "Symfony CVE-2026-37")
    run_alerts(store, with_cloud, channels, NOW, names=["cloud"])
    assert statuses(run_alerts(store, with_cloud, channels, NOW)) == [
        ("stack-cve", "mail", "sent"),
        ("cloud", "mail", "nothing new"),
    ], "a run of one alert leaves the others as they were"
    assert len(plain_server.recorder.envelopes) == 3


# -- whole words ---------------------------------------------------------------------------------


def test_a_query_matches_whole_words_and_may_exclude_within_topics(
    plain_server: SmtpServer, store: Store
) -> None:
    config = alert_config(
        """
  - {name: rust, query: rust, recipients: [a@example.org]}
  - {name: not-drupal, query: '-drupal', topics: [security], recipients: [b@example.org]}
"""
    )
    run_alerts(store, config, by_mail(plain_server), NOW)
    add(store, "Rustic furniture for the office", topics=())
    add(store, "Rust 2.1 is out", topics=("rust",))
    add(store, "CVE-2026-38 in Drupal")
    add(store, "CVE-2026-39 in Symfony")
    dry = run_alerts(store, config, by_mail(plain_server), NOW, send=False)
    assert {o.alert: [i.title for i in o.message.items] for o in dry if o.message} == {
        "rust": ["Rust 2.1 is out"],
        "not-drupal": ["CVE-2026-39 in Symfony"],
    }


# -- the mail is safe -------------------------------------------------------------------------


def test_the_mail_escapes_a_hostile_title(plain_server: SmtpServer, store: Store) -> None:
    config = alert_config()
    run_alerts(store, config, by_mail(plain_server), NOW)
    add(store, "<script>alert(1)</script> Drupal CVE\r\n\r\nForged: a line of its own")
    run_alerts(store, config, by_mail(plain_server), NOW)
    [(_, text, html)] = bodies(plain_server)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # a title never reaches a header (the subject is the alert's label); in the text part it
    # stays on its own line, unable to forge a line of the message
    assert "* <script>alert(1)</script> Drupal CVE Forged: a line of its own\r\n" in text
    assert "\nForged" not in text


# -- sources.yaml ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alerts", "error"),
    [
        (
            "\n  - {name: a, topics: [security]}\n",
            "sources.yaml:11: alerts[0]: an alert needs somewhere to go: recipients (e-mail "
            "addresses) or chats (names of digest.chats)",
        ),
        (
            "\n  - {name: a, recipients: [ops@example.org]}\n",
            "sources.yaml:11: alerts[0]: an alert needs at least one of query, topics or "
            "min_score (without any, it would send every new article)",
        ),
        (
            "\n  - name: a\n    topics: [securty]\n    recipients: [ops@example.org]\n",
            "sources.yaml:12: alerts[0].topics[0]: topic 'securty' is not defined (did you mean "
            "'security'? defined: security, cloud, rust)",
        ),
        (
            "\n  - {name: a, min_score: 1, chats: [ops]}\n",
            "sources.yaml:11: alerts[0].chats[0]: chat 'ops' is not in digest.chats (named "
            "there: none is)",
        ),
        (
            "\n  - {name: a, min_score: 1, recipients: [x@example.org]}"
            "\n  - {name: a, min_score: 2, recipients: [y@example.org]}\n",
            "sources.yaml:12: alerts[1].name: duplicate name 'a' (first: alerts[0])",
        ),
        (
            "\n  - {name: a, query: '-drupal OR -symfony', recipients: [ops@example.org]}\n",
            "sources.yaml:11: alerts[0]: query '-drupal OR -symfony' only leaves words out: "
            "alone, it would send every other new article (add a word to search for, topics or "
            "min_score)",
        ),
        (
            "\n  - name: a\n    min_score: 150\n    recipients: [ops@example.org]\n",
            "sources.yaml:12: alerts[0].min_score: should be less than or equal to 100",
        ),
    ],
)
def test_config_errors_are_located(alerts: str, error: str) -> None:
    with pytest.raises(ConfigError) as raised:
        alert_config(alerts)
    assert raised.value.errors == [error]


# -- watch alerts, watch run ---------------------------------------------------------------------


def test_watch_alerts_shows_without_sending_and_send_sends(
    plain_server: SmtpServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config_file, db = tmp_path / "sources.yaml", f"sqlite:///{tmp_path / 'watch.db'}"
    config_file.write_text(f"{TOPICS_AND_SOURCES}alerts:{STACK_CVE}", encoding="utf-8")
    monkeypatch.setenv("WATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("WATCH_SMTP_PORT", str(plain_server.settings.port))
    monkeypatch.setenv("WATCH_SMTP_SECURITY", "none")
    args = ["alerts", "-c", str(config_file), "--db", db]
    with opened(db) as store:
        add(store, "Drupal CVE-2026-12, stored before")
    assert main(args) == 0
    assert "alert stack-cve by mail to ops@example.org: not started" in capsys.readouterr().out
    assert main([*args, "--send"]) == 0
    assert "started: articles stored from now on" in capsys.readouterr().out
    with opened(db) as store:
        add(store, "Symfony CVE-2026-13", score=66)
        mark = read_states(store, "stack-cve")["mail"].mark
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines() == [
        "alert stack-cve by mail to ops@example.org: would send 1 new story (--send sends them "
        "now)",
        "  - Symfony CVE-2026-13 — Alpha News · score 66 · Security",
    ]
    with opened(db) as store:
        assert read_states(store, "stack-cve")["mail"].mark == mark, "a dry run records nothing"
    assert plain_server.recorder.envelopes == []
    assert main([*args, "--send", "--name", "stack-cve"]) == 0
    assert "sent 1 new story" in capsys.readouterr().out
    assert len(plain_server.recorder.envelopes) == 1
    assert main([*args, "--name", "nope"]) == 2
    assert "no alert 'nope' in sources.yaml (stack-cve)" in capsys.readouterr().err


def test_watch_run_posts_a_new_match_to_the_chat(local_server: LocalServer, tmp_path: Path) -> None:
    alerted = threading.Event()
    posts: list[bytes] = []

    def receive(request: RequestHandler) -> None:
        posts.append(request.body)
        request.send_body(200, b"ok")
        if b"CVE-2026-14" in request.body:  # the weekly digest may be posted too
            alerted.set()

    local_server.handler("/hooks/team", receive)
    write_config(tmp_path / "sources.yaml", local_server, [])
    with (tmp_path / "sources.yaml").open("a", encoding="utf-8") as config:
        config.write(
            "topics: [{name: security, keywords: [cve]}]\n"
            "digest:\n  chats: [{name: team, kind: mattermost, url_env: TEAM_HOOK}]\n"
            "alerts: [{name: cve, topics: [security], chats: [team]}]\n"
        )
    service = service_for(tmp_path, Clock(NOW), env={"TEAM_HOOK": local_server.url("/hooks/team")})
    service.send_alerts()  # first sight: where the alert starts
    add(service.store, "CVE-2026-14 in the kernel")
    assert serve_until(service, alerted), "the alerts job runs from the start of watch run"
    assert len([post for post in posts if b"CVE-2026-14" in post]) == 1


def test_watch_check_lists_the_alerts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config_file = tmp_path / "sources.yaml"
    config_file.write_text(f"{TOPICS_AND_SOURCES}alerts:{STACK_CVE}", encoding="utf-8")
    assert main(["check", "-c", str(config_file)]) == 0
    assert "  alerts:  stack-cve" in capsys.readouterr().out.splitlines()


def test_each_story_of_an_alert_is_linked_on_the_board_when_the_board_has_an_address() -> None:
    """Session 12: the alert linked the board once ("the board has no address per article");
    each story now has its own, and none without ``digest.board_url``."""
    from tests.test_digest import article
    from watch.alert_message import alert_message, chat_text, render_html, render_text

    board = "digest:\n  board_url: 'https://board.example.org/'\n"
    stories = [article(41, "CVE-2026-41 in Drupal", topics=[("security", 0.9)])]
    stories.append(replace(article(42, "Drupal : la faille", topics=[]), language="fr"))
    for extra, linked in ((board, True), ("", False)):
        config = alert_config(extra=extra)
        message = alert_message(config, config.alerts[0], stories)
        rendered = [render_text(message), render_html(message)]
        rendered += [chat_text(message, kind) for kind in ("slack", "mattermost")]
        for rendering in rendered:
            assert ("https://board.example.org/?article=41" in rendering) is linked
            assert ("On the board" in rendering) is linked
    html = render_html(message)
    assert html.count('<h2 style="font-size: 16px;') == 2, "each story is a heading"
    assert (
        '<h2 style="font-size: 16px; font-weight: bold; margin: 0;" dir="auto" lang="fr">' in html
    )
    slack = chat_text(alert_message(*_with(board), stories), "slack")
    assert "· <https://board.example.org/?article=42|On the board>" in slack


def _with(extra: str) -> tuple[WatchConfig, AlertConfig]:
    config = alert_config(extra=extra)
    return config, config.alerts[0]


CLIENT = """
  - name: client
    label: "Le client dans l'actualité"
    query: drupal
    recipients: [ops@example.org]
"""


@pytest.mark.parametrize(
    ("code", "one", "several"),
    [
        (
            "en",
            "1 new story for this alert:",
            "2 new stories for this alert, the best scored first:",
        ),
        (
            "fr",
            "1 nouvelle actualité pour cette alerte\u202f:",
            "2 nouvelles actualités pour cette alerte, les mieux notées d’abord\u202f:",
        ),
        (
            "de",
            "1 neue Meldung zu diesem Alarm:",
            "2 neue Meldungen zu diesem Alarm, die am besten bewerteten zuerst:",
        ),
    ],
)
def test_one_story_is_told_as_one_and_the_label_gets_the_languages_apostrophe(
    code: str, one: str, several: str
) -> None:
    """Session 12 audit: one story read "1 nouvelle actualité pour cette alerte, les mieux
    notées d’abord"; the label kept its straight apostrophe where topic labels get ’."""
    from tests.test_digest import article
    from watch.alert_message import alert_message, chat_text, render_html, render_text

    config = alert_config(CLIENT, extra=f"digest: {{language: {code}}}\n")
    stories = [article(41, "Drupal 11.2"), article(42, "Drupal 11.3")]
    label = "Le client dans l’actualité" if code != "en" else "Le client dans l'actualité"
    for count, intro in ((1, one), (2, several)):
        message = alert_message(config, config.alerts[0], stories[:count])
        assert message.label == label and message.subject.startswith(f"[watch] {label}")
        assert render_text(message).splitlines()[:3] == [label, "", intro]
        assert f'<p style="margin: 0 0 12px 0;">{intro}</p>' in render_html(message)
        assert chat_text(message, "mattermost").splitlines()[1] == intro
