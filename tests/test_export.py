"""`watch export`'s records: what a spreadsheet or a script receives."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from watch.export import CSV_TEXT_MAX, FIELDS, SCORE_PARTS, write_export
from watch.models import ArticleText, StoredArticle, TopicMatch

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def stored(title: str, **changes: object) -> StoredArticle:
    values: dict[str, object] = {
        "source": "blog", "guid": "1", "url": "https://blog.example/1",
        "canonical_url": "https://blog.example/1", "title": title, "summary_html": "",
        "summary_text": "-", "author": "@ada", "published": NOW, "fetched_at": NOW, "id": 1,
    }  # fmt: skip
    values.update(changes)
    return StoredArticle(**values)  # type: ignore[arg-type]


def test_a_title_that_is_a_formula_is_shown_in_a_spreadsheet_not_run() -> None:
    """Session 8: a feed's title '=HYPERLINK("http://evil.example","Click")' opened from the
    CSV in a spreadsheet ran as a formula; text cells starting with = + - @ get an apostrophe."""
    evil = '=HYPERLINK("http://evil.example","Click")'
    out = io.StringIO()
    write_export([stored(evil, note="+33 1 23 45 67 89")], out, fmt="csv")
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["title"] == "'" + evil
    assert (row["note"], row["author"], row["summary"]) == ("'+33 1 23 45 67 89", "'@ada", "'-")
    assert row["url"] == "https://blog.example/1" and row["score"] == "0.0"
    out = io.StringIO()
    write_export([stored(evil)], out, fmt="jsonl")
    assert json.loads(out.getvalue())["title"] == evil, "JSON Lines carry the text as it is"


def test_the_teams_pick_and_note_are_exported_after_the_older_columns() -> None:
    picked = stored("Kyber", starred=True, starred_at=NOW, note="For the client")
    out = io.StringIO()
    write_export([picked], out, fmt="jsonl")
    record = json.loads(out.getvalue())
    assert (record["starred"], record["starred_at"], record["note"]) == (
        True, "2026-11-24T09:00:00Z", "For the client",
    )  # fmt: skip
    assert FIELDS[-4:] == ["source_label", "note", "starred_at", "text"]


def test_a_csv_opens_in_excel_as_utf8_with_its_accents(tmp_path: Path) -> None:
    """Session 9: a French Excel showed "SÃ©curitÃ©": without a byte order mark it reads a
    CSV in the machine's code page.  The BOM comes first, once; JSON Lines have none."""
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_export([stored("Sécurité : la faille")], out, fmt="csv")
    raw = path.read_bytes()
    assert (
        raw.startswith(b"\xef\xbb\xbfid,source,guid,url,title") and raw.count(b"\xef\xbb\xbf") == 1
    )
    (row,) = csv.DictReader(path.open(encoding="utf-8-sig", newline=""))
    assert row["id"] == "1" and row["title"] == "Sécurité : la faille"
    lines = io.StringIO()
    write_export([stored("Sécurité")], lines, fmt="jsonl")
    assert lines.getvalue().startswith('{"id": 1'), "no BOM in JSON Lines: scripts read them"


EVIL_URL = "http://127.0.0.1:18731/o?\x1b]52;c;Y3Vy\x07\x1b]0;owned\x07\x1b[2K\rFAKE"
EVIL_GUID = "g\x1b[31mRED\x1b]0;pwned\x07 r\x9b31mC1\x85x\u2028y\u2029z\x7f"


def is_control(char: str) -> bool:
    return ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F or char in "\u2028\u2029"


def test_an_export_never_writes_a_raw_control_character(tmp_path: Path) -> None:
    """Session 10: a link and a guid stored before links were cleaned carried an OSC 52
    clipboard write and a CSI (U+009B); `watch export` wrote them raw to the terminal, and JSON
    Lines left U+0085/U+2028/U+2029 raw, so ``splitlines`` cut a record in three."""
    article = stored("t", url=EVIL_URL, guid=EVIL_GUID, note="line one\r\nline two")
    lines = io.StringIO()
    write_export([article, stored("second")], lines, fmt="jsonl")
    text = lines.getvalue()
    assert not any(is_control(ch) for ch in text.replace("\n", ""))
    first, second = (json.loads(line) for line in text.splitlines())
    assert first["guid"] == EVIL_GUID and second["title"] == "second"
    assert first["url"] == "http://127.0.0.1:18731/o?%1B]52;c;Y3Vy%07%1B]0;owned%07%1B[2KFAKE"
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_export([article], out, fmt="csv")
    raw = path.read_text(encoding="utf-8-sig")
    assert not any(is_control(ch) for ch in raw.replace("\r\n", "").replace("\n", ""))
    (row,) = csv.DictReader(io.StringIO(raw))
    assert row["guid"] == r"g\x1b[31mRED\x1b]0;pwned\x07 r\x9b31mC1\x85x\u2028y\u2029z\x7f"
    assert row["url"] == first["url"] and row["note"] == "line one\nline two"


def test_a_csv_for_a_french_spreadsheet_writes_the_score_with_a_decimal_comma() -> None:
    """Session 10: with ``--delimiter ';'`` the score 87.5 was written "87.5", which a French
    spreadsheet reads as text (sorted as text); it is written "87,5" there, "87.5" with ','."""
    article = stored("Kyber", score=87.5, topics=[TopicMatch("crypto", 0.8765)])
    out = io.StringIO()
    write_export([article], out, fmt="csv", delimiter=";")
    (row,) = csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff")), delimiter=";")
    assert row["score"] == "87,5"
    assert json.loads(row["topics"]) == [{"name": "crypto", "confidence": 0.8765}]
    out = io.StringIO()
    write_export([article], out, fmt="csv")
    (row,) = csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff")))
    assert row["score"] == "87.5"


def test_a_csv_has_a_column_per_score_part_and_the_topic_names() -> None:
    """A spreadsheet sorts by a column, not inside a JSON cell ("{""topic"": 50.0, …}")."""
    parts = {"topic": 40.0, "source": 5.0, "freshness": 12.5, "coverage": 3.33}
    topics = [TopicMatch("web", 0.4), TopicMatch("security", 0.8)]
    article = stored("Kyber", score=60.83, score_parts=parts, topics=topics)
    out = io.StringIO()
    write_export([article], out, fmt="csv", delimiter=";")
    (row,) = csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff")), delimiter=";")
    assert row["topic_names"] == "security, web"
    assert [row[f"score_{p}"] for p in ("topic", "source", "freshness", "coverage", "feedback")] == [
        "40,0", "5,0", "12,5", "3,33", "0,0"
    ]  # fmt: skip
    assert json.loads(row["score_parts"]) == parts, "the JSON cell is kept"


def test_the_text_read_from_the_page_comes_last_and_the_older_columns_keep_their_places() -> None:
    """Session 13: ``full_text:`` sources keep the article's whole text; the export gives it
    ("" when none was read), asking the store for a batch of articles at a time."""
    asked: list[list[int]] = []

    def texts(ids: Sequence[int], *, html: bool = True) -> dict[int, ArticleText]:
        asked.append(list(ids))
        return {2: ArticleText(2, "<p>Body</p>", "=1+1 is the body", NOW)}

    articles = [stored("one", id=1), stored("two", id=2)]
    out = io.StringIO()
    write_export(articles, out, fmt="csv", texts=texts)
    header, *rows = csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff")))
    assert header[:-1] == [*FIELDS[:-1], "topic_names", *(f"score_{p}" for p in SCORE_PARTS)]
    assert header[-1] == "text" and [row[-1] for row in rows] == ["", "'=1+1 is the body"]
    lines = io.StringIO()
    write_export(articles, lines, fmt="jsonl", texts=texts)
    assert [json.loads(line)["text"] for line in lines.getvalue().splitlines()] == [
        "", "=1+1 is the body",
    ]  # fmt: skip
    assert asked == [[1, 2], [1, 2]]


def test_a_long_page_text_is_cut_at_a_word_for_excel_and_kept_whole_in_json_lines() -> None:
    """Session 13: a page's text may have 100,000 characters and an Excel cell holds 32,767:
    the CSV's text is cut at 32,000 characters, at a word, with "…"; JSON Lines keep it."""
    paragraph = " ".join(f"word{n}" for n in range(200))
    long = "\n\n".join([paragraph] * 80)  # about 100,000 characters
    exact = ("abcd " * 6400)[:CSV_TEXT_MAX]
    hostile = "\x1b" * CSV_TEXT_MAX  # each control character is written as 4 ("\x1b")
    given = {1: long, 2: exact, 3: hostile}

    def texts(ids: Sequence[int], *, html: bool = True) -> dict[int, ArticleText]:
        return {i: ArticleText(i, "", given[i], NOW) for i in ids}

    articles = [stored("long", id=1), stored("exact", id=2), stored("hostile", id=3)]
    out = io.StringIO()
    write_export(articles, out, fmt="csv", texts=texts)
    cut, whole, escaped = (r["text"] for r in csv.DictReader(io.StringIO(out.getvalue()[1:])))
    assert len(long) > 99_000 and len(cut) <= CSV_TEXT_MAX == 32_000 < 32_767
    head = cut.removesuffix("…")
    assert cut.endswith("…") and re.search(r" word\d+$", head), cut[-30:]
    assert long.startswith(head) and long[len(head)] in " \n" and len(head) > 31_000
    assert whole == exact, "a text that fits is whole, without '…'"
    assert len(escaped) <= CSV_TEXT_MAX and escaped.startswith(r"\x1b\x1b")
    lines = io.StringIO()
    write_export(articles[:1], lines, fmt="jsonl", texts=texts)
    assert json.loads(lines.getvalue())["text"] == long
