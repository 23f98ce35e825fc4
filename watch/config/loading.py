"""Reading ``sources.yaml``: YAML with line numbers (ruamel), validation, located errors.

``parse_config`` reports every problem at once as ``file:line: field: message`` (YAML syntax
errors worded by ``yaml_errors``), including the checks made on the raw data whatever else is
wrong (duplicate names, topics used but not defined, a page without ``select``);
``validate_entries`` is the lenient variant (``watch run``, ``watch status``; ``load_entries``
from a file) that drops bad sources and keeps the valid ones.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
)

from watch.config.schema import ID_PATTERN, WatchConfig
from watch.config.yaml_errors import syntax_errors


class ConfigError(Exception):
    """sources.yaml is invalid; ``errors`` holds one ``file:line: field: message`` per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


Located = list[tuple[tuple[str | int, ...], str]]


def _cross_errors(data: dict[str, Any], text: str) -> Located:
    """Errors checked on the raw data, so they are reported whatever else is wrong: duplicate
    names, topics used but not defined, a page without ``select`` (or a feed with one)."""
    sources = _items(data.get("sources"))
    names = [t.get("name") for t in _items(data.get("topics"))]
    known = list(dict.fromkeys(name for name in names if isinstance(name, str)))
    errors = _duplicate_names(data, "topics", text) + _duplicate_names(data, "sources", text)
    for index, item in enumerate(sources):
        for pos, topic in enumerate(_sequence(item.get("topics"))):
            if isinstance(topic, str) and topic not in known:
                errors.append((("sources", index, "topics", pos), _undefined(topic, known)))
        errors += _select_errors(index, item)
    digest: dict[str, Any] = data["digest"] if isinstance(data.get("digest"), dict) else {}
    chosen: list[tuple[tuple[str | int, ...], dict[str, Any]]] = [(("digest",), digest)] + [
        (("digest", "editions", index), edition)
        for index, edition in enumerate(_sequence(digest.get("editions")))
        if isinstance(edition, dict)
    ]
    for where, item in chosen:  # the digest's topics, and each edition's
        for pos, topic in enumerate(_sequence(item.get("topics"))):
            if isinstance(topic, str) and topic not in known:
                errors.append(((*where, "topics", pos), _undefined(topic, known)))
    return errors


_SHOWN_TOPICS = 15
"""At most this many defined topics are listed after a topic that is not defined."""


def _undefined(topic: str, known: list[str]) -> str:
    """A topic used but not defined, with the closest defined one and the defined ones."""
    if not known:
        return f"topic {topic!r} is not defined (no topic is defined: add it under 'topics:')"
    close = difflib.get_close_matches(topic, known, n=1, cutoff=0.6)
    meant = f"did you mean {close[0]!r}? " if close else ""
    shown = ", ".join(known[:_SHOWN_TOPICS]) + (", …" if len(known) > _SHOWN_TOPICS else "")
    return f"topic {topic!r} is not defined ({meant}defined: {shown})"


def _duplicate_names(data: dict[str, Any], section: str, text: str) -> Located:
    """Each name already used above in ``section``, with the line of its first use."""
    errors: Located = []
    first: dict[str, int] = {}
    for index, item in enumerate(_items(data.get(section))):
        name = item.get("name")
        if isinstance(name, str) and name in first:
            line = _line_of(_node_lines(text), (section, first[name], "name"))
            errors.append(
                ((section, index, "name"), f"duplicate name {name!r} (first at line {line})")
            )
        if isinstance(name, str):
            first.setdefault(name, index)
    return errors


def _select_errors(index: int, item: dict[str, Any]) -> Located:
    """The same words as ``SourceConfig``'s own check (a duplicate is reported once)."""
    kind, select = item.get("kind", "feed"), item.get("select")
    if kind == "page" and select is None:
        return [(("sources", index), "a page source needs a 'select' block")]
    if kind == "feed" and select is not None:
        return [(("sources", index), "'select' is only for kind: page")]
    return []


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, tuple) else []


def _sequence(value: Any) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else ()


def load_config(path: str | Path) -> WatchConfig:
    """Read and validate sources.yaml; raise ConfigError listing every located problem."""
    return parse_config(_read(Path(path)), str(path))


def load_entries(path: str | Path) -> tuple[WatchConfig, list[str]]:
    """Read sources.yaml leniently (``validate_entries``): the valid sources and the errors of
    the others; an unreadable file or an error outside ``sources`` raises ConfigError."""
    return validate_entries(_read(Path(path)), str(path))


def _read(path: Path) -> str:
    """The text of sources.yaml; ConfigError naming the full path looked at otherwise."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [
                f"{path.absolute()}: cannot read: no such file; pass -c FILE, set $WATCH_CONFIG, "
                "or start from the README's example (copy the project's sources.yaml)"
            ]
        ) from None
    except IsADirectoryError:
        raise ConfigError([f"{path.absolute()}: is a folder, not a file; pass -c FILE"]) from None
    except OSError as exc:
        raise ConfigError([f"{path.absolute()}: cannot read: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([not_utf8_message(path, exc)]) from None


def not_utf8_message(path: Path, exc: UnicodeDecodeError) -> str:
    """``file:line: ...`` for a sources.yaml saved in another encoding than UTF-8."""
    data = bytes(exc.object)
    line_start = data.rfind(b"\n", 0, exc.start) + 1
    line_end = data.find(b"\n", exc.start)
    shown = data[line_start : line_end if line_end != -1 else None].decode("cp1252", "replace")
    line = data.count(b"\n", 0, exc.start) + 1
    return (
        f"{path}:{line}: not UTF-8 text (byte "
        f"0x{data[exc.start]:02x} at column {exc.start - line_start + 1}, in "
        f"{shown.strip()[:60]!r}); save the file as UTF-8 (your editor's encoding setting)"
    )


def parse_config(text: str, filename: str = "sources.yaml") -> WatchConfig:
    """Validate YAML text; errors are ``filename:line: field: message``, all at once."""
    tree = _load_tree(text, filename)
    data = _plain(tree)
    for key in ("topics", "sources"):
        if key in data and data[key] is None:  # "sources:" with nothing under it
            data[key] = ()
    problems = _cross_errors(data, text)
    config = None
    try:
        config = WatchConfig.model_validate(data, context=_context(filename))
    except ValidationError as exc:
        problems += _validation_errors(exc)
    if problems or config is None:
        lines = _node_lines(text)
        located = dict.fromkeys(
            (_line_of(lines, loc), f"{_dotted(loc) or '(top)'}: {msg}") for loc, msg in problems
        )
        raise ConfigError(
            [f"{filename}:{line}: {msg}" for line, msg in sorted(located, key=lambda p: p[0])]
        )
    return config


def _context(filename: str) -> dict[str, Path]:
    """What validators need to know of the file: its folder (relative paths start there)."""
    return {"config_dir": Path(filename).parent}


def _load_tree(text: str, filename: str) -> Any:
    try:
        tree = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        errors = syntax_errors(text, exc)
        raise ConfigError(
            [f"{filename}:{line}: YAML syntax: {what}" for line, what in errors]
        ) from None
    if tree is None:
        tree = {}
    if not isinstance(tree, dict):
        raise ConfigError([f"{filename}:1: the file must be a mapping with 'sources:'"])
    return tree


def validate_entries(text: str, filename: str = "sources.yaml") -> tuple[WatchConfig, list[str]]:
    """Validate leniently for the scheduler: drop bad sources, keep the valid ones.

    Returns the config built from the valid sources and the located errors of the others.
    Errors outside ``sources`` still raise ConfigError.
    """
    try:
        return parse_config(text, filename), []
    except ConfigError as first:
        bad = {int(m.group(1)) for e in first.errors if (m := re.search(r": sources\[(\d+)\]", e))}
        if any(": sources[" not in e for e in first.errors):
            raise
        tree = _load_tree(text, filename)
        tree["sources"] = [item for i, item in enumerate(tree["sources"]) if i not in bad]
        try:
            config = WatchConfig.model_validate(_plain(tree), context=_context(filename))
        except ValidationError:
            raise first from None
        return config, first.errors


def _plain(node: Any) -> Any:
    """Turn ruamel's commented containers into plain dicts and tuples (strict mode wants tuples)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return tuple(_plain(v) for v in node)
    if isinstance(node, str):
        return str(node)
    return node


def _validation_errors(exc: ValidationError) -> Located:
    errors: Located = []
    for error in exc.errors():
        loc = tuple(p for p in error["loc"] if p not in ("function-after", "function-before"))
        loc = tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))
        message = _human(error)
        if error["type"] == "extra_forbidden":
            message += _known_keys_hint(loc)
        errors.append((loc, message))
    return errors


def _known_keys_hint(loc: tuple[Any, ...]) -> str:
    """For an unknown key at ``loc``: the closest known key, else the keys allowed there."""
    allowed = _keys_at(loc[:-1])
    if not allowed:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (known keys: {', '.join(allowed)})"


def _keys_at(loc: tuple[Any, ...]) -> list[str]:
    """The keys the sources.yaml model accepts at ``loc`` (list positions skipped)."""
    model: type[BaseModel] | None = WatchConfig
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model else None
        model = _model_in(field.annotation) if field else None
    return list(model.model_fields) if model else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside a field's type (``tuple[SourceConfig, ...]``, ``X | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


_WORDING = {
    "extra_forbidden": "unknown key",
    "missing": "is required",
    "tuple_type": "should be a list, e.g. [a, b], not {input!r}",
    "list_type": "should be a list, e.g. [a, b], not {input!r}",
    "string_type": "should be text (in quotes if it looks like a number), not {input!r}",
    "float_parsing": "should be a number, not {input!r}",
    "float_type": "should be a number, not {input!r}",
    "int_parsing": "should be a whole number, not {input!r}",
    "int_type": "should be a whole number, not {input!r}",
    "bool_parsing": "should be true or false, not {input!r}",
    "bool_type": "should be true or false, not {input!r}",
}
_ID_WORDING = (
    "{input!r} is not a valid id: lowercase letters, digits, '-' and '_', starting with a "
    "letter or a digit"
)
"""pydantic's messages in a user's words, by error type (others: pydantic's, "Input" → "value")."""


def _human(error: Any) -> str:
    wording = _WORDING.get(error["type"])
    if error["type"] == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern")
        wording = _ID_WORDING if pattern == ID_PATTERN else f"{{input!r}} should match {pattern}"
    if wording is not None:
        return wording.format(input=error.get("input"))
    message: str = error["msg"].removeprefix("Value error, ")
    return message.replace("Input should be", "should be")


def _dotted(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        parts.append(f"[{part}]" if isinstance(part, int) else ("." if parts else "") + str(part))
    return "".join(parts)


def _line_of(lines: dict[tuple[str | int, ...], int], loc: tuple[Any, ...]) -> int:
    """The 1-based line of the deepest node of ``loc`` written in the file (``_node_lines``)."""
    for end in range(len(loc), 0, -1):
        line = lines.get(tuple(loc[:end]))
        if line is not None:
            return line
    return 1


@dataclass
class _Collection:
    """A mapping or sequence being read from the YAML events, at ``path`` (None: in a key)."""

    path: tuple[str | int, ...] | None
    is_mapping: bool
    nodes: int = 0
    key: str | None = None


@functools.lru_cache(maxsize=4)
def _node_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """The 1-based line where each path is written: a key's line, a list item's first line.

    Read from the YAML events, not from the loaded tree: an alias (``*base``) is the same object
    as its anchor in the tree, which only knows the anchor's lines; here the alias is a node of
    its own at its own line, with nothing under it.  Keys merged by ``<<: *base`` are not
    written in the entry, so errors on them point at the entry.
    """
    lines: dict[tuple[str | int, ...], int] = {}
    stack: list[_Collection] = []
    for event in YAML(typ="rt").parse(text):
        if isinstance(event, CollectionEndEvent):
            stack.pop()
        elif isinstance(event, NodeEvent):
            path = _record_node(stack[-1], event, lines) if stack else ()
            if isinstance(event, CollectionStartEvent):
                stack.append(_Collection(path, isinstance(event, MappingStartEvent)))
    return lines


def _record_node(
    parent: _Collection, event: NodeEvent, lines: dict[tuple[str | int, ...], int]
) -> tuple[str | int, ...] | None:
    """Record the line of ``event``, a node of ``parent``; return the node's path (None for a
    mapping key or anything inside one)."""
    if parent.path is None:
        return None
    parent.nodes += 1
    line = event.start_mark.line + 1
    if not parent.is_mapping:
        lines[(*parent.path, parent.nodes - 1)] = line
        return (*parent.path, parent.nodes - 1)
    if parent.nodes % 2:  # a key
        parent.key = event.value if isinstance(event, ScalarEvent) else None
        if parent.key is not None:
            lines[(*parent.path, parent.key)] = line
        return None
    return None if parent.key is None else (*parent.path, parent.key)
