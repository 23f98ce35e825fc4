"""The whole article on the board: the page text of a ``full_text:`` source on its card.

The board of tests/test_dashboard.py (a real SQLite store, AppTest), given texts through the
store's own ``save_article_texts``: the card of an article with a text has an "Article text"
expander (its length in its label, each paragraph escaped, the stored HTML never rendered), a
page not read says why, a card without summary shows the start of its text, the linked page
(``?article=``) shows it too, and the texts of the cards on screen are read in one query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from dashboard import view
from dashboard.words import BOARD_LANGUAGES, ENGLISH
from tests.test_board_no_english import shown
from tests.test_board_words import speak
from tests.test_dashboard import (
    Board,
    board,  # noqa: F401 -- the fixture
    make_article,
    run_app,
    run_linked,
)
from watch.article_text import NO_MORE_THAN_SUMMARY
from watch.models import ArticleText
from watch.store.base import ClassificationUpdate
from watch.store.sql_texts import TextMethods

CVE = "Critical CVE in OpenSSL patched"
K8S = "Kubernetes 2.0 scheduling changes"
HOSTILE_TEXT = (
    "The patch landed.\n\n"
    "<script>alert(1)</script> [click](javascript:alert(1)) ![x](http://evil.test/p.png)\n\n"
    "# Not a heading"
)


def save_texts(board: Board, *texts: ArticleText) -> None:  # noqa: F811
    store = board.open()
    store.save_article_texts(list(texts))
    store.close()


def read_text(article_id: int, text: str, html: str = "") -> ArticleText:
    return ArticleText(article_id, html or f"<p>{text}</p>", text, datetime.now(UTC))


def not_read(article_id: int, error: str) -> ArticleText:
    return ArticleText(article_id, fetched_at=datetime.now(UTC), error=error)


def cards(app: AppTest) -> list[Block]:
    """The cards on the page, in order (each a container keyed ``article_<id>``)."""
    return [
        block
        for block in app.main.get("flex_container")
        if isinstance(block, Block) and (block.key or "").startswith("article_")
    ]


def card_of(app: AppTest, article_id: int) -> Block:
    [card] = [block for block in cards(app) if block.key == f"article_{article_id}"]
    return card


def text_expanders(app: AppTest) -> list[str]:
    return [e.label for e in app.expander if e.label.startswith("Article text")]


def test_a_card_shows_its_page_text_escaped_and_never_its_html(board: Board) -> None:  # noqa: F811
    cve = board.ids[CVE]
    html = "<p>The patch landed.</p><p><b>ONLY IN THE HTML</b></p>"
    save_texts(board, read_text(cve, HOSTILE_TEXT, html))
    app = run_app()
    [expander] = [e for e in card_of(app, cve).expander if e.label.startswith("Article text")]
    assert expander.label == "Article text · 10 words"
    [markdown] = [m.value for m in expander.markdown]
    assert markdown == (
        "The patch landed\\.\n\n"
        "\\<script\\>alert\\(1\\)\\</script\\> \\[click\\]\\(javascript\\:alert\\(1\\)\\)"
        " \\!\\[x\\]\\(http\\://evil\\.test/p\\.png\\)\n\n"
        "\\# Not a heading"
    )
    everything = "\n".join(shown(app))
    assert "The patch landed." in everything and "ONLY IN THE HTML" not in everything
    assert text_expanders(app) == ["Article text · 10 words"], "only the card with a text"


def test_a_long_text_says_its_minutes_of_reading(board: Board) -> None:  # noqa: F811
    paragraph = " ".join(["word"] * 100)
    save_texts(board, read_text(board.ids[CVE], "\n\n".join([paragraph] * 8)))
    assert text_expanders(run_app()) == ["Article text · 4 min read"]


def test_a_very_long_text_shows_its_first_paragraphs_and_counts_the_rest(board: Board) -> None:  # noqa: F811
    cve = board.ids[CVE]
    paragraph = " ".join(["patch"] * 199) + " end."
    save_texts(board, read_text(cve, "\n\n".join([paragraph] * 30)))  # 6,000 words
    [expander] = [e for e in card_of(run_app(), cve).expander if e.label.startswith("Article")]
    shown, rest = [m.value for m in expander.markdown]
    assert shown.count("end\\.") == 16, "whole paragraphs, up to 20,000 characters"
    assert rest == "_… 2800 words more on the article's page._"


def test_a_huge_second_paragraph_is_cut_at_a_word_not_left_out() -> None:
    text = "Intro.\n\n" + " ".join(["word"] * 20_000)
    shown, left_out = view.text_shown(text)
    assert len(shown) > view.TEXT_SHOWN // 2 and shown.startswith("Intro.\n\nword word")
    assert left_out == len(text.split()) - len(shown.split())


def test_reading_length_in_each_language() -> None:
    short, long = "one two three", " ".join(["w"] * 1000)
    said = {
        code: (view.reading_length(short, w), view.reading_length(long, w))
        for code, w in BOARD_LANGUAGES.items()
    }
    assert said == {
        "en": ("3 words", "5 min read"),
        "fr": ("3 mots", "5 min de lecture"),
        "de": ("3 Wörter", "5 Min. Lesezeit"),
    }
    assert view.reading_length("one", ENGLISH) == "1 word"
    assert BOARD_LANGUAGES["fr"].say("text_words", count=1) == "1 mot"


def test_a_page_not_read_says_why_in_place_of_the_text(board: Board) -> None:  # noqa: F811
    k8s = board.ids[K8S]
    save_texts(board, not_read(k8s, "HTTP 403 Forbidden"))
    app = run_app()
    card = card_of(app, k8s)
    assert "Page not read: HTTP 403 Forbidden" in [c.value for c in card.caption]
    assert text_expanders(app) == []


def test_a_failed_read_again_keeps_the_text_read_before(board: Board) -> None:  # noqa: F811
    k8s = board.ids[K8S]
    save_texts(board, read_text(k8s, "Kubernetes 1.40 drops the old scheduler."))
    save_texts(board, not_read(k8s, "HTTP 503 Service Unavailable"))
    card = card_of(run_app(), k8s)
    assert [e.label for e in card.expander if e.label.startswith("Article text")] == [
        "Article text · 6 words"
    ]
    assert not [c.value for c in card.caption if "Page not read" in c.value]


def test_a_page_no_longer_than_the_feeds_summary_says_nothing(board: Board) -> None:  # noqa: F811
    k8s = board.ids[K8S]
    save_texts(board, not_read(k8s, NO_MORE_THAN_SUMMARY))
    card = card_of(run_app(), k8s)
    assert not [c.value for c in card.caption if "Page not read" in c.value]
    assert text_expanders(run_app()) == []


def test_a_page_not_read_on_a_french_board_keeps_the_error_as_stored(board: Board) -> None:  # noqa: F811
    k8s = board.ids[K8S]
    save_texts(board, not_read(k8s, "HTTP 403 Forbidden <b>[x](javascript:1)</b>"))
    speak(board, "board:\n  language: fr\n")
    captions = [c.value for c in card_of(run_app(), k8s).caption]
    error = view.escape_markdown("HTTP 403 Forbidden <b>[x](javascript:1)</b>")
    assert f"Page non lue\u202f: {error}" in captions


def test_a_card_without_summary_shows_the_start_of_its_text(board: Board) -> None:  # noqa: F811
    store = board.open()
    bare = replace(
        make_article("blog", "Release notes without teaser", datetime.now(UTC), 50),
        summary_html="",
        summary_text="",
    )
    untold = replace(
        make_article("blog", "Another one without teaser", datetime.now(UTC), 51),
        summary_html="",
        summary_text="",
    )
    store.upsert_articles([bare, untold])
    ids = {a.title: a.id for a in store.iter_articles()}
    store.update_classification(
        [ClassificationUpdate(ids[t], [], 95.0, {}, [], None) for t in (bare.title, untold.title)]
    )
    store.close()
    long_paragraph = "Version 3 brings " + "faster builds and smaller images " * 20
    save_texts(board, read_text(ids[bare.title], f"{long_paragraph}\n\nSecond paragraph."))
    app = run_app()
    [why] = [e for e in card_of(app, ids[bare.title]).expander if e.label.startswith("Why")]
    summary = why.markdown[-1].value
    assert summary.startswith("Version 3 brings faster builds and smaller images")
    assert summary.endswith("…") and len(summary) < 400 and "Second" not in summary
    [other] = [e for e in card_of(app, ids[untold.title]).expander if e.label.startswith("Why")]
    assert other.markdown[-1].value == "_No summary._"


def test_the_texts_of_the_cards_on_screen_are_read_in_one_query(
    board: Board,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    save_texts(board, read_text(board.ids[CVE], "The patch landed."))
    calls: list[list[int]] = []
    original = TextMethods.article_texts

    def counted(
        self: TextMethods, ids: Sequence[int], *, html: bool = True
    ) -> dict[int, ArticleText]:
        calls.append(sorted(ids))
        return original(self, ids, html=html)

    monkeypatch.setattr(TextMethods, "article_texts", counted)
    app = run_app()
    on_screen = sorted(int((b.key or "").removeprefix("article_")) for b in cards(app))
    assert len(on_screen) == 6 and board.ids[CVE] in on_screen
    assert calls == [on_screen]
    assert text_expanders(app) == ["Article text · 3 words"]


def test_the_linked_article_shows_its_text(board: Board) -> None:  # noqa: F811
    copy = board.ids["LLM model release discussed"]
    save_texts(board, read_text(copy, "The model is open.\n\nIts weights are published."))
    app = run_linked(str(copy))
    [expander] = [e for e in app.expander if e.label.startswith("Article text")]
    assert expander.label == "Article text · 8 words"
    assert [m.value for m in expander.markdown] == [
        "The model is open\\.\n\nIts weights are published\\."
    ]


def test_paragraphs_are_escaped_one_by_one_and_blank_ones_dropped() -> None:
    text = "First  line\n\n\n\n## Second\n\n  \n\n* third"
    assert view.paragraphs_markdown(text) == "First line\n\n\\#\\# Second\n\n\\* third"
