"""The parse stage: fetched bytes → ``ParsedFeed``, whatever the format, or ``ParseError``.

``parse_document`` is only a dispatch (the formats live in the modules beside it)::

    bytes ─ guard (gunzip, decode, strip controls) ─┬─ select given ──────► page (CSS selectors)
                                                    ├─ JSON ──────────────► jsonfeed
                                                    ├─ HTML ──────────────► discover → NotAFeed
                                                    └─ XML ─ guard (entities refused)
                                                         ├─ well-formed RSS 0.9x/2.0/1.0, Atom 1.0 ► fast (lxml)
                                                         └─ anything else ────────────────────────► fallback (feedparser)

Time limit: the lxml, JSON and page paths are linear and fast, so they are bounded by size:
a document above ``time_limit × FAST_BYTES_PER_SECOND`` (2 MB per second of limit, some 30
times below lxml's measured rate) or a page above ``time_limit × PAGE_BYTES_PER_SECOND`` is
refused before parsing.  feedparser is bounded by running large documents in a worker process
that is killed at the limit (see fallback.py).  Every failure surfaces as ``ParseError`` with a
message in words.
"""

from __future__ import annotations

import re
import time
from datetime import datetime

from lxml import etree

from watch.config import SelectConfig
from watch.models import ParsedFeed
from watch.parse import discover, fallback, fast, guard, jsonfeed, page

FAST_BYTES_PER_SECOND = 2_000_000
PAGE_BYTES_PER_SECOND = 500_000
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_HTML_TAG = re.compile(r"<(?:html|head|body|div|p|figure|section|article|span|a|table|ul)\b", re.I)

__all__ = ["NotAFeed", "ParseError", "parse_document"]


class ParseError(Exception):
    """The document could not be read as a feed; the message says why in words."""


class NotAFeed(ParseError):
    """The document is an HTML page; ``alternates`` are the feeds it advertises, best first."""

    def __init__(self, message: str, alternates: list[str] | None = None):
        super().__init__(message)
        self.alternates: list[str] = list(alternates or [])


def parse_document(
    body: bytes,
    *,
    url: str,
    content_type: str = "",
    select: SelectConfig | None = None,
    time_limit: float = 10.0,
    fetched_at: datetime | None = None,
) -> ParsedFeed:
    """Parse a fetched document into a ParsedFeed; raise ParseError (or NotAFeed) otherwise.

    ``fetched_at`` dates a page's relative dates ("3 hours ago"); feeds do not need it.
    """
    deadline = time.monotonic() + time_limit
    try:
        return _dispatch(body, url, content_type, select, time_limit, deadline, fetched_at)
    except ParseError:
        raise
    except guard.UnsafeDocument as exc:
        raise ParseError(str(exc)) from None
    except fallback.ParseTimeout:
        raise ParseError(f"parse took longer than {time_limit:g} s") from None
    except (fallback.FallbackFailed, jsonfeed.NotJsonFeed) as exc:
        raise ParseError(str(exc)) from None
    except Exception as exc:
        raise ParseError(f"could not parse the document ({type(exc).__name__}: {exc})") from exc


def _dispatch(
    body: bytes,
    url: str,
    content_type: str,
    select: SelectConfig | None,
    time_limit: float,
    deadline: float,
    fetched_at: datetime | None,
) -> ParsedFeed:
    body = guard.inflate_if_gzipped(body)
    rate = PAGE_BYTES_PER_SECOND if select else FAST_BYTES_PER_SECOND
    if len(body) > time_limit * rate:
        raise ParseError(
            f"document too large ({len(body) / 1e6:.1f} MB) to parse within {time_limit:g} s"
        )
    text = guard.strip_control_characters(guard.decode_body(body, content_type)).lstrip()
    if not text:
        raise ParseError("not a feed (empty document)")
    if select is not None:
        return page.parse_page(text, url=url, select=select, now=fetched_at)
    if jsonfeed.looks_like_json(text):
        return jsonfeed.parse_json_feed(text)
    if discover.looks_like_html(text):
        raise _not_a_feed(text, url)
    return _parse_xml(text, url, content_type, deadline)


def _parse_xml(text: str, url: str, content_type: str, deadline: float) -> ParsedFeed:
    guard.refuse_entity_declarations(text)
    data = _XML_DECLARATION.sub("", text, count=1).encode("utf-8")
    root = _well_formed_root(data, url)
    root_name = etree.QName(root).localname.lower() if root is not None else ""
    if root_name == "html":
        raise _not_a_feed(text, url)
    if root_name == "opml":
        raise ParseError("not a feed (OPML subscription list; import it instead)")
    if root is not None:
        try:
            return fast.read_tree(root)
        except fast.Unsupported:
            pass
    feed = fallback.parse_with_feedparser(data, url, max(deadline - time.monotonic(), 0.01))
    if feed.format == "unknown" and not feed.entries:
        if "html" in content_type.lower() or _HTML_TAG.search(text[:4096]):
            raise _not_a_feed(text, url)
        what = f"<{root_name}> document" if root_name else "document"
        raise ParseError(f"not a feed (unrecognized {what})")
    return feed


def _well_formed_root(data: bytes, url: str) -> etree._Element | None:
    try:
        return fast.parse_tree(data, url)
    except etree.XMLSyntaxError:
        return None


def _not_a_feed(text: str, url: str) -> NotAFeed:
    alternates = discover.discover_feeds(discover.parse_html(text), url)
    if not alternates:
        return NotAFeed("not a feed (HTML page without a feed link)")
    return NotAFeed(f"not a feed (HTML page advertising {len(alternates)} feeds)", alternates)
