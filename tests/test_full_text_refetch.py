"""``full_text:`` sources seen again: the text read from an article's page keeps counting.

A refetch of an unchanged feed updates nothing (the feed alone would classify its items
without their pages); a changed item is classified again with its stored page text, in the
same write; turning ``full_text:`` off keeps the texts read and what they gave.  The texts of
a pass become visible only with the topics and score they gave (alerts wait for them), and a
classification that fails leaves the articles wanted again.

Feeds and pages come from the local server, as in ``tests.test_full_text``; ``StoreSpy`` looks
at the store after each call the pipeline makes, as an alert run in another thread could.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from tests.support.servers import LocalServer, RequestHandler
from tests.test_full_text import BODY, HTML, NOW, Clock, article_page, serve_feed
from watch.cli import main
from watch.config import parse_config, resolve_settings
from watch.pipeline import Pipeline
from watch.store import ArticleQuery, Store, open_store

TEASER = "A new kernel is out."
"""The feed's summary: the kernel topic alone; the page also speaks of a CVE."""
PAGE_TOPICS = ["security", "kernel"]
FEED_TOPICS = ["kernel"]


def config_text(server: LocalServer, full_text: str = "true") -> str:
    return (
        "topics:\n  - {name: security, keywords: [CVE, vulnerability]}\n"
        "  - {name: kernel, keywords: [kernel]}\n"
        f'fetch:\n  allow_private: ["{server.allow}"]\n  timeout: 10\n'
        f"sources:\n  - {{name: blog, url: '{server.url('/feed')}', every: 1h,"
        f" full_text: {full_text}}}\n"
    )


class StoreSpy:
    """The pipeline's store, watched: ``after(method name)`` runs after each call; the methods
    named in ``failing`` raise SQLite's "database is locked" instead of running."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.after: Callable[[str], None] = lambda name: None
        self.failing: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.store, name)
        if not callable(method):
            return method

        def call(*args: Any, **kwargs: Any) -> Any:
            if name in self.failing:
                locked = sqlite3.OperationalError("database is locked")
                raise OperationalError(name, {}, locked)
            result = method(*args, **kwargs)
            self.after(name)
            return result

        return call


@pytest.fixture
def spied(tmp_path: Path) -> Iterator[Callable[[str], tuple[Pipeline, StoreSpy, Clock]]]:
    """Make a pipeline over ``tmp_path``'s store for a config text, its store spied on."""
    made: list[tuple[Pipeline, Store]] = []

    def make(text: str) -> tuple[Pipeline, StoreSpy, Clock]:
        path = tmp_path / "sources.yaml"
        path.write_text(text, encoding="utf-8")
        config = parse_config(text)
        settings = resolve_settings(path, f"sqlite:///{tmp_path / 'watch.db'}", config, env={})
        store, clock = open_store(settings.db_url), Clock()
        spy = StoreSpy(store)
        pipeline = Pipeline(spy, config, settings, clock=clock)  # type: ignore[arg-type]
        made.append((pipeline, store))
        return pipeline, spy, clock

    yield make
    for pipeline, store in made:
        pipeline.close()
        store.close()


def topics(store: Store) -> dict[str, list[str]]:
    """The topic names of each stored article, by guid."""
    found = store.query_articles(ArticleQuery(limit=100))
    return {a.guid: [t.name for t in a.topics] for a in found}


def waiting(store: Store) -> list[int]:
    """The articles alerts wait for (their page not tried yet)."""
    return store.articles_waiting_for_text(["blog"], fetched_since=NOW - timedelta(days=1))


def wanted(store: Store) -> list[int]:
    found = store.articles_wanting_text(
        ["blog"], fetched_since=NOW - timedelta(days=1), retry_before=NOW, per_source=20,
        max_attempts=3,
    )  # fmt: skip
    return [item.id for item in found]


def test_watch_fetch_of_an_unchanged_feed_updates_nothing_and_keeps_the_page_topics(
    local_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The server gives no ETag: every fetch reads the whole feed again."""
    serve_feed(local_server, ["/cve"], summary=TEASER)
    local_server.route("/cve", article_page(BODY), headers=HTML)
    path = tmp_path / "sources.yaml"
    path.write_text(config_text(local_server), encoding="utf-8")
    assert main(["fetch", "-c", str(path)]) == 0
    assert "1 new, 0 updated, 1 in feed; 1 article text read" in capsys.readouterr().out
    store = open_store(resolve_settings(path, None, env={}).db_url)
    try:
        (before,) = store.query_articles(ArticleQuery(limit=10))
        assert [t.name for t in before.topics] == PAGE_TOPICS
        for _ in range(2):
            assert main(["fetch", "-c", str(path)]) == 0
            assert "0 new, 0 updated, 1 in feed" in capsys.readouterr().out
        (after,) = store.query_articles(ArticleQuery(limit=10))
        assert (after.topics, after.score, after.explanation) == (
            before.topics,
            before.score,
            before.explanation,
        )
        log = store.fetch_log("blog")
        assert [e.outcome for e in log] == ["unchanged", "unchanged", "new"]
    finally:
        store.close()


def test_a_changed_summary_is_classified_with_the_stored_page_text_in_the_same_write(
    local_server: LocalServer, spied: Callable[[str], tuple[Pipeline, StoreSpy, Clock]]
) -> None:
    serve_feed(local_server, ["/cve"], summary=TEASER)
    local_server.route("/cve", article_page(BODY), headers=HTML)
    pipeline, spy, clock = spied(config_text(local_server))
    asyncio.run(pipeline.run_pass())
    assert topics(spy.store) == {"/cve": PAGE_TOPICS}
    seen: list[dict[str, list[str]]] = []
    spy.after = lambda name: seen.append(topics(spy.store)) if name == "upsert_articles" else None
    serve_feed(local_server, ["/cve"], summary=f"{TEASER} Notes follow.")
    clock.now += timedelta(hours=2)
    (outcome,) = asyncio.run(pipeline.run_pass()).outcomes
    assert (outcome.new, outcome.updated, outcome.texts) == (0, 1, 0)
    assert seen == [{"/cve": PAGE_TOPICS}], "the feed's topics were never written"
    (article,) = spy.store.query_articles(ArticleQuery(limit=10))
    assert article.summary_text == f"{TEASER} Notes follow."
    assert [t.name for t in article.topics] == PAGE_TOPICS
    assert any("CVE" in line for line in article.explanation)


def test_turning_full_text_off_keeps_the_texts_read_and_the_topics_they_gave(
    local_server: LocalServer, spied: Callable[[str], tuple[Pipeline, StoreSpy, Clock]]
) -> None:
    serve_feed(local_server, ["/cve"], summary=TEASER)
    local_server.route("/cve", article_page(BODY), headers=HTML)
    on, _, _ = spied(config_text(local_server))
    asyncio.run(on.run_pass())
    off, spy, clock = spied(config_text(local_server, full_text="false"))
    for summary in (TEASER, TEASER, f"{TEASER} Notes follow."):
        serve_feed(local_server, ["/cve"], summary=summary)
        clock.now += timedelta(hours=2)
        asyncio.run(off.run_pass())
        assert topics(spy.store) == {"/cve": PAGE_TOPICS}
    assert sum(1 for _, path, _ in local_server.requests if path == "/cve") == 1
    (article,) = spy.store.query_articles(ArticleQuery(limit=10))
    assert spy.store.article_texts([article.id])[article.id].text.endswith(BODY[-1])


def test_an_alert_run_sees_a_read_article_waiting_until_its_topics_are_written(
    local_server: LocalServer, spied: Callable[[str], tuple[Pipeline, StoreSpy, Clock]]
) -> None:
    """After every store call of the pass, what an alert run would see: an article no longer
    waiting for its text has the topics its page gave."""
    serve_feed(local_server, ["/cve"], summary=TEASER)
    local_server.route("/cve", article_page(BODY), headers=HTML)
    pipeline, spy, _ = spied(config_text(local_server))
    seen: list[tuple[str, bool, list[str]]] = []

    def look(name: str) -> None:
        for names in topics(spy.store).values():
            seen.append((name, bool(waiting(spy.store)), names))

    spy.after = look
    (outcome,) = asyncio.run(pipeline.run_pass()).outcomes
    assert outcome.texts == 1
    assert (True, FEED_TOPICS) in [(w, names) for _, w, names in seen], "stored from the feed"
    judged = [(name, names) for name, is_waiting, names in seen if not is_waiting]
    assert judged and all(names == PAGE_TOPICS for _, names in judged), judged


def test_a_failed_classification_saves_no_text_and_the_article_is_wanted_again(
    local_server: LocalServer, spied: Callable[[str], tuple[Pipeline, StoreSpy, Clock]]
) -> None:
    """The database is locked while the page's text is classified (from the moment the page is
    requested): nothing of the text is saved, the article waits and is read at the next pass."""
    pipeline, spy, clock = spied(config_text(local_server))

    def locking_page(request: RequestHandler) -> None:
        spy.failing = {"query_articles", "update_classification"}
        request.send_body(200, article_page(BODY).encode(), HTML)

    serve_feed(local_server, ["/cve"], summary=TEASER)
    local_server.handler("/cve", locking_page)
    (outcome,) = asyncio.run(pipeline.run_pass()).outcomes
    spy.failing = set()
    (article_id,) = waiting(spy.store)
    assert (outcome.texts, wanted(spy.store)) == (0, [article_id])
    assert spy.store.article_texts([article_id]) == {}
    assert topics(spy.store) == {"/cve": FEED_TOPICS}
    local_server.route("/cve", article_page(BODY), headers=HTML)
    clock.now += timedelta(minutes=5)
    (again,) = asyncio.run(pipeline.run_pass()).outcomes
    assert again.texts == 1 and waiting(spy.store) == []
    assert topics(spy.store) == {"/cve": PAGE_TOPICS}
