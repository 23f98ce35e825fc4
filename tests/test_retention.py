"""Retention (``store.keep``): `watch prune`, the daily prune of `watch run`, and a pruned
article its feed still lists staying pruned at the next fetch (served by a local server)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support.servers import LocalServer
from watch.cli import main
from watch.config import parse_config, resolve_settings
from watch.models import Article
from watch.pipeline import Pipeline
from watch.retention import prune
from watch.scheduler import WatchService
from watch.store import open_store
from watch.store.base import ArticleQuery, Store

NOW = datetime.now(UTC).replace(microsecond=0)
LONG_AGO = NOW - timedelta(days=400)


def article(n: int, source: str = "blog", **changes: Any) -> Article:
    values: dict[str, Any] = {
        "source": source,
        "guid": f"{source}-{n}",
        "url": f"https://{source}.example/{n}",
        "canonical_url": f"https://{source}.example/{n}",
        "title": f"Story {n} of {source}",
        "summary_html": "<p>Text</p>",
        "summary_text": "Text",
        "author": None,
        "published": LONG_AGO,
        "fetched_at": LONG_AGO,
    }
    values.update(changes)
    return Article(**values)


def titles(store: Store) -> list[str]:
    return sorted(a.title for a in store.query_articles(ArticleQuery(limit=1000)))


# -- the feed still lists what was pruned ------------------------------------------------


def rss(items: list[tuple[str, datetime]]) -> str:
    body = "".join(
        f"<item><guid>{guid}</guid><title>Post {guid}</title>"
        f"<link>https://news.example/{guid}</link><description>About {guid}</description>"
        f"<pubDate>{published:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>"
        for guid, published in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"<link>https://news.example/</link>{body}</channel></rss>"
    )


def test_a_pruned_article_its_feed_still_lists_is_not_new_at_the_next_fetch(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """A feed keeps its 50 last items, years old for a quiet blog: what retention deleted
    must not come back as new when the feed is read again (no 304: it is parsed again)."""
    old = [(f"old{i}", NOW - timedelta(days=700 + i)) for i in range(4)]
    fresh = [(f"new{i}", NOW - timedelta(days=i)) for i in range(2)]
    local_server.route("/feed", rss(fresh + old), headers={"Content-Type": "application/rss+xml"})
    text = (
        f'fetch:\n  allow_private: ["{local_server.allow}"]\n  timeout: 5\n'
        "store:\n  keep: 12 months\n"
        f"sources:\n  - {{name: news, url: '{local_server.url('/feed')}', every: 1h}}\n"
    )
    (tmp_path / "sources.yaml").write_text(text, encoding="utf-8")
    config = parse_config(text)
    settings = resolve_settings(tmp_path / "sources.yaml", f"sqlite:///{tmp_path / 'w.db'}", config)
    store = open_store(settings.db_url)
    pipeline = Pipeline(store, config, settings)
    try:
        assert asyncio.run(pipeline.run_pass()).new_articles == 6
        two_weeks_on = NOW + timedelta(days=15)  # first seen more than 2 weeks ago by then
        report = prune(store, "12 months", two_weeks_on)
        assert report.result.deleted == 3 and report.result.kept == {"source": 1}
        left = titles(store)
        assert len(left) == 3 and "Post new0" in left and "Post new1" in left
        again = asyncio.run(pipeline.run_pass())
        assert (again.new_articles, again.outcomes[0].seen) == (0, 6)
        assert titles(store) == left
    finally:
        pipeline.close()
        store.close()


# -- watch prune ------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """sources.yaml keeping 6 months, and a database of two sources: two old articles of the
    blog go, the one of them in a story covered by the wire too, which keeps its own."""
    (tmp_path / "sources.yaml").write_text(
        "store:\n  keep: 6 months\n"
        "sources:\n  - {name: blog, url: 'https://blog.example/feed', every: 1h}\n"
        "  - {name: wire, url: 'https://wire.example/feed', every: 1h}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WATCH_CONFIG", str(tmp_path / "sources.yaml"))
    monkeypatch.setenv("WATCH_DB", f"sqlite:///{tmp_path / 'watch.db'}")
    covered = ["covered by 2 sources: blog, wire"]
    store = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    store.upsert_articles(
        [
            article(0, published=NOW - timedelta(days=900), fetched_at=NOW - timedelta(days=900)),
            article(1, summary_html="<p>" + "x" * 50_000 + "</p>"),
            article(2, cluster_id=50, explanation=covered, score=40.0),
            article(3, published=NOW - timedelta(days=2), fetched_at=NOW - timedelta(days=2)),
            article(1, "wire", published=NOW - timedelta(days=3), cluster_id=50,
                    explanation=covered, score=40.0),
        ]
    )  # fmt: skip
    store.close()
    return tmp_path


def wire_explanation(project: Path) -> list[str]:
    store = open_store(f"sqlite:///{project / 'watch.db'}")
    try:
        (wire,) = store.query_articles(ArticleQuery(sources=["wire"]))
        return wire.explanation
    finally:
        store.close()


def test_watch_prune_says_what_would_go_then_deletes_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["prune", "--dry-run"]) == 0
    said = capsys.readouterr().out.splitlines()
    cutoff = (NOW - timedelta(days=180)).date().isoformat()
    assert said[:3] == [
        f"keeping 6 months: articles published before {cutoff} go, except those kept",
        "would delete 2 articles of 5",
        "kept although older than 6 months: 1 the first or newest of their source",
    ]
    assert said[3].startswith("database: ") and said[3].endswith(" kB")
    assert main(["prune"]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[1:4] == [
        "deleted 2 articles of 5",
        "kept although older than 6 months: 1 the first or newest of their source",
        "1 story lost articles: scores recomputed",
    ]
    assert " before, " in said[4] and "of it free: new articles reuse it" in said[4]
    assert not any("covered by" in line for line in wire_explanation(project))
    assert main(["prune", "--vacuum"]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[1] == "deleted 0 articles of 3" and said[-1].endswith("(compacted with VACUUM)")


def test_watch_prune_without_a_retention_keeps_everything(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "sources.yaml").write_text("sources: []\n", encoding="utf-8")
    assert main(["prune"]) == 0
    assert "store.keep is not set in sources.yaml: every article is kept" in capsys.readouterr().out
    assert main(["prune", "--keep", "forever"]) == 0
    assert capsys.readouterr().out == "keeping forever: every article is kept\n"
    assert main(["prune", "--keep", "2 years", "--dry-run"]) == 0
    said = capsys.readouterr().out  # Session 8: said "store.keep: 2 years", not in sources.yaml
    assert said.startswith("keeping 2 years: ") and "would delete 0 articles of 5" in said
    with pytest.raises(SystemExit) as exited:
        main(["prune", "--keep", "2w"])
    assert exited.value.code == 2
    assert "'2w' is below the 30 day minimum" in capsys.readouterr().err


def test_watch_prune_refuses_a_database_that_does_not_exist(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["prune", "--db", f"sqlite:///{project / 'typo.db'}"]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not (project / "typo.db").exists()


# -- watch run --------------------------------------------------------------------------------


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def test_watch_run_prunes_once_a_day(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock(NOW)
    settings = resolve_settings(project / "sources.yaml", f"sqlite:///{project / 'watch.db'}")
    service = WatchService(open_store(settings.db_url), settings, clock=clock)
    store = service.store
    try:
        with caplog.at_level(logging.INFO, logger="watch.retention"):
            service.prune_if_due()
        assert store.count_articles(ArticleQuery()) == 3
        (logged,) = [r.getMessage().split("; ") for r in caplog.records]
        assert logged[1:4] == [
            "deleted 2 articles of 5",
            "kept although older than 6 months: 1 the first or newest of their source",
            "1 story lost articles: scores recomputed at the next model refresh",
        ]
        store.upsert_articles([article(9), article(10)])  # 10: the blog's newest seen
        clock.now += timedelta(hours=23)
        service.prune_if_due()
        assert store.count_articles(ArticleQuery()) == 5
        clock.now += timedelta(hours=2)
        service.prune_if_due()
        assert store.count_articles(ArticleQuery()) == 4
    finally:
        service.pipeline.close()
        store.close()
