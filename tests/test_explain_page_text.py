"""What `watch explain`, the board and the digest say of an article whose page was read
(``full_text:``): a keyword found in the page's text is "in text", not "in summary", and
`watch explain` says how the page went (read, not read and why, waiting).

Feeds and pages come from a local server; the database is a real SQLite file."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dashboard import view
from dashboard.words import BOARD_LANGUAGES
from tests.support.servers import LocalServer
from tests.test_digest import typeset
from tests.test_full_text import BODY, HTML, article_page, serve_feed
from watch.cli import main
from watch.digest_lang import ENGLISH, FRENCH, GERMAN
from watch.digest_words import why_line
from watch.models import ArticleText
from watch.store import open_store

NOTICE = "Le CERT-FR a publié un avis sur cette faille et recommande la mise à jour."
LABELS = {"security": "Security"}


def write_config(server: LocalServer, path: Path, full_text: bool) -> None:
    path.write_text(
        "topics:\n  - {name: security, keywords: [CERT-FR]}\n"
        f'fetch:\n  allow_private: ["{server.allow}"]\n  timeout: 10\n'
        f"sources:\n  - {{name: blog, url: '{server.url('/feed')}', every: 1h,"
        f" full_text: {str(full_text).lower()}}}\n",
        encoding="utf-8",
    )


class Watch:
    """The `watch` command line on a config and a database in a temporary directory."""

    def __init__(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.config = tmp_path / "sources.yaml"
        self.db = tmp_path / "watch.db"
        self.capsys = capsys

    def run(self, *args: str) -> str:
        self.capsys.readouterr()
        assert main([*args, "-c", str(self.config), "--db", f"sqlite:///{self.db}"]) == 0
        return self.capsys.readouterr().out

    def records(self) -> dict[str, dict[str, object]]:
        """The exported records by guid (the path of their page)."""
        lines = self.run("export", "--format", "jsonl").splitlines()
        return {r["guid"]: r for r in map(json.loads, lines)}

    def page_line(self, article_id: object) -> list[str]:
        """The lines of `watch explain` about the article's page."""
        out = self.run("explain", str(article_id))
        return [line.strip() for line in out.splitlines() if line.strip().startswith("page ")]


@pytest.fixture
def site(local_server: LocalServer) -> LocalServer:
    """A feed whose items say "Notre sélection." and link to a page naming CERT-FR and to a
    page that answers 403."""
    serve_feed(local_server, ["/avis", "/forbidden"], summary="Notre sélection.")
    local_server.route("/avis", article_page([*BODY, NOTICE]), headers=HTML)
    local_server.route("/forbidden", "no", status=403)
    return local_server


def test_a_keyword_found_in_the_page_is_explained_as_in_the_text(
    site: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Session 13: it was "matched 'CERT-FR' in summary" while the summary was "Notre
    sélection."; the board and the digest say "in the text" in each language."""
    watch = Watch(tmp_path, capsys)
    write_config(site, watch.config, full_text=True)
    watch.run("fetch")
    record = watch.records()["/avis"]
    explained = watch.run("explain", str(record["id"]))
    assert "matched 'CERT-FR' in text" in explained and "summary" not in explained
    store = open_store(f"sqlite:///{watch.db}")
    article = store.get_article(int(str(record["id"])))
    store.close()
    assert article is not None
    assert article.topics[0].reasons == ["matched 'CERT-FR' in text"]
    languages = (ENGLISH, FRENCH, GERMAN)
    said = {lang.code: why_line(article, "security", "S", lang) for lang in languages}
    assert said == {
        "en": "S: 'CERT-FR' in the text",
        "fr": typeset("S : « CERT-FR » dans le texte"),
        "de": "S: „CERT-FR“ im Text",
    }
    board = {code: view.score_lines(article, LABELS, w) for code, w in BOARD_LANGUAGES.items()}
    assert "Security 39%: " + view.escape_markdown("matched 'CERT-FR' in text") in board["en"]
    assert (
        view.escape_markdown(typeset("Security 39\u202f% : « CERT-FR » dans le texte"))
        in board["fr"]
    )
    assert view.escape_markdown("Security 39 %: „CERT-FR“ im Text") in board["de"]


def test_explain_says_how_the_page_went_and_nothing_for_a_source_reading_no_pages(
    site: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    watch = Watch(tmp_path, capsys)
    write_config(site, watch.config, full_text=False)
    watch.run("fetch")
    ids = {guid: record["id"] for guid, record in watch.records().items()}
    assert watch.page_line(ids["/avis"]) == [], "a source without full_text: reads no page"

    write_config(site, watch.config, full_text=True)
    assert watch.page_line(ids["/avis"]) == ["page text: waiting (read at the next pass)"]
    with sqlite3.connect(watch.db) as db:  # first seen before the 30 days pages are read in
        old = (datetime.now(UTC) - timedelta(days=40)).strftime("%Y-%m-%d %H:%M:%S.%f")
        db.execute("UPDATE articles SET fetched_at = ? WHERE id = ?", (old, ids["/forbidden"]))
    assert watch.page_line(ids["/forbidden"]) == [
        "page not read: pages are read in an article's first 30 days"
    ]
    with sqlite3.connect(watch.db) as db:
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        db.execute("UPDATE articles SET fetched_at = ? WHERE id = ?", (now, ids["/forbidden"]))

    watch.run("fetch")
    text = str(watch.records()["/avis"]["text"])
    (read,) = watch.page_line(ids["/avis"])
    assert re.fullmatch(r"page text: read on \d{4}-\d\d-\d\d \d\d:\d\d UTC, \d+ words", read)
    assert read.endswith(f", {len(text.split())} words") and len(text.split()) > 100
    assert watch.page_line(ids["/forbidden"]) == [
        "page not read: HTTP 403 Forbidden (tried 1 of 3 times)"
    ]

    store = open_store(f"sqlite:///{watch.db}")
    failed = ArticleText(ids["/avis"], fetched_at=datetime.now(UTC), error="HTTP 503 Unavailable")
    store.save_article_texts([failed])
    store.close()
    assert watch.page_line(ids["/avis"]) == [
        f"page text: {len(text.split())} words kept from an earlier read;"
        " the last read failed: HTTP 503 Unavailable"
    ]


def test_explain_says_a_final_failure_is_not_tried_again() -> None:
    from watch.config import parse_config
    from watch.model_commands import _page_said
    from watch.models import StoredArticle

    config = parse_config(
        "sources:\n  - name: a\n    url: https://a.example/feed\n    full_text: true\n"
    )
    now = datetime.now(UTC)
    article = StoredArticle("a", "g", "https://a.example/1", "https://a.example/1", "T", "", "",
                            None, now, now, id=1)  # fmt: skip
    robots = ArticleText(1, fetched_at=now, error="robots.txt disallows it", attempts=1, final=True)
    said = _page_said(config, article, robots, now)
    assert said == "page not read: robots.txt disallows it (final: not tried again)"
