"""One guid shared by several items of a feed, through the real pipeline and a real store: every
distinct item is stored once, and stays one article across fetches whatever the feed's order."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.support.servers import LocalServer
from tests.test_pipeline import NOW, make_config, make_pipeline, rfc822, stored

HOME = "https://cms.example/"
"""The guid a misconfigured CMS gives every item: the site's home page."""
ITEMS = [
    ("https://cms.example/2026/rust-2", "Rust 2.0 is out"),
    ("https://cms.example/2026/cve-2026-1234", "CVE-2026-1234 in libfoo"),
    ("https://cms.example/2026/postgres-18", "PostgreSQL 18 released"),
]


def shared_guid_rss(items: list[tuple[str, str]], guid: str = HOME) -> str:
    """An RSS 2.0 document whose (link, title) items all carry ``guid``."""
    body = "".join(
        f"<item><guid isPermaLink='false'>{guid}</guid><title>{title}</title><link>{link}</link>"
        f"<description>About {title}</description><pubDate>{rfc822(NOW)}</pubDate></item>"
        for link, title in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>CMS</title>'
        f"<link>{HOME}</link>{body}</channel></rss>"
    )


def ids_by_title(store, source: str) -> dict[str, int]:
    return {a.title: a.id for a in stored(store, source)}


def test_items_sharing_one_guid_are_all_stored_and_stay_one_article_each(
    local_server: LocalServer, tmp_path: Path
) -> None:
    local_server.route("/feed", shared_guid_rss(ITEMS))
    pipeline, store = make_pipeline(tmp_path, make_config(local_server, {"cms": "/feed"}))
    first = asyncio.run(pipeline.run_pass())
    assert first.outcomes[0].new == 3
    ids = ids_by_title(store, "cms")
    assert sorted(ids) == sorted(title for _, title in ITEMS)

    local_server.route("/feed", shared_guid_rss(ITEMS[::-1]))
    second = asyncio.run(pipeline.run_pass())
    assert second.outcomes[0].new == 0
    assert ids_by_title(store, "cms") == ids, "a reordered feed swapped or duplicated articles"
    by_link = {a.url: a.title for a in stored(store, "cms")}
    assert by_link == dict(ITEMS), "an article took another item's content"
    store.close()


def test_the_article_stored_under_the_bare_guid_is_not_duplicated(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """First fetch: one item, stored under the bare guid (what an older version kept of such a
    feed).  Then the feed lists three items under that guid: the first is updated, not stored
    twice; shrinking back to one item does not duplicate it either."""
    local_server.route("/feed", shared_guid_rss(ITEMS[:1]))
    pipeline, store = make_pipeline(tmp_path, make_config(local_server, {"cms": "/feed"}))
    asyncio.run(pipeline.run_pass())
    [(original, original_id)] = ids_by_title(store, "cms").items()
    assert stored(store, "cms")[0].guid == HOME

    local_server.route("/feed", shared_guid_rss(ITEMS[::-1]))
    grown = asyncio.run(pipeline.run_pass())
    assert grown.outcomes[0].new == 2
    ids = ids_by_title(store, "cms")
    assert len(ids) == 3 and ids[original] == original_id

    local_server.route("/feed", shared_guid_rss(ITEMS[1:2]))
    asyncio.run(pipeline.run_pass())
    assert ids_by_title(store, "cms") == ids
    store.close()
