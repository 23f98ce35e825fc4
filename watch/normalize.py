"""The normalize stage: ``ParsedFeed`` entries → ``Article`` values ready to store.

It owns every rule that makes articles comparable and safe to show:

* links: resolved against the entry's xml:base, then the feed's own link, then the fetched URL;
  only absolute http(s) links survive (``javascript:``, ``data:``, ``mailto:`` … are dropped);
  their control characters, spaces and invisible characters are percent-encoded, as browsers do
  (an ESC in a link would drive the terminal that prints it).
  ``canonical_url`` gives the identity form (lowercase scheme and host, no default port,
  tracking parameters removed, the rest sorted, no fragment unless it names one of several items
  on a page: a digit or a route and no ``=``, as ``#a070648``, ``#go1.22.0``, ``#!/x``; not
  ``#comments``, ``#more-12`` or ``#xtor=RSS-1``).  The stored ``url`` is the link as written
  less its tracking parameters (``watch.text_repair.without_trackers``), fragment kept.
* entries without a usable link are kept (``url = ""``) when they have a title, a text or an id
  (every entry feedparser finds is stored); an untitled entry takes the start of its text, else
  "(untitled)". Only an entry with nothing at all is dropped.
* guid: the document's id/guid (hidden characters dropped, whitespace collapsed), else the
  canonical link, else ``sha256:`` of title + summary.
  A guid shared inside one document by the same item listed twice (same canonical link, title
  and text) keeps the FIRST occurrence (feeds list newest first; the first is what the publisher
  put on top).  A guid shared by distinct items (a CMS giving every item one guid, the site's
  home page as guid, two posts of a day under one permalink) would lose all but the first, so
  each of them gets an item guid: ``<guid>#<canonical link>`` when no other of them has that
  link, else ``<guid>#sha256:…`` of its title (of its title and text when that is shared too).
  It depends on the items alone, never on their order, so a reordered feed keeps every
  identity.  When the feed later lists only one of them, that one takes back the bare guid; the
  store's fallback on (canonical link, title) finds it under either form, as it finds the one
  article an older version stored under the bare guid (updated, not duplicated).  Only an item
  whose link or title changed in between, or an unlinked item whose title changed, is stored
  once more; and a later lone item under a bare guid already stored is taken for an edit of
  that article (as any guid is: nothing in one document tells them apart).
* title: plain text (entities decoded, tags stripped, whitespace collapsed), at most 300
  characters; an untitled entry takes the start of its text.  Title, summary and author are
  first repaired (``watch.text_repair``: UTF-8 read as windows-1252; summary HTML escaped twice).
* hidden characters (controls, bidirectional overrides, invisible separators: see
  ``watch.text.drop_hidden_characters``) are removed from every text field and the summary HTML.
* summary: HTML sanitized with an nh3 allowlist (no scripts, styles, iframes, forms, event
  handlers or images — the board never loads remote images; links http/https/mailto only with
  ``rel="noopener noreferrer nofollow"``) plus a plain-text version of at most 5,000 characters,
  without a final "Read more" or WordPress "The post … appeared first on …".
* dates: UTC; a date before 1995-01-01, more than 2 days after ``fetched_at`` or missing is
  replaced by ``fetched_at`` with ``date_from_feed=False``.
* language: the entry's or feed's declared language (primary subtag), else a cheap stop-word
  guess (fr, en, de, es, it, nl, pt), else None.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import nh3

from watch.models import Article, ParsedEntry, ParsedFeed
from watch.text import demoronize, drop_hidden_characters
from watch.text_repair import (
    AT_INTERNET_MARKERS,
    guess_language,
    is_tracking_param,
    looks_like_markup,
    repair_mojibake,
    strip_read_more,
    without_trackers,
)

TITLE_MAX = 300
TEXT_MAX = 5_000
HTML_MAX = 50_000
"""Feed HTML kept per article (a summary, not an archive of the page)."""
EARLIEST_DATE = datetime(1995, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=2)
_ITEM_ANCHOR = re.compile(r"^(?:[!/].*|(?!more-\d+$)[^=&]*\d[^=&]*)$", re.DOTALL)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# fmt: off
_ALLOWED_TAGS = frozenset(
    (
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
        "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
        "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
        "tr", "u", "ul", "var",
    )
)
# fmt: on
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}
# fmt: off
_DROPPED_WITH_CONTENT = frozenset(
    (
        "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
        "textarea", "select", "button", "canvas", "video", "audio", "form",
    )
)
# fmt: on
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# fmt: off
_BLOCK_TAGS = frozenset(
    (
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
        "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    )
)
# fmt: on
_SANITIZER = nh3.Cleaner(
    tags=set(_ALLOWED_TAGS),
    clean_content_tags=set(_DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in _ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(_LINK_SCHEMES),
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)
"""The allowlist, built once (configuring a sanitizer per call cost a third of its time)."""
_TAG_STRIPPER = nh3.Cleaner(
    tags=set(), clean_content_tags=set(_DROPPED_WITH_CONTENT), strip_comments=True
)
_HREF = re.compile(r' href="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_URL_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
"""Removed from a link as browsers do (a link wrapped over two lines of a feed)."""
_URL_UNSAFE = re.compile(
    "[\x00-\x20\x7f-\x9f\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f"
    "\u205f-\u2064\u2066-\u206f\u3000\ufeff]"
)
"""Control characters, spaces, invisible and bidirectional characters: percent-encoded in
a link (what a browser's address bar shows for them)."""
_HTTP_URL = re.compile(r"^https?://", re.IGNORECASE)
"""Already absolute: no join needed (the common case for entry links)."""
_BLOCK_TAG = re.compile(
    r"(?=<(?:/?(?:" + "|".join(sorted(_BLOCK_TAGS)) + r")\b|br\s*/?>))", re.IGNORECASE
)
"""The empty position before each block tag (a space goes there: block tags separate words)."""
_SERIALIZED_TAG = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')
"""A tag as nh3 writes it: attribute values double-quoted, ``"`` inside them escaped."""
_SERIALIZED_BLOCK_TAG = re.compile(
    r"<(?=/?(?:" + "|".join(sorted(_BLOCK_TAGS)) + r')\b)[^>"]*(?:"[^"]*"[^>"]*)*>',
    re.IGNORECASE,
)
"""A block tag as nh3 writes it (replaced by a space: block tags separate words); matching from
its ``<`` is three times faster than ``_BLOCK_TAG``'s look-ahead at every position."""
_EMAIL_FIRST = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")
_EMAIL_LAST = re.compile(r"^\s*(?P<name>[^(<]+?)\s*[(<]\s*\S+@\S+\s*[)>]\s*$")


def normalize_entries(
    feed: ParsedFeed, *, source: str, base_url: str, fetched_at: datetime
) -> list[Article]:
    """Normalize every entry of a parsed feed, one article per item (see the module docstring
    for guids shared inside the document)."""
    fetched_at = _as_utc(fetched_at)
    feed_base = _absolute_http(feed.link or "", base_url) or base_url
    normalized = (_normalize_entry(e, feed, source, feed_base, fetched_at) for e in feed.entries)
    return _one_per_item([article for article in normalized if article is not None])


def _one_per_item(articles: list[Article]) -> list[Article]:
    """Drop repeats of an item (same guid, canonical link, title and text: first one kept);
    give each of several distinct items sharing a guid its own item guid."""
    kept: dict[tuple[str, str, str, str], Article] = {}
    for article in articles:
        kept.setdefault(
            (article.guid, article.canonical_url, article.title, article.summary_text), article
        )
    groups: dict[str, list[Article]] = {}
    for article in kept.values():
        groups.setdefault(article.guid, []).append(article)
    item_guids: dict[int, str] = {}
    for group in groups.values():
        if len(group) > 1:
            item_guids.update(_item_guids(group))
    first: dict[str, Article] = {}
    for article in kept.values():  # an item guid equal to another item's own guid: first one kept
        guid = item_guids.get(id(article), article.guid)
        first.setdefault(guid, replace(article, guid=guid) if guid != article.guid else article)
    return list(first.values())


def _item_guids(group: list[Article]) -> dict[int, str]:
    """``<shared guid>#<item>`` for each distinct item of ``group`` (by ``id``): ``<item>`` is
    its canonical link when no other item has it, else a hash of its title when no other item
    has it, else a hash of its title and text."""
    links = Counter(article.canonical_url for article in group)
    titles = Counter(article.title for article in group)
    guids = {}
    for article in group:
        if article.canonical_url and links[article.canonical_url] == 1:
            item = article.canonical_url
        else:
            shared = titles[article.title] > 1
            text = f"{article.title}\n{article.summary_text}" if shared else article.title
            item = "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]
        guids[id(article)] = f"{article.guid}#{item}"
    return guids


def _normalize_entry(
    entry: ParsedEntry, feed: ParsedFeed, source: str, feed_base: str, fetched_at: datetime
) -> Article | None:
    base = _absolute_http(entry.base_url or "", feed_base) or feed_base
    url = _absolute_http(entry.link or "", base) or ""
    summary_html, summary_text = _summary(_repaired(entry.summary or ""), base)
    title = _cap(html_to_text(_repaired(entry.title or "")), TITLE_MAX)
    if not url and not title and not summary_text and not (entry.guid or "").strip():
        return None  # nothing to show, open or identify
    published, from_feed = _published(entry, fetched_at)
    canonical = canonical_url(url) if url else ""
    return Article(
        source=source,
        guid=_guid(entry, canonical, title, summary_text),
        url=without_trackers(url),
        canonical_url=canonical,
        title=title or _cap(summary_text, 100) or url or "(untitled)",
        summary_html=summary_html,
        summary_text=summary_text,
        author=_author(entry.author),
        published=published,
        fetched_at=fetched_at,
        language=_language(entry.language or feed.language, f"{title} {summary_text}"),
        date_from_feed=from_feed,
        date_relative=from_feed and entry.published_relative,
    )


def _summary(html: str, base: str) -> tuple[str, str]:
    """Sanitized HTML and capped plain text of a summary; HTML escaped twice is unescaped."""
    cleaned = sanitize_html(html, base)
    text = _sanitized_to_text(cleaned[: TEXT_MAX * 4])
    if looks_like_markup(text):
        cleaned = sanitize_html(html_lib.unescape(cleaned), base)
        text = _sanitized_to_text(cleaned[: TEXT_MAX * 4])
    return cleaned, _cap(strip_read_more(text), TEXT_MAX)


def _repaired(text: str) -> str:
    """The start of a feed's text (HTML_MAX) with C1 characters read as windows-1252 and
    mojibake undone."""
    return repair_mojibake(demoronize(text[:HTML_MAX]))


def _absolute_http(link: str, base: str) -> str | None:
    """``link`` resolved against ``base`` when the result is an http(s) URL with a host; its
    control characters and spaces percent-encoded (see ``encode_unsafe_url_characters``)."""
    link = encode_unsafe_url_characters(link.strip())
    if not link:
        return None
    try:
        url = urljoin(base, link) if base and not _HTTP_URL.match(link) else link
    except ValueError:
        return None
    return url if is_http_url(url) else None


def encode_unsafe_url_characters(url: str) -> str:
    """``url`` as a browser sends it: tabs and line breaks removed, every other control
    character, space and invisible or bidirectional character percent-encoded (UTF-8), so a
    link can neither drive a terminal (``\\x1b]52;…``) nor hide or fake text around it."""
    url = _URL_TAB_OR_NEWLINE.sub("", url)
    return _URL_UNSAFE.sub(lambda found: quote(found[0], safe=""), url)


def is_http_url(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def canonical_url(url: str) -> str:
    """The identity form of a URL: lowercase scheme/host, no default port or trackers, and no
    fragment unless it names an item (see the module docstring)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    tagged = bool(AT_INTERNET_MARKERS & {key.lower() for key, _ in pairs})
    query = [(key, value) for key, value in pairs if not is_tracking_param(key, tagged)]
    fragment = parts.fragment if _ITEM_ANCHOR.match(parts.fragment) else ""
    return urlunsplit((scheme, host, parts.path or "/", urlencode(sorted(query)), fragment))


def sanitize_html(html: str, base_url: str | None = None) -> str:
    """Allowlist-sanitize an HTML fragment; links made absolute against ``base_url``.

    nh3 (Rust) does the whole allowlist; relative ``href`` values are then resolved in its
    well-formed output (a per-attribute Python callback cost more than the sanitizing itself).
    """
    if not html or not html.strip():
        return ""
    cleaned = drop_hidden_characters(_SANITIZER.clean(html)).strip()
    if ' href="' not in cleaned:
        return cleaned
    return _HREF.sub(lambda match: _absolute_href(match.group(1), base_url), cleaned)


def _absolute_href(escaped: str, base_url: str | None) -> str:
    link = (html_lib.unescape(escaped) if "&" in escaped else escaped).strip()
    scheme = _SCHEME.match(link)
    if scheme is None and base_url:
        link = urljoin(base_url, link)
        scheme = _SCHEME.match(link)
    if scheme is None or scheme.group(0)[:-1].lower() not in _LINK_SCHEMES:
        return ""
    return f' href="{html_lib.escape(link, quote=True)}"'


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: scripts and styles dropped, tags stripped (block tags
    become spaces), entities decoded, whitespace collapsed."""
    if not html or not html.strip():
        return ""
    if "<" not in html and "&" not in html:
        return _collapse_spaces(html)
    spaced = _BLOCK_TAG.sub(" ", html)
    text = _TAG_STRIPPER.clean(spaced)
    return _collapse_spaces(html_lib.unescape(text))


def _sanitized_to_text(cleaned: str) -> str:
    """``html_to_text`` of ``sanitize_html`` output, without a second sanitizing pass: that
    output holds no script, style or comment, and its tags are well-formed (see
    ``_SERIALIZED_TAG``), so stripping them is exact."""
    if "<" not in cleaned and "&" not in cleaned:
        return _collapse_spaces(cleaned)
    if cleaned.rfind("<") > cleaned.rfind(">"):  # a tag cut by a length cap
        cleaned = cleaned[: cleaned.rfind("<")]
    text = _SERIALIZED_TAG.sub("", _SERIALIZED_BLOCK_TAG.sub(" ", cleaned))
    return _collapse_spaces(html_lib.unescape(text))


def _collapse_spaces(text: str) -> str:
    """Runs of whitespace as one space, ends stripped (``str.split``: the same whitespace as
    ``\\s``, several times faster than a regex on long texts), hidden characters dropped."""
    return " ".join(drop_hidden_characters(text).split())


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _guid(entry: ParsedEntry, canonical: str, title: str, text: str) -> str:
    """The entry's id (hidden characters dropped, whitespace collapsed: it is printed by
    ``watch explain`` and exported), else its canonical link, else a hash of its text."""
    guid = _collapse_spaces(entry.guid or "")
    if guid:
        return guid
    if canonical:
        return canonical
    digest = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()
    return f"sha256:{digest}"


def _author(author: str | None) -> str | None:
    text = html_to_text(_repaired(author or ""))
    match = _EMAIL_FIRST.match(text) or _EMAIL_LAST.match(text)
    if match:
        text = match.group("name").strip()
    return _cap(text, 200) or None


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _published(entry: ParsedEntry, fetched_at: datetime) -> tuple[datetime, bool]:
    """The entry's date in UTC when plausible, else ``fetched_at`` (and False)."""
    candidate = entry.published or entry.updated
    if candidate is None:
        return fetched_at, False
    moment = _as_utc(candidate)
    if moment < EARLIEST_DATE or moment > fetched_at + FUTURE_TOLERANCE:
        return fetched_at, False
    return moment, True


def _language(declared: str | None, text: str) -> str | None:
    if declared:
        primary = re.split(r"[-_]", declared.strip().lower(), maxsplit=1)[0]
        if primary.isalpha() and 2 <= len(primary) <= 3:
            return primary
    return guess_language(text)
