"""Fast path, RSS: every RSS dialect ``fast.read_tree`` takes, read as feedparser reads it.

It owns:

* ``<rss>`` of any version (2.0, 0.91–0.94, none) and in the namespaces feedparser reads as plain
  RSS (``http://backend.userland.com/rss2`` and the like);
* RDF: RSS 1.0, and RSS 0.90 (``http://my.netscape.com/rdf/simple/0.9/``); items anywhere;
* the item fields: ``link`` (else an Atom alternate link, else a permalink ``guid``), ``guid``,
  ``title``, ``description`` and ``content:encoded``, the last of ``author``/``dc:creator``/
  ``itunes:author``, ``pubDate`` (published) and ``dc:date`` (updated); a feed proxy's original
  link (``feedburner:origLink``, ``pheedo:origLink``: ``fast.ORIGINAL_LINKS``) before all of them
  as the link when it is an absolute http(s) URL (see fast.py);
* ``format``: the version feedparser reports (its ``_start_rss`` rules; a Netscape DOCTYPE makes
  rss091n) under the name ``fallback.convert`` gives it (rss090…rss094 are all ``rss09x``), so a
  document's format does not depend on the path that read it;
* HTML written as markup inside ``description``/``content:encoded`` (reddit): serialized back as
  feedparser does (tag and attribute names lowercased, attributes sorted, namespaces dropped,
  void elements as ``<br />``) where that is exact: common HTML tags feedparser has no handler
  for, no namespaced attribute, no escaped tag before the first tag, no ``<div>`` first;
* an empty ``<item/>`` inside an item (a feedburner accident): feedparser makes it an empty
  entry and reads the rest of the outer item as channel data, so we do the same when that rest
  is harmless (an original link, ``category``, ``comments``, ``enclosure``).

Anything else unusual raises ``Unsupported`` and the document goes to feedparser.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from lxml import etree

from watch.models import ParsedEntry, ParsedFeed
from watch.parse.dates import parse_date
from watch.parse.fast import (
    ORIGINAL_LINK_KEYS,
    RDF,
    RSS1,
    Unsupported,
    atom_alternate,
    key,
    lang,
    longest,
    media,
    original_link,
    resolve,
    text,
)

RSS090 = "{http://my.netscape.com/rdf/simple/0.9/}"
_RSS_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}
_FORMATS = {v: "rss09x" for v in ("rss090", "rss091n", *_RSS_VERSIONS.values())}  # as fallback
# A namespace feedparser meets before <rss> that would give another version (it keeps rss10 and
# rss090 over <rss version>, and which of several wins depends on declaration order).
_VERSION_NAMESPACES = {"http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/"}
_HTML_KEYS = {"description", "rss1:description", "content:encoded"}
_TRAILING_KEYS = {*ORIGINAL_LINK_KEYS, "category", "comments", "enclosure"}
# fmt: off
_INLINE_TAGS = frozenset((
    "a", "abbr", "acronym", "b", "big", "blockquote", "br", "caption", "center", "cite", "code",
    "col", "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var", "wbr",
))
# fmt: on
_VOID_TAGS = frozenset(("br", "col", "hr", "img", "wbr"))
# In text copied as HTML, a reference that HTML parsers may read differently (``&copy``, ``&x;``).
_UNUSUAL_REFERENCE = re.compile(r"&(?!(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)")


def read_rss(root: etree._Element) -> ParsedFeed:
    """Read an ``<rss>`` or RDF tree into a ParsedFeed, or raise Unsupported."""
    tag = root.tag if isinstance(root.tag, str) else ""
    if key(tag) == "rss":
        return _read_rss(root)
    if tag == f"{RDF}RDF":
        return _read_rdf(root)
    raise Unsupported(tag)


def _format(root: etree._Element, version: str) -> str:
    if "netscape" in (root.getroottree().docinfo.doctype or "").lower():
        version = "rss091n"  # feedparser's replace_doctype, whatever the root says
    return _FORMATS.get(version, version)


def _rss_version(root: etree._Element) -> str:
    """feedparser's version for ``<rss version=…>`` (``_start_rss``)."""
    if any(uri.lower() in _VERSION_NAMESPACES for uri in root.nsmap.values()):
        raise Unsupported("RSS 1.0/0.90 namespace declared on <rss>")
    attribute = root.get("version", "")
    if attribute in _RSS_VERSIONS:
        return _RSS_VERSIONS[attribute]
    return "rss20" if attribute.startswith("2.") else "rss"


def _children(element: etree._Element) -> list[etree._Element]:
    return [child for child in element if isinstance(child.tag, str)]


# --- RSS 2.0 and 0.9x ----------------------------------------------------------------------


def _read_rss(root: etree._Element) -> ParsedFeed:
    channel = next((c for c in _children(root) if key(c.tag) == "channel"), None)
    if channel is None:
        raise Unsupported("rss without channel")
    feed = ParsedFeed(format=_format(root, _rss_version(root)), parser="fast")
    for child in channel:
        name = key(child.tag) if isinstance(child.tag, str) else ""
        if name == "item":
            feed.entries.extend(_channel_item(child))
        elif name == "title" and feed.title is None:
            feed.title = text(child)
        elif name == "link" and feed.link is None:
            feed.link = resolve(child, text(child)) or None
        elif name in ("language", "dc:language") and feed.language is None:
            feed.language = text(child) or None
    return feed


def _channel_item(item: etree._Element) -> list[ParsedEntry]:
    """The entry for a channel's ``<item>``; two when an empty ``<item/>`` is nested in it."""
    inner = next(item.iterdescendants(item.tag), None)  # feedparser starts an entry at any depth
    if inner is None:
        return [_rss_item(item, item)]
    if inner.getparent() is not item or len(inner) or (inner.text or "").strip() or inner.attrib:
        raise Unsupported("item inside an RSS item")
    children = list(item)
    position = children.index(inner)
    if not all(_channel_data(c) for c in children[position + 1 :]):
        raise Unsupported("channel data after an item inside an RSS item")
    return [_rss_item(item, children[:position]), ParsedEntry()]


def _channel_data(element: etree._Element) -> bool:
    """Whether feedparser can read ``element`` as channel data without changing what we keep."""
    return isinstance(element.tag, str) and key(element.tag) in _TRAILING_KEYS and not len(element)


def _rss_item(item: etree._Element, children: Iterable[etree._Element]) -> ParsedEntry:
    """An item's entry, read from ``children`` (all of the item's, or those feedparser gives it)."""
    entry = ParsedEntry(base_url=item.base)
    link = atom_link = description = content = extra = original = None
    permalink = False
    for child in children:
        if not isinstance(child.tag, str):
            continue
        name = key(child.tag)
        if name in ("link", "rss1:link"):
            href = text(child)
            link = resolve(child, href) if href else link
        elif name == "guid":
            entry.guid = text(child) or entry.guid
            permalink = child.get("isPermaLink", "true") == "true"
        elif name in ("title", "rss1:title", "dc:title"):
            entry.title = text(child)
        elif name in ("description", "rss1:description", "dc:description"):
            description = _html(child) if name in _HTML_KEYS else text(child)
        elif name == "content:encoded":
            content = _html(child)
        elif name == "itunes:summary":
            extra = text(child)
        elif name in ("author", "dc:creator", "itunes:author", "dc:author"):
            entry.author = _rss_person(child) or entry.author
        elif name in ("pubDate", "dcterms:issued"):
            entry.published = parse_date(text(child))
        elif name in ("dc:date", "dcterms:modified", "atom:updated"):
            entry.updated = parse_date(text(child))
        elif name == "dc:language":
            entry.language = text(child) or None
        elif name == "atom:link":
            atom_link = atom_alternate(child) or atom_link
        elif name in ORIGINAL_LINK_KEYS:
            original = text(child)
        elif name in ("item", "atom:content", "atom:summary", "xhtml:body"):
            raise Unsupported(f"{name} inside an RSS item")
    permalink_guid = entry.guid if permalink and entry.guid else None
    entry.link = original_link(original) or link or atom_link or permalink_guid
    entry.title = entry.title if entry.title is not None else media(item, "media:title")
    entry.summary = longest(content, description, extra, media(item, "media:description"))
    entry.language = entry.language or lang(item)
    return entry


def _rss_person(element: etree._Element) -> str | None:
    """An RSS author: its text, or Atom-style ``<name>``/``<email>`` children (as feedparser
    reads ``<author><name>…</name><title>…</title></author>``; other children are ignored)."""
    if not len(element):
        return text(element)
    if (element.text or "").strip():
        raise Unsupported("text and markup inside an RSS author")
    parts = {etree.QName(child).localname: child for child in _children(element)}
    name = text(parts["name"]) if "name" in parts else ""
    email = text(parts["email"]) if "email" in parts else ""
    if name and email:
        return f"{name} ({email})"
    return name or email or None


# --- markup inside an RSS HTML element -----------------------------------------------------


def _html(element: etree._Element) -> str:
    """An RSS HTML element's value: its text, or its markup serialized as feedparser does.

    feedparser copies the text before the first tag as it is once decoded (so ``&amp;lt;`` there
    is HTML ``&lt;``) and drops a first ``<div>`` start tag; we copy the same text, and leave to
    it a text that decodes to a tag (``&lt;b&gt;``) or an unusual reference, and a first div."""
    if not len(element):
        return text(element)
    lead = element.text or ""
    if "<" in lead or _UNUSUAL_REFERENCE.search(lead):
        raise Unsupported("escaped markup before markup inside an RSS element")
    if _inline_name(element[0]) == "div":
        raise Unsupported("markup inside an RSS element opening with <div>")
    parts = [lead]
    for child in element:
        _serialize(child, parts)
    return "".join(parts).strip()


def _inline_name(element: etree._Element) -> str:
    """The HTML tag feedparser writes for an element (prefix dropped, lowercased)."""
    if not isinstance(element.tag, str):
        raise Unsupported("entity reference inside an RSS element")
    prefix, _, local = key(element.tag).rpartition(":")
    name = local.lower()
    if prefix not in ("", "rss1", "xhtml") or name not in _INLINE_TAGS:
        raise Unsupported(f"<{element.tag}> inside an RSS element")
    return name


def _serialize(element: etree._Element, parts: list[str]) -> None:
    name = _inline_name(element)
    attributes = _attributes(element)
    if name in _VOID_TAGS:
        if len(element) or element.text:
            raise Unsupported(f"content inside <{name}>")
        parts.append(f"<{name}{attributes} />")
    else:
        parts.append(f"<{name}{attributes}>{html.escape(element.text or '', quote=False)}")
        for child in element:
            _serialize(child, parts)
        parts.append(f"</{name}>")
    parts.append(html.escape(element.tail or "", quote=False))


def _attributes(element: etree._Element) -> str:
    """Attributes as feedparser writes them: names lowercased and sorted, ``rel``/``type``
    values lowercased."""
    pairs = sorted((name.lower(), value) for name, value in element.attrib.items())
    if any(name.startswith("{") for name, _ in pairs) or len(dict(pairs)) < len(pairs):
        raise Unsupported("namespaced or repeated attribute inside an RSS element")
    return "".join(f' {name}="{_attribute_value(name, value)}"' for name, value in pairs)


def _attribute_value(name: str, value: str) -> str:
    value = value.lower() if name in ("rel", "type") else value
    return html.escape(value, quote=False).replace('"', "&quot;")


# --- RSS 1.0 and 0.90 (RDF) ----------------------------------------------------------------


def _read_rdf(root: etree._Element) -> ParsedFeed:
    namespace, version = _rdf_dialect(root)
    feed = ParsedFeed(format=_format(root, version), parser="fast")
    channel = root.find(f"{namespace}channel")
    if channel is not None:
        for child in _children(channel):
            if child.tag == f"{namespace}title":
                feed.title = text(child)
            elif child.tag == f"{namespace}link":
                feed.link = text(child) or None
            elif key(child.tag) == "dc:language":
                feed.language = text(child) or None
    for item in root.iter(f"{namespace}item"):
        feed.entries.append(_rdf_item(item))
    return feed


def _rdf_dialect(root: etree._Element) -> tuple[str, str]:
    """The items' namespace and feedparser's version: RSS 1.0, or 0.90 as the default
    namespace (what feedparser recognises) with no RSS 1.0 namespace to compete with it."""
    if root.find(f"{RSS1}channel") is not None:
        return RSS1, "rss10"
    uris = {uri.lower() for uri in root.nsmap.values()}
    if (
        root.nsmap.get(None) == RSS090[1:-1]
        and root.find(f"{RSS090}channel") is not None
        and not uris & {"http://purl.org/rss/1.0/", "http://www.w3.org/2005/atom"}
    ):
        return RSS090, "rss090"
    raise Unsupported("RDF without an RSS 1.0 or 0.90 channel")


def _rdf_item(item: etree._Element) -> ParsedEntry:
    entry = _rss_item(item, item)
    entry.guid = item.get(f"{RDF}about") or entry.guid
    return entry
