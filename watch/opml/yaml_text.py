"""Writing new source entries into the user's sources.yaml text, every other byte kept.

``append_entries`` inserts them after the last source as plain text when the layout allows (a
full dump would re-wrap multi-line flow lists), fills ``sources: []`` in place, and otherwise
goes through a ruamel round trip; ``round_trip_yaml`` is that round trip's YAML, indented as
the user's file is; ``write_atomically`` replaces the file in one step.  What to append, and
whether the result is valid, is ``watch.opml.importing``'s.
"""

from __future__ import annotations

import os
import re
import tempfile
from io import StringIO
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq


def append_entries(
    yaml: YAML,
    text: str,
    document: CommentedMap,
    entries: list[CommentedMap],
    comments: dict[int, str],
) -> str:
    """``text`` (loaded as ``document``) with ``entries`` appended to its sources, each
    ``comments[i]`` written above the i-th new entry."""
    return _append_as_text(text, document, entries, comments) or _append_round_trip(
        yaml, document, entries, comments
    )


def _append_as_text(
    text: str, document: CommentedMap, entries: list[CommentedMap], comments: dict[int, str]
) -> str | None:
    """Insert the new entries after the last source, leaving every other byte of the file as it
    is (a full dump would re-wrap multi-line flow lists).  None when the layout is unusual."""
    sources = document.get("sources")
    if not isinstance(sources, CommentedSeq) or not sources or sources.fa.flow_style():
        return _fill_empty_flow_list(text, document, entries, comments)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    keys = list(document)
    position = keys.index("sources")
    at = len(lines)
    if position + 1 < len(keys):
        at = document.lc.key(keys[position + 1])[0]
        while at > 0 and (not lines[at - 1].strip() or lines[at - 1].startswith("#")):
            at -= 1
    offset = _sequence_offset(text)
    fragment = f"\n{_dump_entries(entries, offset, comments)}"
    return "".join(lines[:at]) + fragment + "".join(lines[at:])


def _fill_empty_flow_list(
    text: str, document: CommentedMap, entries: list[CommentedMap], comments: dict[int, str]
) -> str | None:
    """``sources: []  # comment`` becomes ``sources:    # comment`` with the entries under it,
    every other line where it was (a round trip would move the comments after it)."""
    sources = document.get("sources")
    if not isinstance(sources, CommentedSeq) or sources:
        return None
    lines = text.splitlines(keepends=True)
    at = document.lc.key("sources")[0]
    empty_list = re.match(r"sources:\s*\[\s*\]", lines[at])
    if empty_list is None:
        return None
    rest = lines[at][empty_list.end() :].rstrip("\n")  # a comment stays in its column
    lines[at] = "sources:" + (" " * (empty_list.end() - 8) + rest if rest.strip() else "") + "\n"
    fragment = _dump_entries(entries, 2, comments)
    return "".join(lines[: at + 1]) + fragment + "".join(lines[at + 1 :])


def _dump_entries(entries: list[CommentedMap], offset: int, comments: dict[int, str]) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    sequence = CommentedSeq(entries)
    for at, comment in comments.items():
        sequence.yaml_set_comment_before_after_key(at, before=comment, indent=offset)
    output = StringIO()
    yaml.dump(sequence, output)
    return output.getvalue()


def _append_round_trip(
    yaml: YAML, document: CommentedMap, entries: list[CommentedMap], comments: dict[int, str]
) -> str:
    """The general case (no sources key, a flow-style list with items): append through a ruamel
    round trip."""
    sources = document.get("sources")
    if not isinstance(sources, CommentedSeq):
        sources = document["sources"] = CommentedSeq()
    sources.fa.set_block_style()
    first_new = len(sources)
    sources.extend(entries)
    for at, comment in comments.items():
        sources.yaml_set_comment_before_after_key(first_new + at, before=comment, indent=2)
    output = StringIO()
    yaml.dump(document, output)
    return output.getvalue()


def _sequence_offset(text: str) -> int:
    """How far the `- ` of the sources list is indented in the user's file (default 2)."""
    match = re.search(r"^sources:[^\n]*\n(?:\s*#[^\n]*\n|\s*\n)*( *)- ", text, re.MULTILINE)
    return len(match.group(1)) if match else 2


def round_trip_yaml(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the user's lines
    offset = _sequence_offset(text)
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def write_atomically(path: Path, text: str, newline: str = "\n") -> None:
    """Replace ``path`` (a real file, not a link) by ``text`` with ``newline`` line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as stream:
            stream.write(text)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
