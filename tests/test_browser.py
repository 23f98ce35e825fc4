"""The board in a real browser: Debian chromium driven by playwright against ``streamlit run``.

The board is started with ``watch.board.launch_board`` (the CLI's launcher) on a free port of
127.0.0.1, on a store filled as in test_dashboard.  The test searches, clicks 👍, checks the
database, checks that a hostile title stays inert, and saves a screenshot in the test's tmp
dir — and as the one the README shows (docs/screenshot.png) when WATCH_UPDATE_SCREENSHOT=1 is
set, so that a test run leaves the checkout as it found it; on a phone's width, a French board
(``board: language: fr``) shows its French labels and a card's actions still take two rows.
Skips without chromium, except on CI.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import in_ci
from tests.test_dashboard import SOURCES_YAML, fill_store
from watch.board import free_port, launch_board, wait_until_ready

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "screenshot.png"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextmanager
def browsing(width: int = 1400, height: int = 1000) -> Iterator[Page]:
    """A new page of chromium at that viewport (the test goes where it wants); closed after."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


@pytest.fixture
def board_url(
    tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[str, str, dict[str, int]]]:
    """A running board on a filled store: (board URL, database URL, title -> id); in the
    language a test gives it (``indirect`` parametrization), else English."""
    if not CHROMIUM.exists():
        if in_ci():
            pytest.fail("CI=true but /usr/bin/chromium is missing (apt-get install -y chromium)")
        pytest.skip("Debian chromium is not installed")
    config_path = tmp_path / "sources.yaml"
    language = getattr(request, "param", None)
    board = f"board:\n  language: {language}\n" if language else ""
    config_path.write_text(SOURCES_YAML + board, encoding="utf-8")
    db_url = f"sqlite:///{tmp_path / 'watch.db'}"
    ids = fill_store(db_url, datetime.now(UTC))
    port = free_port()
    process = launch_board(config_path, db_url, port=port, open_browser=False)
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until_ready(process, url, timeout=60), "the board did not start"
        yield url, db_url, ids
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except Exception:
            process.kill()
            process.wait(timeout=15)


def test_board_in_chromium_search_vote_and_screenshot(
    board_url: tuple[str, str, dict[str, int]], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    url, db_url, ids = board_url
    target = ids["Critical CVE in OpenSSL patched"]
    dialogs: list[str] = []
    with browsing() as page:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url)
        expect(page.get_by_role("link", name="New LLM model beats benchmarks")).to_be_visible(
            timeout=30_000
        )
        expect(page.locator(f".st-key-up_{target} button").first).to_be_visible()
        expect(page.get_by_label("Search", exact=True)).to_be_visible()

        # the hostile title is shown as text, never as a link, script or image
        hostile = page.get_by_role(
            "heading", name="<script>alert(1)</script> [click](javascript:alert(1))"
        )
        expect(hostile).to_be_visible()
        assert page.locator("a[href^='javascript']").count() == 0
        assert page.locator("img[src*='evil.test']").count() == 0

        page.screenshot(path=str(tmp_path / "board.png"), full_page=True)
        if os.environ.get("WATCH_UPDATE_SCREENSHOT") == "1":
            shutil.copyfile(tmp_path / "board.png", SCREENSHOT)

        search = page.get_by_label("Search", exact=True)
        search.fill("OpenSSL")
        search.press("Enter")
        expect(page.get_by_role("link", name="New LLM model beats benchmarks")).to_have_count(
            0, timeout=15_000
        )
        # while Streamlit reruns, the old copy of a row can still be in the page next to the new
        expect(
            page.get_by_role("link", name="Critical CVE in OpenSSL patched").first
        ).to_be_visible()

        thumbs_up = page.locator(f".st-key-up_{target} button").first  # (a hidden copy follows)
        thumbs_up.click()
        expect(thumbs_up).to_contain_text("Liked", timeout=15_000)

    from watch.store import open_store

    store = open_store(db_url)
    assert [(f.article_id, f.kind) for f in store.list_feedback()] == [(target, "up")]
    store.close()
    assert dialogs == []
    assert SCREENSHOT.stat().st_size > 10_000


@pytest.mark.parametrize("board_url", ["fr"], indirect=True)
def test_article_actions_fit_a_phone_screen(board_url: tuple[str, str, dict[str, int]]) -> None:
    """At 390 px wide (a phone), a card's actions wrap side by side instead of stacking one
    per row: the four buttons take at most two rows, in French (longer words than English)."""
    from playwright.sync_api import expect

    url, _, ids = board_url
    target = ids["Critical CVE in OpenSSL patched"]
    with browsing(390, 844) as page:
        page.goto(url)
        card = page.locator(f".st-key-article_{target}").first
        expect(card.locator(f".st-key-notabout_{target} summary")).to_be_visible(timeout=30_000)
        expect(card.locator(f".st-key-read_{target} button:visible")).to_contain_text("Marquer lu")
        names = ("read", "star", "up", "down")
        boxes = [
            # :visible: a button with a help tooltip is drawn twice, one copy hidden
            card.locator(f".st-key-{name}_{target} button:visible").first.bounding_box()
            for name in names
        ]
    middles = sorted(box["y"] + box["height"] / 2 for box in boxes if box)
    rows = 1 + sum(1 for a, b in zip(middles, middles[1:], strict=False) if b - a > 20)
    assert len(middles) == len(names) and rows <= 2, f"the actions take {rows} rows on a phone"


def test_a_board_address_opens_that_article_first(
    board_url: tuple[str, str, dict[str, int]],
) -> None:
    """``/?article=<id>``, the digest's "On the board" link: that article's card comes first
    (here a story's second copy, which the list hides), then "Show all articles" is the list."""
    from playwright.sync_api import expect

    url, _, ids = board_url
    copy = ids["LLM model release discussed"]
    with browsing() as page:
        page.goto(f"{url}/?article={copy}")
        first_card = page.locator("[class*='st-key-article_']").first
        expect(first_card).to_have_class(re.compile(rf"\bst-key-article_{copy}\b"), timeout=30_000)
        expect(first_card.get_by_role("link", name="LLM model release discussed")).to_be_visible()
        expect(page.get_by_role("heading", name="Also covered by 1 source")).to_be_visible()
        page.get_by_role("button", name="Show all articles").click()
        expect(page.get_by_role("link", name="Critical CVE in OpenSSL patched")).to_be_visible(
            timeout=15_000
        )
        assert "article=" not in page.url


def test_the_board_by_keyboard_alone(board_url: tuple[str, str, dict[str, int]]) -> None:
    """Session 12 audit: "Not about …" was 202 Tab presses away from "Topics…" (a popover
    drawn at the end of the page), Like and Dislike sent the focus back to the top of the
    page, the focus ring read at 2.2:1 and every tab was titled "watch"."""
    from playwright.sync_api import expect

    url, _, ids = board_url
    first, target = ids["New LLM model beats benchmarks"], ids["Critical CVE in OpenSSL patched"]
    with browsing() as page:
        page.goto(url)
        expect(page).to_have_title("Board – Team watch", timeout=30_000)
        focused = page.locator(":focus")
        page.locator(f".st-key-notabout_{first} summary").first.focus()
        page.keyboard.press("Enter")
        expect(page.locator(f".st-key-not_ai_{first} button").first).to_be_visible()
        page.keyboard.press("Tab")  # the expander's content follows it
        expect(focused).to_contain_text("Not about Artificial intelligence")
        ring = focused.evaluate("e => getComputedStyle(e).outlineWidth")
        assert ring == "3px", ring

        card = page.locator(f".st-key-article_{target}").first
        card.locator(f".st-key-up_{target} button:visible").focus()
        page.keyboard.press("Enter")
        expect(focused).to_contain_text("Liked", timeout=15_000)
        page.keyboard.press("Tab")  # to Dislike: the story falls to the bottom of the list
        page.keyboard.press("Enter")
        expect(focused).to_contain_text("Disliked", timeout=15_000)
        owner = f"xpath=ancestor::*[contains(@class, 'st-key-down_{target}')]"
        expect(focused.locator(owner)).to_have_count(1)


def test_mark_read_and_mark_all_by_keyboard(board_url: tuple[str, str, dict[str, int]]) -> None:
    """Session 12 audit: "Mark read" took its card away and sent the focus to the top of the
    page; the "Yes" of "Mark all N matching as read" was far down the tab order.  Now the
    focus goes to the next card's title, and the question is a dialog: "Yes" two Tab presses
    away, Escape forgets it (it does not come back at the next rerun), the toast says it."""
    from playwright.sync_api import expect

    url, db_url, ids = board_url
    first, second = ids["New LLM model beats benchmarks"], ids["Critical CVE in OpenSSL patched"]
    with browsing() as page:
        page.goto(url)
        expect(page).to_have_title("Board – Team watch", timeout=30_000)
        focused, dialog = page.locator(":focus"), page.get_by_role("dialog")
        page.locator(f".st-key-read_{first} button:visible").focus()
        page.keyboard.press("Enter")
        expect(focused).to_have_text("Critical CVE in OpenSSL patched", timeout=15_000)
        owner = f"xpath=ancestor::*[contains(@class, 'st-key-article_{second}')]"
        expect(focused.locator(owner)).to_have_count(1)

        mark_all = page.locator(".st-key-mark_all_read button").first
        mark_all.focus()
        page.keyboard.press("Enter")
        expect(dialog.get_by_role("button", name="Yes, mark 5 read")).to_be_visible()
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
        expect(focused).to_contain_text("Mark all 5 matching as read")
        page.locator(f".st-key-star_{second} button:visible").click()  # a rerun
        expect(page.locator(f".st-key-star_{second} button:visible")).to_contain_text("Unstar")
        expect(dialog).to_have_count(0)

        mark_all.focus()
        page.keyboard.press("Enter")
        expect(dialog.get_by_role("button", name="Yes, mark 5 read")).to_be_visible()
        page.keyboard.press("Tab")  # the dialog's ✕, then "Yes"
        page.keyboard.press("Tab")
        expect(focused).to_have_text("Yes, mark 5 read")
        page.keyboard.press("Enter")
        expect(page.get_by_text("5 articles marked read")).to_be_visible(timeout=15_000)
        expect(focused).to_contain_text("0 articles match")

    from watch.store import open_store
    from watch.store.base import ArticleQuery

    store = open_store(db_url)
    assert store.query_articles(ArticleQuery(read=False, limit=100)) == []
    store.close()
