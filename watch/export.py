"""Export of stored articles as JSON Lines or CSV (``watch export``), streamed.

One record per article with: id, source (the name in sources.yaml, which scripts rely on),
guid, url, title, summary (plain text), published, fetched_at (ISO 8601 UTC), topics
([{"name", "confidence"}], empty when off-topic), score, score_parts, explanation, cluster_id,
cluster_size, read, starred, vote, source_label (what people read for the source: its
``label:``, else its name), note (the team's note on it), starred_at, text (the whole text read
from the article's page for a ``full_text:`` source, paragraphs separated by blank lines; ""
when none was read); new fields go last, so CSV columns keep their places (text comes after the
CSV's own columns).

CSV is for spreadsheets: it starts with a UTF-8 byte order mark (U+FEFF), without which Excel
reads the file in the machine's code page ("SÃ©curitÃ©"); Python reads it back with
``encoding="utf-8-sig"``; ``delimiter=";"`` is what a French Excel splits on.  Its cells are for
spreadsheets too: a text starting with "=", "+", "-", "@" or a tab/CR (a feed's title can be a
formula) is written with a leading apostrophe, so it is shown, never run.  With
``delimiter=";"`` the score is written with a decimal comma ("87,5"), which such a spreadsheet
reads as a number (the JSON cells keep JSON's numbers).  A cell holds at most 32,767 characters
in Excel, and a page's text may have 100,000: the CSV's ``text`` is cut at CSV_TEXT_MAX
characters, at a word, with "…" (JSON Lines keep it whole).

Nothing from a feed can drive the terminal that shows an export: a link's control characters
and spaces are percent-encoded (as ``watch.normalize`` stores links), a CSV cell's control
characters but tab and line feed are written as escapes ("\\x1b"), and JSON Lines escape DEL,
the C1 controls and the line separators U+2028/U+2029 too (``json.dumps`` leaves them raw, and
``str.splitlines`` would cut a record there).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import islice
from typing import Any, Protocol, TextIO

from watch.models import ArticleText, StoredArticle
from watch.normalize import encode_unsafe_url_characters

FIELDS = [
    "id", "source", "guid", "url", "title", "summary", "author", "published", "fetched_at",
    "language", "topics", "score", "score_parts", "explanation", "cluster_id", "cluster_size",
    "read", "starred", "vote", "source_label", "note", "starred_at", "text",
]  # fmt: skip
SCORE_PARTS = ("topic", "source", "freshness", "coverage", "feedback")
_SINCE_CSV_COLUMNS = FIELDS.index("text")
"""Fields from here on were added after the CSV's own columns, so they come after them."""
CSV_FIELDS = [
    *FIELDS[:_SINCE_CSV_COLUMNS],
    "topic_names",
    *(f"score_{part}" for part in SCORE_PARTS),
    *FIELDS[_SINCE_CSV_COLUMNS:],
]
"""A spreadsheet sorts and filters by a column, not inside a JSON cell: the CSV adds the topics'
names (most confident first) and one column per score part."""
BATCH = 500
"""Articles whose texts are read from the store at once."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")
"""Left raw by ``json.dumps(ensure_ascii=False)``: DEL, the C1 controls (CSI U+009B drives a
terminal), and the line breaks U+0085, U+2028, U+2029 (``str.splitlines`` cuts a record there)."""
_CSV_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""Control characters but tab and line feed (a note's lines), and the Unicode line breaks."""
CSV_TEXT_MAX = 32_000
"""Characters of a page's text in a CSV cell: Excel keeps at most 32,767 in a cell."""
BOM = "\ufeff"
"""Written first in a CSV: Excel then reads it as UTF-8, whatever the machine's code page."""


class Texts(Protocol):
    """What gives the texts read from the pages of articles (``Store.article_texts``): asked
    without their HTML, which an export does not write."""

    def __call__(self, ids: Sequence[int], *, html: bool = True) -> Mapping[int, ArticleText]: ...


def article_record(
    article: StoredArticle, source_label: str | None = None, text: str = ""
) -> dict[str, Any]:
    """The exported form of one article; ``source_label`` defaults to the source's name,
    ``text`` is the one read from its page."""
    return {
        "id": article.id,
        "source": article.source,
        "guid": article.guid,
        "url": encode_unsafe_url_characters(article.url),  # as normalize stores links now
        "title": article.title,
        "summary": article.summary_text,
        "author": article.author,
        "published": _iso(article.published),
        "fetched_at": _iso(article.fetched_at),
        "language": article.language,
        "topics": [{"name": t.name, "confidence": round(t.confidence, 4)} for t in article.topics],
        "score": round(article.score, 2),
        "score_parts": {k: round(v, 2) for k, v in article.score_parts.items()},
        "explanation": article.explanation,
        "cluster_id": article.cluster_id,
        "cluster_size": article.cluster_size,
        "read": article.read,
        "starred": article.starred,
        "vote": article.vote,
        "source_label": source_label or article.source,
        "note": article.note,
        "starred_at": _iso(article.starred_at),
        "text": text,
    }


def write_export(
    articles: Iterable[StoredArticle],
    out: TextIO,
    fmt: str = "jsonl",
    source_labels: Mapping[str, str] | None = None,
    delimiter: str = ",",
    texts: Texts | None = None,
) -> int:
    """Write articles as ``jsonl`` or ``csv`` (its fields separated by ``delimiter``), streamed;
    returns how many were written.  ``source_labels`` maps a source's name to its label
    (``WatchConfig.source_labels``); ``texts`` gives the texts read from the pages of
    articles (``Store.article_texts``), asked ``BATCH`` articles at a time, without their
    HTML."""
    if fmt not in ("jsonl", "csv"):
        raise ValueError(f"unknown export format {fmt!r} (jsonl or csv)")
    records = _records(articles, source_labels or {}, texts)
    return _write_jsonl(records, out) if fmt == "jsonl" else _write_csv(records, out, delimiter)


def _records(
    articles: Iterable[StoredArticle],
    labels: Mapping[str, str],
    texts: Texts | None,
) -> Iterator[dict[str, Any]]:
    stream = iter(articles)
    while batch := list(islice(stream, BATCH)):
        found = texts([a.id for a in batch], html=False) if texts else {}
        for a in batch:
            text = found[a.id].text if a.id in found else ""
            yield article_record(a, labels.get(a.source), text)


def _write_jsonl(records: Iterator[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for record in records:
        line = json.dumps(record, ensure_ascii=False)  # escapes the C0 controls only
        out.write(_JSON_UNSAFE.sub(_json_escape, line) + "\n")
        count += 1
    return count


def _json_escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found[0]):04x}"


def _write_csv(records: Iterator[dict[str, Any]], out: TextIO, delimiter: str) -> int:
    out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, delimiter=delimiter)
    writer.writeheader()
    count = 0
    for record in records:
        _add_columns(record)
        for key in ("topics", "score_parts", "explanation"):
            record[key] = json.dumps(record[key], ensure_ascii=False)
        record["text"] = _cut_for_a_cell(_visible(record["text"]))
        if delimiter == ";":  # a French spreadsheet reads "87,5" as a number, "87.5" as text
            for key in ("score", *(f"score_{part}" for part in SCORE_PARTS)):
                record[key] = str(record[key]).replace(".", ",")
        writer.writerow({key: _inert(_visible(value)) for key, value in record.items()})
        count += 1
    return count


def _add_columns(record: dict[str, Any]) -> None:
    """The CSV's own columns (``CSV_FIELDS``), from the record's topics and score parts."""
    topics = sorted(record["topics"], key=lambda topic: -topic["confidence"])
    record["topic_names"] = ", ".join(topic["name"] for topic in topics)
    for part in SCORE_PARTS:
        record[f"score_{part}"] = record["score_parts"].get(part, 0.0)


def _cut_for_a_cell(text: str) -> str:
    """``text`` whole when a spreadsheet cell holds it, else its start cut at a word (the last
    space or line break of its last fifth; a word that long is cut) with "…"."""
    if len(text) <= CSV_TEXT_MAX:
        return text
    cut = text[: CSV_TEXT_MAX - 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > CSV_TEXT_MAX * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _visible(value: Any) -> Any:
    """A text's control characters (but tab and line feed) written as escapes ("\\x1b"):
    shown by a spreadsheet or a terminal, never run."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n")
    return _CSV_UNSAFE.sub(lambda found: repr(found[0])[1:-1], value)


def _inert(value: Any) -> Any:
    """A text a spreadsheet would run as a formula, with an apostrophe in front."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None
