"""Names and URLs of imported feeds: a source name from a feed's title, a label from it, and the
spelling-blind key by which a URL already followed is recognised."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from watch.config import ID_PATTERN, MAX_LABEL
from watch.opml.reading import OpmlFeed

_NAME_LENGTH = 40


def url_key(url: str) -> str:
    """Two spellings of one feed URL compare equal: scheme, host case, trailing slash (so
    ``http://site/feed/`` is already followed when sources.yaml has ``https://site/feed``)."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{(parts.netloc or '').lower()}{path}{query}"


def base_name(feed: OpmlFeed) -> str:
    """The name the feed asks for (``watch:name``, ``--name``), made valid if it is not; else
    one derived from its title or its host."""
    if feed.name and re.fullmatch(ID_PATTERN, feed.name):
        return feed.name
    return slug(feed.name or "") or slug(feed.title) or slug(urlsplit(feed.url).hostname or "")


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


def slug(text: str) -> str:
    """A source name from a title: ASCII, lowercase, ``[a-z0-9-_]``, at most 40 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-_")
    return slug[:_NAME_LENGTH].rstrip("-_")


def unique_name(base: str, taken: set[str]) -> str:
    base = base or "feed"
    name, number = base, 2
    while name in taken:
        suffix = f"-{number}"
        name, number = base[: _NAME_LENGTH - len(suffix)] + suffix, number + 1
    return name
