"""``full_text:`` sources: each article's page is fetched from a local server, its main text kept
(not the navigation), sanitized, classified, exported; failures are retried at most 3 times."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.servers import LocalServer
from watch.article_text import (
    NO_MORE_THAN_SUMMARY,
    ArticlePage,
    PageText,
    extract_article,
    paragraphs,
)
from watch.classify import training_examples
from watch.cli import main
from watch.config import parse_config, resolve_settings
from watch.export import write_export
from watch.fetch import Fetcher
from watch.models import Article, Feedback, StoredArticle
from watch.pipeline import Pipeline
from watch.scheduler import WatchService
from watch.store import ArticleQuery, Store, open_store

NOW = datetime.now(UTC).replace(microsecond=0)
HTML = {"Content-Type": "text/html; charset=utf-8"}
NAVIGATION = "Home About us Archive Subscribe"
BODY = [
    "The maintainers published the third release candidate of the new kernel series this "
    "week, with a long list of driver fixes and a rework of the memory allocator that had "
    "been discussed on the mailing list since the spring.",
    "Among the changes is a fix for a remote code execution vulnerability in the network "
    "stack, tracked as CVE-2026-1234, which affects every release since version 5.4 and can "
    "be reached by a single crafted packet.",
    "Distributions are expected to ship the patched kernel within days; administrators who "
    "cannot update are advised to disable the affected protocol until they can.",
]


def article_page(paragraphs: list[str], extra: str = "") -> str:
    """A page as sites write them: navigation, the article, a sidebar and a footer."""
    nav = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in NAVIGATION.split())
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        "<!DOCTYPE html><html><head><title>Kernel notes</title></head><body>"
        f"<header><nav><ul>{nav}</ul></nav></header>"
        f"<main><article><h1>Kernel notes</h1>{body}{extra}</article></main>"
        "<aside><h2>Most read</h2><ul><li><a href='/x'>Ten tips for your garden</a></li></ul></aside>"
        "<footer><p>Copyright 2026 Example Media. All rights reserved. Privacy policy.</p></footer>"
        "</body></html>"
    )


def feed(links: list[str], summary: str = "Notes.") -> str:
    """An RSS feed whose items (newest first) link to ``links``, each the path of its link
    as guid."""
    items = "".join(
        f"<item><guid>{urlsplit(link).path}</guid><title>Weekly notes {n}</title>"
        f"<link>{link}</link><description>{summary}</description>"
        f"<pubDate>{(NOW - timedelta(hours=n)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        "</item>"
        for n, link in enumerate(links)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )


def serve_feed(server: LocalServer, paths: list[str], summary: str = "Notes.") -> None:
    """``/feed`` on ``server``, whose items link to ``paths`` on it."""
    rss = feed([server.url(path) for path in paths], summary)
    server.route("/feed", rss, headers={"Content-Type": "application/rss+xml"})


def config_text(server: LocalServer, full_text: str = "true", extra: str = "") -> str:
    return (
        "topics:\n  - {name: security, keywords: [CVE, vulnerability]}\n"
        f'fetch:\n  allow_private: ["{server.allow}"{extra}]\n  timeout: 10\n'
        f"sources:\n  - {{name: blog, url: '{server.url('/feed')}', every: 1h,"
        f" full_text: {full_text}}}\n"
    )


class Clock:
    """The pipeline's clock, moved by the test (a retry waits an hour)."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def make_pipeline(
    tmp_path: Path, text: str, env: dict[str, str] | None = None
) -> tuple[Pipeline, Store, Clock]:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    config = parse_config(text)
    settings = resolve_settings(path, f"sqlite:///{tmp_path / 'watch.db'}", config, env=env or {})
    clock = Clock()
    store = open_store(settings.db_url)
    return Pipeline(store, config, settings, clock=clock), store, clock


def articles(store: Store) -> dict[str, StoredArticle]:
    """Stored articles by guid (the path of their page)."""
    return {a.guid: a for a in store.query_articles(ArticleQuery(limit=100))}


def page_requests(server: LocalServer, path: str) -> int:
    return sum(1 for _, requested, _ in server.requests if requested == path)


def test_the_article_body_is_kept_not_the_navigation_and_its_topic_raises_the_score(
    local_server: LocalServer, tmp_path: Path
) -> None:
    s = local_server
    serve_feed(s, ["/cve", "/garden"])
    s.route("/cve", article_page(BODY), headers=HTML)
    harmless = [
        p.replace("vulnerability", "bug").replace("CVE-2026-1234", "a ticket") for p in BODY
    ]
    s.route("/garden", article_page(harmless), headers=HTML)
    pipeline, store, clock = make_pipeline(tmp_path, config_text(s))
    try:
        (outcome,) = asyncio.run(pipeline.run_pass()).outcomes
        assert (outcome.new, outcome.texts, outcome.texts_warning) == (2, 2, None)
        stored = articles(store)
        cve, garden = stored["/cve"], stored["/garden"]
        text = store.article_texts([cve.id])[cve.id].text
        assert text == "\n\n".join(["Kernel notes", *BODY]), "one paragraph each, in order"
        for boilerplate in ("About us", "Subscribe", "garden", "Copyright", "Most read"):
            assert boilerplate not in text
        assert cve.text_lead == text
        assert [t.name for t in cve.topics] == ["security"], "found in the page, not the feed"
        assert garden.topics == []
        assert cve.score > garden.score

        clock.now += timedelta(hours=2)
        (again,) = asyncio.run(pipeline.run_pass()).outcomes
        assert (again.texts, again.texts_warning) == (0, None)
        assert page_requests(s, "/cve") == page_requests(s, "/garden") == 1, "read once"
        assert [t.name for t in articles(store)["/cve"].topics] == ["security"]
        pipeline.ranker.rescore_all(reclassify=True)  # a retrain or a topic edit keeps it
        assert [t.name for t in articles(store)["/cve"].topics] == ["security"]
    finally:
        pipeline.close()
        store.close()


def test_a_css_selector_takes_that_element_sanitized_with_its_links_made_absolute(
    local_server: LocalServer, tmp_path: Path
) -> None:
    s = local_server
    story = (
        '<div class="story"><p onclick="steal()">First words of the story, '
        '<a href="/docs/advisory">the advisory</a>.</p><script>alert("owned")</script>'
        '<p>Second paragraph <img src="https://tracker.example/pixel.gif">with more words.</p></div>'
    )
    page = article_page(["A teaser that automatic extraction would keep."], extra=story)
    serve_feed(s, ["/story"], summary="")
    s.route("/story", page, headers=HTML)
    pipeline, store, _ = make_pipeline(tmp_path, config_text(s, full_text="'div.story'"))
    try:
        asyncio.run(pipeline.run_pass())
        article_id = articles(store)["/story"].id
        saved = store.article_texts([article_id])[article_id]
        assert saved.text == (
            "First words of the story, the advisory.\n\nSecond paragraph with more words."
        )
        assert f'href="{s.url("/docs/advisory")}"' in saved.html
        for unsafe in ("onclick", "script", "alert", "img", "tracker"):
            assert unsafe not in saved.html
    finally:
        pipeline.close()
        store.close()


def test_failed_pages_are_recorded_and_tried_three_times_while_the_source_stays_ok(
    local_server: LocalServer, tmp_path: Path
) -> None:
    s = local_server
    s.route(
        "/robots.txt",
        "User-agent: *\nDisallow: /private/\n",
        headers={"Content-Type": "text/plain"},
    )
    serve_feed(s, ["/missing", "/private/post", "/fine"])
    s.route("/missing", "gone", status=404)
    s.route("/private/post", article_page(BODY), headers=HTML)
    s.route("/fine", article_page(BODY), headers=HTML)
    pipeline, store, clock = make_pipeline(tmp_path, config_text(s))
    try:
        (first,) = asyncio.run(pipeline.run_pass()).outcomes
        assert (first.outcome, first.texts) == ("new", 1)
        assert first.texts_warning == "article pages: 2 of 3 not read: HTTP 404 Not Found"
        stored = articles(store)
        ids = [stored[p].id for p in ("/missing", "/private/post")]
        errors = {t.error for t in store.article_texts(ids).values()}
        assert errors == {"HTTP 404 Not Found", "robots.txt disallows it"}
        for _ in range(4):
            clock.now += timedelta(minutes=61)
            asyncio.run(pipeline.run_pass())
        assert page_requests(s, "/missing") == 3 and page_requests(s, "/fine") == 1
        assert page_requests(s, "/private/post") == 0, "robots.txt is respected"
        assert [t.attempts for t in store.article_texts(ids).values()] == [3, 1], "robots: final"
        state = store.get_source_state("blog")
        assert state is not None and (state.status, state.last_error) == ("ok", None)
    finally:
        pipeline.close()
        store.close()


def test_the_source_credentials_never_go_to_an_article_on_another_host(
    local_server: LocalServer, other_local_server: LocalServer, tmp_path: Path
) -> None:
    s, other = local_server, other_local_server
    rss = feed([s.url("/own"), other.url("/post")])
    s.route("/feed", rss, headers={"Content-Type": "application/rss+xml"})
    s.route("/own", article_page(BODY), headers=HTML)
    other.route("/post", article_page(BODY), headers=HTML)
    text = config_text(s, extra=f', "{other.allow}"').replace(
        "full_text:", "credentials_env: BLOG, full_text:"
    )
    pipeline, store, _ = make_pipeline(tmp_path, text, env={"BLOG_TOKEN": "s3cret"})
    try:
        (outcome,) = asyncio.run(pipeline.run_pass()).outcomes
        assert outcome.texts == 2
    finally:
        pipeline.close()
        store.close()
    (own,) = [headers for _, path, headers in s.requests if path == "/own"]
    (post,) = [headers for _, path, headers in other.requests if path == "/post"]
    assert own.get("Authorization") == "Bearer s3cret"
    assert "Authorization" not in post


def test_watch_fetch_says_what_the_pages_gave_and_the_export_has_the_text(
    local_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s = local_server
    serve_feed(s, ["/cve", "/missing"])
    s.route("/cve", article_page(BODY), headers=HTML)
    path = tmp_path / "sources.yaml"
    path.write_text(config_text(s), encoding="utf-8")
    assert main(["check", "-c", str(path)]) == 0
    assert "sources: 1 (1 feed, 0 pages, 0 disabled; 1 with full text)" in capsys.readouterr().out
    assert main(["fetch", "-c", str(path)]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert "2 new, 0 updated, 2 in feed; 1 article text read; warning: article pages: 1 of 2 not read: HTTP 404 Not Found" in line  # fmt: skip
    assert main(["export", "-c", str(path), "--format", "jsonl"]) == 0
    records = {r["guid"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert records["/cve"]["text"].endswith("\n\n".join(BODY))
    assert records["/missing"]["text"] == ""


def test_watch_run_logs_what_the_pages_gave_on_the_sources_line(
    local_server: LocalServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    s = local_server
    serve_feed(s, ["/cve", "/missing"])
    s.route("/cve", article_page(BODY), headers=HTML)
    path = tmp_path / "sources.yaml"
    path.write_text(config_text(s), encoding="utf-8")
    settings = resolve_settings(path, f"sqlite:///{tmp_path / 'watch.db'}", env={})
    service = WatchService(open_store(settings.db_url), settings)

    async def tick() -> None:
        await service.collect_due()
        await service.drain()
        await service.close_fetchers()

    try:
        with caplog.at_level(logging.INFO, logger="watch.scheduler"):
            asyncio.run(tick())
    finally:
        service.pipeline.close()
        service.store.close()
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("blog: ")]
    assert line.startswith("blog: 2 new, 0 updated of 2; next in 1 h")
    assert line.endswith(
        "; 1 article text read; warning: article pages: 1 of 2 not read: HTTP 404 Not Found"
    )


def test_the_csv_export_puts_the_text_last_and_escapes_it_like_the_other_cells(
    local_server: LocalServer, tmp_path: Path
) -> None:
    s = local_server
    serve_feed(s, ["/formula"], summary="")
    s.route(
        "/formula", article_page(['=HYPERLINK("http://evil.example") ' + BODY[0]]), headers=HTML
    )
    pipeline, store, _ = make_pipeline(tmp_path, config_text(s, full_text="'article p'"))
    try:
        asyncio.run(pipeline.run_pass())
        out = io.StringIO()
        write_export(store.iter_articles(), out, "csv", texts=store.article_texts)
    finally:
        pipeline.close()
        store.close()
    header, row = out.getvalue().lstrip("\ufeff").splitlines()[:2]
    assert header.split(",")[-1] == "text" and header.split(",")[-2] == "score_feedback"
    assert row.endswith(',"\'=HYPERLINK(""http://evil.example"") ' + BODY[0] + '"')


def test_a_stop_during_the_texts_keeps_those_read_and_wants_the_others_again(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """SIGTERM cancels ``update_source`` (the scheduler's unit): the text read before the
    stop is saved and classified; the one still loading is wanted at the next pass."""
    s = local_server
    serve_feed(s, ["/cve", "/slow"])
    s.route("/cve", article_page(BODY), headers=HTML)
    s.delay("/slow", seconds=60, body=article_page(BODY).encode())
    pipeline, store, _ = make_pipeline(tmp_path, config_text(s))

    async def stopped_after_the_first_text() -> None:
        extracted = asyncio.Event()
        extract = pipeline.reader.extract

        async def spy(page: ArticlePage) -> PageText:
            text = await extract(page)
            extracted.set()
            return text

        pipeline.reader.extract = spy  # type: ignore[method-assign]
        async with Fetcher(pipeline.config.fetch) as fetcher:
            task = asyncio.create_task(pipeline.update_source(fetcher, pipeline.config.sources[0]))
            await asyncio.wait_for(extracted.wait(), 30)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    try:
        asyncio.run(stopped_after_the_first_text())
        stored = articles(store)
        cve, slow = stored["/cve"], stored["/slow"]
        assert list(store.article_texts([cve.id, slow.id])) == [cve.id]
        assert [t.name for t in store.get_article(cve.id).topics] == ["security"]  # type: ignore[union-attr]
        wanted = store.articles_wanting_text(
            ["blog"], fetched_since=NOW - timedelta(days=1), retry_before=NOW, per_source=20, max_attempts=3
        )  # fmt: skip
        assert [w.id for w in wanted] == [slow.id]
        state = store.get_source_state("blog")
        assert state is not None and state.status == "ok", "the feed's attempt was recorded"
    finally:
        pipeline.close()
        store.close()


def test_a_real_page_gives_its_text_without_its_navigation(corpus_dir: Path) -> None:
    body = (corpus_dir / "pages" / "netnewswire__furbo.html").read_bytes()
    page = ArticlePage(
        body, "https://furbo.org/2016/02/22/the-forensic-shit-show/", "text/html", None
    )
    found = extract_article(page)
    assert found.error is None
    assert found.text.startswith("It turns out someone at the FBI advised another law enforcement")
    assert "how the hell do we expect them to guard a back door?" in found.text
    for navigation in ("Recent Writing", "Archives", "All rights reserved", "Search for:"):
        assert navigation not in found.text
    wiki = (corpus_dir / "pages" / "miniflux__miniflux_wikipedia.html").read_bytes()
    found = extract_article(
        ArticlePage(wiki, "https://fr.wikipedia.org/wiki/Miniflux", "text/html", None)
    )
    assert "Frédéric Guillot" in found.text and "Droit d'auteur" not in found.text


def test_a_page_is_refused_when_not_html_or_when_it_says_less_than_the_feed() -> None:
    page = ArticlePage(b'{"a": 1}', "https://x.example/a", "application/json", None)
    assert extract_article(page).error == "not an HTML page (application/json)"
    short = ArticlePage(
        article_page(BODY[:1]).encode(), "https://x.example/a", "text/html", None, " ".join(BODY)
    )
    assert extract_article(short).error == NO_MORE_THAN_SUMMARY
    empty = ArticlePage(
        b"<html><body><nav>Home</nav></body></html>", "https://x.example/a", "", "main"
    )
    assert extract_article(empty).error == "full_text 'main' matched nothing on the page"


def test_paragraphs_are_separated_by_blank_lines_and_the_text_is_capped_at_a_word() -> None:
    html = "<h2>Title</h2><p>One <b>bold</b> line.</p><ul><li>a</li><li>b</li></ul><p>Last words here</p>"
    assert paragraphs(html) == "Title\n\nOne bold line.\n\na\n\nb\n\nLast words here"
    assert paragraphs(html, limit=42) == "Title\n\nOne bold line.\n\na\n\nb\n\nLast words"


@pytest.mark.parametrize(
    ("summary", "lead", "expected"),
    [
        ("", "The whole first paragraph.", "The whole first paragraph."),
        ("The whole first", "The whole first paragraph.", "The whole first paragraph."),
        ("The whole first…", "The whole   first\n\nparagraph.", "The whole first paragraph."),
        ("A teaser.", "The body.", "A teaser. The body."),
        ("The body. And more than the lead.", "The body.", "The body. And more than the lead."),
        ("A teaser.", "", "A teaser."),
    ],
)
def test_the_classifier_reads_the_summary_then_the_lead_once(
    summary: str, lead: str, expected: str
) -> None:
    article = Article(
        source="s", guid="g", url="", canonical_url="", title="t", summary_html="",
        summary_text=summary, author=None, published=NOW, fetched_at=NOW, text_lead=lead,
    )  # fmt: skip
    assert article.text_for_topics == expected


def test_a_judged_article_teaches_the_model_with_its_page_text() -> None:
    """A retrain learns from the corrections with what the classifier read: the page's text."""
    article = StoredArticle(
        source="s", guid="g", url="", canonical_url="", title="Weekly notes", summary_html="",
        summary_text="Notes.", author=None, published=NOW, fetched_at=NOW, id=7,
        text_lead="The post-quantum Kyber migration starts.",
    )  # fmt: skip
    (example,) = training_examples([Feedback(7, "also_topic", "security")], {7: article})
    assert example.text_summary == "Notes. The post-quantum Kyber migration starts."
