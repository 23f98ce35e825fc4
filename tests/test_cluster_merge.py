"""Story clusters merge when a new article bridges them: a story's clusters do not depend on the
order its articles arrive in, two stories told apart stay apart, and the store follows."""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import permutations
from pathlib import Path

import pytest

from tests.support.servers import LocalServer
from tests.test_cluster import article, cluster_all
from tests.test_pipeline import make_config, make_pipeline, rfc822, stored
from watch.cluster import ClusterIndex
from watch.config import parse_config, resolve_settings
from watch.demo.content import demo_items
from watch.models import Article
from watch.normalize import canonical_url
from watch.placement import StoryPlacement
from watch.ranking import Ranker
from watch.store import open_store
from watch.store import sql as sql_store
from watch.store.base import ArticleQuery

NOW = datetime.now(UTC).replace(microsecond=0)

OUTAGE = (
    "Cloudflare outage takes down websites worldwide",
    "A configuration change in the Cloudflare network caused errors for millions of websites "
    "on Tuesday.",
)
CAUSE = (
    "Cloudflare outage caused by an oversized bot management file",
    "A bot management feature file doubled in size and crashed the proxy that routes "
    "Cloudflare traffic.",
)
BRIDGE = (
    "Cloudflare outage that took down websites worldwide traced to an oversized bot management "
    "file",
    "A configuration change in the Cloudflare network caused errors for millions of websites on "
    "Tuesday: a bot management feature file doubled in size and crashed the proxy that routes "
    "traffic.",
)
"""OUTAGE and CAUSE share few words (Jaccard 0.13); BRIDGE tells both (0.46 and 0.56)."""


def one_story(*sources: str) -> list[dict]:
    """OUTAGE, CAUSE and BRIDGE from ``sources`` (one each), an hour apart."""
    texts = (OUTAGE, CAUSE, BRIDGE)
    return [
        article(*text, f"https://{source}.example/{n}", hours=n, source=source)
        for n, (text, source) in enumerate(zip(texts, sources, strict=True))
    ]


def test_a_bridged_story_is_one_cluster_in_every_order() -> None:
    outage, cause, bridge = one_story("alpha", "beta", "gamma")
    assert len(set(cluster_all(ClusterIndex(), [outage, cause]))) == 2
    for order in permutations([outage, cause, bridge]):
        assert len(set(cluster_all(ClusterIndex(), list(order)))) == 1, [a["title"] for a in order]


def test_stories_of_one_source_are_not_merged_by_a_bridge() -> None:
    """One outlet rarely writes the same story twice in a week: its two articles stay apart
    (the same-source rule), whatever another outlet's summary bridges."""
    clusters = cluster_all(ClusterIndex(), one_story("alpha", "alpha", "gamma"))
    assert clusters[0] != clusters[1]


def test_a_bridge_at_the_lower_bar_merges_nothing() -> None:
    """A shared version lowers the bar a match needs (few shared words): too weak to vouch
    that two stories are one."""
    rust = [
        article(
            "Rust 1.86 stabilizes trait upcasting",
            "Rust 1.86.0 is out with trait object upcasting, safe target_feature functions and "
            "get_disjoint_mut.",
            "https://a.example/1",
        ),
        article(
            "Trait upcasting coercions are now stable in Rust",
            "The Rust team shipped a new version: trait upcasting coercions are now stable, and "
            "slices and HashMap gain get_disjoint_mut.",
            "https://b.example/1",
            hours=1,
        ),
        article(
            "Rust 1.86.0 released: trait upcasting is stable",
            "The Rust team shipped version 1.86.0. Trait upcasting coercions are now stable, and "
            "slices and HashMap gain get_disjoint_mut.",
            "https://c.example/1",
            hours=2,
        ),
    ]
    clusters = cluster_all(ClusterIndex(), rust)
    assert clusters[0] != clusters[1] == clusters[2]


TOMCAT = (
    "A vulnerability in Apache Tomcat allows a remote attacker to bypass security constraints "
    "when the default servlet is configured with write enabled. Versions 9.0.0 to 9.0.98 are "
    "affected; upgrade to the fixed release."
)
FIREFOX = "Mozilla released Firefox{} with tab groups, a new PDF editor and security fixes."


@pytest.mark.parametrize(
    "first, second, bridge",
    [
        (
            ("CVE-2026-24813: Apache Tomcat security constraint bypass", TOMCAT),
            ("CVE-2026-24814: Apache Tomcat security constraint bypass", TOMCAT),
            ("Apache Tomcat security constraint bypass", TOMCAT),
        ),
        (
            ("Firefox 130 released", FIREFOX.format(" 130")),
            ("Firefox 131 released", FIREFOX.format(" 131")),
            ("Mozilla releases Firefox with tab groups", FIREFOX.format("")),
        ),
    ],
    ids=["two-cves", "two-versions"],
)
def test_a_bridge_between_two_stories_told_apart_does_not_merge_them(
    first: tuple[str, str], second: tuple[str, str], bridge: tuple[str, str]
) -> None:
    """The bridge matches both strongly, naming neither CVE nor version: the two stories it
    would join are told apart (another CVE of one product, another version)."""
    articles = [
        article(*text, f"https://{n}.example/", hours=n, source=f"s{n}")
        for n, text in enumerate((first, second, bridge))
    ]
    for order in permutations(range(3)):
        clusters = cluster_all(ClusterIndex(), [articles[i] for i in order])
        where = dict(zip(order, clusters, strict=True))
        assert where[0] != where[1]
        assert where[2] in (where[0], where[1])


def feed(site: str, guid: str, title: str, text: str, published: datetime) -> str:
    """An RSS document of one item, its channel and link on ``site`` (one site per source)."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"<link>https://{site}/</link><item><guid>{guid}</guid><title>{title}</title>"
        f"<link>https://{site}/{guid}</link><description>{text}</description>"
        f"<pubDate>{rfc822(published)}</pubDate></item></channel></rss>"
    )


@pytest.mark.parametrize("together", [False, True], ids=["one-pass-each", "one-pass"])
def test_the_store_holds_one_cluster_scored_with_every_source_after_a_merge(
    local_server: LocalServer, tmp_path: Path, together: bool
) -> None:
    """The bridge comes last (its own pass), or all three arrive in one pass in any order: the
    stored articles of both stories take one cluster id, and each is scored with the
    coverage of the merged story."""
    names = {"alpha": OUTAGE, "beta": CAUSE, "gamma": BRIDGE}
    for n, (name, text) in enumerate(names.items()):
        published = NOW - timedelta(hours=3 - n)
        local_server.route(f"/{name}", feed(f"{name}.example", f"{name}1", *text, published))
    config = make_config(local_server, {name: f"/{name}" for name in names})
    pipeline, store = make_pipeline(tmp_path, config)
    if together:
        asyncio.run(pipeline.run_pass())
    else:
        asyncio.run(pipeline.run_pass(["alpha"]))
        asyncio.run(pipeline.run_pass(["beta"]))
        first, second = stored(store, "alpha")[0], stored(store, "beta")[0]
        assert first.cluster_id != second.cluster_id, "two stories before the bridge"
        asyncio.run(pipeline.run_pass(["gamma"]))
    pipeline.close()
    articles = [stored(store, name)[0] for name in names]
    assert len({a.cluster_id for a in articles}) == 1
    assert articles[0].cluster_id == min(a.id for a in articles)
    for a in articles:
        assert "covered by 3 sources" in " ".join(a.explanation), a.explanation
        assert a.cluster_size == 3
    store.close()


def new_article(
    source: str, guid: str, url: str, title: str, text: str, published: datetime
) -> Article:
    """A new article as a feed gives it (its URL canonical already)."""
    return Article(
        source=source, guid=guid, url=url, canonical_url=url, title=title, summary_html="",
        summary_text=text, author=None, published=published, fetched_at=NOW,
    )  # fmt: skip


@pytest.mark.parametrize("chunk", [2000, 1], ids=["one-write", "one-row-per-write"])
def test_a_bridge_in_one_batch_moves_the_articles_written_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """The two stories and their bridge in one batch: the stories' articles were placed (one
    write) or even stored (one row per write) before the bridge came; all end in one cluster."""
    monkeypatch.setattr(sql_store, "UPSERT_CHUNK", chunk)
    config = parse_config("sources: []\n")
    settings = resolve_settings(tmp_path / "sources.yaml", None, config, env={})
    store = open_store(f"sqlite:///{tmp_path / 'w.db'}")
    ranker = Ranker(store, config, settings, None, lambda: NOW)
    texts = {"alpha": OUTAGE, "beta": CAUSE, "gamma": BRIDGE}
    articles = [
        new_article(name, "1", f"https://{name}.example/1", *text, NOW - timedelta(hours=3 - n))
        for n, (name, text) in enumerate(texts.items())
    ]
    result = store.upsert_articles(articles, before_insert=ranker.place_new)
    ranker.rescore_joined(result.new_ids, result.updated_ids)
    found = store.query_articles(ArticleQuery(limit=10))
    assert len(found) == 3 and len({a.cluster_id for a in found}) == 1
    for a in found:
        assert "covered by 3 sources" in " ".join(a.explanation), a.explanation
    store.close()


def demo_articles(order: list[str]) -> list[tuple[str | None, str, Article]]:
    """The demo's items (story key, source, article) as a pass gets them when its sources
    arrive in ``order``, each source's items in its feed's order."""
    items = demo_items(NOW.year)
    found = []
    for source in order:
        for item in (item for item in items if item.source == source):
            link = item.link("http://127.0.0.1:8000")
            article = new_article(
                source, item.slug, link, item.title, item.summary, item.published(NOW)
            )
            article.canonical_url = canonical_url(link)
            found.append((item.story, source, article))
    return found


def test_each_demo_story_clusters_alike_whatever_order_its_sources_arrive_in(
    tmp_path: Path,
) -> None:
    """The demo collects its sources in one pass, in the order they answer: 20 orders through
    the pipeline's placement give each story the same clusters; FluxBleed's three items that
    join another one (a shared CVE, a link to its original) are one story, the fourth (no CVE,
    no link, few shared words) another."""
    store = open_store(f"sqlite:///{tmp_path / 'w.db'}")
    sources = sorted({item.source for item in demo_items(NOW.year)})
    seen: dict[str, set[tuple[tuple[str, ...], ...]]] = defaultdict(set)
    for seed in range(20):
        order = random.Random(seed).sample(sources, len(sources))
        arrived = demo_articles(order)
        placement = StoryPlacement(store, lambda: NOW, dict)
        placement.place([(n, a) for n, (_, _, a) in enumerate(arrived, start=1)])
        clusters: dict[str, dict[int | None, list[str]]] = defaultdict(lambda: defaultdict(list))
        for story, source, a in arrived:
            if story:
                clusters[story][a.cluster_id].append(source)
        for story, parts in clusters.items():
            seen[story].add(tuple(sorted(tuple(sorted(p)) for p in parts.values())))
    store.close()
    assert {
        story: len(partitions) for story, partitions in seen.items() if len(partitions) > 1
    } == {}
    assert seen["fluxbleed"] == {
        (("cloud-status", "secu-hebdo", "tech-actu"), ("open-source-digest",))
    }
