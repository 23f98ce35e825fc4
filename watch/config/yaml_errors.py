"""YAML syntax errors of sources.yaml in a user's words, as ``(line, what is wrong)``.

ruamel stops at the first error and words it for YAML implementers ("found character '\\t'
that cannot start any token", "mapping values are not allowed here", a duplicated key quoted
with its whole value).  ``syntax_errors`` says what is probably wrong and how to fix it, with
the column, and looks past the first error where it can: every tab, every duplicated key.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
)


def syntax_errors(text: str, exc: MarkedYAMLError) -> list[tuple[int, str]]:
    """``exc`` in a user's words, with the errors the parser finds past it where it can: every
    duplicated key; every tab (each is replaced to read further, ``_without_tab``: an error
    that this causes on the tab's line is not reported)."""
    if isinstance(exc, DuplicateKeyError):
        return _duplicate_keys(text) or [(1, "a key written twice in one block")]
    found: dict[int, str] = {}
    tabs: set[int] = set()
    for _ in range(_MOST_TABS):
        line, what = _syntax_error(text, exc)
        if line not in found and not (line in tabs and not _is_tab(exc)):
            found[line] = what
        mark = exc.problem_mark
        if not (_is_tab(exc) and mark and text[mark.index : mark.index + 1] == "\t"):
            break
        tabs.add(line)
        text = _without_tab(text, mark.index)
        try:
            YAML(typ="rt").load(text)
            break
        except MarkedYAMLError as next_error:
            exc = next_error
    return sorted(found.items())


_MOST_TABS = 50


def _without_tab(text: str, index: int) -> str:
    """``text`` with the tab at ``index`` read as spaces: in an indentation, the line indented
    like the keys of the line above it; elsewhere, one space."""
    start = text.rfind("\n", 0, index) + 1
    indent = text[start:index]
    if indent.strip(" \t"):
        return text[:index] + " " + text[index + 1 :]
    above = text[:start].rstrip("\n").rpartition("\n")[2]
    width = len(above) - len(above.lstrip(" -"))
    return text[:start] + " " * width + text[index + 1 :].lstrip(" \t")


def _is_tab(exc: MarkedYAMLError) -> bool:
    return "'\\t'" in str(exc.problem) or "tab character" in str(exc.problem)


def _syntax_error(text: str, exc: MarkedYAMLError) -> tuple[int, str]:
    """The line of ``exc`` and what is probably wrong there, in words."""
    mark = exc.problem_mark
    if mark is None:
        return 1, str(exc.problem or exc)
    line, column = mark.line + 1, f"(column {mark.column + 1})"
    problem = str(exc.problem)
    if _is_tab(exc):
        return line, f"a tab {column}: YAML indents with spaces, not tabs; replace it with spaces"
    if problem.startswith("mapping values are not allowed"):
        return line, f"a ':' where none is expected {column}: " + _colon_hint(text, mark)
    if problem.startswith("expected <block end>"):
        return line, (
            f"this line is not indented like the lines above it {column}: check the "
            "indentation (the keys of one entry line up, each list item starts with '- ')"
        )
    return line, f"{problem} {column}"


def _colon_hint(text: str, mark: Any) -> str:
    """Why a ':' is out of place: a value holding ': ' (quote it), else the indentation."""
    written = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
    key, colon, value = written.partition(":")
    if colon and re.search(r":\s", written[: mark.column]):
        quoted = '"' + value.strip().replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"a value holding ': ' must be quoted, e.g. {key.strip(' -')}: {quoted}"
    return "check the indentation of this line and the one above (the keys of one entry line up)"


def _duplicate_keys(text: str) -> list[tuple[int, str]]:
    """Every key written twice in one mapping, with the line of its first use (never the
    values: a duplicated ``sources:`` would quote the whole list)."""
    found: list[tuple[int, str]] = []
    keys: list[dict[str, int] | None] = []  # per open collection: a mapping's keys → their line
    nodes: list[int] = []  # per open collection: the nodes read in it so far
    for event in YAML(typ="rt").parse(text):
        if isinstance(event, CollectionEndEvent):
            keys.pop(), nodes.pop()
            continue
        if not isinstance(event, NodeEvent):
            continue
        if keys:
            nodes[-1] += 1
            seen, line = keys[-1], event.start_mark.line + 1
            key = event.value if isinstance(event, ScalarEvent) and nodes[-1] % 2 else None
            if seen is not None and key is not None and key in seen:
                found.append((line, f"duplicate key {key!r} (first at line {seen[key]})"))
            elif seen is not None and key is not None:
                seen[key] = line
        if isinstance(event, CollectionStartEvent):
            keys.append({} if isinstance(event, MappingStartEvent) else None)
            nodes.append(0)
    return found
