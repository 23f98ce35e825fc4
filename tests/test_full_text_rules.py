"""The rules of the full-text stage (``watch.full_text``, ``watch.article_text``): what counts as
an article's text (a real gain on the feed's summary, without the title), which failures are
final (tried once) or temporary (3 tries), and which texts are read again when ``full_text:``
changes; the classifier reads a teaser summary and the page's lead once.

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
    config_text,
    make_pipeline,
    page_requests,
    serve_feed,
)
from watch.article_text import NO_MORE_THAN_SUMMARY, ArticlePage, extract_article
from watch.models import Article

PAYWALL = "<p>Subscribe to continue reading. Already a subscriber? <a href='/login'>Log in</a>.</p>"


def words(count: int) -> str:
    return " ".join(f"word{n}" for n in range(count))


def selected_page(text: str, summary: str = "", title: str = "") -> ArticlePage:
    """A page whose ``div.body`` holds ``text``, read with that selector."""
    body = f"<html><body><h1>Site</h1><div class='body'><p>{text}</p></div></body></html>"
    return ArticlePage(
        body.encode(), "https://x.example/a", "text/html", "div.body", summary, title
    )


# -- what counts as the article's text ---------------------------------------------------


def test_a_paywall_teaser_is_no_more_text_than_the_feeds_summary() -> None:
    page = article_page([BODY[0]], extra=PAYWALL).encode()
    found = extract_article(ArticlePage(page, "https://x.example/a", "text/html", None, BODY[0]))
    assert found.error == NO_MORE_THAN_SUMMARY
    assert NO_MORE_THAN_SUMMARY == "no more text than the feed's summary (a paywall or a teaser page?)"  # fmt: skip
    whole = article_page(BODY, extra=PAYWALL).encode()
    found = extract_article(ArticlePage(whole, "https://x.example/a", "text/html", None, BODY[0]))
    assert found.error is None and BODY[2] in found.text


@pytest.mark.parametrize(
    ("summary_words", "page_words", "read"),
    [
        (0, 1, True),  # the feed says nothing: any text is a gain
        (10, 19, False),  # a short summary: the page must say twice as much
        (10, 20, True),
        (50, 89, False),  # then at least 40 words more
        (50, 90, True),
        (100, 150, False),  # and more than half again as many
        (100, 151, True),
    ],
)
def test_the_page_must_bring_clearly_more_words_than_the_summary(
    summary_words: int, page_words: int, read: bool
) -> None:
    found = extract_article(selected_page(words(page_words), summary=words(summary_words)))
    assert (found.error is None) == read, found.error
    assert found.error in (None, NO_MORE_THAN_SUMMARY)


@pytest.mark.parametrize(
    "title",
    ["Kernel notes", "  KERNEL   Notes ", "Kernel: notes!", "Kernel — notes"],
)
def test_the_first_paragraph_is_dropped_when_it_is_the_articles_title(title: str) -> None:
    page = ArticlePage(
        article_page(BODY).encode(), "https://x.example/a", "text/html", None, "Notes.", title
    )
    found = extract_article(page)
    assert found.text == "\n\n".join(BODY)
    assert "Kernel notes" not in found.html and found.html.lstrip().startswith("<p>")


def test_a_first_paragraph_other_than_the_title_is_kept() -> None:
    for title in ("Kernel", "Kernel notes for the week", ""):
        page = ArticlePage(
            article_page(BODY).encode(), "https://x.example/a", "text/html", None, "", title
        )
        assert extract_article(page).text == "\n\n".join(["Kernel notes", *BODY]), title
    story = "<h2>Kernel <em>notes</em></h2><p>" + BODY[0] + "</p>"
    page = selected_page("", title="Kernel notes")
    page = ArticlePage(
        f"<div class='body'>{story}</div>".encode(), page.url, "text/html", "div.body", "",
        "Kernel notes",
    )  # fmt: skip
    assert extract_article(page).text == BODY[0], "a selector's element loses its title too"


# -- the classifier reads a teaser and the lead once -------------------------------------

LEAD = "The maintainers published the third release candidate, with driver fixes."


@pytest.mark.parametrize(
    "summary",
    [
        "The maintainers published the third release candidate […]",
        "The maintainers published the third release candidate [...]",
        "The maintainers published the third release candidate...",
        "The maintainers published the third release candidate …",
        "The maintainers published the third release candidate. Continue reading",
        "The maintainers published the third release candidate Lire la suite",
        "The maintainers published the third release candidate. Read more",
        "The maintainers published the third release candidate […] The post Kernel notes"
        " appeared first on Example Blog.",
        "The maintainers published the third rele…",  # cut inside a word
        "The maintainers’ published the third release candidate, with driver…",  # its own quotes
    ],
)
def test_a_teaser_summary_is_taken_for_the_start_of_the_lead(summary: str) -> None:
    lead = LEAD.replace("maintainers", "maintainers'") if "’" in summary else LEAD
    assert classified_text(summary, lead) == lead


def test_a_summary_mostly_the_leads_start_is_taken_for_it_another_is_read_before_it() -> None:
    assert classified_text("The maintainers published the third release candidate (more…)", LEAD) == LEAD  # fmt: skip
    other = "The maintainers published the third release candidate, as said in our last issue"
    assert classified_text(other, LEAD) == f"{other} {LEAD}", "half of it only"
    assert classified_text("A new kernel. Read more", LEAD) == f"A new kernel. {LEAD}"


def classified_text(summary: str, lead: str) -> str:
    article = Article(
        source="s", guid="g", url="", canonical_url="", title="t", summary_html="",
        summary_text=summary, author=None, published=NOW, fetched_at=NOW, text_lead=lead,
    )  # fmt: skip
    return article.text_for_topics


# -- final and temporary failures --------------------------------------------------------


def test_a_failure_that_would_say_the_same_again_is_final_a_temporary_one_is_tried_3_times(
    local_server: LocalServer, tmp_path: Path
) -> None:
    s = local_server
    s.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"})  # fmt: skip
    paths = ["/missing", "/busy", "/private/post", "/report.pdf", "/teaser", "/fine"]
    serve_feed(s, paths, summary=BODY[0])
    s.route("/missing", "gone", status=404)
    s.route("/busy", "try later", status=503)
    s.route("/private/post", article_page(BODY), headers=HTML)
    s.route("/report.pdf", b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
    s.route("/teaser", article_page([BODY[0]], extra=PAYWALL), headers=HTML)
    s.route("/fine", article_page(BODY), headers=HTML)
    pipeline, store, clock = make_pipeline(tmp_path, config_text(s))
    try:
        for _ in range(5):
            asyncio.run(pipeline.run_pass())
            clock.now += timedelta(minutes=61)
        stored = articles(store)
        texts = store.article_texts([stored[path].id for path in paths])
        found = {path: texts[stored[path].id] for path in paths}
    finally:
        pipeline.close()
        store.close()
    requests = {path: page_requests(s, path) for path in paths}
    assert requests == {
        "/missing": 3, "/busy": 3, "/private/post": 0, "/report.pdf": 1, "/teaser": 1, "/fine": 1,
    }  # fmt: skip
    assert {path: (text.attempts, text.final) for path, text in found.items()} == {
        "/missing": (3, False), "/busy": (3, False), "/private/post": (1, True),
        "/report.pdf": (1, True), "/teaser": (1, True), "/fine": (1, False),
    }  # fmt: skip
    assert found["/report.pdf"].error == "not an HTML page (application/pdf)"
    assert found["/teaser"].error == NO_MORE_THAN_SUMMARY


# -- changing full_text: re-reads what another setting made ------------------------------


def test_changing_full_text_reads_again_the_pages_read_with_the_other_setting(
    local_server: LocalServer, tmp_path: Path
) -> None:
    s = local_server
    story = f"<div class='story'><p>{BODY[1]}</p></div>"
    serve_feed(s, ["/story", "/plain"], summary="")
    s.route("/story", article_page([BODY[0]], extra=story), headers=HTML)
    s.route("/plain", article_page(BODY), headers=HTML)

    def run(full_text: str) -> dict[str, tuple[str, str | None, str]]:
        pipeline, store, _ = make_pipeline(tmp_path, config_text(s, full_text=full_text))
        try:
            asyncio.run(pipeline.run_pass())
            stored = articles(store)
            texts = store.article_texts([a.id for a in stored.values()])
            return {
                guid: (texts[a.id].text, texts[a.id].error, texts[a.id].made_with)
                for guid, a in stored.items()
            }
        finally:
            pipeline.close()
            store.close()

    auto = run("true")
    assert auto["/story"][0].endswith(BODY[1]) and auto["/story"][2] == "auto"
    assert auto["/plain"][0].endswith(BODY[2]) and auto["/plain"][2] == "auto"
    selected = run("'div.story'")
    assert selected["/story"] == (BODY[1], None, "div.story"), "a success read again"
    failed = "full_text 'div.story' matched nothing on the page"
    assert selected["/plain"] == (auto["/plain"][0], failed, "div.story"), "the text read is kept"
    assert (page_requests(s, "/story"), page_requests(s, "/plain")) == (2, 2)
    assert run("'div.story'") == selected, "read once with each setting"
    assert (page_requests(s, "/story"), page_requests(s, "/plain")) == (2, 2)
    assert run("true") == auto, "a final failure read again too"
    assert (page_requests(s, "/story"), page_requests(s, "/plain")) == (3, 3)
    assert run("false") == auto, "turned off: nothing read, nothing deleted"
    assert (page_requests(s, "/story"), page_requests(s, "/plain")) == (3, 3)
