"""`watch sources add URL`: find a site's feed, measure how often it publishes, suggest `every`
and topic hints, and append the entry to sources.yaml."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.servers import LocalServer
from watch.cadence import suggest_every
from watch.cli import main
from watch.config import WatchConfig, load_config, parse_config
from watch.probe import ProbeError, probe

NOW = datetime.now(UTC).replace(microsecond=0)


def atom(count: int, every: timedelta, title: str = "Release notes") -> str:
    entries = "".join(
        f"<entry><id>tag:x,{i}</id><title>CVE-2026-{1000 + i} fixed in {title}</title>"
        f'<link href="https://blog.example/{i}"/><updated>{(NOW - i * every).isoformat()}</updated>'
        f"<summary>A vulnerability fix.</summary></entry>"
        for i in range(count)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xml:lang="en"><title>Example blog</title><link href="https://blog.example/"/>'
        f"<id>tag:x</id><updated>{NOW.isoformat()}</updated>{entries}</feed>"
    )


def config_for(server: LocalServer, topics: str = "") -> WatchConfig:
    return parse_config(
        f"fetch:\n  allow_private: ['{server.allow}']\n"
        + (
            topics
            or "topics:\n  - {name: security, keywords: [CVE, vulnerability]}\n"
            "  - {name: web, keywords: [CSS, HTML]}\n"
        )
        + "sources: []\n"
    )


@pytest.fixture
def served_blog(local_server: LocalServer) -> LocalServer:
    local_server.route(
        "/",
        '<html><head><link rel="alternate" type="application/atom+xml" href="/feed.atom">'
        "</head></html>",
        headers={"Content-Type": "text/html"},
    )
    local_server.route(
        "/feed.atom",
        atom(10, timedelta(hours=12)),
        headers={"Content-Type": "application/atom+xml"},
    )
    return local_server


def test_a_page_leads_to_its_feed_with_rate_every_and_topics(served_blog: LocalServer) -> None:
    local_server = served_blog
    found = asyncio.run(probe(local_server.url("/"), config_for(local_server), NOW))
    assert found.url == local_server.url("/feed.atom")
    assert found.discovered_from == local_server.url("/")
    assert (found.title, found.home, found.items) == ("Example blog", "https://blog.example/", 10)
    assert found.per_week == pytest.approx(14.0)
    assert found.every == "12h" and found.topics == ["security"]
    assert found.latest == NOW


def test_a_busy_feed_gets_a_period_that_never_overflows_it() -> None:
    assert suggest_every(7 * 500, kept=20) == "15m"  # 500 a day: 10 items in ~29 min
    assert suggest_every(7 * 200, kept=20) == "1h"  # 200 a day: 10 items in ~1.2 h
    assert suggest_every(7 * 10, kept=20) == "2h"  # every ~2.4 h
    assert suggest_every(2, kept=10) == "1d"  # twice a week: a daily look
    assert suggest_every(None, kept=10) == "1d"


def test_a_url_without_a_feed_says_why(local_server: LocalServer) -> None:
    local_server.route(
        "/plain", "<html><body>no feed</body></html>", headers={"Content-Type": "text/html"}
    )
    local_server.route("/missing", "nope", status=404)
    with pytest.raises(ProbeError, match="HTML page without a feed link"):
        asyncio.run(probe(local_server.url("/plain"), config_for(local_server), NOW))
    with pytest.raises(ProbeError, match="404"):
        asyncio.run(probe(local_server.url("/missing"), config_for(local_server), NOW))


def test_private_addresses_stay_refused(local_server: LocalServer) -> None:
    """The same safety rules as any fetch: not allowed in sources.yaml, not probed."""
    config = parse_config("sources: []\n")
    with pytest.raises(ProbeError, match="refused") as refused:
        asyncio.run(probe(local_server.url("/"), config, NOW))
    assert str(refused.value).endswith(
        f'is a loopback address; if you trust it, add "{local_server.allow}" to '
        "fetch.allow_private in sources.yaml"
    )


SOURCES_YAML = """\
# our tech watch
name: test
topics:
  - {name: security, keywords: [CVE, vulnerability]}  # what we care about
  - {name: web, keywords: [CSS, HTML]}
fetch:
  allow_private: ["ALLOW"]
sources:
  - {name: existing, url: 'https://existing.example/feed', every: 1d}
"""


def test_watch_sources_add_appends_the_feed_with_its_suggestions(
    served_blog: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES_YAML.replace("ALLOW", served_blog.allow), encoding="utf-8")
    assert main(["sources", "add", served_blog.url("/"), "-c", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"found {served_blog.url('/feed.atom')} (advertised by {served_blog.url('/')})" in out
    assert "'Example blog', 10 items, about 2 items a day" in out
    assert "most of its items match: security" in out
    assert "as 'example-blog' (label 'Example blog'): every 12h, topics [security]" in out
    text = path.read_text(encoding="utf-8")
    assert text.startswith(SOURCES_YAML.replace("ALLOW", served_blog.allow)), "comments kept"
    added = load_config(path).sources[-1]
    assert (added.name, added.label, added.url, added.every, added.topics) == (
        "example-blog",
        "Example blog",  # the feed's title, as people read it
        served_blog.url("/feed.atom"),
        "12h",
        ("security",),
    )

    assert main(["sources", "add", served_blog.url("/feed.atom"), "-c", str(path)]) == 1
    assert "already in sources.yaml as example-blog" in capsys.readouterr().err


def test_watch_sources_add_choices_and_dry_run(
    served_blog: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sources.yaml"
    original = SOURCES_YAML.replace("ALLOW", served_blog.allow)
    path.write_text(original, encoding="utf-8")
    args = ["sources", "add", served_blog.url("/"), "-c", str(path)]
    assert main([*args, "--dry-run"]) == 0
    assert "would add" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == original, "a dry run writes nothing"
    assert main([*args, "--name", "existing"]) == 2
    assert "already has a source named 'existing'" in capsys.readouterr().err
    assert main([*args, "--name", "vendor", "--every", "2d", "--topics", "web"]) == 0
    added = load_config(path).sources[-1]
    assert (added.name, added.label, added.every, added.topics) == (
        "vendor",
        "Example blog",
        "2d",
        ("web",),
    )


def test_watch_sources_add_reports_a_url_without_feed(
    local_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local_server.route("/", "<html><body>hi</body></html>", headers={"Content-Type": "text/html"})
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES_YAML.replace("ALLOW", local_server.allow), encoding="utf-8")
    assert main(["sources", "add", local_server.url("/"), "-c", str(path)]) == 1
    assert "HTML page without a feed link" in capsys.readouterr().err


def test_a_url_already_followed_under_another_spelling_is_refused_before_any_fetch(
    served_blog: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """sources.yaml follows the site's page (its feed found at each fetch): the page written
    with https and without the trailing slash is refused without fetching anything, and so is
    the feed URL itself once the database knows it is that page's feed."""
    path = tmp_path / "sources.yaml"
    page = served_blog.url("/")
    path.write_text(
        SOURCES_YAML.replace("ALLOW", served_blog.allow)
        + f"  - {{name: blog, url: '{page}', every: 1d}}\n",
        encoding="utf-8",
    )
    original = path.read_text(encoding="utf-8")
    https_without_slash = page.replace("http://", "https://").rstrip("/")
    assert main(["sources", "add", https_without_slash, "-c", str(path)]) == 1
    assert f"{https_without_slash} is already in sources.yaml as blog" in capsys.readouterr().err
    assert served_blog.requests == [], "nothing fetched for a URL already followed"

    assert main(["fetch", "-c", str(path), "--source", "blog"]) == 0
    capsys.readouterr()
    feed = served_blog.url("/feed.atom")
    assert main(["sources", "add", feed, "-c", str(path)]) == 1
    assert f"{feed} is already in sources.yaml as blog" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == original


def test_an_empty_flow_list_with_a_comment_keeps_every_comment_in_place(
    served_blog: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "# Veille de l'équipe\n"
        f"fetch:\n  allow_private: ['{served_blog.allow}']\n"
        "sources: []  # à remplir\n"
        "# fin du fichier\n",
        encoding="utf-8",
    )
    assert main(["sources", "add", served_blog.url("/"), "-c", str(path), "--topics", ""]) == 0
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    assert path.read_text(encoding="utf-8") == (
        "# Veille de l'équipe\n"
        f"fetch:\n  allow_private: ['{served_blog.allow}']\n"
        "sources:     # à remplir\n"  # the comment in its column
        f"  # Added on {day}\n"
        "  - name: example-blog\n"
        "    label: Example blog\n"
        f"    url: {served_blog.url('/feed.atom')}\n"
        "    every: 12h\n"
        "# fin du fichier\n"
    )
    assert load_config(path).sources[0].name == "example-blog"


def test_a_dry_run_names_the_entry_as_it_would_be_written(
    served_blog: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES_YAML.replace("ALLOW", served_blog.allow), encoding="utf-8")
    assert main(["sources", "add", served_blog.url("/"), "-c", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would add to" in out
    assert "as 'example-blog' (label 'Example blog'): every 12h, topics [security]" in out
    # Session 8: options before the URL ("unrecognized arguments" before)
    assert main(["sources", "-c", str(path), "add", "--dry-run", served_blog.url("/")]) == 0
    assert "as 'example-blog' (label 'Example blog')" in capsys.readouterr().out


def serve_corpus(server: LocalServer, corpus_dir: Path, name: str) -> str:
    server.route(
        f"/{name}",
        (corpus_dir / "feeds" / name).read_bytes(),
        headers={"Content-Type": "application/rss+xml"},
    )
    return server.url(f"/{name}")


def test_real_feeds_one_item_no_dates_and_a_silent_one(
    local_server: LocalServer,
    corpus_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Real feeds: one item; 60 items without dates (nothing says how old they are); a blog
    whose 10 items, about one a day, are ten years old (consulted weekly, not every 12 hours)."""
    config = config_for(local_server)
    now = datetime(2026, 11, 24, tzinfo=UTC)
    single = serve_corpus(local_server, corpus_dir, "feedrs__rss_2.0_matrix.xml")
    found = asyncio.run(probe(single, config, now))
    assert (found.items, found.per_week, found.latest) == (
        1,
        None,
        datetime(2022, 9, 23, tzinfo=UTC),
    )
    undated = serve_corpus(local_server, corpus_dir, "miniflux__rdf_UTF8.xml")
    found = asyncio.run(probe(undated, config, now))
    assert (found.items, found.per_week, found.latest, found.every) == (60, None, None, "1d")
    portuguese = serve_corpus(local_server, corpus_dir, "rssparser__uolNoticias.rss")
    found = asyncio.run(probe(portuguese, config, now))  # "Seg, 24 Set 2018": dated (session 11)
    assert (found.items, found.latest) == (15, datetime(2018, 9, 24, 22, 42, 40, tzinfo=UTC))

    silent = serve_corpus(local_server, corpus_dir, "netnewswire__manton.rss")
    found = asyncio.run(probe(silent, config, now))
    assert found.every == "1w"
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES_YAML.replace("ALLOW", local_server.allow), encoding="utf-8")
    assert main(["sources", "add", silent, "-c", str(path)]) == 0
    out = capsys.readouterr().out
    assert "10 items, about 1 item a day" in out
    assert "its latest item is over 11 years old: is it still published?" in out
    assert load_config(path).sources[-1].every == "1w"


def test_a_page_advertising_three_feeds_leads_to_the_main_one(local_server: LocalServer) -> None:
    """A WordPress post page: its comments feed first, the site's feed, the site's comments."""
    local_server.route(
        "/post",
        '<html lang="fr"><head>'
        '<link rel="alternate" type="application/rss+xml" title="Mon article &raquo; Flux des '
        'commentaires" href="/post/feed/">'
        '<link rel="alternate" type="application/rss+xml" title="Blog &raquo; Flux" href="/feed/">'
        '<link rel="alternate" type="application/rss+xml" title="Blog &raquo; Flux des '
        'commentaires" href="/comments/feed/"></head></html>',
        headers={"Content-Type": "text/html"},
    )
    for path in ("/post/feed/", "/feed/", "/comments/feed/"):
        local_server.route(
            path, atom(5, timedelta(days=1), path), headers={"Content-Type": "application/atom+xml"}
        )
    found = asyncio.run(probe(local_server.url("/post"), config_for(local_server), NOW))
    assert found.url == local_server.url("/feed/")


def test_bad_every_or_unknown_topic_is_refused_before_any_fetch(
    served_blog: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before, `--topics web,secu` wrote `topics: [web]` (the unknown one dropped silently) and
    `--every 1m` fetched the site, then said "default_every '1m' is not a valid frequency"."""
    path = tmp_path / "sources.yaml"
    original = SOURCES_YAML.replace("ALLOW", served_blog.allow)
    path.write_text(original, encoding="utf-8")
    args = ["sources", "add", served_blog.url("/"), "-c", str(path)]
    assert main([*args, "--every", "1m"]) == 2
    assert "--every 1m: '1m' is below the 5 minute minimum" in capsys.readouterr().err
    assert main([*args, "--topics", "web,secu"]) == 2
    assert (
        "--topics: secu not defined in sources.yaml (its topics: security, web)"
        in capsys.readouterr().err
    )
    assert served_blog.requests == [] and path.read_text(encoding="utf-8") == original
    assert main([*args, "--topics", ""]) == 0, "an empty list: no hints"
    assert load_config(path).sources[-1].topics == ()


BLOG_WITHOUT_FEED = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Le blog de l'équipe</title></head><body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/a-propos">À propos</a></li>
<li><a href="/contact">Contact</a></li><li><a href="/archives">Archives</a></li></ul></nav>
<main>
<article class="billet"><h2><a href="/billets/rust.html">Rust en production</a></h2>
<p class="meta">Publié le 3 mars 2026 par Anne</p><p>Six mois après.</p></article>
<article class="billet"><h2><a href="/billets/pg17.html">Migration vers PostgreSQL 17</a></h2>
<p class="meta">Publié le 14 février 2026 par Marc</p><p>Les étapes.</p></article>
<article class="billet"><h2><a href="/billets/bilan.html">Bilan de l'année</a></h2>
<p class="meta">Publié le 1er janvier 2026</p><p>Une année chargée.</p></article>
</main></body></html>"""


def test_a_page_without_a_feed_gets_a_select_block_that_reads_it(
    local_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local_server.route("/blog", BLOG_WITHOUT_FEED, headers={"Content-Type": "text/html"})
    local_server.route(
        "/releases",
        "<html><body><table><tbody>"
        + "".join(
            f'<tr><td><a href="/rel/{v}">{v}</a></td><td>0{m}/12/2026</td></tr>'
            for v, m in (("5.1", 3), ("5.0", 2), ("4.9", 1))
        )
        + "</tbody></table></body></html>",
        headers={"Content-Type": "text/html"},
    )
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES_YAML.replace("ALLOW", local_server.allow), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    assert main(["sources", "add", local_server.url("/blog"), "-c", str(path)]) == 1
    said = capsys.readouterr()
    assert path.read_text(encoding="utf-8") == before, "nothing added"
    assert "To follow it as a page, add to sources.yaml (it finds 3 items, 3 dated" in said.err
    assert said.err.rstrip().endswith("): the entry above") and "  - name: " not in said.err
    snippet = said.out  # only the entry, for `watch sources add URL >> sources.yaml`
    assert snippet.startswith("  - name: le-blog-de-l-equipe\n")
    page = parse_config(
        f"fetch:\n  allow_private: ['{local_server.allow}']\nsources:\n{snippet}"
    ).sources[0]
    assert page.select is not None and page.select.item == "article.billet"
    assert page.select.link == "h2 a" and page.select.date == "p.meta"
    with pytest.raises(ProbeError) as table:
        asyncio.run(probe(local_server.url("/releases"), config_for(local_server), NOW))
    assert 'date: "td:nth-of-type(2)"' in str(table.value), table.value
    assert "3 items, 3 dated" in str(table.value)


def test_a_page_drawn_by_javascript_is_named_as_such(local_server: LocalServer) -> None:
    local_server.route(
        "/app",
        '<html><head><script src="/app.js"></script></head><body><div id="root"></div>'
        "<noscript>You need to enable JavaScript to run this app.</noscript></body></html>",
        headers={"Content-Type": "text/html"},
    )
    with pytest.raises(ProbeError, match="drawn by JavaScript"):
        asyncio.run(probe(local_server.url("/app"), config_for(local_server), NOW))


def test_a_url_without_a_scheme_is_tried_with_https_then_http(
    served_blog: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The local server speaks plain http: https cannot be reached there, http is used."""
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES_YAML.replace("ALLOW", served_blog.allow), encoding="utf-8")
    bare = served_blog.url("/feed.atom").removeprefix("http://")
    assert main(["sources", "add", bare, "-c", str(path)]) == 0
    err = capsys.readouterr().err  # explanations: a page's entry alone is on standard output
    assert f"https://{bare} cannot be reached (" in err
    assert f"): trying http://{bare}" in err
    assert load_config(path).sources[-1].url == f"http://{bare}"


def test_a_feed_scheme_url_is_its_http_url(
    served_blog: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES_YAML.replace("ALLOW", served_blog.allow), encoding="utf-8")
    feed = served_blog.url("/feed.atom")
    assert main(["sources", "add", f"feed:{feed}", "-c", str(path)]) == 0
    assert f"feed:{feed} read as {feed}" in capsys.readouterr().err
    assert load_config(path).sources[-1].url == feed
    other = served_blog.url("/other.atom")
    served_blog.route("/other.atom", atom(3, timedelta(days=1), "Other"), headers={})
    bare = other.removeprefix("http://")
    assert main(["sources", "add", f"feed://{bare}", "--name", "o", "-c", str(path)]) == 0
    err = capsys.readouterr().err
    assert f"feed://{bare} read as https://{bare}" in err, "https first, as without a scheme"
    assert load_config(path).sources[-1].url == other


def test_another_feed_of_a_site_already_followed_needs_a_name(
    served_blog: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The JSON Feed of a blog whose Atom feed is followed: same host, same title."""
    served_blog.route(
        "/feed.json",
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Example blog",'
        ' "home_page_url": "https://blog.example/", "items": [{"id": "1",'
        ' "url": "https://blog.example/1", "title": "CVE fixed",'
        f' "date_published": "{NOW.isoformat()}"}}]}}',
        headers={"Content-Type": "application/feed+json"},
    )
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES_YAML.replace("ALLOW", served_blog.allow), encoding="utf-8")
    assert main(["sources", "add", served_blog.url("/feed.atom"), "-c", str(path)]) == 0
    before = path.read_text(encoding="utf-8")
    capsys.readouterr()
    json_feed = served_blog.url("/feed.json")
    assert main(["sources", "add", json_feed, "-c", str(path)]) == 1
    err = capsys.readouterr().err
    assert "not added: same site as 'example-blog' (host 127.0.0.1, title 'Example blog')" in err
    assert f"watch sources add {json_feed} --name NAME" in err
    assert path.read_text(encoding="utf-8") == before
    assert main(["sources", "add", json_feed, "--name", "blog-json", "-c", str(path)]) == 0
    assert "note: same site as 'example-blog'" in capsys.readouterr().out
    assert load_config(path).sources[-1].name == "blog-json"


def test_a_feed_whose_home_page_is_a_followed_page_is_the_same_site(
    served_blog: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The page followed is the feed's home page (its <link>), whatever the titles say."""
    path = tmp_path / "sources.yaml"
    path.write_text(
        SOURCES_YAML.replace("ALLOW", served_blog.allow)
        + "  - {name: site, url: 'https://blog.example/', kind: page, every: 1d,"
        " select: {item: li, title: a, link: a}}\n",
        encoding="utf-8",
    )
    assert main(["sources", "add", served_blog.url("/feed.atom"), "-c", str(path)]) == 1
    assert "same site as 'site' (home page https://blog.example/)" in capsys.readouterr().err


def page_entry(server: LocalServer, path: str) -> tuple[str, WatchConfig]:
    """The entry `watch sources add` proposes for a page without a feed, and it parsed."""
    with pytest.raises(ProbeError) as proposed:
        asyncio.run(probe(server.url(path), config_for(server), NOW))
    snippet = str(proposed.value)[str(proposed.value).index("  - name: ") :]
    return snippet, parse_config(
        f"fetch:\n  allow_private: ['{server.allow}']\nsources:\n{snippet}"
    )


def test_a_page_entry_has_the_label_and_the_summary_of_a_feed_entry(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """Session 9: the proposed page entry had no `summary:` although every item had a <p>
    (the board showed bare titles) and no `label:`, which a feed entry gets from its title."""
    from watch.parse import parse_document

    local_server.route("/blog", BLOG_WITHOUT_FEED, headers={"Content-Type": "text/html"})
    cards = "".join(
        f'<li class="card"><a href="/n/{i}">News {i}</a><div class="teaser">What changed in'
        f" release {i} and why it matters</div></li>"
        for i in range(4)
    )
    local_server.route(
        "/news",
        '<html><head><meta property="og:site_name" content="Acme\nNews"></head>'
        f"<body><ul>{cards}</ul></body></html>",
        headers={"Content-Type": "text/html"},
    )
    snippet, config = page_entry(local_server, "/blog")
    blog = config.sources[0]
    assert snippet.startswith('  - name: le-blog-de-l-equipe\n    label: "Le blog de l\'équipe"\n')
    assert blog.label == "Le blog de l'équipe" and blog.select and blog.select.summary
    body = BLOG_WITHOUT_FEED.encode()
    read = parse_document(body, url=blog.url, content_type="text/html", select=blog.select)
    assert [e.summary for e in read.entries] == [
        "Six mois après.",
        "Les étapes.",
        "Une année chargée.",
    ]

    _, config = page_entry(local_server, "/news")
    news = config.sources[0]
    assert news.label == "Acme News" and news.select and news.select.summary == "div.teaser"


def test_a_page_entry_has_no_summary_when_its_items_have_no_text_besides_the_title(
    local_server: LocalServer,
) -> None:
    rows = "".join(
        f'<tr><td><a href="/rel/{v}">{v}</a></td><td>0{m}/12/2026</td></tr>'
        for v, m in (("5.1", 3), ("5.0", 2), ("4.9", 1))
    )
    local_server.route(
        "/releases",
        f"<html><head><title>Releases</title></head><body><table>{rows}</table></body></html>",
        headers={"Content-Type": "text/html"},
    )
    snippet, config = page_entry(local_server, "/releases")
    select = config.sources[0].select
    assert select is not None and select.summary is None and "summary" not in snippet


def test_a_maintenance_page_is_not_said_to_be_drawn_by_javascript(
    local_server: LocalServer,
) -> None:
    """Session 9: a plain page saying "Site under maintenance, back soon" was diagnosed as
    drawn by JavaScript; it has no repeated links, and its text is quoted."""
    local_server.route(
        "/down",
        "<html><head><title>Maintenance</title></head><body>"
        "<p>Site under maintenance, back soon</p></body></html>",
        headers={"Content-Type": "text/html"},
    )
    local_server.route(
        "/next",
        '<html><body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">'
        '{"props": {}}</script></body></html>',
        headers={"Content-Type": "text/html"},
    )
    with pytest.raises(ProbeError) as down:
        asyncio.run(probe(local_server.url("/down"), config_for(local_server), NOW))
    assert "JavaScript" not in str(down.value)
    assert (
        "no repeated blocks of links were found on it to follow it as a page"
        " (its text: 'Site under maintenance, back soon')" in str(down.value)
    )
    with pytest.raises(ProbeError, match="drawn by JavaScript"):
        asyncio.run(probe(local_server.url("/next"), config_for(local_server), NOW))


def test_a_page_entry_given_without_a_scheme_is_all_of_standard_output_with_topic_hints(
    local_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Session 9: the proposed page entry was on standard error, so `watch sources add URL >>
    sources.yaml` captured nothing; and it had no `topics:` although its items were about one,
    as a feed's are."""
    from watch.models import FetchResult
    from watch.select_guess import page_advice

    posts = "".join(
        f'<article class="post"><h2><a href="/p/{i}">CVE-2026-{i} fixed</a></h2>'
        f"<p>A vulnerability in the parser, patched in release {i}.</p></article>"
        for i in range(4)
    )
    html = f"<html><head><title>Advisories</title></head><body><main>{posts}</main></body></html>"
    local_server.route("/advisories", html, headers={"Content-Type": "text/html"})
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES_YAML.replace("ALLOW", local_server.allow), encoding="utf-8")
    bare = local_server.url("/advisories").removeprefix("http://")
    assert main(["sources", "add", bare, "-c", str(path)]) == 1
    with path.open("a", encoding="utf-8") as sources:
        sources.write(capsys.readouterr().out)  # what `>> sources.yaml` appends
    added = load_config(path).sources[-1]
    assert (added.name, added.kind, added.label) == ("advisories", "page", "Advisories")

    page = FetchResult(url=local_server.url("/advisories"), status="ok", body=html.encode())
    config = config_for(local_server)
    advice = page_advice(page, NOW, config.topics)
    assert "    topics: [security]\n" in advice, advice
    topics = "topics:\n  - {name: security, keywords: [CVE]}\nsources:\n"
    entry = parse_config(topics + advice[advice.index("  - name: ") :]).sources[0]
    assert entry.topics == ("security",) and entry.select is not None
