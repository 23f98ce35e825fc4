"""Fast path: well-formed RSS (0.90 to 2.0, RDF 1.0 included) and Atom 1.0 read with lxml.

lxml runs at tens of MB/s where feedparser manages about one, so the common case goes here.
The fields follow feedparser's rules so that both paths give the same entries.  This module
holds the entry point (``parse_tree``, ``read_tree``), the element helpers both readers share,
and the Atom reader:

* Atom: the last ``rel=alternate`` HTML link, ``id``, ``title``, ``summary``/``content`` (text is
  escaped to HTML, XHTML is serialized), author as ``name (email)``, ``published``/``updated``;
  ``xml:base`` is honoured for every link.
* a feed proxy's original link (``ORIGINAL_LINKS``: FeedBurner's ``feedburner:origLink``,
  Pheedo's ``pheedo:origLink``; RSS and Atom): the article's own address, taken as the entry's
  link when it is an absolute http(s) URL (``<link>`` there is the proxy's redirect,
  feedproxy.google.com or pheedo's click.phdo, dead today); the id/guid, the entry's identity,
  is read as usual.
* RSS, every dialect: see fast_rss.py.

A document beyond lxml's limits (depth, size of one tag or text) is refused (``parse_tree``).
Anything unusual (markup inside an RSS element that feedparser would read otherwise, base64 or
out-of-line content, an unknown dialect) raises ``Unsupported`` and the dispatcher falls back to
feedparser.
"""

from __future__ import annotations

import functools
import html
import itertools
from urllib.parse import urljoin, urlsplit

from lxml import etree

from watch.models import ParsedEntry, ParsedFeed
from watch.parse.dates import parse_date
from watch.parse.guard import UnsafeDocument

ATOM = "{http://www.w3.org/2005/Atom}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
RSS1 = "{http://purl.org/rss/1.0/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ORIGINAL_LINKS = (
    ("http://rssnamespace.org/feedburner/ext/1.0", "origLink"),  # FeedBurner
    ("http://www.pheedo.com/namespace/pheedo", "origLink"),  # Pheedo
)
"""(namespace, local name) of the elements in which a feed proxy keeps the article's own address
(its ``<link>`` is the proxy's redirect).  ``feedburner:origEnclosureLink`` is a podcast's file,
not the article: it is not one.  Each namespace has its prefix in ``_NAMESPACE_PREFIXES``;
``fallback.convert`` reads the same list from feedparser."""
_HTML_TYPES = {"text/html", "application/xhtml+xml", "html", "xhtml"}
LXML_MAX_DEPTH = 256
"""How deep libxml2 lets elements nest without ``huge_tree`` (it says 256 or 257 when it stops)."""


class Unsupported(Exception):
    """The fast path cannot read this document faithfully; use the fallback."""


def make_parser() -> etree.XMLParser:
    """A strict parser that never resolves entities, never touches the network, no huge trees."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        encoding="utf-8",
    )


def parse_tree(data: bytes, url: str) -> etree._Element:
    """Parse UTF-8 bytes strictly; lxml.etree.XMLSyntaxError when not well-formed.

    A document beyond lxml's limits (nested deeper than 256 levels, a tag or a text over 10 MB:
    a million attributes on one element is one) raises UnsafeDocument instead: no feed looks
    like that, and feedparser would spend the whole time limit on it.
    """
    parser = make_parser()
    try:
        return etree.fromstring(data, parser, base_url=url or None)
    except etree.XMLSyntaxError:
        refusal = _beyond_limits(parser.error_log)
        if refusal is not None:
            raise refusal from None
        raise


def _beyond_limits(errors: etree._ListErrorLog) -> UnsafeDocument | None:
    """The refusal for the first resource limit lxml hit (ill-formed documents included)."""
    for error in errors:
        if error.type != etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            continue
        if error.message.startswith("Excessive depth"):
            return UnsafeDocument(f"document nested more than {LXML_MAX_DEPTH} levels (refused)")
        return UnsafeDocument("document has a tag or a text larger than 10 MB (refused)")
    return None


def read_tree(root: etree._Element) -> ParsedFeed:
    """Read a parsed tree into a ParsedFeed, or raise Unsupported."""
    if root.tag == f"{ATOM}feed":
        return _read_atom(root)
    from watch.parse import fast_rss  # imported here: fast_rss builds on this module's helpers

    return fast_rss.read_rss(root)


# --- shared by the readers -----------------------------------------------------------------


def text(element: etree._Element) -> str:
    """An element's stripped text; Unsupported when it holds markup."""
    if len(element):
        raise Unsupported(f"markup inside <{element.tag}>")
    return (element.text or "").strip()


def resolve(element: etree._Element, href: str) -> str:
    """``href`` resolved against the xml:base in force at ``element``."""
    if href.startswith(("https://", "http://")):
        return href  # already absolute: no need to ask lxml for the xml:base in force (slow)
    base = element.base
    return urljoin(base, href) if base else href


def lang(element: etree._Element) -> str | None:
    """The xml:lang in force for an element (its own or the nearest ancestor's)."""
    for node in itertools.chain((element,), element.iterancestors()):
        value = node.get(XML_LANG)
        if value and value.strip():
            return value.strip()
    return None


_NAMESPACE_PREFIXES = {
    "": "",
    "http://purl.org/dc/elements/1.1": "dc:",
    "http://purl.org/dc/terms": "dcterms:",
    "http://purl.org/rss/1.0/modules/content": "content:",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes:",
    "http://search.yahoo.com/mrss": "media:",
    "http://www.w3.org/2005/atom": "atom:",
    "http://purl.org/rss/1.0": "rss1:",
    # RSS 0.90 and an RSS 2.0 namespace, which feedparser reads as plain RSS (userland: see key)
    "http://my.netscape.com/rdf/simple/0.9": "",
    "http://blogs.law.harvard.edu/tech/rss": "",
    "http://www.w3.org/1999/xhtml": "xhtml:",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner:",
    "http://www.pheedo.com/namespace/pheedo": "pheedo:",
}


@functools.lru_cache(maxsize=512)
def key(tag: str) -> str:
    """``dc:creator`` for ``{http://purl.org/dc/elements/1.1/}creator``, tolerating the
    namespace variants feedparser tolerates (case, trailing slash, any backend.userland.com/rss…
    namespace read as plain RSS)."""
    uri, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    uri = uri.lower()
    if "backend.userland.com/rss" in uri:
        return local
    return _NAMESPACE_PREFIXES.get(uri.rstrip("/"), "other:") + local


ORIGINAL_LINK_KEYS = frozenset(key(f"{{{uri}}}{name}") for uri, name in ORIGINAL_LINKS)
"""``ORIGINAL_LINKS`` as ``key`` names them ("feedburner:origLink", "pheedo:origLink")."""


def original_link(address: str | None) -> str | None:
    """A feed proxy's original link (``ORIGINAL_LINKS``) when it is an absolute http(s) URL (else
    None: the entry keeps its ``<link>``)."""
    address = (address or "").strip()
    try:
        parts = urlsplit(address)
    except ValueError:
        return None
    return address if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def media(item: etree._Element, name: str) -> str | None:
    """A (possibly nested) Media RSS element's text, as feedparser reads ``media:*``."""
    for element in item.iter():
        if isinstance(element.tag, str) and key(element.tag) == name:
            return text(element) or None
    return None


def longest(*candidates: str | None) -> str | None:
    """The longest non-empty candidate (how both paths pick among several texts)."""
    present = [c for c in candidates if c]
    return max(present, key=len) if present else None


# --- Atom 1.0 ------------------------------------------------------------------------------


def _read_atom(root: etree._Element) -> ParsedFeed:
    feed = ParsedFeed(format="atom10", parser="fast", language=lang(root))
    for child in root:
        tag = child.tag
        if tag == f"{ATOM}entry":
            feed.entries.append(_atom_entry(child))
        elif tag == f"{ATOM}title":
            feed.title = _atom_text(child)
        elif tag == f"{ATOM}link":
            feed.link = atom_alternate(child) or feed.link
    return feed


def atom_alternate(link: etree._Element) -> str | None:
    """An Atom ``<link>``'s href when it is an HTML alternate (RSS items use it too)."""
    rel = link.get("rel", "alternate")
    kind = link.get("type", "text/html")
    href = link.get("href")
    if rel != "alternate" or kind not in _HTML_TYPES or not href:
        return None
    return resolve(link, href.strip())


def _atom_text(element: etree._Element) -> str:
    """An Atom text construct as HTML: text escaped, html as is, xhtml serialized."""
    kind = element.get("type", "text")
    if element.get("src") is not None:
        raise Unsupported("out-of-line content")
    if kind in ("xhtml", "application/xhtml+xml"):
        div = element.find(f"{XHTML}div")
        node = div if div is not None else element
        inner = html.escape(node.text or "", quote=False)
        return (inner + "".join(etree.tostring(c, encoding="unicode") for c in node)).strip()
    if kind in ("html", "text/html"):
        return text(element)
    if kind in ("text", "text/plain"):
        return html.escape(text(element), quote=False)
    raise Unsupported(f"content type {kind}")


def _atom_entry(item: etree._Element) -> ParsedEntry:
    entry = ParsedEntry(base_url=item.base, language=lang(item))
    summary = content = original = None
    for child in item:
        tag = child.tag
        if tag == f"{ATOM}id":
            entry.guid = text(child) or None
        elif tag == f"{ATOM}link":
            entry.link = atom_alternate(child) or entry.link
        elif tag == f"{ATOM}title":
            entry.title = _atom_text(child)
        elif tag == f"{ATOM}summary":
            summary = _atom_text(child)
        elif tag == f"{ATOM}content":
            content = _atom_text(child)
        elif tag == f"{ATOM}author":
            entry.author = _atom_person(child) or entry.author
        elif tag == f"{ATOM}published":
            entry.published = parse_date(text(child))
        elif tag == f"{ATOM}updated":
            entry.updated = parse_date(text(child))
        elif isinstance(tag, str) and key(tag) in ORIGINAL_LINK_KEYS:
            original = text(child)
    entry.link = original_link(original) or entry.link
    entry.summary = longest(content, summary, media(item, "media:description"))
    entry.title = entry.title if entry.title is not None else media(item, "media:title")
    if entry.link is None and entry.guid and entry.guid.startswith(("http://", "https://")):
        entry.link = entry.guid
    return entry


def _atom_person(person: etree._Element) -> str | None:
    name = email = ""
    for child in person:
        if child.tag == f"{ATOM}name":
            name = text(child)
        elif child.tag == f"{ATOM}email":
            email = text(child)
    if name and email:
        return f"{name} ({email})"
    return name or email or None
