"""Importing OPML into sources.yaml: new feeds appended, the user's comments and layout kept.

The file goes through a ruamel round trip (or a plain-text insertion when its layout allows),
is validated before it replaces the original, and is written atomically; a URL already present
is never added again, and every feed not imported is reported with its reason.  A feed's title
becomes the source's ``label:`` (when it says more than the name derived from it).
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from watch.config import ID_PATTERN, MAX_LABEL, ConfigError, SourceConfig, parse_config
from watch.opml.reading import OpmlError, OpmlFeed, parse_opml

_NAME_LENGTH = 40


@dataclass(frozen=True)
class SkippedFeed:
    """A feed of the OPML that was not imported, and why, in a user's words."""

    xml_url: str
    """As the OPML gives it, a password in it replaced by ``***``."""
    title: str
    reason: str


@dataclass
class OpmlImport:
    """What ``import_opml`` did: the source names it added and the feeds it skipped."""

    added: list[str] = field(default_factory=list)
    skipped: list[SkippedFeed] = field(default_factory=list)


def import_opml(
    opml_text: bytes | str, sources_yaml_path: Path, *, default_every: str = "1h"
) -> OpmlImport:
    """Append the OPML's new feeds to sources.yaml, keeping its comments; say what was done.

    URLs already present, repeated in the OPML or unusable (not http(s), credentials in them)
    are skipped, each with its reason; folders and categories become
    topic hints when such a topic exists (``append_feeds``).
    """
    comment = f"Imported from OPML on {datetime.now(UTC):%Y-%m-%d}"
    return append_feeds(parse_opml(opml_text), sources_yaml_path, default_every, comment)


def append_feeds(
    feeds: list[OpmlFeed],
    sources_yaml_path: Path,
    default_every: str,
    comment: str,
    *,
    write: bool = True,
) -> OpmlImport:
    """Append ``feeds`` whose URL is new to sources.yaml under ``comment``, keeping the file's
    comments and layout (``watch sources import-opml`` and ``watch sources add``).

    If the file was valid before, it is valid after: the result is validated before it replaces
    the file.  A symlinked sources.yaml is written through the link, and a file with CRLF line
    ends keeps them.  With ``write=False`` nothing is written: the report says what would be.
    """
    path = Path(sources_yaml_path).resolve()
    raw = path.read_bytes().decode("utf-8") if path.exists() else ""
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = raw.replace("\r\n", "\n")
    yaml = _round_trip_yaml(text)
    document = yaml.load(text) if text.strip() else CommentedMap()
    if not isinstance(document, CommentedMap):
        raise OpmlError(f"{path}: cannot import into a file that is not a mapping with 'sources:'")
    entries, skipped = _new_entries(feeds, document, default_every, path.name)
    if not entries:
        return OpmlImport([], skipped)
    result = _append_as_text(text, document, entries, comment) or _append_round_trip(
        yaml, document, entries, comment
    )
    if _is_valid(text, str(path)):
        try:
            parse_config(result, str(path))
        except ConfigError as exc:  # a bug of ours, never a reason to break the user's file
            raise OpmlError(f"import would make {path} invalid; nothing written:\n{exc}") from None
    if write:
        _write_atomically(path, result, newline)
    return OpmlImport([str(entry["name"]) for entry in entries], skipped)


def _new_entries(
    feeds: list[OpmlFeed], document: CommentedMap, default_every: str, file_name: str
) -> tuple[list[CommentedMap], list[SkippedFeed]]:
    """Entries for the feeds whose URL is not in the file yet, with unique names; and the
    feeds skipped, with the reason."""
    sources = document.get("sources")
    existing = [item for item in sources or () if isinstance(item, Mapping)]
    taken = {  # URL → why another feed with it is skipped
        url_key(str(item.get("url", ""))): f"already in {file_name} as {item.get('name')}"
        for item in existing
    }
    names = {str(item.get("name")) for item in existing}
    topics = _topic_lookup(document.get("topics"))
    entries: list[CommentedMap] = []
    skipped: list[SkippedFeed] = []
    for feed in feeds:
        keys = dict.fromkeys((url_key(feed.url), url_key(feed.xml_url)))
        refusal = next((taken[key] for key in keys if key in taken), None)
        entry = refusal or _new_entry(feed, names, topics, default_every)
        if isinstance(entry, str):
            skipped.append(SkippedFeed(_hide_password(feed.xml_url), feed.title, entry))
            continue
        for key in keys:
            taken[key] = f"listed twice in the OPML, imported once as {entry['name']}"
        names.add(entry["name"])
        entries.append(entry)
    return entries, skipped


def _append_as_text(
    text: str, document: CommentedMap, entries: list[CommentedMap], comment: str
) -> str | None:
    """Insert the new entries after the last source, leaving every other byte of the file as it
    is (a full dump would re-wrap multi-line flow lists).  None when the layout is unusual."""
    sources = document.get("sources")
    if not isinstance(sources, CommentedSeq) or not sources or sources.fa.flow_style():
        return _fill_empty_flow_list(text, document, entries, comment)
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
    fragment = f"\n{' ' * offset}# {comment}\n{_dump_entries(entries, offset)}"
    return "".join(lines[:at]) + fragment + "".join(lines[at:])


def _fill_empty_flow_list(
    text: str, document: CommentedMap, entries: list[CommentedMap], comment: str
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
    fragment = f"  # {comment}\n{_dump_entries(entries, 2)}"
    return "".join(lines[: at + 1]) + fragment + "".join(lines[at + 1 :])


def _dump_entries(entries: list[CommentedMap], offset: int) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    output = StringIO()
    yaml.dump(CommentedSeq(entries), output)
    return output.getvalue()


def _append_round_trip(
    yaml: YAML, document: CommentedMap, entries: list[CommentedMap], comment: str
) -> str:
    """The general case (no sources key, a flow-style list with items): append through a ruamel
    round trip."""
    sources = document.get("sources")
    if not isinstance(sources, CommentedSeq):
        sources = document["sources"] = CommentedSeq()
    sources.fa.set_block_style()
    first_new = len(sources)
    sources.extend(entries)
    sources.yaml_set_comment_before_after_key(first_new, before=comment, indent=2)
    output = StringIO()
    yaml.dump(document, output)
    return output.getvalue()


def _is_valid(text: str, filename: str) -> bool:
    try:
        parse_config(text, filename)
    except ConfigError:
        return False
    return True


def _sequence_offset(text: str) -> int:
    """How far the `- ` of the sources list is indented in the user's file (default 2)."""
    match = re.search(r"^sources:[^\n]*\n(?:\s*#[^\n]*\n|\s*\n)*( *)- ", text, re.MULTILINE)
    return len(match.group(1)) if match else 2


def _round_trip_yaml(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the user's lines
    offset = _sequence_offset(text)
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def url_key(url: str) -> str:
    """Two spellings of one feed URL compare equal: scheme, host case, trailing slash (so
    ``http://site/feed/`` is already followed when sources.yaml has ``https://site/feed``)."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{(parts.netloc or '').lower()}{path}{query}"


def _hide_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def _topic_lookup(topics: Any) -> dict[str, str]:
    """Folder or category spelling (slugged) → topic name, for names and labels."""
    lookup: dict[str, str] = {}
    for topic in topics or ():
        if isinstance(topic, Mapping) and isinstance(topic.get("name"), str):
            for spelling in (topic["name"], topic.get("label") or ""):
                if spelling:
                    lookup.setdefault(_slug(str(spelling)), topic["name"])
    return lookup


def _new_entry(
    feed: OpmlFeed, names: set[str], topics: dict[str, str], default_every: str
) -> CommentedMap | str:
    """A valid sources.yaml entry for ``feed``, or why its URL cannot be a source."""
    hints = list(
        dict.fromkeys(
            topics[s] for s in map(_slug, (*feed.folders, *feed.categories)) if s in topics
        )
    )
    name = _unique_name(_base_name(feed), names)
    label = label_from_title(feed.title)
    label = "" if label == name else label
    for every in (feed.every, default_every):
        if not every:
            continue
        try:
            SourceConfig(name=name, label=label, url=feed.url, every=every, topics=tuple(hints))
        except ValidationError as exc:
            refusals = [e["msg"] for e in exc.errors() if e["loc"] == ("url",)]
            if refusals:
                return refusals[0].removeprefix("Value error, ").removeprefix(f"{feed.url!r} is ")
            continue
        entry = CommentedMap(name=name, **({"label": label} if label else {}))
        entry.update(url=feed.url, every=every)
        if hints:
            entry["topics"] = _flow(hints)
        return entry
    raise OpmlError(f"default_every {default_every!r} is not a valid frequency")


def _base_name(feed: OpmlFeed) -> str:
    """The name the feed asks for (``watch:name``, ``--name``), made valid if it is not; else
    one derived from its title or its host."""
    if feed.name and re.fullmatch(ID_PATTERN, feed.name):
        return feed.name
    return _slug(feed.name or "") or _slug(feed.title) or _slug(urlsplit(feed.url).hostname or "")


def label_from_title(title: str) -> str:
    """A source ``label:`` from a feed's title: one line, control characters dropped, at most
    MAX_LABEL characters (cut at a word when it can, with "…")."""
    text = " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in title).split())
    if len(text) <= MAX_LABEL:
        return text
    cut = text[: MAX_LABEL - 1]
    if " " in cut[MAX_LABEL // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def _flow(values: list[str]) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def _slug(text: str) -> str:
    """A source name from a title: ASCII, lowercase, ``[a-z0-9-_]``, at most 40 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-_")
    return slug[:_NAME_LENGTH].rstrip("-_")


def _unique_name(base: str, taken: set[str]) -> str:
    base = base or "feed"
    name, number = base, 2
    while name in taken:
        suffix = f"-{number}"
        name, number = base[: _NAME_LENGTH - len(suffix)] + suffix, number + 1
    return name


def _write_atomically(path: Path, text: str, newline: str = "\n") -> None:
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
