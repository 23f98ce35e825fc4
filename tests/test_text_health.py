"""How a ``full_text:`` source's article pages go (``watch.text_health``): told by `watch
status` (table, JSON, ``--problems``) and the board's Sources page, in English, French and
German; a source whose pages mostly fail is flagged with what to do, its feed's status kept.

A site refusing its pages is served by a local server and fetched by `watch fetch`; the other
failures are written to the store as the full-text stage writes them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.support.servers import LocalServer
from tests.test_board_no_english import english_left
from tests.test_board_words import NNBSP
from tests.test_dashboard import SOURCES_YAML, Board, board_on, make_article, run_app, table_of
from tests.test_full_text import BODY, HTML, article_page, feed
from tests.test_store_contract import make_article as contract_article
from watch.advice_words import english
from watch.article_text import NO_MORE_THAN_SUMMARY, NO_TEXT
from watch.cli import main
from watch.full_text import ROBOTS_REFUSAL
from watch.models import ArticleText
from watch.store import open_store
from watch.store.base import TextCounts
from watch.text_health import page_health, pages_advice

REFUSED = "its site refuses page reads (HTTP 403): give full_text a try later or turn it off"


@pytest.mark.parametrize(
    ("counts", "advice"),
    [
        (TextCounts(0, 3, error="HTTP 403 Forbidden"), REFUSED),
        (TextCounts(1, 4, error="HTTP 401 Unauthorized"), REFUSED.replace("403", "401")),
        (
            TextCounts(0, 5, error=ROBOTS_REFUSAL),
            "its robots.txt disallows reading its pages: turn full_text off",
        ),
        (
            TextCounts(0, 5, error="full_text 'div.post' matched nothing on the page"),
            "full_text's selector matches nothing on its pages: the site may have changed;"
            " check it",
        ),
        (
            TextCounts(2, 5, error=NO_TEXT),
            'no article text found on its pages: try a CSS selector (full_text: "article")',
        ),
        (
            TextCounts(0, 4, error=NO_MORE_THAN_SUMMARY),
            "its pages give no more text than its feed: turn full_text off",
        ),
        (TextCounts(0, 4, error="HTTP 500 Internal Server Error"), None),  # the site's trouble
        (TextCounts(0, 2, error=NO_TEXT), None),  # too few pages tried to judge
        (TextCounts(0, 2, error="HTTP 404 Not Found"), None),
        # the site said no: flagged at the first page (a blog posting twice a week)
        (TextCounts(0, 1, error="HTTP 403 Forbidden"), REFUSED),
        (TextCounts(1, 2, error="HTTP 401 Unauthorized"), REFUSED.replace("403", "401")),
        (
            TextCounts(0, 1, error=ROBOTS_REFUSAL),
            "its robots.txt disallows reading its pages: turn full_text off",
        ),
        (TextCounts(1, 1, error=ROBOTS_REFUSAL), None),  # half of them read
        (TextCounts(2, 2, error="HTTP 403 Forbidden"), None),  # half of them read
        (TextCounts(0, 0, waiting=9), None),
    ],
)
def test_a_source_whose_pages_mostly_fail_is_told_what_to_do_about_its_failure(
    counts: TextCounts, advice: str | None
) -> None:
    assert english(pages_advice(counts)) == advice


@pytest.mark.parametrize(
    ("waiting", "said"),
    [
        (180, "0 read, 0 failed, 180 waiting (≈ 9 passes at 20 per pass)"),
        (41, "0 read, 0 failed, 41 waiting (≈ 3 passes at 20 per pass)"),
        (20, "0 read, 0 failed, 20 waiting"),  # read at the next pass
    ],
)
def test_the_pages_waiting_say_how_many_passes_they_need(waiting: int, said: str) -> None:
    assert page_health(TextCounts(waiting=waiting)).counts() == said


@pytest.fixture
def refusing(tmp_path: Path, local_server: LocalServer) -> Path:
    """A site whose feed works but that refuses 3 of its 4 article pages; a source without
    ``full_text:`` beside it."""
    paths = [f"/post/{n}" for n in range(4)]
    local_server.route("/feed", feed([local_server.url(p) for p in paths]), headers=HTML)
    local_server.route("/post/0", article_page(BODY), headers=HTML)
    for path in paths[1:]:
        local_server.route(path, "no robots here", status=403)
    local_server.route("/plain", feed([local_server.url("/elsewhere")]), headers=HTML)
    path = tmp_path / "sources.yaml"
    path.write_text(
        f'fetch:\n  allow_private: ["{local_server.allow}"]\n  timeout: 10\nsources:\n'
        f"  - {{name: wall, url: '{local_server.url('/feed')}', every: 1h, full_text: true}}\n"
        f"  - {{name: plain, url: '{local_server.url('/plain')}', every: 1h}}\n",
        encoding="utf-8",
    )
    assert main(["fetch", "-c", str(path)]) == 0
    return path


def test_watch_status_says_how_the_pages_went_and_flags_a_site_refusing_them(
    refusing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["status", "-c", str(refusing)]) == 0
    lines = capsys.readouterr().out.splitlines()
    wall = next(line for line in lines if line.startswith("wall "))
    assert wall.split()[1] == "ok", "the feed's status stays the feed's"
    assert wall.endswith(
        f"warning: article pages: 1 read, 3 failed (HTTP 403 Forbidden); {REFUSED}"
    ), wall
    header = lines.index("article pages (full_text:), of the articles of the last 7 days:")
    assert lines[header + 1 : header + 3] == [
        f"  wall: 1 read, 3 failed (HTTP 403 Forbidden); {REFUSED}",
        "",
    ], lines

    assert main(["status", "-c", str(refusing), "--format", "json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["wall"]["status"] == "ok"
    assert rows["wall"]["full_text"] == {
        "days": 7,
        "read": 1,
        "failed": 3,
        "waiting": 0,
        "error": "HTTP 403 Forbidden",
        "failing": True,
        "advice": REFUSED,
    }
    assert rows["plain"]["full_text"] is None and rows["plain"]["problem"] is None


def test_watch_status_problems_lists_the_source_as_a_warning(
    refusing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["status", "-c", str(refusing), "--problems"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in table[1:2]] == ["wall"]
    assert "plain" not in "\n".join(table)


def test_pages_that_mostly_give_text_are_told_without_a_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Counted over the articles of the last 7 days: an older failure is forgotten."""
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n  - {name: docs, url: 'https://docs.example/feed', full_text: 'div.body'}\n",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'watch.db'}"
    now = datetime.now(UTC)
    store = open_store(url)
    ids = store.upsert_articles(
        [contract_article(n, "docs", fetched_at=now - timedelta(days=1)) for n in range(4)]
        + [contract_article(9, "docs", fetched_at=now - timedelta(days=8))]
    ).new_ids
    store.save_article_texts(
        [ArticleText(i, "<p>Text</p>", "Text", now) for i in ids[:2]]
        + [ArticleText(ids[2], fetched_at=now, error="HTTP 404 Not Found")]
        + [ArticleText(ids[4], fetched_at=now, error="HTTP 403 Forbidden")]
    )
    store.close()
    assert main(["status", "-c", str(path), "--db", url, "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["full_text"] == {
        "days": 7,
        "read": 2,
        "failed": 1,
        "waiting": 1,
        "error": "HTTP 404 Not Found",
        "failing": False,
        "advice": None,
    }
    assert main(["status", "-c", str(path), "--db", url]) == 0
    out = capsys.readouterr().out
    assert "  docs: 2 read, 1 failed, 1 waiting (HTTP 404 Not Found)" in out
    assert "warning" not in out


# -- the board's Sources page ------------------------------------------------------------


@pytest.fixture
def pages_board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Board]:
    """test_dashboard's board with full_text: on hn, whose site refuses its 3 pages, and on
    lwn, whose robots.txt disallows 2 of its 3."""
    yaml = SOURCES_YAML.replace("every: 1h\n", "every: 1h\n    full_text: true\n", 1)
    yaml = yaml.replace("every: 15m\n", "every: 15m\n    full_text: true\n")
    for board in board_on(tmp_path, monkeypatch, yaml):
        store = board.open()
        now = datetime.now(UTC)
        store.upsert_articles([make_article("lwn", "Rust in the kernel", now, 99)])
        by_source: dict[str, list[int]] = {}
        for article in store.iter_articles():
            by_source.setdefault(article.source, []).append(article.id)
        lwn, hn = by_source["lwn"], by_source["hn"]
        store.save_article_texts(
            [ArticleText(i, fetched_at=now, error="HTTP 403 Forbidden") for i in hn]
            + [ArticleText(lwn[0], "<p>Text</p>", "Text", now)]
            + [ArticleText(i, fetched_at=now, error=ROBOTS_REFUSAL) for i in lwn[1:]]
        )
        store.close()
        yield board


def sources_page(board: Board, settings: str = "") -> AppTest:
    """The Sources page, the board's sources.yaml given ``settings`` (its language)."""
    text = board.config_path.read_text(encoding="utf-8")
    board.config_path.write_text(text + settings, encoding="utf-8")
    st.cache_data.clear()
    st.cache_resource.clear()  # the config is read once per process
    return run_app("app_pages/sources.py")


EXPECTED = {
    "en": (
        "Article pages",
        ("0 read, 3 failed (HTTP 403 Forbidden)", "1 read, 2 failed (robots.txt disallows it)"),
        "**hn**: article pages of the last 7 days: 0 read, 3 failed (HTTP 403 Forbidden)  \n"
        f"What to do: {REFUSED}",
        "**lwn**: article pages of the last 7 days: 1 read, 2 failed (robots.txt disallows it)  \n"
        "What to do: its robots.txt disallows reading its pages: turn full_text off",
    ),
    "fr": (
        "Pages des articles",
        ("0 lue, 3 en échec (HTTP 403 Forbidden)", "1 lue, 2 en échec (robots.txt l’interdit)"),
        f"**hn**{NNBSP}: pages des articles des 7 derniers jours{NNBSP}: 0 lue, 3 en échec (HTTP"
        f" 403 Forbidden)  \nQue faire{NNBSP}: son site refuse la lecture de ses pages (HTTP"
        f" 403){NNBSP}: réessayer `full_text:` plus tard ou le retirer",
        f"**lwn**{NNBSP}: pages des articles des 7 derniers jours{NNBSP}: 1 lue, 2 en échec"
        f" (robots.txt l’interdit)  \nQue faire{NNBSP}: son robots.txt interdit de lire ses"
        f" pages{NNBSP}: retirer `full_text:`",
    ),
    "de": (
        "Artikelseiten",
        (
            "0 gelesen, 3 fehlgeschlagen (HTTP 403 Forbidden)",
            "1 gelesen, 2 fehlgeschlagen (robots.txt verbietet es)",
        ),
        "**hn**: Artikelseiten der letzten 7 Tage: 0 gelesen, 3 fehlgeschlagen (HTTP 403"
        " Forbidden)  \nWas tun: ihre Website verweigert das Lesen ihrer Seiten (HTTP 403):"
        " `full_text:` später erneut versuchen oder entfernen",
        "**lwn**: Artikelseiten der letzten 7 Tage: 1 gelesen, 2 fehlgeschlagen (robots.txt"
        " verbietet es)  \nWas tun: ihre robots.txt verbietet das Lesen ihrer Seiten:"
        " `full_text:` entfernen",
    ),
}


@pytest.mark.parametrize("code", ["en", "fr", "de"])
def test_the_sources_page_shows_the_pages_and_flags_the_sources_in_its_language(
    pages_board: Board, code: str
) -> None:
    app = sources_page(pages_board, f"board:\n  language: {code}\n" if code != "en" else "")
    column, cells, hn_box, lwn_box = EXPECTED[code]
    table = table_of(app)
    pages = dict(zip(table.iloc[:, 0], table[column], strict=True))
    assert (pages["hn"], pages["lwn"]) == cells
    assert pages["blog"] == pages["vendor-news"] == "–"
    boxes = [re.sub(r"\\(.)", r"\1", box.value) for box in app.warning]  # escapes taken off
    assert hn_box in boxes and lwn_box in boxes, boxes
    status = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
    assert status["lwn"].startswith(":green-badge["), "the feed's status stays the feed's"
    if code != "en":
        assert english_left(app, code) == {}


def test_the_sources_page_has_no_pages_column_without_full_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for board in board_on(tmp_path, monkeypatch, SOURCES_YAML):
        app = sources_page(board)
        assert "Article pages" not in table_of(app).columns
