"""`watch export`'s records: what a spreadsheet or a script receives."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from watch.export import FIELDS, write_export
from watch.models import StoredArticle

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
    assert FIELDS[-3:] == ["source_label", "note", "starred_at"]


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
