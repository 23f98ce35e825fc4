"""Story clusters: same story across sources joins, distinct stories with similar words do not."""

from __future__ import annotations

import json
import pickle
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import numpy as np
import pytest

from watch.cluster import ClusterIndex, build_index, distinct_stories, fingerprint, marks_conflict
from watch.cluster.languages import reads_as_german
from watch.demo.content import demo_items
from watch.normalize import canonical_url

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

OPENSSL_BODY = (
    "The OpenSSL project has published version 3.4.1, fixing a high-severity flaw in the "
    "handling of X.509 certificate policy constraints that could let a remote attacker "
    "exhaust memory on servers that verify client certificates. Administrators are advised "
    "to upgrade; distributions including Debian and Fedora already ship patched packages."
)


def cluster_all(index: ClusterIndex, articles: list[dict]) -> list[int]:
    """What the pipeline does: place, else allocate a new cluster id; merge the stories the
    article bridges; then add.  Each article's cluster at the end (merges move earlier ones)."""
    for article_id, article in enumerate(articles, start=1):
        fields = (article["title"], article["text"], article["url"], article["published"])
        source = article.get("source", "")
        placed = index.place(article_id, *fields, source=source)
        cluster = 1000 + article_id if placed.cluster is None else placed.cluster
        index.merge(cluster, placed.absorbed)
        index.add(article_id, cluster, *fields, source=source)
    return [index.cluster_of(article_id) or 0 for article_id in range(1, len(articles) + 1)]


def article(title: str, text: str, url: str, hours: float = 0, source: str = "") -> dict:
    published = T0 + timedelta(hours=hours)
    return {"title": title, "text": text, "url": url, "published": published, "source": source}


def test_same_story_reworded_by_three_sources_is_one_cluster() -> None:
    clusters = cluster_all(
        ClusterIndex(),
        [
            article(
                "OpenSSL 3.4.1 fixes high-severity certificate flaw",
                OPENSSL_BODY,
                "https://www.openssl.org/news/secadv/20260302.txt",
            ),
            article(
                "Patch now: OpenSSL 3.4.1 closes memory exhaustion bug in X.509 checks",
                OPENSSL_BODY + " This article first appeared on LWN.",
                "https://lwn.net/Articles/1001/",
                hours=2,
            ),
            article(
                "OpenSSL releases 3.4.1 security update",
                "Summary: " + OPENSSL_BODY[:220],
                "https://news.example.com/openssl-341",
                hours=20,
            ),
        ],
    )
    assert len(set(clusters)) == 1


def test_independent_rewrites_sharing_a_version_join() -> None:
    """Two outlets, two texts, one release: the shared "6.14" lowers the bar, a date does not."""
    index = build_index(
        [
            (
                1,
                1,
                "Linux 6.14 released with NTSYNC driver",
                "Torvalds released Linux 6.14 a day late; NTSYNC for Wine and AMD RDNA4 support "
                "are the highlights.",
                "https://a/linux",
                T0,
            )
        ]
    )
    rewrite = (
        "Linux 6.14 is out: NTSYNC lands for Windows games on Wine",
        "The 6.14 kernel is out. Gamers get the NTSYNC driver that Wine uses to emulate Windows "
        "synchronization primitives faster, and AMD RDNA4 cards gain initial support.",
    )
    assert index.assign(2, *rewrite, "https://b/kernel", T0 + timedelta(hours=5)) == 1
    podcast = build_index(
        [(1, 1, "Giant Bombcast 07/01/2014", "Jeff and Brad talk games.", "u", T0)]
    )
    other_episode = ("Giant Bombcast 01/07/2014", "Jeff, Vinny and Brad talk about the year.")
    assert podcast.assign(2, *other_episode, "v", T0) is None


def test_tracking_parameter_variants_are_one_cluster() -> None:
    base = "https://blog.example.org/2026/03/kernel-6-14"
    text = "Linus Torvalds tagged Linux 6.14 on Sunday after a quiet rc7; the merge window opens."
    clusters = cluster_all(
        ClusterIndex(),
        [
            article("Linux 6.14 released", text, base, source="blog"),
            article("Linux 6.14 released", text, base + "?utm_source=rss&utm_medium=feed", 1, "a"),
            article("Linux 6.14 is out", text, base + "?fbclid=IwAR0xyz#comments", 3, "b"),
            # Another source linking the same page joins, whatever its text (a teaser).
            article("Kernel news", "Short teaser.", base, 5, source="aggregator"),
        ],
    )
    assert len(set(clusters)) == 1


def test_items_of_one_feed_linking_one_page_stay_apart() -> None:
    """A podcast feed links every episode to its home page: one URL, many stories."""
    home = "http://www.taverncast.com/"
    episodes = [
        ("Taverncast 53: Return to World of Warcraft", "Join Eloysius and Bill in Azeroth."),
        ("Taverncast 54: 2011 Christmas Special", "Deck the halls: eggnog and holiday cheer!"),
        ("Beer labels and radio controlled drones", "Collectibles, drones and more!"),
        ("Time travel: where would you go?", "Bryce has customer service issues."),
    ]
    for source in ("taverncast", ""):  # known source, and a caller that does not say
        clusters = cluster_all(
            ClusterIndex(),
            [article(t, x, home, hours=20 * n, source=source) for n, (t, x) in enumerate(episodes)],
        )
        assert len(set(clusters)) == len(episodes), source


def test_same_url_counts_only_within_the_time_window() -> None:
    url = "https://blog.example.org/about"
    clusters = cluster_all(
        ClusterIndex(window=timedelta(days=7)),
        [
            article("Our new office", "We moved to Lyon.", url, source="a"),
            article("Hiring two engineers", "Join us in Lyon.", url, hours=60 * 24, source="b"),
        ],
    )
    assert clusters[0] != clusters[1]


def test_same_url_from_an_unknown_source_needs_overlapping_text() -> None:
    """Without sources, a shared URL joins a copy or a title-only link, not another text."""
    text = "Linus Torvalds tagged Linux 6.14 on Sunday after a quiet rc7; the merge window opens."
    index = build_index([(1, 1, "Linux 6.14 released", text, "https://k/6-14", T0)])
    assert index.assign(2, "Linux 6.14 released", "Comments", "https://k/6-14", T0) == 1
    assert index.assign(3, "Kernel news", "Short teaser.", "https://k/6-14", T0) is None


@pytest.mark.parametrize(
    "titles",
    [
        [
            "Google fined 50 million euros by the CNIL over cookies",
            "Amazon fined 50 million euros by the CNIL over cookies",
        ],
        [
            "Clever Cloud opens a new region in France",
            "Scaleway opens a new region in France",
            "AWS opens a new region in France",
            "OVHcloud opens a new region in France",
        ],
        [
            "Mistral AI dévoile un nouveau modèle de langage open-weight",
            "LightOn dévoile un nouveau modèle de langage open-weight",
        ],
        [
            "La CNIL sanctionne un éditeur de logiciels de 29 millions d'euros",
            "La CNIL sanctionne un assureur de 9 millions d'euros",
            "La CNIL sanctionne un site de rencontre de 39 millions d'euros",
        ],
        [
            "Bons plans : 24 % de réduction sur les casques audio",
            "Bons plans : 9 % de réduction sur les casques audio",
            "Bons plans : 54 % de réduction sur les casques audio",
        ],
        [
            "Migrating from Terraform to OpenTofu: what we learned in 7 weeks",
            "Migrating from Terraform to OpenTofu: what we learned in 10 weeks",
        ],
        [
            "Ransomware gang hits manufacturers in new campaign",
            "Ransomware gang hits schools in new campaign",
            "Ransomware gang hits local governments in new campaign",
        ],
        [
            "A practical guide to CSS nesting",
            "A practical guide to scroll-driven animations",
        ],
        [
            "Giant Bombcast E3 2011 Day One",
            "Giant Bombcast E3 2011 Day Two",
            "Giant Bombcast E3 2011 Day Three",
        ],
    ],
)
def test_look_alike_headlines_that_differ_by_one_name_or_number_stay_apart(
    titles: list[str],
) -> None:
    """The word that tells them apart may open the headline or be a number of another size.
    Each comes from another source with the same boilerplate lead (a template, a press kit),
    so only the title's differing words can tell them apart."""
    lead = (
        "The announcement came on Tuesday in a statement to customers and partners; more "
        "details, prices and a timeline are promised over the coming weeks."
    )
    clusters = cluster_all(
        ClusterIndex(),
        [article(title, lead, f"https://s{n}/x", n, f"s{n}") for n, title in enumerate(titles)],
    )
    assert len(set(clusters)) == len(titles)


def test_a_reworded_copy_sharing_the_lead_still_joins_its_original() -> None:
    """A substituted title word the other copy mentions is a rewording, not another story."""
    lead = (
        "Ransomware gang LockBit hit schools across three states this week, encrypting "
        "student records and demanding payment in bitcoin."
    )
    clusters = cluster_all(
        ClusterIndex(),
        [
            article("Ransomware gang hits schools in new campaign", lead, "https://a/1", 0, "a"),
            article("Ransomware gang hits students in new campaign", lead, "https://b/1", 2, "b"),
        ],
    )
    assert clusters[0] == clusters[1]


def test_an_article_does_not_join_a_cluster_holding_its_own_source() -> None:
    """Two items of one feed are two stories, unless one is a near-identical repost."""
    clusters = cluster_all(
        ClusterIndex(),
        [
            article("OpenSSL 3.4.1 fixes certificate flaw", OPENSSL_BODY, "https://a/1", 0, "lwn"),
            article(
                "OpenSSL 3.4.1: what admins should do", OPENSSL_BODY[:250], "https://a/2", 5, "lwn"
            ),
            article("OpenSSL 3.4.1 fixes certificate flaw", OPENSSL_BODY, "https://a/1b", 8, "lwn"),
            article("OpenSSL 3.4.1 security update", OPENSSL_BODY, "https://b/1", 9, "other"),
        ],
    )
    assert clusters[1] != clusters[0]
    assert clusters[2] == clusters[0]  # the same text again under a new guid: a repost
    assert clusters[3] == clusters[0]


def test_an_aggregator_relaying_two_outlets_on_one_story_is_one_cluster() -> None:
    """A news digest's items that link two other sites are two takes on one story."""
    clusters = cluster_all(
        ClusterIndex(),
        [
            article(
                "OpenSSL 3.4.1 fixes certificate flaw",
                OPENSSL_BODY,
                "https://lwn.example/1",
                0,
                "digest",
            ),
            article(
                "OpenSSL 3.4.1: what admins should do",
                OPENSSL_BODY[:250],
                "https://heise.example/2",
                5,
                "digest",
            ),
        ],
    )
    assert clusters[1] == clusters[0]


@pytest.mark.parametrize("with_sources", [True, False])
def test_every_demo_cluster_tells_one_story(with_sources: bool) -> None:
    """The demo is a user's first impression: its template items ("Bons plans : 24 % / 9 % …")
    stay apart, and a cluster only gathers items written for one story (stories.json)."""
    items = demo_items(T0.year)
    articles = [
        {
            "title": item.title,
            "text": item.summary,
            "url": canonical_url(item.link("http://127.0.0.1:8000")),
            "published": item.published(T0),
            "source": item.source if with_sources else "",
        }
        for item in sorted(items, key=lambda item: -item.hours_ago)
    ]
    clusters = cluster_all(ClusterIndex(), articles)
    stories = defaultdict(set)
    for item, cluster in zip(
        sorted(items, key=lambda item: -item.hours_ago), clusters, strict=True
    ):
        stories[cluster].add(item.story or item.slug)
    assert all(len(told) == 1 for told in stories.values()), [
        told for told in stories.values() if len(told) > 1
    ]
    assert len(stories) < len(items)  # some stories do join across sources


def test_two_cves_in_the_same_product_are_two_clusters() -> None:
    shared = (
        "A vulnerability in Apache Tomcat allows a remote attacker to bypass security "
        "constraints when the default servlet is configured with write enabled. Versions "
        "9.0.0 to 9.0.98 are affected; upgrade to the fixed release."
    )
    clusters = cluster_all(
        ClusterIndex(),
        [
            article(
                "CVE-2026-24813: Apache Tomcat security constraint bypass", shared, "https://a/1"
            ),
            article(
                "CVE-2026-24814: Apache Tomcat security constraint bypass", shared, "https://a/2"
            ),
        ],
    )
    assert clusters[0] != clusters[1]


def test_versions_that_differ_are_two_clusters() -> None:
    body = "Mozilla released Firefox {v} with tab groups, a new PDF editor and security fixes."
    clusters = cluster_all(
        ClusterIndex(),
        [
            article("Firefox 130 released", body.format(v=130), "https://moz/130"),
            article("Firefox 131 released", body.format(v=131), "https://moz/131", hours=24),
            article("Mozilla ships Firefox 130", body.format(v=130), "https://other/ff", 30),
        ],
    )
    assert clusters[0] != clusters[1]
    assert clusters[2] == clusters[0]


def test_articles_thirty_days_apart_do_not_merge() -> None:
    clusters = cluster_all(
        ClusterIndex(window=timedelta(days=7)),
        [
            article("OpenSSL 3.4.1 fixes certificate flaw", OPENSSL_BODY, "https://a/1"),
            article("OpenSSL 3.4.1 fixes certificate flaw", OPENSSL_BODY, "https://b/1", 30 * 24),
        ],
    )
    assert clusters[0] != clusters[1]


def test_index_is_rebuilt_from_rows_then_grows_incrementally() -> None:
    rows = [
        (1, 7, "OpenSSL 3.4.1 fixes certificate flaw", OPENSSL_BODY, "https://a/1", T0),
        (2, 8, "Rust 1.86 stabilizes trait upcasting", "The Rust team announced 1.86.", "u", T0),
    ]
    index = build_index(rows)
    assert len(index) == 2
    joined = index.assign(3, "OpenSSL patch released", OPENSSL_BODY, "https://c/9", T0)
    assert joined == 7
    index.add(3, 7, "OpenSSL patch released", OPENSSL_BODY, "https://c/9", T0, source="c")
    assert index.cluster_of(3) == 7
    same_url = index.assign(4, "Anything", "else", "https://c/9", T0, source="hn")
    assert same_url == 7  # another source linking article 3's page
    assert index.assign(5, "Debian 13 freeze begins", "Release team", "https://d", T0) is None
    index.add(1, 99, "ignored", "", "", T0)  # re-adding moves the article to another cluster
    assert index.cluster_of(1) == 99


def test_prune_forgets_articles_outside_the_window() -> None:
    index = build_index([(1, 1, "OpenSSL 3.4.1 fixes flaw", OPENSSL_BODY, "https://a/1", T0)])
    assert index.prune(T0 + timedelta(days=1)) == 1
    later = T0 + timedelta(days=2)
    assert index.assign(2, "OpenSSL 3.4.1 fixes flaw", OPENSSL_BODY, "https://b", later) is None
    assert index.assign(3, "", "", "https://a/1", later, source="b") is None  # forgotten


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("", ""),
        ("   ", "\n\t"),
        (
            "東京で新しい量子コンピューターが発表された",
            "研究所は二〇二六年に量子計算機を公開した。" * 5,
        ),
        ("Новая версия ядра Linux 6.14", "Разработчики выпустили ядро Linux 6.14 с исправлениями."),
        ("Huge", "lorem ipsum dolor sit amet " * 400_000),
        ("\udcff broken surrogate", "\x00\x01 control characters"),
    ],
)
def test_odd_input_does_not_crash(title: str, text: str) -> None:
    index = ClusterIndex()
    index.add(1, 1, title, text, "", T0)
    assert index.assign(2, title, text, "", T0) in (None, 1)


def test_empty_articles_do_not_merge_with_each_other() -> None:
    index = build_index([(1, 1, "", "", "", T0)])
    assert index.assign(2, "", "", "", T0) is None


def test_non_latin_same_story_merges_and_different_story_does_not() -> None:
    text = "研究所は二〇二六年三月に新しい量子コンピューターを公開し、誤り訂正の成果を発表した。"
    index = build_index([(1, 1, "量子コンピューター公開", text, "", T0)])
    assert index.assign(2, "新型量子コンピューターを発表", text, "", T0) == 1
    other = "政府は来年度の予算案を閣議決定し、防衛費と社会保障費の増額を盛り込んだ。"
    assert index.assign(3, "予算案を閣議決定", other, "", T0) is None


def test_marks_tell_versions_cves_and_names_apart() -> None:
    def marks(title: str, text: str = ""):
        return fingerprint(title, text).marks

    assert marks_conflict(marks("Firefox 130 released"), marks("Firefox 131 released"))
    assert not marks_conflict(marks("Firefox 130 released"), marks("Firefox 130 fixes 12 bugs"))
    assert marks_conflict(marks("Fix for CVE-2026-1111"), marks("Fix for CVE-2026-2222"))
    assert marks_conflict(marks("Apple M4 chip"), marks("Apple M5 chip"))
    assert not marks_conflict(marks("Announcing Rust 1.86.0"), marks("Rust 1.86 is out"))
    assert not marks_conflict(marks("Python 3.14 alpha 6"), marks("Python 3.14 ships PEP 750"))


def test_names_tell_actors_apart() -> None:
    samsung = fingerprint("Apple sues Samsung over patents", "The lawsuit was filed Monday.")
    google = fingerprint("Apple sues Google over patents", "The lawsuit was filed Monday.")
    assert distinct_stories(samsung, google)
    assert not distinct_stories(samsung, fingerprint("Apple Sues Samsung Over Patents", ""))
    libsyn = fingerprint("How to Move Your Podcast from Libsyn", "The best alternative to Libsyn.")
    anchor = fingerprint("How to Move Your Podcast from Anchor", "The best alternative to Anchor.")
    assert distinct_stories(libsyn, anchor)


def _entries(path: Path) -> dict[str, tuple[str, str]]:
    """link -> (title, text) of a feed's entries."""
    parsed = feedparser.parse(path.read_bytes())
    return {
        entry.link: (entry.title, re.sub(r"<[^>]+>", " ", entry.get("summary", "")))
        for entry in parsed.entries
    }


@pytest.mark.corpus
def test_real_blog_excerpts_join_their_full_copies(corpus_dir: Path) -> None:
    """miniflux's large_atom.xml (excerpts) and large_rss.xml (full posts): the same 23 posts."""
    excerpts = _entries(corpus_dir / "feeds" / "miniflux__large_atom.xml")
    full = _entries(corpus_dir / "feeds" / "miniflux__large_rss.xml")
    shared = sorted(set(excerpts) & set(full))
    assert len(shared) >= 20
    index = ClusterIndex()
    for number, link in enumerate(shared):
        title, text = full[link]
        index.add(number, number, title, text, f"https://full.example/{number}", T0)
    joined = [
        index.assign(100 + n, *excerpts[link], f"https://excerpt.example/{n}", T0)
        for n, link in enumerate(shared)
    ]
    right = sum(cluster == n for n, cluster in enumerate(joined))
    wrong = sum(cluster is not None and cluster != n for n, cluster in enumerate(joined))
    assert wrong == 0
    assert right >= 0.8 * len(shared)


def test_a_fingerprint_sent_through_pickle_clusters_as_the_original() -> None:
    """The reader worker pickles fingerprints (arrays as bytes) to the main process."""
    title, text = "OpenSSL 3.4.1 fixes CVE-2025-0001", "The OpenSSL project released 3.4.1 today."
    original = fingerprint(title, text)
    copy = pickle.loads(pickle.dumps(original))
    assert copy.signature.dtype == original.signature.dtype == np.uint32
    assert copy.signature.tobytes() == original.signature.tobytes()
    assert copy.words.tobytes() == original.words.tobytes()
    assert (copy.title_words, copy.title_sequence, copy.marks, copy.band_keys) == (
        original.title_words,
        original.title_sequence,
        original.marks,
        original.band_keys,
    )
    assert copy.mentions("openssl") and not copy.mentions("libressl")
    index = ClusterIndex()
    index.prime(title, text, copy)
    index.add(1, 1, title, text, "https://a.example/1", T0)
    assert index.assign(2, title, text, "https://b.example/2", T0) == 1


OPENSSL_EN = article(
    "OpenSSL patches CVE-2026-1234, a high-severity flaw in certificate verification",
    "The OpenSSL project released fixes for a flaw that lets a remote attacker exhaust memory "
    "on servers that verify client certificates. Administrators should upgrade to 3.4.2.",
    "https://www.bleepingcomputer.example/news/openssl-cve-2026-1234/",
    source="bleepingcomputer",
)
OPENSSL_FR = article(
    "CVE-2026-1234 : une faille sérieuse corrigée dans la bibliothèque de chiffrement",
    "Le projet a publié un correctif pour une vulnérabilité permettant à un attaquant distant "
    "d'épuiser la mémoire des serveurs qui vérifient les certificats clients.",
    "https://www.lemondeinformatique.example/actualites/faille-cve-2026-1234.html",
    hours=9,
    source="lemondeinformatique",
)
OPENSSL_JA = article(
    "暗号ライブラリに深刻な脆弱性（CVE-2026-1234）、早急な更新を",
    "クライアント証明書を検証するサーバーで、リモートの攻撃者がメモリを枯渇させるおそれがある。"
    "開発チームは修正版を公開した。",
    "https://www.security-next.example/2026/03/03/openssl",
    hours=30,
    source="security-next",
)


def test_one_flaw_told_in_three_languages_is_one_cluster() -> None:
    """Titles naming one CVE, wording sharing nothing: one story (and in any order)."""
    assert len(set(cluster_all(ClusterIndex(), [OPENSSL_EN, OPENSSL_FR, OPENSSL_JA]))) == 1
    assert len(set(cluster_all(ClusterIndex(), [OPENSSL_JA, OPENSSL_FR, OPENSSL_EN]))) == 1


def test_words_glued_to_japanese_and_typographic_hyphens_do_not_hide_the_identifier() -> None:
    """ "OpenSSLに" and "脆弱性CVE‑2026‑1234" (non-breaking hyphens) are read as words, not
    as character pairs that look like other names ("nS", "CV")."""
    glued = dict(OPENSSL_JA, title="OpenSSLに深刻な脆弱性CVE‑2026‑1234、早急な更新を")
    assert len(set(cluster_all(ClusterIndex(), [OPENSSL_EN, glued]))) == 1


def test_one_identifier_days_apart_or_from_the_same_source_is_not_enough() -> None:
    late = dict(OPENSSL_FR, published=T0 + timedelta(days=5))
    same_source = dict(OPENSSL_FR, source="bleepingcomputer", url=OPENSSL_EN["url"] + "fr")
    for second in (late, same_source):
        clusters = cluster_all(ClusterIndex(), [OPENSSL_EN, second])
        assert clusters[0] != clusters[1]


ROUNDUP_TEXT = (
    "Ten flaws to patch this week. OpenSSL: CVE-2026-1234 lets a remote attacker exhaust "
    "memory on servers that verify client certificates. Apache Tomcat: CVE-2026-24813 lets "
    "an attacker bypass security constraints when the default servlet allows writes. Also "
    "CVE-2026-21762 in FortiOS, CVE-2026-3400 in PAN-OS, CVE-2026-0282 in Ivanti, "
    "CVE-2026-22527 in Confluence, CVE-2026-20198 in IOS XE, CVE-2026-22224 in ESXi, "
    "CVE-2026-53770 in SonicOS and CVE-2026-45519 in Zimbra."
)
LISTED_STORIES = [
    article(
        "Critical OpenSSL flaw CVE-2026-1234 lets attackers exhaust server memory",
        "A remote attacker can exhaust memory on servers that verify client certificates with "
        "OpenSSL (CVE-2026-1234), the project warned. Patch to 3.4.2 this week.",
        "https://news.example/openssl",
        hours=3,
        source="news",
    ),
    article(
        "Critical Apache Tomcat flaw CVE-2026-24813 lets attackers bypass security constraints",
        "An attacker can bypass security constraints in Apache Tomcat (CVE-2026-24813) when the "
        "default servlet allows writes. Patch to 9.0.99 this week.",
        "https://news.example/tomcat",
        hours=5,
        source="news",
    ),
]


@pytest.mark.parametrize(
    "roundup_title",
    [
        "Patch this week: ten critical flaws",
        "Patch this week: CVE-2026-1234, CVE-2026-24813 and eight more critical flaws",
    ],
)
def test_a_weekly_roundup_does_not_swallow_the_stories_it_lists(roundup_title: str) -> None:
    """The round-up shares many words and an id with each story it lists, yet tells none."""
    roundup = article(roundup_title, ROUNDUP_TEXT, "https://weekly.example/10", source="weekly")
    assert len(set(cluster_all(ClusterIndex(), [roundup, *LISTED_STORIES]))) == 3
    assert len(set(cluster_all(ClusterIndex(), [*LISTED_STORIES, roundup]))) == 3


def test_two_cves_of_one_product_naming_each_other_are_two_clusters() -> None:
    """Each advisory mentions its sibling: the ids the titles name tell them apart."""
    body = (
        "Apache Tomcat 9.0.99 fixes {this}, which lets a remote attacker bypass security "
        "constraints when the default servlet allows writes. The release also fixes {other}. "
        "Administrators should upgrade as soon as possible."
    )
    first, second = "CVE-2026-24813", "CVE-2026-24814"
    clusters = cluster_all(
        ClusterIndex(),
        [
            article(
                f"{first}: Apache Tomcat security constraint bypass",
                body.format(this=first, other=second),
                "https://tomcat.example/1",
                source="tomcat",
            ),
            article(
                f"Apache Tomcat: {second} security constraint bypass fixed",
                body.format(this=second, other=first),
                "https://news.example/tomcat-2",
                hours=2,
                source="news",
            ),
        ],
    )
    assert clusters[0] != clusters[1]


def test_an_identifier_in_one_summary_counts_when_the_other_title_names_it() -> None:
    """A title without id whose summary names only that one: the same story.  Two summaries
    naming one id in passing are not (an old, famous flaw is cited in many stories)."""
    summary_only = dict(
        OPENSSL_FR,
        title="Faille sérieuse corrigée dans la bibliothèque de chiffrement",
        text="La vulnérabilité CVE-2026-1234 permet à un attaquant distant d'épuiser la mémoire.",
    )
    assert len(set(cluster_all(ClusterIndex(), [OPENSSL_EN, summary_only]))) == 1
    in_passing = article(
        "Botnet targets unpatched web servers",
        "Like CVE-2026-1234 last week, the campaign abuses memory exhaustion in servers.",
        "https://other.example/botnet",
        hours=12,
        source="other",
    )
    two_ids = dict(summary_only, text=summary_only["text"] + " Voir aussi CVE-2026-1235.")
    for first, second in ((summary_only, in_passing), (OPENSSL_EN, two_ids)):
        clusters = cluster_all(ClusterIndex(), [first, second])
        assert clusters[0] != clusters[1]


def test_identifiers_of_every_kind_are_marks_and_only_their_own_kind_conflicts() -> None:
    def marks(title: str, text: str = ""):
        return fingerprint(title, text).marks

    ghsa = marks("Advisory GHSA-4x5c-9q2r-7m3h for requests", "Also RUSTSEC-2026-0012.")
    assert ghsa.identifiers == {"ghsa-4x5c-9q2r-7m3h", "rustsec-2026-0012"}
    assert ghsa.title_numbers == frozenset()  # an id is not a version that could conflict
    assert marks_conflict(ghsa, marks("Advisory GHSA-7f3q-2m9x-c4vp for requests"))
    assert not marks_conflict(ghsa, marks("CVE-2026-1234 in requests", "GHSA-4x5c-9q2r-7m3h"))
    assert not marks_conflict(marks("DSA-5678-1 openssl"), marks("CVE-2026-1234 in OpenSSL"))


AUDIT_PAIRS = (
    Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "cluster_pairs_audit.jsonl"
)


def test_every_audited_pair_is_decided_as_labeled() -> None:
    """The hand-labeled pairs of the audits (template headlines in English, French, German,
    Spanish, Italian, Dutch and Portuguese, reworded copies, one page linked by several
    sources…), each from its own index as ``benchmarks/bench_cluster.py`` does."""
    wrong = []
    for line in AUDIT_PAIRS.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        index = ClusterIndex()
        for article_id, side in enumerate((pair["a"], pair["b"]), start=1):
            fields = (
                side["title"],
                side["text"],
                canonical_url(side["url"]) if side["url"] else "",
                datetime.fromisoformat(side["published"]),
            )
            if article_id == 1:
                index.add(1, 1, *fields, source=side.get("source", ""))
            else:
                merged = index.assign(2, *fields, source=side.get("source", "")) == 1
        if merged != pair["same"]:
            wrong.append((pair["a"]["title"], pair["b"]["title"]))
    assert wrong == []


GERMAN_BREACH_LEAD = (
    "Unbekannte haben sich Zugriff auf die Daten von rund zwei Millionen {} verschafft. "
    "Betroffen sind Namen, Adressen und Geburtsdaten, die Behörden wurden informiert."
)


@pytest.mark.parametrize(
    "titles",
    [
        [
            "Datenschutzverletzung bei der Krankenkasse Nordwest: 2 Mio. Versicherte betroffen",
            "Datenschutzverletzung beim Versandhändler Südhaus: 2 Mio. Kunden betroffen",
        ],
        [
            "Krankenkasse Nordwest meldet Datenschutzverletzung: 2 Mio. Versicherte betroffen",
            "Datenschutzverletzung: Versandhändler Südhaus meldet 2 Mio. betroffene Kunden",
        ],
    ],
)
def test_german_headlines_naming_other_companies_stay_apart(titles: list[str]) -> None:
    """German capitalizes every noun: "Nordwest" and "Südhaus" are told apart by the rest of the
    titles being shared, and "bei", "der", "von", "haben" no longer make them look alike."""
    first = article(titles[0], GERMAN_BREACH_LEAD.format("Versicherten"), "https://a/1", 0, "a")
    second = article(titles[1], GERMAN_BREACH_LEAD.format("Kunden"), "https://b/1", 2, "b")
    clusters = cluster_all(ClusterIndex(), [first, second])
    assert clusters[0] != clusters[1]


def test_a_german_story_worded_with_other_inflections_joins() -> None:
    """ "kritische Sicherheitslücke" / "kritische Sicherheitslücken", "Update" / "Updates":
    one story, two wordings."""
    first = article(
        "Microsoft schließt kritische Sicherheitslücke in Exchange Server",
        "Microsoft hat ein Update für Exchange Server veröffentlicht, das eine kritische "
        "Sicherheitslücke schließt. Angreifer können über die Lücke Schadcode ausführen. "
        "Administratoren sollten das Update schnell einspielen.",
        "https://a/2",
        0,
        "a",
    )
    second = article(
        "Exchange Server: Microsoft schließt kritische Sicherheitslücken",
        "Microsofts neues Update für den Exchange Server schließt kritische Sicherheitslücken, "
        "über die ein Angreifer Schadcode ausführen konnte. Der Hersteller rät Administratoren, "
        "die Updates schnell einzuspielen.",
        "https://b/2",
        3,
        "b",
    )
    clusters = cluster_all(ClusterIndex(), [first, second])
    assert clusters[0] == clusters[1]


def test_german_function_words_that_are_english_words_count_only_in_german() -> None:
    german = fingerprint(
        "Die Sicherheitslücke hat Microsoft geschlossen",
        "Der Hersteller hat ein Update veröffentlicht, die Lücke war seit Monaten bekannt.",
    )
    english = fingerprint("Red Hat ships a fix for the Hat tool", "Users may die of boredom.")
    assert not german.mentions("die") and not german.mentions("hat")
    assert english.mentions("hat") and english.mentions("die")
    spanish = fingerprint(
        "Brecha de datos en la aseguradora del Norte", "Los atacantes accedieron."
    )
    assert not spanish.mentions("los") and not spanish.mentions("del")


def test_english_words_are_no_evidence_that_an_article_is_german() -> None:
    """ "Man dies in war" is English: "man", "war", "die", "hat", "will", "mit"… are German
    words too, so they do not make a title read as German (German stems, the noun rule) and
    stay content words there; a German title still reads as German."""
    assert not reads_as_german(["man", "dies", "in", "war"], [])
    assert not reads_as_german(["red", "hat", "will", "die", "fast"], [])
    assert not reads_as_german(["mit", "den", "of", "thieves"], [])
    assert reads_as_german(["neue", "sicherheitslücke", "bei", "openssl"], [])
    assert reads_as_german(["die", "lücke", "war", "seit", "monaten", "bekannt"], ["der", "hat"])
    english = fingerprint("Man dies in war", "")
    assert english.mentions("man") and english.mentions("war")
    title_only = article("Man dies in war", "", "https://a/3", 0, "a")
    with_lead = article(
        "Man dies in war", "A man died in the war on Sunday, officials said.", "https://b/3", 1, "b"
    )
    clusters = cluster_all(ClusterIndex(), [title_only, with_lead])
    assert clusters[0] == clusters[1]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            (
                "Het kabinet wil van de huurprijzen af, maar niet voor een jaar",
                "Dat is nog niet zeker, want het kabinet heeft er geen meerderheid voor.",
            ),
            (
                "Het weer wordt van een zonnige dag, maar niet voor lang",
                "Dat is nog niet zeker, want het weer heeft er geen zin in.",
            ),
        ),
        (
            (
                "O governo não vai mudar as regras para os bancos, diz o ministro",
                "Isso ainda não é certo, mas já foi dito pelo ministro aos jornalistas.",
            ),
            (
                "A chuva não vai parar até ao fim de semana, diz o instituto",
                "Isso ainda não é certo, mas já foi dito pelo instituto aos agricultores.",
            ),
        ),
    ],
    ids=["dutch", "portuguese"],
)
def test_dutch_or_portuguese_stories_sharing_only_function_words_stay_apart(
    first: tuple[str, str], second: tuple[str, str]
) -> None:
    """ "een", "het", "maar", "niet", "van", "voor" / "não", "vai", "diz", "os" are function
    words, as "the" and "of" are in English."""
    assert fingerprint(first[0], "").title_words.isdisjoint(fingerprint(second[0], "").title_words)
    articles = [article(*first, "https://a/4", 0, "a"), article(*second, "https://b/4", 1, "b")]
    clusters = cluster_all(ClusterIndex(), articles)
    assert clusters[0] != clusters[1]


def test_dutch_and_portuguese_words_that_are_english_words_count_only_in_their_language() -> None:
    dutch = fingerprint(
        "Ford roept een van zijn elektrische modellen terug",
        "Het gaat om auto's die door Ford in Keulen zijn gemaakt.",
    )
    english = fingerprint("Ford recalls electric van", "The van was sold in Europe and the US.")
    assert not dutch.mentions("van") and not dutch.mentions("door")
    assert english.mentions("van")
    portuguese = fingerprint(
        "Apple lança os novos iPhones", "Os aparelhos chegam às lojas com o iOS."
    )
    assert not portuguese.mentions("os") and not portuguese.mentions("com")
    assert fingerprint("Apple ships a new OS", "The OS is free.").mentions("os")
