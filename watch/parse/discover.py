"""Feed discovery: the feeds an HTML page advertises with ``<link rel="alternate">``.

RSS, Atom and JSON Feed types are recognised; URLs are resolved against ``<base href>`` and the
page URL and kept only when http(s).  Order is the page's own (sites list their main feed first)
except that comment feeds go last; duplicates are dropped.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/x.atom+xml",
    "application/x-atom+xml",
}
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def looks_like_html(text: str, content_type: str = "") -> bool:
    """True when the document is an HTML page (by its start, or by its declared type)."""
    if _HTML_START.match(text[:4096]):
        return True
    return "html" in content_type.lower() and "xml" not in content_type.lower()


def parse_html(text: str) -> etree._Element:
    """Parse an HTML page leniently (lxml's HTML parser, no network)."""
    return lxml.html.document_fromstring(text or "<html></html>")


def discover_feeds(document: etree._Element, page_url: str) -> list[str]:
    """Absolute http(s) feed URLs advertised by a parsed HTML page, best first."""
    base = _base_url(document, page_url)
    found: list[tuple[bool, str]] = []
    for link in document.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" not in rels or kind not in FEED_TYPES or not href:
            continue
        url = urljoin(base, href)
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        title = (link.get("title") or "") + " " + href
        found.append(("comment" in title.lower(), url))
    ordered = [url for _, url in sorted(found, key=lambda pair: pair[0])]
    return list(dict.fromkeys(ordered))


def _base_url(document: etree._Element, page_url: str) -> str:
    for base in document.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return urljoin(page_url, href)
    return page_url
