"""The board's keyboard shortcuts (``dashboard.shortcuts``): j/k, o, m, s, / and ?.

AppTest checks the list the sidebar shows, in each language, and that only the board has it;
chromium (``test_browser``'s board and browser) presses the keys on one page load: j and k move
the focus from card title to card title, s and m click the card's own buttons (the store says
so), o opens the article in a new tab (its address answered locally: nothing leaves the
machine), ? opens the list, / goes to the search box where j is typed as a j, and keys held
with Alt or pressed on another page are left alone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import shortcuts
from dashboard.words import BOARD_LANGUAGES, ENGLISH
from tests.test_board_words import lang_board, speak  # noqa: F401 -- the fixture
from tests.test_browser import board_url, browsing  # noqa: F401 -- the fixture
from tests.test_dashboard import APP, Board, run_app
from watch.store import open_store
from watch.store.base import ArticleQuery

if TYPE_CHECKING:
    from playwright.sync_api import Page


def shortcut_lists(app: AppTest) -> list[tuple[str, str]]:
    """Each expander of the sidebar labelled as the shortcuts' list: (label, its text)."""
    labels = {words.say("shortcuts") for words in BOARD_LANGUAGES.values()}
    found = [e for e in app.sidebar.expander if e.label in labels]
    return [(e.label, "\n".join(m.value for m in e.markdown)) for e in found]


def listeners(app: AppTest) -> int:
    return sum(1 for h in app.get("html") if h.proto.body == shortcuts.LISTENER)


@pytest.mark.parametrize("code", ["en", "fr", "de"])
def test_the_sidebar_lists_the_keys_in_the_boards_language(
    lang_board: Board,  # noqa: F811
    code: str,
) -> None:
    speak(lang_board, f"board:\n  language: {code}\n")
    words = BOARD_LANGUAGES[code]
    app = run_app()
    assert shortcut_lists(app) == [(words.say("shortcuts"), shortcuts.help_lines(words))]
    keyboard = {"en": "Keyboard: ", "fr": "Clavier\u202f: ", "de": "Tastatur: "}[code]
    assert shortcut_lists(app)[0][0].startswith(keyboard)
    assert listeners(app) == 1
    app.run()  # a rerun sends the same listener, once (the browser keeps the one it has)
    assert listeners(app) == 1


def test_the_list_in_english_names_every_key_the_listener_acts_on() -> None:
    assert ENGLISH.say("shortcuts") == "Keyboard: `j`/`k`, `o`, `m`, `s`, `/` — `?`"
    lines = shortcuts.help_lines(ENGLISH)
    for key in ("`j` / `k`", "`o`", "`m`", "`s`", "`/`", "`?`"):
        assert f"- {key}: " in lines
    acted_on = re.search(r"const actions = \{(.*?)\};", shortcuts.LISTENER, re.S)
    assert acted_on and re.findall(r"(\w|'.')\s*:", acted_on[1]) == [*"jkoms", "'/'", "'?'"]


def test_an_article_linked_from_the_digest_has_the_keys_too(lang_board: Board) -> None:  # noqa: F811
    speak(lang_board, "")
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.query_params["article"] = str(lang_board.ids["Critical CVE in OpenSSL patched"])
    app.run()
    assert not app.exception
    assert app.button(key="linked_show_all")
    assert len(shortcut_lists(app)) == 1 and listeners(app) == 1


@pytest.mark.parametrize("page", ["app_pages/sources.py", "app_pages/trends.py"])
def test_other_pages_have_no_keys(lang_board: Board, page: str) -> None:  # noqa: F811
    speak(lang_board, "")
    app = run_app(page)
    assert shortcut_lists(app) == [] and listeners(app) == 0


def shortcut_listeners(page: Page) -> int:
    """How many of the document's keydown listeners are the shortcuts' (chromium's DevTools
    protocol lists them, each with its function's source)."""
    devtools = page.context.new_cdp_session(page)
    document = devtools.send(
        "Runtime.evaluate", {"expression": "document", "objectGroup": "shortcuts"}
    )["result"]
    found = devtools.send("DOMDebugger.getEventListeners", {"objectId": document["objectId"]})
    handlers = [e["handler"].get("description", "") for e in found["listeners"]]
    return sum(1 for h in handlers if "actions[event.key]" in h)


@pytest.mark.browser
def test_the_board_by_its_keyboard_shortcuts(board_url: tuple[str, str, dict[str, int]]) -> None:  # noqa: F811
    from playwright.sync_api import expect

    url, db_url, ids = board_url
    first, second = ids["New LLM model beats benchmarks"], ids["Critical CVE in OpenSSL patched"]
    with browsing() as page:
        local = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")
        page.context.route(local, lambda route: route.fulfill(body="the article"))
        page.goto(url)
        focused = page.locator(":focus")
        title = page.get_by_role("link", name="New LLM model beats benchmarks")
        star = page.locator(f".st-key-star_{first} button:visible")
        expect(star).to_be_visible(timeout=30_000)  # a button is drawn once its code is loaded
        page.evaluate(  # what the page's own listener left for the browser to do
            "document.addEventListener('keydown', (e) => { window.keptDefault = !e.defaultPrevented; })"
        )

        page.keyboard.press("Alt+j")
        assert page.evaluate("window.keptDefault") and focused.count() == 0
        page.keyboard.press("j")
        expect(focused).to_have_text("New LLM model beats benchmarks")
        assert focused.evaluate("e => e.matches(':focus-visible') && e.closest('h2') !== null")
        page.keyboard.press("j")
        expect(focused).to_have_text("Critical CVE in OpenSSL patched")
        page.keyboard.press("k")
        expect(focused).to_have_text("New LLM model beats benchmarks")

        page.keyboard.press("s")
        expect(star).to_contain_text("Unstar", timeout=15_000)
        expect(focused).to_have_text("New LLM model beats benchmarks")  # still the current one

        with page.context.expect_page() as opened:
            page.keyboard.press("o")
        assert opened.value.url == title.get_attribute("href")
        opened.value.close()

        page.keyboard.press("m")  # it leaves the unread list; the next card is the current one
        expect(title).to_have_count(0, timeout=15_000)
        expect(focused).to_have_text("Critical CVE in OpenSSL patched")
        page.keyboard.press("j")  # one listener after the reruns: one card further, not two
        expect(focused).to_have_text("Kubernetes 2.0 scheduling changes")

        help_line = page.get_by_text("next / previous article")
        expect(help_line).to_be_hidden()
        page.keyboard.press("?")
        expect(help_line).to_be_visible()
        page.keyboard.press("?")
        expect(help_line).to_be_hidden()

        page.get_by_role("link", name="Sources").first.click()  # another page: keys left alone
        expect(page).to_have_title(re.compile("^Sources"), timeout=30_000)
        for key in ("j", "?", "/"):
            page.keyboard.press(key)
            assert page.evaluate("window.keptDefault"), key
        page.get_by_role("link", name="Board").first.click()  # its listener sent again
        expect(page).to_have_title(re.compile("^Board"), timeout=30_000)
        expect(page.locator(".st-key-board_shortcuts_help summary")).to_be_visible()
        page.keyboard.press("j")  # no card had the focus: the first one
        expect(focused).to_have_text("Critical CVE in OpenSSL patched")
        assert shortcut_listeners(page) == 1, "one listener, whatever the reruns and page switches"

        page.keyboard.press("/")
        search = page.get_by_label("Search", exact=True)
        expect(search).to_be_focused()
        page.keyboard.type("j")
        expect(search).to_have_value("j")
        expect(search).to_be_focused()

    store = open_store(db_url)
    starred = store.query_articles(ArticleQuery(starred=True, limit=10))
    unread = {a.id for a in store.query_articles(ArticleQuery(read=False, limit=100))}
    store.close()
    assert [a.id for a in starred] == [first]
    assert first not in unread and second in unread
