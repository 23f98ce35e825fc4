"""The real pipeline against local servers: hostile sources fail alone, the control source is intact."""

from __future__ import annotations

import asyncio
import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.servers import LocalServer
from watch.config import parse_config, resolve_settings
from watch.models import Feedback
from watch.pipeline import Pipeline
from watch.schedule import backoff_delay
from watch.store import open_store
from watch.store import sql as sql_store
from watch.store.base import ArticleQuery, Store

NOW = datetime.now(UTC).replace(microsecond=0)


def rss(
    items: list[tuple[str, str, str]], encoding_decl: str = "utf-8", extra_head: str = ""
) -> str:
    """An RSS 2.0 document of (guid, title, pubDate) items."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>https://news.example/{guid}</link>"
        f"<description>About {title}</description><pubDate>{date}</pubDate></item>"
        for guid, title, date in items
    )
    return (
        f'<?xml version="1.0" encoding="{encoding_decl}"?>{extra_head}<rss version="2.0"><channel>'
        f"<title>t</title><link>https://news.example/</link>{body}</channel></rss>"
    )


def rfc822(dt: datetime) -> str:
    return dt.strftime("%a, %d %b %Y %H:%M:%S +0000")


CONTROL = rss([(f"c{i}", f"Control story {i}", rfc822(NOW - timedelta(hours=i))) for i in range(5)])
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    '<rss version="2.0"><channel><title>&lol2;</title><item><title>&lol2;</title></item></channel></rss>'
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<rss version="2.0"><channel><title>x</title><item><title>&xxe;</title></item></channel></rss>'
)


def make_config(
    server: LocalServer,
    sources: dict[str, str],
    timeout: float = 2.0,
    extra: str = "",
    max_bytes: int = 1_000_000,
) -> str:
    lines = [
        "name: test",
        "topics:",
        "  - {name: security, keywords: [CVE, vulnerability]}",
        "fetch:",
        f'  allow_private: ["{server.allow}"]',
        f"  timeout: {timeout}",
        "  connect_timeout: 2",
        f"  max_bytes: {max_bytes}",
        "sources:",
    ]
    for name, path in sources.items():
        lines.append(f"  - {{name: {name}, url: '{server.url(path)}', every: 1h}}")
    return "\n".join(lines) + "\n" + extra


def make_pipeline(tmp_path: Path, text: str) -> tuple[Pipeline, Store]:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    config = parse_config(text)
    settings = resolve_settings(path, f"sqlite:///{tmp_path / 'watch.db'}", config, env={})
    store = open_store(settings.db_url)
    return Pipeline(store, config, settings), store


def stored(store: Store, source: str) -> list:
    return store.query_articles(ArticleQuery(sources=[source], limit=1000, order="published"))


def test_hostile_sources_fail_alone_and_the_control_source_is_intact(
    local_server: LocalServer, other_local_server: LocalServer, tmp_path: Path
) -> None:
    s = local_server
    s.route("/control", CONTROL, headers={"Content-Type": "application/rss+xml"})
    s.gzip_bomb("/gzip-bomb", 50_000_000)
    s.gzip_bomb("/deflate-bomb", 50_000_000, encoding="deflate")
    s.trickle("/trickle", interval=0.5)
    s.huge("/huge", 5_000_000)
    s.redirect_loop("/loop")
    other_local_server.route("/feed", CONTROL)
    s.redirect("/to-other-port", other_local_server.url("/feed"))
    s.redirect("/to-localhost", f"http://localhost:{s.port}/control")
    s.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/")
    s.route("/entities", BILLION_LAUGHS)
    s.route("/xxe", XXE)
    s.route(
        "/not-a-feed",
        "<html><head><title>Hello</title></head><body>No feed here</body></html>",
        headers={"Content-Type": "text/html"},
    )
    s.route("/404", "missing", status=404)
    s.route("/500", "boom", status=500)
    s.route("/503", "busy", status=503, headers={"Retry-After": "7200"})
    s.route("/410", "gone", status=410)
    sources = {
        "control": "/control", "gzip-bomb": "/gzip-bomb", "deflate-bomb": "/deflate-bomb",
        "trickle": "/trickle", "huge": "/huge", "loop": "/loop", "to-other-port": "/to-other-port",
        "to-localhost": "/to-localhost", "to-metadata": "/to-metadata", "entities": "/entities",
        "xxe": "/xxe", "not-a-feed": "/not-a-feed", "e404": "/404", "e500": "/500", "e503": "/503", "e410": "/410",
    }  # fmt: skip
    pipeline, store = make_pipeline(tmp_path, make_config(s, sources))
    started = datetime.now(UTC)
    report = asyncio.run(pipeline.run_pass())
    elapsed = (datetime.now(UTC) - started).total_seconds()

    outcomes = {o.name: o for o in report.outcomes}
    assert outcomes["control"].outcome == "new" and outcomes["control"].new == 5
    assert [a.title for a in stored(store, "control")] == [f"Control story {i}" for i in range(5)]
    assert elapsed < 15, "the trickling server held the pass past its deadline"
    states = {st.name: st for st in store.list_source_states()}
    expected_words = {
        "gzip-bomb": "larger than", "deflate-bomb": "larger than", "trickle": "timed out", "huge": "larger than",
        "loop": "redirect", "to-other-port": "refused", "to-localhost": "refused", "to-metadata": "refused",
        "entities": "entit", "xxe": "entit", "not-a-feed": "not a feed", "e404": "404", "e500": "500", "e503": "503",
    }  # fmt: skip
    for name, words in expected_words.items():
        state = states[name]
        assert state.status == "error", (name, state)
        assert words in (state.last_error or "").lower(), (name, state.last_error)
        assert state.error_count == 1 and not stored(store, name)
    assert states["e410"].status == "gone"
    assert states["e503"].next_due is not None and states["e503"].next_due >= started + timedelta(
        hours=2
    )
    assert states["control"].status == "ok" and states["control"].error_count == 0
    assert len(store.fetch_log(limit=100)) == len(sources)
    store.close()


def test_bad_content_is_normalized_not_fatal(local_server: LocalServer, tmp_path: Path) -> None:
    s = local_server
    far_future = rfc822(NOW + timedelta(days=400))
    s.route(
        "/dates",
        rss(
            [
                ("old", "Old", "Mon, 01 Jan 1970 00:00:00 +0000"),
                ("future", "Future", far_future),
                ("none", "No date", ""),
            ]
        ),
    )
    s.route(
        "/dupes",
        rss(
            [
                ("same", "First copy", rfc822(NOW)),
                ("same", "First copy", rfc822(NOW)),  # listed twice: stored once
                ("other", "Other", rfc822(NOW)),
            ]
        ),
    )
    latin1 = rss(
        [("e1", "Caf\u00e9 cr\u00e8me s\u00e9curit\u00e9", rfc822(NOW))], encoding_decl="iso-8859-1"
    ).encode("iso-8859-1")
    s.route("/latin1", latin1)
    undeclared = (
        rss([("e2", "D\u00e9ploiement r\u00e9ussi", rfc822(NOW))])
        .replace(' encoding="utf-8"', "")
        .encode("cp1252")
    )
    s.route("/undeclared", undeclared)
    s.route("/gzipped", gzip.compress(CONTROL.encode()), headers={"Content-Encoding": "gzip"})
    pipeline, store = make_pipeline(
        tmp_path,
        make_config(
            s,
            {
                "dates": "/dates",
                "dupes": "/dupes",
                "latin1": "/latin1",
                "undeclared": "/undeclared",
                "gzipped": "/gzipped",
            },
        ),
    )
    report = asyncio.run(pipeline.run_pass())
    assert not report.failed, [(o.name, o.error) for o in report.failed]
    dates = {a.guid: a for a in stored(store, "dates")}
    for guid in ("old", "future", "none"):
        assert not dates[guid].date_from_feed
        assert abs((dates[guid].published - datetime.now(UTC)).total_seconds()) < 120
    assert sorted(a.guid for a in stored(store, "dupes")) == ["other", "same"]
    assert stored(store, "latin1")[0].title == "Café crème sécurité"
    assert stored(store, "undeclared")[0].title == "Déploiement réussi"
    assert len(stored(store, "gzipped")) == 5
    store.close()


def test_second_pass_is_304_and_writes_nothing(local_server: LocalServer, tmp_path: Path) -> None:
    local_server.route("/feed", CONTROL, etag='"v1"', last_modified="Mon, 02 Nov 2026 10:00:00 GMT")
    pipeline, store = make_pipeline(tmp_path, make_config(local_server, {"feed": "/feed"}))
    first = asyncio.run(pipeline.run_pass())
    assert first.outcomes[0].new == 5
    before = store.query_articles(ArticleQuery(limit=100))
    second = asyncio.run(pipeline.run_pass())
    assert second.outcomes[0].outcome == "not_modified" and second.outcomes[0].new == 0
    last_request = local_server.requests[-1][2]
    assert (
        last_request.get("If-None-Match") == '"v1"' or last_request.get("if-none-match") == '"v1"'
    )
    assert store.query_articles(ArticleQuery(limit=100)) == before
    assert [e.outcome for e in store.fetch_log("feed")] == ["not_modified", "new"]
    store.close()


def test_articles_are_updated_never_duplicated_or_deleted(
    local_server: LocalServer, tmp_path: Path
) -> None:
    local_server.route("/feed", CONTROL)
    pipeline, store = make_pipeline(tmp_path, make_config(local_server, {"feed": "/feed"}))
    asyncio.run(pipeline.run_pass())
    first_id = stored(store, "feed")[0].id
    store.set_flags(first_id, read=True, starred=True)
    changed = rss([("c0", "Control story 0 (updated)", rfc822(NOW))])
    local_server.route("/feed", changed)
    report = asyncio.run(pipeline.run_pass())
    assert report.outcomes[0].outcome == "unchanged" and report.outcomes[0].updated == 1
    articles = {a.guid: a for a in stored(store, "feed")}
    assert len(articles) == 5, "a shorter feed must not delete stored articles"
    assert articles["c0"].title == "Control story 0 (updated)"
    assert articles["c0"].id == first_id and articles["c0"].read and articles["c0"].starred
    store.close()


@pytest.mark.parametrize("chunk", [2000, 1], ids=["one-write", "one-row-per-write"])
def test_the_same_story_from_two_sources_is_one_cluster_scored_with_both(
    local_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Clusters and scores are written with the new rows; an article inserted before its story
    gained a second source (an earlier write of the same batch) is scored again."""
    monkeypatch.setattr(sql_store, "UPSERT_CHUNK", chunk)
    when = rfc822(NOW - timedelta(hours=1))
    local_server.route("/a", rss([("a1", "OpenSSL fixes CVE-2026-1234 in TLS handshake", when)]))
    other_site = rss([("b1", "OpenSSL fixes CVE-2026-1234 in the TLS handshake", when)])
    local_server.route("/b", other_site.replace("https://news.example/", "https://other.example/"))
    local_server.route("/c", rss([("c1", "Kernel 6.20 released with new schedulers", when)]))
    config = make_config(local_server, {"alpha": "/a", "beta": "/b", "gamma": "/c"})
    pipeline, store = make_pipeline(tmp_path, config)
    asyncio.run(pipeline.run_pass())
    pipeline.close()
    (a,), (b,), (c,) = stored(store, "alpha"), stored(store, "beta"), stored(store, "gamma")
    assert a.cluster_id == b.cluster_id != c.cluster_id == c.id
    for article in (a, b):
        assert "covered by 2 sources" in " ".join(article.explanation)
        assert article.score_parts["coverage"] > 0
    assert c.score_parts["coverage"] == 0 and c.score < a.score
    store.close()


def test_articles_fetched_after_a_retrain_are_classified_by_the_new_model(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """Classification runs in the reader worker: a retrain must reach it before the next read."""
    story = "Patch Tuesday fixes a CVE in the print spooler"
    local_server.route("/a", rss([("a1", story, rfc822(NOW))]))
    local_server.route("/b", rss([("b0", "Unrelated", rfc822(NOW))]))
    config = make_config(local_server, {"alpha": "/a", "beta": "/b"})
    pipeline, store = make_pipeline(tmp_path, config)
    asyncio.run(pipeline.run_pass())
    (first,) = stored(store, "alpha")
    assert [t.name for t in first.topics] == ["security"]
    store.add_feedback(Feedback(article_id=first.id, kind="not_topic", topic="security"))
    pipeline.ranker.retrain()
    local_server.route("/b", rss([("b1", story, rfc822(NOW))]))  # the same text, elsewhere
    asyncio.run(pipeline.run_pass(["beta"]))
    pipeline.close()
    copy = next(a for a in stored(store, "beta") if a.guid == "b1")
    assert copy.topics == []
    store.close()


def test_html_page_leads_to_its_advertised_feed(local_server: LocalServer, tmp_path: Path) -> None:
    page = f'<html><head><link rel="alternate" type="application/rss+xml" href="{local_server.url("/real-feed")}"></head><body>Blog</body></html>'
    local_server.route("/blog", page, headers={"Content-Type": "text/html"})
    local_server.route("/real-feed", CONTROL, etag='"x"')
    pipeline, store = make_pipeline(tmp_path, make_config(local_server, {"blog": "/blog"}))
    asyncio.run(pipeline.run_pass())
    assert len(stored(store, "blog")) == 5
    asyncio.run(pipeline.run_pass())
    paths = [path for _, path, _ in local_server.requests]
    assert paths == ["/blog", "/real-feed", "/real-feed"], (
        "the discovered feed is used directly afterwards"
    )
    assert store.get_source_state("blog").status == "ok"  # type: ignore[union-attr]
    store.close()


def test_a_page_whose_first_advertised_feed_is_dead_leads_to_the_next(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """Session 8: a blog advertising a retired feed first (404), then a link that is no feed,
    then its live feed, is followed to the live one."""
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="{local_server.url(path)}">'
        for path in ("/old-feed", "/not-a-feed", "/feed")
    )
    page = f"<html><head>{links}</head><body>Blog</body></html>"
    local_server.route("/blog", page, headers={"Content-Type": "text/html"})
    local_server.route("/old-feed", "gone", status=404)
    local_server.route("/not-a-feed", page, headers={"Content-Type": "text/html"})
    local_server.route("/feed", CONTROL)
    config = make_config(local_server, {"blog": "/blog"})
    pipeline, store = make_pipeline(tmp_path, config)
    asyncio.run(pipeline.run_pass())
    assert len(stored(store, "blog")) == 5
    pipeline.close()
    state = store.get_source_state("blog")
    assert state is not None and (state.status, state.url) == ("ok", local_server.url("/feed"))
    store.close()


def test_a_discovered_feed_elsewhere_never_receives_the_sources_credentials(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """Session 8: the page's server is trusted with the token; a feed it advertises on another
    origin (another port here) is fetched without it."""
    from tests.support.servers import LocalServer as Server

    elsewhere = Server()
    try:
        elsewhere.route("/feed", CONTROL)
        page = (
            '<html><head><link rel="alternate" type="application/rss+xml" '
            f'href="{elsewhere.url("/feed")}"></head></html>'
        )
        local_server.route("/blog", page, headers={"Content-Type": "text/html"})
        text = (
            make_config(local_server, {"blog": "/blog"})
            .replace(
                f'allow_private: ["{local_server.allow}"]',
                f'allow_private: ["{local_server.allow}", "{elsewhere.allow}"]',
            )
            .replace("every: 1h}", "every: 1h, credentials_env: BLOG}")
        )
        path = tmp_path / "sources.yaml"
        path.write_text(text, encoding="utf-8")
        config = parse_config(text)
        settings = resolve_settings(
            path, f"sqlite:///{tmp_path / 'w.db'}", config, env={"BLOG_TOKEN": "s3cret"}
        )
        store = open_store(settings.db_url)
        pipeline = Pipeline(store, config, settings)
        asyncio.run(pipeline.run_pass())
        pipeline.close()
        assert len(stored(store, "blog")) == 5
        store.close()
    finally:
        elsewhere.close()
    (page_request,) = [h for _, p, h in local_server.requests if p == "/blog"]
    (feed_request,) = [h for _, p, h in elsewhere.requests if p == "/feed"]
    assert page_request.get("Authorization") == "Bearer s3cret"
    assert "Authorization" not in feed_request


def test_every_advertised_feed_failing_is_one_error_in_words(
    local_server: LocalServer, tmp_path: Path
) -> None:
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="{local_server.url(path)}">'
        for path in ("/a", "/b")
    )
    local_server.route(
        "/blog", f"<html><head>{links}</head></html>", headers={"Content-Type": "text/html"}
    )
    local_server.route("/a", "gone", status=404)
    local_server.route("/b", "gone", status=500)
    pipeline, store = make_pipeline(tmp_path, make_config(local_server, {"blog": "/blog"}))
    asyncio.run(pipeline.run_pass())
    pipeline.close()
    state = store.get_source_state("blog")
    assert state is not None and state.last_error is not None
    assert state.last_error.startswith(f"discovered feed {local_server.url('/a')}: ")
    assert state.last_error.endswith("(and 1 other advertised feed failed)")
    store.close()


def test_page_source_with_selectors_and_robots(local_server: LocalServer, tmp_path: Path) -> None:
    html = """<html><body>
      <article><h3><a href="/news/1">SQLite 3.50 released</a></h3><time datetime="2026-11-20T10:00:00Z">x</time><p>New release.</p></article>
      <article><h3><a href="/news/2">SQLite 3.49 released</a></h3><time datetime="2026-10-01T10:00:00Z">x</time><p>Older.</p></article>
    </body></html>"""
    local_server.route("/news.html", html, headers={"Content-Type": "text/html"})
    local_server.route("/private.html", html, headers={"Content-Type": "text/html"})
    local_server.route(
        "/robots.txt", "User-agent: *\nDisallow: /private\n", headers={"Content-Type": "text/plain"}
    )
    extra = ""
    text = (
        make_config(local_server, {})
        + "".join(
            f"  - name: {name}\n    url: '{local_server.url(path)}'\n    kind: page\n    every: 1d\n    select:\n"
            f"      item: '{item}'\n      title: 'h3 a'\n      link: 'h3 a@href'\n      date: 'time@datetime'\n      summary: 'p'\n"
            for name, path, item in (
                ("news", "/news.html", "article"),
                ("private", "/private.html", "article"),
                ("broken", "/news.html", "section"),
            )
        )
        + extra
    )
    pipeline, store = make_pipeline(tmp_path, text)
    report = asyncio.run(pipeline.run_pass())
    outcomes = {o.name: o for o in report.outcomes}
    news = stored(store, "news")
    assert [a.title for a in news] == ["SQLite 3.50 released", "SQLite 3.49 released"]
    assert news[0].url == local_server.url("/news/1") and news[0].published == datetime(
        2026, 11, 20, 10, tzinfo=UTC
    )
    assert outcomes["private"].outcome == "error" and "robots" in (outcomes["private"].error or "")
    broken = store.get_source_state("broken")  # an item selector that reads nothing: an error
    assert broken is not None and broken.empty_selector and broken.status == "error"
    assert (
        outcomes["broken"].error
        == broken.last_error
        == (
            "select.item 'section' matched nothing on the page"
            " (it has 2 <article> elements: was the layout changed?)"
        )
    )
    news_state = store.get_source_state("news")
    assert news_state is not None and news_state.home_url == local_server.url("/news.html")
    store.close()


def test_the_source_remembers_the_feed_title_and_home_page_it_gives(
    local_server: LocalServer, tmp_path: Path
) -> None:
    def feed(title: str, link: str) -> str:
        return CONTROL.replace("<title>t</title><link>https://news.example/</link>", title + link)

    local_server.route("/plain", feed("<title>Le blog  d&apos;Ops</title>", "<link>/</link>"))
    local_server.route(
        "/hostile",
        feed("<title>&lt;b&gt;Bold&lt;/b&gt; &amp; co</title>", "<link>javascript:alert(1)</link>"),
    )
    config = make_config(local_server, {"plain": "/plain", "hostile": "/hostile"})
    pipeline, store = make_pipeline(tmp_path, config)
    asyncio.run(pipeline.run_pass())
    plain, hostile = store.get_source_state("plain"), store.get_source_state("hostile")
    assert plain is not None and hostile is not None
    assert (plain.title, plain.home_url) == ("Le blog d'Ops", local_server.url("/"))
    assert (hostile.title, hostile.home_url) == ("Bold & co", None)
    local_server.route("/plain", "<html>down for maintenance</html>", status=500)
    asyncio.run(pipeline.run_pass())
    again = store.get_source_state("plain")
    assert again is not None and again.status == "error"
    assert (again.title, again.home_url) == ("Le blog d'Ops", local_server.url("/")), "kept"
    store.close()


def test_every_corpus_feed_goes_through_the_real_pipeline(
    corpus_dir: Path, local_server: LocalServer, tmp_path: Path
) -> None:
    import feedparser

    files = sorted((corpus_dir / "feeds").iterdir())
    names = {}
    for index, path in enumerate(files):
        local_server.route(
            f"/c/{index}",
            path.read_bytes(),
            headers={
                "Content-Type": "application/json" if path.suffix == ".json" else "application/xml"
            },
        )
        names[f"f{index}"] = f"/c/{index}"
    pipeline, store = make_pipeline(
        tmp_path, make_config(local_server, names, timeout=20, max_bytes=10_000_000)
    )
    report = asyncio.run(pipeline.run_pass())
    internal = [
        (o.name, o.error) for o in report.outcomes if o.error and "internal error" in o.error
    ]
    assert not internal
    short = []
    for index, path in enumerate(files):
        parsed = feedparser.parse(path.read_bytes())
        titled = {
            e.get("id") or e.get("link") or e.get("title")
            for e in parsed.entries
            if e.get("title") or e.get("link") or e.get("id")
        }
        got = store.count_articles(ArticleQuery(sources=[f"f{index}"]))
        if got < len(titled):
            short.append((path.name, got, len(titled)))
    assert not short, f"fewer entries stored than feedparser finds: {short}"
    assert store.count_articles(ArticleQuery()) > 2000
    store.close()


def test_page_dates_written_for_readers_are_kept(local_server: LocalServer, tmp_path: Path) -> None:
    """A French page showing "Publié le 3 février 2026 à 14h05", "12/03/2026" and "il y a 2
    heures": each item keeps its own date (not the fetch time, not a misread 2012 date)."""
    html = """<html lang="fr"><body>
      <div class="post"><a href="/a">Premier</a><span>Publié le 3 février 2026 à 14h05</span></div>
      <div class="post"><a href="/b">Deuxième</a><span>12-03-2026</span></div>
      <div class="post"><a href="/c">Troisième</a><span>il y a 2 heures</span></div>
    </body></html>"""
    local_server.route("/actus", html, headers={"Content-Type": "text/html; charset=utf-8"})
    text = make_config(local_server, {}) + (
        f"  - name: actus\n    url: '{local_server.url('/actus')}'\n    kind: page\n"
        "    every: 1d\n    select:\n      item: 'div.post'\n      title: 'a'\n"
        "      link: 'a@href'\n      date: 'span'\n"
    )
    pipeline, store = make_pipeline(tmp_path, text)
    before = datetime.now(UTC)
    asyncio.run(pipeline.run_pass())
    after = datetime.now(UTC)
    dates = {a.title: a.published for a in stored(store, "actus")}
    assert dates["Premier"] == datetime(2026, 2, 3, 14, 5, tzinfo=UTC)
    assert dates["Deuxième"] == datetime(2026, 3, 12, tzinfo=UTC)
    two_hours = timedelta(hours=2, seconds=1)
    assert (
        before - two_hours
        <= dates["Troisième"]
        <= after - timedelta(hours=2) + timedelta(seconds=1)
    )
    store.close()


def page_entry(name: str, url: str, item: str, title: str, link: str) -> str:
    """A ``kind: page`` source of sources.yaml, consulted every hour."""
    return (
        f"  - name: {name}\n    url: '{url}'\n    kind: page\n    every: 1h\n    select:\n"
        f"      item: '{item}'\n      title: '{title}'\n      link: '{link}'\n"
    )


def entries_page(count: int, block: str) -> str:
    """A page of ``count`` blocks, ``block`` formatted with each one's number."""
    return "<html><body>" + "".join(block.format(i=i) for i in range(count)) + "</body></html>"


def test_a_page_whose_selectors_read_no_item_is_an_error_naming_the_selector(
    local_server: LocalServer, tmp_path: Path
) -> None:
    html = {"Content-Type": "text/html"}
    entry = '<div class="entry"><h3><a href="/news/{i}">Release {i}</a></h3></div>'
    local_server.route("/news.html", entries_page(3, entry), headers=html)
    url = local_server.url("/news.html")
    text = make_config(local_server, {}) + page_entry("news", url, "div.entry", "h3", "h3 a@href")
    pipeline, store = make_pipeline(tmp_path, text)
    asyncio.run(pipeline.run_pass())
    assert len(stored(store, "news")) == 3

    redesigned = '<article><h2><a href="/news/{i}">Release {i}</a></h2></article>'
    local_server.route("/news.html", entries_page(12, redesigned), headers=html)
    for _attempt in range(2):
        report = asyncio.run(pipeline.run_pass())
    state = store.get_source_state("news")
    assert state is not None and (state.status, state.error_count) == ("error", 2)
    assert report.outcomes[0].outcome == "error" and state.empty_selector
    assert state.last_error == (
        "select.item 'div.entry' matched nothing on the page"
        " (it has 12 <article> elements: was the layout changed?)"
    )
    assert state.last_attempt is not None and state.next_due == state.last_attempt + (
        backoff_delay(pipeline.config.sources[0], 2, None)
    ), "backing off like any failing source"
    assert len(stored(store, "news")) == 3, "nothing deleted"

    unlinked = '<div class="entry"><h3>Release {i}</h3></div>'
    local_server.route("/news.html", entries_page(14, unlinked), headers=html)
    asyncio.run(pipeline.run_pass())
    state = store.get_source_state("news")
    assert state is not None and (state.status, state.error_count) == ("error", 3)
    assert state.last_error == (
        "select.link 'h3 a@href' found no link in any of the 14 items select.item 'div.entry'"
        " matched"
    ), "items were found: the link selector is the one to change"
    pipeline.close()
    store.close()


def test_a_page_that_lost_some_items_succeeds_with_a_warning_in_its_fetch_log(
    local_server: LocalServer, tmp_path: Path
) -> None:
    entry = '<div class="entry"><h3><a href="/news/{i}">Release {i}</a></h3></div>'
    body = entries_page(3, entry) + '<div class="entry"><h3>No link yet</h3></div>'
    local_server.route("/news.html", body, headers={"Content-Type": "text/html"})
    url = local_server.url("/news.html")
    text = make_config(local_server, {}) + page_entry("news", url, "div.entry", "h3", "h3 a@href")
    pipeline, store = make_pipeline(tmp_path, text)
    report = asyncio.run(pipeline.run_pass())
    pipeline.close()
    warning = (
        "select.link 'h3 a@href' found no link in 1 of the 4 items select.item 'div.entry'"
        " matched (those items were skipped)"
    )
    assert (report.outcomes[0].outcome, report.outcomes[0].warning) == ("new", warning)
    state = store.get_source_state("news")
    assert state is not None and (state.status, state.empty_selector) == ("ok", False)
    [logged] = store.fetch_log("news")
    assert (logged.outcome, logged.new_items, logged.error) == ("new", 3, warning)
    store.close()


RELEASE_NOTES = (
    '<html><body><section id="v2-3-0"><h2>v2.3.0 (2026-03-10)</h2></section>'
    '<section id="v2-2-0"><h2>v2.2.0 (2026-02-01)</h2></section></body></html>'
)


def test_a_page_link_is_never_made_up_from_text_and_an_id_is_an_anchor_of_the_page(
    local_server: LocalServer, tmp_path: Path
) -> None:
    local_server.route("/changes", RELEASE_NOTES, headers={"Content-Type": "text/html"})
    url = local_server.url("/changes")
    text = (
        make_config(local_server, {})
        + page_entry("by-text", url, "section", "h2", "h2")
        + page_entry("by-id", url, "section", "h2", "section@id")
    )
    pipeline, store = make_pipeline(tmp_path, text)
    asyncio.run(pipeline.run_pass())
    pipeline.close()
    assert [a.url for a in stored(store, "by-id")] == [f"{url}#v2-2-0", f"{url}#v2-3-0"]
    assert stored(store, "by-text") == [], "no 'http://host/v2.3.0 (2026-03-10)'"
    state = store.get_source_state("by-text")
    assert state is not None and state.status == "error"
    assert state.last_error == (
        "select.link 'h2' found no link in any of the 2 items select.item 'section' matched"
        " (the elements it found have no href, and their text is not a URL)"
    )
    store.close()
