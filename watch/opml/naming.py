"""Names and URLs of imported feeds: a source name from a feed's title (else its site), a label
from it, the ``folder:`` of nested folders (``folder_name``), the spelling-blind key by which a
URL already followed is recognised, and the http(s) URL of a ``feed:`` URL; ``same_site``: a
source already following the site of a new feed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from urllib.parse import urlsplit

from watch.config import ID_PATTERN, MAX_LABEL, SourceConfig
from watch.config.fields import FOLDER_SEPARATOR, MAX_FOLDER, folder_path
from watch.opml.reading import OpmlFeed
from watch.text import BIDI_CONTROLS

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
    return slug(feed.name or "") or slug(feed.title) or _site_name(feed)


def _site_name(feed: OpmlFeed) -> str:
    """For a feed whose title gives no name (none, or not in Latin letters): its site's host
    ("theguardian-com"), else its own host and path (a host alone names many feeds)."""
    site = urlsplit(feed.html_url or "").hostname
    if site:
        return slug(site.removeprefix("www."))
    parts = urlsplit(feed.url)
    return slug(f"{(parts.hostname or '').removeprefix('www.')}{parts.path}")


def http_url(url: str) -> str:
    """The http(s) URL a ``feed:`` URL stands for: ``feed:https://x/`` is ``https://x/`` and
    ``feed://x/`` is ``http://x/`` (that scheme's meaning); any other URL as it is."""
    scheme, _, rest = url.strip().partition(":")
    if scheme.lower() != "feed" or not rest:
        return url
    if rest.lower().startswith(("http://", "https://")):
        return rest
    return f"http:{rest}" if rest.startswith("//") else url


def label_from_title(title: str, longest: int = MAX_LABEL) -> str:
    """A source ``label:`` from a feed's title: one line, control characters and bidirectional
    controls (which sources.yaml refuses) dropped, at most ``longest`` characters (cut at a word
    when it can, with "…")."""
    kept = (" " if unicodedata.category(c) == "Cc" else c for c in title if c not in BIDI_CONTROLS)
    text = " ".join("".join(kept).split())
    if len(text) <= longest:
        return text
    cut = text[: longest - 1]
    if " " in cut[longest // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def folder_name(folders: tuple[str, ...]) -> str:
    """A source's ``folder:`` from the folders its outline sits in, outermost first: their
    names joined by " / " ("Dev / Python"), on one line, at most MAX_FOLDER characters, read
    as sources.yaml reads it (``folder_path``: a folder named "/ News" is "News")."""
    names = (label_from_title(folder) for folder in folders)
    joined = label_from_title(FOLDER_SEPARATOR.join(filter(None, names)), MAX_FOLDER)
    return FOLDER_SEPARATOR.join(folder_path(joined))


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


def same_site(
    title: str, feed_urls: list[str], sources: list[SourceConfig], homes: Mapping[str, str]
) -> str | None:
    """Which source already follows the site of a new feed, and how that shows: "'name' (home
    page https://x/)" when a home page is the same, "'name' (host x, title 'T')" when a host and
    the title are; None.  ``feed_urls`` are the feed's own URL and its home pages; ``homes`` maps
    a source's name to its site's home page (a page source's is its url)."""
    wanted = {url_key(url) for url in feed_urls}
    hosts = {_host(url) for url in feed_urls}
    for source in sources:
        home = homes.get(source.name)
        if home and url_key(home) in wanted:
            return f"{source.name!r} (home page {home})"
    for source in sources:
        their_hosts = {_host(source.url), _host(homes.get(source.name) or "")}
        names = {slug(source.label), source.name}
        if slug(title) and slug(title) in names and hosts & their_hosts - {""}:
            host = next(iter(hosts & their_hosts - {""}))
            return f"{source.name!r} (host {host}, title {title!r})"
    return None


def _host(url: str) -> str:
    return (urlsplit(url.strip()).hostname or "").removeprefix("www.")
