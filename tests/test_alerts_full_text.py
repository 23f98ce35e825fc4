"""Alerts and ``full_text:`` sources: an article is judged once its page text is read (it gets
its topics and score from the page after it is stored), or ``TEXT_GRACE`` after it was collected.

Mail through the real SMTP server of ``tests.support.smtp``; the end-to-end test reads the page
from the local HTTP server with the real pipeline (``tests.test_full_text``), the others set the
store as the pipeline leaves it.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.servers import LocalServer, RequestHandler
from tests.support.smtp import SmtpServer
from tests.test_alerts import (
    NOW,
    STACK_CVE,
    TOPICS_AND_SOURCES,
    add,
    bodies,
    by_mail,
    opened,
    store,
)
from tests.test_full_text import BODY, HTML, article_page, config_text, make_pipeline, serve_feed
from watch.alerts import TEXT_GRACE, read_states, run_alerts
from watch.cli import main
from watch.config import WatchConfig, parse_config
from watch.models import ArticleText, TopicMatch
from watch.store import ClassificationUpdate, Store

STORE_FIXTURE = store
"""test_alerts's ``store`` (SQLite in a temp dir), used here by name."""
FULL_TEXT_ALPHA = TOPICS_AND_SOURCES.replace(
    'url: "https://alpha.example/feed"}', 'url: "https://alpha.example/feed", full_text: true}'
)
"""Alpha's articles get their page read; Beta's never."""
CVE_ALERT = "\n  - {name: cve, topics: [security], recipients: [ops@example.org]}\n"


def full_text_config(alerts: str = CVE_ALERT) -> WatchConfig:
    return parse_config(f"{FULL_TEXT_ALPHA}alerts:{alerts}")


def mark(store: Store, alert: str = "cve") -> int:
    return read_states(store, alert)["mail"].mark


def read_as_security(store: Store, article_id: int) -> None:
    """What the full-text stage does for an article whose page speaks of a CVE: its text saved,
    the article classified again."""
    store.save_article_texts([ArticleText(article_id, "<p>…</p>", "A CVE in the kernel", NOW)])
    update = ClassificationUpdate(article_id, [TopicMatch("security", 0.9)], 70.0, {})
    store.update_classification([update])


def test_an_article_is_alerted_once_its_page_gives_it_the_topic(
    plain_server: SmtpServer, local_server: LocalServer, tmp_path: Path
) -> None:
    """The alert job runs while the pipeline reads the page: the article, stored with its feed's
    teaser alone (no topic), is not judged until its page is read and it is classified again."""
    requested, release = threading.Event(), threading.Event()

    def slow_page(request: RequestHandler) -> None:
        requested.set()
        release.wait(10)
        request.send_body(200, article_page(BODY).encode(), HTML)

    serve_feed(local_server, ["/cve"])
    local_server.handler("/cve", slow_page)
    text = config_text(local_server) + f"alerts:{CVE_ALERT}"
    pipeline, db, clock = make_pipeline(tmp_path, text)
    config, channels, now = parse_config(text), by_mail(plain_server), clock.now
    texts_read: list[int] = []
    collecting = threading.Thread(
        target=lambda: texts_read.extend(o.texts for o in asyncio.run(pipeline.run_pass()).outcomes)
    )
    try:
        run_alerts(db, config, channels, now)  # first sight: where the alert starts
        collecting.start()
        assert requested.wait(10), "the article is stored, its page being read"
        with opened(pipeline.settings.db_url) as alerts_store:
            [held] = run_alerts(alerts_store, config, channels, now)
            assert (held.status, held.waiting) == ("nothing new", 1)
            assert mark(alerts_store) == 0, "the mark stays before the article"
        release.set()
        collecting.join(30)
        assert texts_read == [1], "the page was read and the article classified again"
        [sent] = run_alerts(db, config, channels, now)
        assert sent.status == "sent" and "Weekly notes 0" in bodies(plain_server)[0][1]
        assert mark(db) == db.newest_article_id()
        assert run_alerts(db, config, channels, now)[0].status == "nothing new"
        assert len(plain_server.recorder.envelopes) == 1
    finally:
        release.set()
        if collecting.is_alive():
            collecting.join(30)
        pipeline.close()
        db.close()


def test_an_article_after_a_waiting_one_is_sent_with_it_in_order_once(
    plain_server: SmtpServer, store: Store
) -> None:
    config, channels = full_text_config(), by_mail(plain_server)
    run_alerts(store, config, channels, NOW)
    start = mark(store)
    waiting = add(store, "Weekly kernel notes", topics=())
    add(store, "CVE-2026-50 in OpenSSL", source="beta")
    for _ in range(2):
        [held] = run_alerts(store, config, channels, NOW)
        assert (held.status, held.waiting) == ("nothing new", 1)
        assert mark(store) == start, "neither judged: the second waits behind the first"
    assert plain_server.recorder.envelopes == []

    read_as_security(store, waiting)
    [sent] = run_alerts(store, config, channels, NOW)
    assert (sent.status, sent.waiting) == ("sent", 0)
    [(subject, text, _)] = bodies(plain_server)
    assert subject == "[watch] cve: 2 new"
    assert text.index("Weekly kernel notes") < text.index("CVE-2026-50"), "its page's score: 70"
    assert run_alerts(store, config, channels, NOW)[0].status == "nothing new"
    assert len(plain_server.recorder.envelopes) == 1, "nothing sent twice"


def test_an_article_whose_page_is_not_read_in_time_is_judged_with_its_feeds_text(
    plain_server: SmtpServer, store: Store
) -> None:
    config, channels = full_text_config(), by_mail(plain_server)
    run_alerts(store, config, channels, NOW)
    start = mark(store)
    stuck = add(store, "CVE-2026-51 in Drupal")  # the teaser matches; its page never answers
    later = add(store, "Weekly kernel notes", topics=())
    assert run_alerts(store, config, channels, NOW + TEXT_GRACE / 2)[0].status == "nothing new"
    assert mark(store) == start < stuck
    [sent] = run_alerts(store, config, channels, NOW + TEXT_GRACE + timedelta(minutes=1))
    assert sent.status == "sent" and "CVE-2026-51 in Drupal" in bodies(plain_server)[0][1]
    assert mark(store) == later, "the mark moves on past both"


def test_articles_of_sources_without_full_text_and_failed_pages_are_not_held(
    plain_server: SmtpServer, store: Store
) -> None:
    config, channels = full_text_config(), by_mail(plain_server)
    run_alerts(store, config, channels, NOW)
    beta = add(store, "CVE-2026-52 in Symfony", source="beta")
    assert run_alerts(store, config, channels, NOW)[0].status == "sent"
    assert mark(store) == beta
    failed = add(store, "CVE-2026-53 in Drupal")
    store.save_article_texts([ArticleText(failed, fetched_at=NOW, error="HTTP 404 Not Found")])
    assert run_alerts(store, config, channels, NOW)[0].status == "sent"
    assert mark(store) == failed
    assert "CVE-2026-53 in Drupal" in bodies(plain_server)[1][1]


def test_watch_alerts_says_how_many_articles_wait_for_their_page_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file, db = tmp_path / "sources.yaml", f"sqlite:///{tmp_path / 'watch.db'}"
    config_file.write_text(f"{FULL_TEXT_ALPHA}alerts:{STACK_CVE}", encoding="utf-8")
    args = ["alerts", "-c", str(config_file), "--db", db]
    with opened(db) as store:
        add(store, "Drupal CVE-2026-54, stored before")
    assert main([*args, "--send"]) == 0
    with opened(db) as store:
        add(store, "Weekly notes", topics=())
        add(store, "Symfony CVE-2026-55", source="beta")
        add(store, "Drupal CVE-2026-56")
        started = mark(store, "stack-cve")
    capsys.readouterr()
    for sending in ([], ["--send"]):
        assert main([*args, *sending]) == 0
        assert capsys.readouterr().out.splitlines() == [
            "alert stack-cve by mail to ops@example.org: nothing new; 2 articles wait for their "
            "page text (15 minutes at most after being collected); the articles stored after "
            "wait with them"
        ]
    with opened(db) as store:
        assert mark(store, "stack-cve") == started
