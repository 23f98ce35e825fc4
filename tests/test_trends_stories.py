"""Trends count stories, not articles, and one story's vocabulary takes one line.

Session 10 audit: the W48 digest's 10 emerging terms all came from the single CVE story, each
"3 articles", two of them the RSS and the JSON feed of one blog; W47 showed "version : 4
articles (nouveau)" from two stories carried twice each.  A story is an article's cluster
(``TrendInput.cluster_id``), or the article alone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.test_digest import article, seed
from watch.digest_job import week_trends
from watch.digest_lang import ENGLISH, FRENCH
from watch.store import open_store
from watch.trends import TrendInput, weekly_trends

WEEK = "2026-W48"
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CVE_TITLE = "CVE-2026-1234 : faille critique dans le code serveur d'OpenSSL, Microsoft alerte"


def item(
    id: int, title: str, cluster: int | None = None, topics: tuple[str, ...] = ()
) -> TrendInput:
    published = MONDAY + timedelta(hours=id)
    return TrendInput(id, published, topics, title, "", "fr", cluster)


def test_copies_of_one_story_count_once() -> None:
    titles = ["Kubernetes : nouvelle version", "Kubernetes : nouvelle version disponible"]
    titles += ["Version 1.35 de Kubernetes", "Kubernetes publie la version 1.35"]
    clustered = [item(n, title, cluster=n // 2) for n, title in enumerate(titles)]
    report = weekly_trends(clustered, WEEK, now=MONDAY + timedelta(days=8))
    assert report.emerging == [], "two stories: under the 3 a term needs"
    apart = [item(n, title) for n, title in enumerate(titles)]
    [line] = weekly_trends(apart, WEEK, now=MONDAY + timedelta(days=8)).emerging
    assert ("kubernetes" in line.terms, line.count) == (True, 4)
    assert "version" not in line.terms, "the filler of tech writing (Session 10) is no term"


def test_one_storys_vocabulary_is_one_line() -> None:
    copies = [item(n, CVE_TITLE, topics=("security",)) for n in range(3)]  # feeds not clustered
    others = [item(10 + n, f"Kyber adopté par le navigateur {n}") for n in range(3)]
    report = weekly_trends(copies + others, WEEK, now=MONDAY + timedelta(days=8))
    lines = {trend.term: trend.count for trend in report.emerging}
    assert lines == {"CVE-2026-1234, code serveur, faille critique": 3,
                     "kyber adopté, navigateur": 3}  # fmt: skip
    cve = next(trend for trend in report.emerging if "CVE-2026-1234" in trend.terms)
    assert {"microsoft alerte", "openssl"} <= set(cve.terms), "kept on the line, not shown"
    assert [t.term for t in report.by_topic["security"]] == [report.emerging[0].term]


def test_the_digests_trends_read_the_stories_from_the_store(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    published = MONDAY + timedelta(days=1)
    seed(store, [
        article(1, CVE_TITLE, source="alpha", cluster=4, published=published),
        article(2, CVE_TITLE, source="beta", cluster=4, published=published),  # JSON feed
        article(3, CVE_TITLE, source="gamma", cluster=4, published=published),
    ])  # fmt: skip
    assert week_trends(store, WEEK, "Europe/Paris").emerging == []
    store.close()


def test_the_digest_says_stories() -> None:
    assert ENGLISH.say("term_count", count=3) == "3 stories"
    assert ENGLISH.say("term_count", count=1) == "1 story"
    assert FRENCH.say("term_count", count=3) == "3 sujets"
