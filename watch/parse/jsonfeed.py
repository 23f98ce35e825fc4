"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org), read by our own code (feedparser reads none).

Items give ``id`` (guid), ``url`` (else ``external_url``), ``title``, ``content_html`` (else
``content_text`` escaped, else ``summary`` escaped), authors (1.1 ``authors`` or 1.0 ``author``,
item's own else the feed's), ``date_published``/``date_modified`` and ``language`` (1.1).
Ids may be numbers in the wild; they are turned into strings.  A JSON document that is not a
JSON Feed, or nested deeper than Python's decoder recurses, raises ``NotJsonFeed``.
"""

from __future__ import annotations

import html
import json
from typing import Any

from watch.models import ParsedEntry, ParsedFeed
from watch.parse.dates import parse_date


class NotJsonFeed(ValueError):
    """The JSON document is not a JSON Feed (or not JSON at all)."""


def looks_like_json(text: str) -> bool:
    """True when the document starts like a JSON object."""
    return text.lstrip()[:1] == "{"


def parse_json_feed(text: str) -> ParsedFeed:
    """Read a JSON Feed document; raise NotJsonFeed when it is something else."""
    try:
        data = json.loads(text, strict=False)
    except RecursionError:
        raise NotJsonFeed("JSON nested too deeply (refused)") from None
    except ValueError as exc:
        raise NotJsonFeed(f"not a feed (invalid JSON: {exc})") from None
    if not isinstance(data, dict):
        raise NotJsonFeed("not a feed (JSON without an object at the top)")
    version = str(data.get("version", ""))
    items = data.get("items")
    if "jsonfeed.org" not in version and not isinstance(items, list):
        raise NotJsonFeed("not a feed (JSON without a JSON Feed version or items)")
    feed = ParsedFeed(
        format="json11" if version.endswith("/1.1") else "json10",
        title=_string(data.get("title")),
        link=_string(data.get("home_page_url")),
        language=_string(data.get("language")),
        parser="json",
    )
    feed_author = _author(data)
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            feed.entries.append(_entry(item, feed_author))
        else:
            feed.warnings.append("an item that is not an object was skipped")
    return feed


def _string(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _author(holder: dict[str, Any]) -> str | None:
    authors = holder.get("authors")
    candidates = authors if isinstance(authors, list) else [holder.get("author")]
    names = [_string(a.get("name")) for a in candidates if isinstance(a, dict)]
    present = [n for n in names if n]
    return ", ".join(present) if present else None


def _entry(item: dict[str, Any], feed_author: str | None) -> ParsedEntry:
    content = _string(item.get("content_html"))
    if content is None:
        text = _string(item.get("content_text")) or _string(item.get("summary"))
        content = html.escape(text, quote=False) if text else None
    return ParsedEntry(
        guid=_string(item.get("id")),
        link=_string(item.get("url")) or _string(item.get("external_url")),
        title=_string(item.get("title")),
        summary=content,
        author=_author(item) or feed_author,
        published=parse_date(_string(item.get("date_published"))),
        updated=parse_date(_string(item.get("date_modified"))),
        language=_string(item.get("language")),
    )
