"""OPML import and export: how users of other feed readers move into `watch` and out of it.

``export_opml`` writes OPML 2.0 from a validated config: one ``type="rss"`` outline per feed
source, folders named after each source's first topic, page sources as comments (other readers
cannot read them).  ``import_opml`` appends the feeds of an OPML file to ``sources.yaml``
through a ruamel round trip, so the user's comments and layout survive; it never adds a URL
already present and refuses to write a file it would make invalid.  OPML is parsed without
DTDs, entities or network access: a document that declares any is refused.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from watch.config import ConfigError, SourceConfig, WatchConfig, parse_config

WATCH_NS = "https://github.com/watch-project/watch/opml"
_NAME_LENGTH = 40
_ENTITY_REFUSAL = (
    "OPML refused: it declares a DOCTYPE or ENTITY (XML entity attacks are not parsed)"
)


class OpmlError(ValueError):
    """The OPML document is refused: not well-formed, not OPML, or declaring DTD/entities."""


@dataclass(frozen=True)
class OpmlFeed:
    """One feed outline of an OPML document, with the folders it sits in."""

    xml_url: str
    title: str = ""
    html_url: str | None = None
    folders: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    every: str | None = None
    """From our own export (``watch:every``); other readers have no such attribute."""


# --- reading OPML safely --------------------------------------------------------------------


def parse_opml(opml_text: bytes | str) -> list[OpmlFeed]:
    """The feed outlines of an OPML document, in document order (OpmlError if refused)."""
    data = _as_bytes(opml_text)
    if re.search(rb"<!(DOCTYPE|ENTITY)", data[:65536], re.IGNORECASE):
        raise OpmlError(_ENTITY_REFUSAL)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if "entity" in str(exc).lower():
            raise OpmlError(f"{_ENTITY_REFUSAL}: {exc}") from None
        raise OpmlError(f"OPML refused: not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise OpmlError(_ENTITY_REFUSAL)
    if etree.QName(root).localname.lower() != "opml":
        raise OpmlError(
            f"not an OPML document: the root element is <{etree.QName(root).localname}>"
        )
    body = next((c for c in root if _local(c) == "body"), None)
    return list(_walk(body, ())) if body is not None else []


def _as_bytes(opml_text: bytes | str) -> bytes:
    if isinstance(opml_text, bytes):
        return opml_text
    # lxml refuses str with an encoding declaration: the text is already decoded, drop it.
    return re.sub(r"^\ufeff?\s*<\?xml[^>]*\?>", "", opml_text, count=1).encode("utf-8")


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _walk(parent: Any, folders: tuple[str, ...]) -> Iterable[OpmlFeed]:
    for outline in parent:
        if _local(outline) != "outline":
            continue
        attrs = {
            etree.QName(k).localname.lower(): (v or "").strip() for k, v in outline.attrib.items()
        }
        title = attrs.get("title") or attrs.get("text") or ""
        if attrs.get("xmlurl"):
            categories = tuple(
                part.strip("/ ")
                for part in re.split(r"[,/]", attrs.get("category", ""))
                if part.strip("/ ")
            )
            yield OpmlFeed(
                xml_url=attrs["xmlurl"],
                title=title,
                html_url=attrs.get("htmlurl") or None,
                folders=folders,
                categories=categories,
                every=attrs.get("every") or None,
            )
        elif len(outline):
            yield from _walk(outline, (*folders, title) if title else folders)


# --- export ---------------------------------------------------------------------------------


def export_opml(
    config: WatchConfig,
    *,
    site_urls: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> str:
    """OPML 2.0 for the feed sources, folders by first topic; ``site_urls`` maps name → htmlUrl."""
    labels = {topic.name: topic.label for topic in config.topics}
    root = etree.Element("opml", version="2.0", nsmap={"watch": WATCH_NS})
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = config.name
    etree.SubElement(head, "dateCreated").text = format_datetime(
        now or datetime.now(UTC), usegmt=True
    )
    etree.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    folders: dict[str, Any] = {}
    for source in config.sources:
        parent = body
        if source.topics:
            first = source.topics[0]
            if first not in folders:
                label = labels.get(first, first)
                folders[first] = etree.SubElement(body, "outline", text=label, title=label)
            parent = folders[first]
        if source.kind == "page":
            parent.append(etree.Comment(_comment_text(source)))
        else:
            parent.append(_feed_outline(source, (site_urls or {}).get(source.name)))
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode(
        "utf-8"
    )


def _feed_outline(source: SourceConfig, html_url: str | None) -> Any:
    outline = etree.Element(
        "outline", type="rss", text=source.name, title=source.name, xmlUrl=source.url
    )
    if html_url:
        outline.set("htmlUrl", html_url)
    if source.topics:
        outline.set("category", ",".join(f"/{topic}" for topic in source.topics))
    outline.set(f"{{{WATCH_NS}}}every", source.every)
    if source.weight != 1.0:
        outline.set(f"{{{WATCH_NS}}}weight", f"{source.weight:g}")
    if not source.enabled:
        outline.set(f"{{{WATCH_NS}}}enabled", "false")
    return outline


def _comment_text(source: SourceConfig) -> str:
    text = f" watch page source {source.name}: {source.url} (a web page read with CSS selectors, not a feed) "
    return re.sub(r"-(?=-)", "- ", text)  # "--" is not allowed inside an XML comment


# --- import ---------------------------------------------------------------------------------


def import_opml(
    opml_text: bytes | str, sources_yaml_path: Path, *, default_every: str = "1h"
) -> list[str]:
    """Append the OPML's new feeds to sources.yaml, keeping its comments; return the added names.

    URLs already present (or repeated in the OPML) are skipped; folders and categories become
    topic hints when such a topic exists.  If the file was valid before, it is valid after: the
    result is validated before it replaces the file.  A symlinked sources.yaml is written
    through the link, and a file with CRLF line ends keeps them.
    """
    feeds = parse_opml(opml_text)
    path = Path(sources_yaml_path).resolve()
    raw = path.read_bytes().decode("utf-8") if path.exists() else ""
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = raw.replace("\r\n", "\n")
    yaml = _round_trip_yaml(text)
    document = yaml.load(text) if text.strip() else CommentedMap()
    if not isinstance(document, CommentedMap):
        raise OpmlError(f"{path}: cannot import into a file that is not a mapping with 'sources:'")
    entries = _new_entries(feeds, document, default_every)
    if not entries:
        return []
    comment = f"Imported from OPML on {datetime.now(UTC):%Y-%m-%d}"
    result = _append_as_text(text, document, entries, comment) or _append_round_trip(
        yaml, document, entries, comment
    )
    if _is_valid(text, str(path)):
        try:
            parse_config(result, str(path))
        except ConfigError as exc:  # a bug of ours, never a reason to break the user's file
            raise OpmlError(f"import would make {path} invalid; nothing written:\n{exc}") from None
    _write_atomically(path, result, newline)
    return [str(entry["name"]) for entry in entries]


def _new_entries(
    feeds: list[OpmlFeed], document: CommentedMap, default_every: str
) -> list[CommentedMap]:
    """Entries for the feeds whose URL is not in the file yet, with unique names."""
    sources = document.get("sources")
    existing = [item for item in sources or () if isinstance(item, Mapping)]
    seen_urls = {_url_key(str(item.get("url", ""))) for item in existing}
    names = {str(item.get("name")) for item in existing}
    topics = _topic_lookup(document.get("topics"))
    entries: list[CommentedMap] = []
    for feed in feeds:
        if _url_key(feed.xml_url) in seen_urls:
            continue
        entry = _new_entry(feed, names, topics, default_every)
        if entry is None:
            continue
        seen_urls.add(_url_key(feed.xml_url))
        names.add(entry["name"])
        entries.append(entry)
    return entries


def _append_as_text(
    text: str, document: CommentedMap, entries: list[CommentedMap], comment: str
) -> str | None:
    """Insert the new entries after the last source, leaving every other byte of the file as it
    is (a full dump would re-wrap multi-line flow lists).  None when the layout is unusual."""
    sources = document.get("sources")
    if not isinstance(sources, CommentedSeq) or not sources or sources.fa.flow_style():
        return None
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
    """The general case (no sources yet, flow-style list): append through a ruamel round trip."""
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


def _url_key(url: str) -> str:
    """Two spellings of one feed URL compare equal: scheme, host case, trailing slash."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{(parts.netloc or '').lower()}{path}{query}"


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
) -> CommentedMap | None:
    """A valid sources.yaml entry for ``feed``, or None when its URL cannot be a source."""
    hints = list(
        dict.fromkeys(
            topics[s] for s in map(_slug, (*feed.folders, *feed.categories)) if s in topics
        )
    )
    name = _unique_name(_slug(feed.title) or _slug(urlsplit(feed.xml_url).hostname or ""), names)
    for every in (feed.every, default_every):
        if not every:
            continue
        try:
            SourceConfig(name=name, url=feed.xml_url, every=every, topics=tuple(hints))
        except ValidationError as exc:
            if any(error["loc"] == ("url",) for error in exc.errors()):
                return None
            continue
        entry = CommentedMap(name=name, url=feed.xml_url, every=every)
        if hints:
            entry["topics"] = _flow(hints)
        return entry
    raise OpmlError(f"default_every {default_every!r} is not a valid frequency")


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
