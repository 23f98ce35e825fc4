"""The bounds of the full-text stage (hostile or careless sites): a page too large is refused
before any extractor sees it, a page too slow to read is stopped without holding the feeds, a
link listed by many articles is read once, and the HTML kept is no larger than ``HTML_MAX``.

Pages are served by a local server and read by the pipeline, as in ``tests/test_full_text.py``.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.servers import LocalServer
from tests.test_full_text import (
    BODY,
    HTML,
    NOW,
    article_page,
    articles,
    feed,
    make_pipeline,
    page_requests,
    serve_feed,
)
from watch import article_text
from watch.article_text import HTML_MAX, ArticlePage, PageText, extract_article
from watch.fetch import Fetcher
from watch.fetch_output import print_pass
from watch.full_text import PER_PASS
from watch.outcomes import PassReport, SourceOutcome
from watch.reading import DocumentReader
from watch.text_worker import TOO_LONG

FLAT_PARAGRAPHS = 40_000
"""Paragraphs of a flat page that trafilatura takes seconds to read (within the caps)."""


def flat_page(paragraphs: int = FLAT_PARAGRAPHS) -> str:
    return "<html><body><article>" + "<p>a b c</p>" * paragraphs + "</article></body></html>"


def no_extractor(*args: object) -> str:
    raise AssertionError("the extractor was given a page over the caps")


@pytest.mark.parametrize(
    ("page", "error"),
    [
        ("<html><body><p>" + "word " * 420_000 + "</p></body></html>", "(2.1 MB)"),
        ("<html><body>" + "<i>a</i>" * 50_000 + "</body></html>", "(50,002 elements)"),
    ],
)
@pytest.mark.parametrize("selector", [None, "body"])
def test_a_page_over_the_size_or_element_cap_is_refused_before_any_extractor_sees_it(
    page: str, error: str, selector: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(article_text, "_main_text", no_extractor)
    monkeypatch.setattr(article_text, "_selected", no_extractor)
    found = extract_article(
        ArticlePage(page.encode(), "https://x.example/a", "text/html", selector)
    )
    assert found == PageText(error=f"page too large to read {error}")


def test_sanitized_html_over_the_cap_is_not_kept_while_the_text_is() -> None:
    """Sanitizing lengthens relative links and closes tags: 450,000 characters of a page's
    article became over 500,000; a longer article is cut before sanitizing."""
    links = "".join(f'<p><a href="/n/{n}">note {n}</a></p>' for n in range(12_000))
    long_text = "<p>" + "word " * 110_000 + "</p>"
    for inner in (links, long_text):
        page = f"<html><body><div class='story'>{inner}</div></body></html>".encode()
        found = extract_article(ArticlePage(page, "https://x.example/a", "text/html", "div.story"))
        assert found.error is None and found.html == ""
        assert found.text.startswith(("note 0\n\nnote 1", "word word")), "the text is kept"
    assert len(links) <= HTML_MAX < len(long_text)


def test_a_page_too_slow_to_read_is_stopped_while_other_feeds_are_read(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """The scheduler runs each source's update on its own: the pages of one no longer hold
    the feed reads of the others (they shared one pool), and a page that never finished was
    never recorded, so it was read again at every pass."""
    s = local_server
    serve_feed(s, ["/slow/1", "/slow/2"])
    for path in ("/slow/1", "/slow/2"):
        s.route(path, flat_page(), headers=HTML)
    plain = "<rss version='2.0'><channel><item><guid>p</guid><title>Plain</title></item></channel></rss>"  # fmt: skip
    s.route("/plain", plain, headers={"Content-Type": "application/rss+xml"})
    s.route("/good-feed", feed([s.url("/good")]), headers={"Content-Type": "application/rss+xml"})
    s.route("/good", article_page(BODY), headers=HTML)
    text = (
        f'fetch:\n  allow_private: ["{s.allow}"]\n  timeout: 10\nsources:\n'
        f"  - {{name: slow, url: '{s.url('/feed')}', full_text: true}}\n"
        f"  - {{name: plain, url: '{s.url('/plain')}'}}\n"
        f"  - {{name: good, url: '{s.url('/good-feed')}', full_text: true}}\n"
    )
    pipeline, store, _ = make_pipeline(tmp_path, text)
    pipeline.reader = DocumentReader(text_time_limit=1.5)
    slow, plain_source, good = pipeline.config.sources

    async def scenario() -> tuple[bool, int, float, int]:
        extracting = asyncio.Event()
        extract = pipeline.reader.extract

        async def spy(page: ArticlePage) -> PageText:
            extracting.set()
            return await extract(page)

        pipeline.reader.extract = spy  # type: ignore[method-assign]
        async with Fetcher(pipeline.config.fetch) as fetcher:
            slow_update = asyncio.create_task(pipeline.update_source(fetcher, slow))
            await asyncio.wait_for(extracting.wait(), 30)
            other = await pipeline.update_source(fetcher, plain_source)
            meanwhile = not slow_update.done()
            slow_outcome = await slow_update
            after = await pipeline.update_source(fetcher, good)
        return meanwhile, other.new, slow_outcome.texts_seconds, after.texts

    try:
        meanwhile, plain_new, slow_seconds, good_texts = asyncio.run(scenario())
        assert (meanwhile, plain_new) == (True, 1), "the other feed was read meanwhile"
        assert slow_seconds >= 2 * 1.5, "the outcome tells how long its pages took"
        assert good_texts == 1, "the next page is read by a new worker"
        stored = articles(store)
        ids = [stored[path].id for path in ("/slow/1", "/slow/2")]
        texts = store.article_texts(ids).values()
        assert [(t.error, t.final) for t in texts] == [(TOO_LONG, True)] * 2
    finally:
        pipeline.close()
        store.close()


def test_a_link_listed_by_many_articles_is_fetched_and_read_once(
    local_server: LocalServer, tmp_path: Path
) -> None:
    s = local_server
    link = s.url("/same")
    items = "".join(
        f"<item><guid>g{n}</guid><title>Notes {n}</title><link>{link}</link>"
        f"<description>Notes.</description>"
        f"<pubDate>{(NOW - timedelta(minutes=n)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        "</item>"
        for n in range(500)
    )
    rss = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )
    s.route("/feed", rss, headers={"Content-Type": "application/rss+xml"})
    s.route("/same", article_page(BODY), headers=HTML)
    text = (
        f'fetch:\n  allow_private: ["{s.allow}"]\n  timeout: 10\n'
        f"sources:\n  - {{name: blog, url: '{s.url('/feed')}', full_text: true}}\n"
    )
    pipeline, store, _ = make_pipeline(tmp_path, text)
    try:
        (outcome,) = asyncio.run(pipeline.run_pass()).outcomes
        assert (outcome.new, outcome.texts, outcome.texts_warning) == (500, PER_PASS, None)
        assert page_requests(s, "/same") == 1
        ids = [a.id for a in articles(store).values()]
        saved = store.article_texts(ids).values()
        assert len(saved) == PER_PASS and all(t.text.endswith(BODY[2]) for t in saved)
    finally:
        pipeline.close()
        store.close()


def test_watch_fetch_says_how_long_a_sources_article_pages_took(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The line said "(0.7s)" for a source whose pages took two minutes after its feed."""
    outcomes = [
        SourceOutcome("pages", "new", new=3, seen=3, duration=0.7, texts=2, texts_seconds=124.0),
        SourceOutcome("feed", "unchanged", seen=3, duration=0.2),
    ]
    print_pass(PassReport(outcomes), [], {})
    pages, feed_only = sorted(capsys.readouterr().out.splitlines()[:2], key=len, reverse=True)
    assert pages.endswith("; 2 article texts read  (0.7s, article pages 124.0s)")
    assert feed_only.endswith("3 in feed  (0.2s)")
