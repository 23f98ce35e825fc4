"""Reading OPML safely: the feed outlines of a document, with the folders they sit in.

The document is parsed without DTDs, entities or network access: one that declares any is
refused (``OpmlError``), whatever its encoding, as is a document that is not OPML.  A document
that is not well-formed only because of what other readers do write (a bare ``&`` in a title,
an HTML entity such as ``&eacute;``) is repaired as text and read (``read_opml`` says so);
otherwise it is refused, the error located and in words.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lxml import etree

WATCH_NS = "https://github.com/watch-project/watch/opml"
"""The namespace of the attributes only our own export writes (``watch:every``…)."""
PAGE_SOURCE = "watch-page"
"""The ``outline_type`` of a page source of our own export, which writes it as a comment."""
_PAGE_COMMENT = re.compile(r" watch page source (?P<name>\S+): (?P<url>\S+) ")  # writing.py
_ENTITY_REFUSAL = (
    "OPML refused: it declares a DOCTYPE or ENTITY (XML entity attacks are not parsed)"
)


_XML_ENTITIES = frozenset(("amp", "lt", "gt", "quot", "apos"))
_BARE_AMPERSAND = re.compile(rb"&(?![A-Za-z][A-Za-z0-9._-]*;|#[0-9]+;|#x[0-9A-Fa-f]+;)")
_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]*);")


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
    source_url: str | None = None
    """From our own export (``watch:url``): the url written in sources.yaml when ``xml_url`` is
    the feed found on that web page."""
    name: str | None = None
    """The source's name in sources.yaml: from our own export (``watch:name``, whose ``title``
    is the source's label) or ``watch sources add --name``; else derived from ``title``."""
    weight: float | None = None
    """From our own export (``watch:weight``)."""
    enabled: bool = True
    """False when our own export says ``watch:enabled="false"``."""
    outline_type: str = ""
    """The outline's ``type`` as written (``rss``; FreshRSS writes ``HTML+XPath``… for pages it
    scrapes), or ``PAGE_SOURCE`` for a page source of our own export."""

    @property
    def url(self) -> str:
        """The url a `watch` source of this feed has: as written in sources.yaml if known."""
        return self.source_url or self.xml_url


def parse_opml(opml_text: bytes | str) -> list[OpmlFeed]:
    """The feed outlines of an OPML document, in document order (OpmlError if refused); an
    outline with a site (``htmlUrl``) but no feed comes with an empty ``xml_url``."""
    return read_opml(opml_text)[0]


def read_opml(opml_text: bytes | str) -> tuple[list[OpmlFeed], str]:
    """``parse_opml``'s feeds, and what was wrong with a document read only once repaired (a
    bare ``&``, an HTML entity), in words; "" for a well-formed document."""
    data = _as_bytes(opml_text)
    if not data.strip():
        raise OpmlError("OPML refused: the file is empty")
    if re.search(rb"<!(DOCTYPE|ENTITY)", data[:262144].replace(b"\0", b""), re.IGNORECASE):
        raise OpmlError(_ENTITY_REFUSAL)  # nulls dropped: UTF-16 and UTF-32 are caught too
    try:
        return _feeds(_parsed(data)), ""
    except etree.XMLSyntaxError as exc:
        problem = _syntax_words(exc)
        repaired = _repaired(data)
        if repaired == data:
            raise OpmlError(f"OPML refused: not well-formed XML: {problem}") from None
    try:
        return _feeds(_parsed(repaired)), f"not well-formed XML ({problem})"
    except etree.XMLSyntaxError:
        raise OpmlError(f"OPML refused: not well-formed XML: {problem}") from None


def _parsed(data: bytes) -> Any:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
    )
    return etree.fromstring(data, parser)


def _feeds(root: Any) -> list[OpmlFeed]:
    if root.getroottree().docinfo.internalDTD is not None:
        raise OpmlError(_ENTITY_REFUSAL)
    if etree.QName(root).localname.lower() != "opml":
        raise OpmlError(
            f"not an OPML document: the root element is <{etree.QName(root).localname}>"
        )
    body = next((c for c in root if _local(c) == "body"), None)
    return list(_walk(body, ())) if body is not None else []


def _syntax_words(exc: etree.XMLSyntaxError) -> str:
    """'line 8, column 50: a bare '&' (write &amp;)', lxml's own words for other errors."""
    line, column = exc.position
    message = str(exc.msg).split(", line ")[0]
    undefined = re.match(r"Entity '([^']+)' not defined", message)
    if "xmlParseEntityRef: no name" in message:
        message = "a bare '&' (write &amp;)"
    elif undefined and f"{undefined[1]};" in html.entities.html5:
        message = f"an HTML entity &{undefined[1]}; (XML knows only &amp; &lt; &gt; &quot; &apos;)"
    elif undefined:
        message = f"an undefined entity &{undefined[1]};"
    return f"line {line}, column {column}: {message}"


def _repaired(data: bytes) -> bytes:
    """``data`` with each bare ``&`` written ``&amp;`` and each HTML entity as the character
    it stands for (``&#233;``), as their writers meant; as it is when not ASCII-compatible."""
    if b"\0" in data[:4]:
        return data

    def character(match: re.Match[bytes]) -> bytes:
        name = match[1].decode("ascii")
        text = html.entities.html5.get(f"{name};")
        if name in _XML_ENTITIES or text is None:
            return match[0]
        return "".join(f"&#{ord(c)};" for c in text).encode("ascii")

    return _NAMED_ENTITY.sub(character, _BARE_AMPERSAND.sub(b"&amp;", data))


def _as_bytes(opml_text: bytes | str) -> bytes:
    if isinstance(opml_text, bytes):
        return opml_text
    # lxml refuses str with an encoding declaration: the text is already decoded, drop it.
    return re.sub(r"^\ufeff?\s*<\?xml[^>]*\?>", "", opml_text, count=1).encode("utf-8")


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _walk(parent: Any, folders: tuple[str, ...]) -> Iterable[OpmlFeed]:
    for outline in parent:
        if outline.tag is etree.Comment:
            yield from _page_source(outline.text or "", folders)
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
                source_url=_ours(outline, "url") or None,
                name=_ours(outline, "name") or None,
                weight=_weight(_ours(outline, "weight")),
                enabled=_ours(outline, "enabled").lower() != "false",
                outline_type=attrs.get("type", ""),
            )
        elif len(outline):
            yield from _walk(outline, (*folders, title) if title else folders)
        elif attrs.get("htmlurl"):  # a feed the other reader lost: its site is all there is
            yield OpmlFeed(xml_url="", title=title, html_url=attrs["htmlurl"], folders=folders)


def _ours(outline: Any, attribute: str) -> str:
    """An attribute only our own export writes (``watch:name``…), "" when absent."""
    return (outline.get(f"{{{WATCH_NS}}}{attribute}") or "").strip()


def _weight(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _page_source(comment: str, folders: tuple[str, ...]) -> Iterable[OpmlFeed]:
    """The page source our own export wrote as a comment (other readers cannot read pages)."""
    page = _PAGE_COMMENT.match(comment)
    if page:
        name, url = page["name"], page["url"]
        yield OpmlFeed("", name, url, folders, name=name, outline_type=PAGE_SOURCE)
