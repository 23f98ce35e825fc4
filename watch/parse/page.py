"""Web pages without a feed, turned into items with the CSS selectors of a ``select:`` block.

Each selector is ``css`` (the element's text) or ``css@attribute`` (that attribute's value).
``item`` selects the repeated blocks; ``title``, ``link``, ``date`` and ``summary`` are looked
up inside each block.  A ``link`` without ``@attribute`` takes the element's ``href`` when it has
one (an ``<a>``), else its text when that looks like a URL (``http(s)://…``, or a path starting
with ``/``, ``./`` or ``../``, without spaces); "v2.3.0 (2026-03-10)" is no link.  A
``link`` attribute that is an id (``section@id``: no ``/``, no ``.``, no space) links to that
anchor of the page (``page_url#v2-3-0``); ``href``/``src``/``…url`` attributes are URLs.
Links are resolved against ``<base href>`` and the page URL.
A ``date`` whose attribute is missing or empty takes the element's text (``time@datetime`` on a
``<time>`` written without ``datetime``).  An ambiguous numeric date ("03/04/2026") is read in
the order the page's other dates show (``page_dates.months_first``).
Summaries are text, escaped to HTML.  Items without a title and a link are skipped.

The warnings name the selector to change, in the words of sources.yaml: ``select.item 'div.entry'
matched nothing on the page (it has 12 <article> elements: was the layout changed?)``, or
``select.link 'h3 a@href' found no link in any of the 14 items select.item 'h3' matched`` (``in
3 of the 14 items … (those were skipped)`` for a partial loss).  A page that gives no entry is
the source's error (``watch.reading``); a partial loss is a warning.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, tzinfo
from urllib.parse import urldefrag, urljoin
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup, Tag

from watch.config import SelectConfig
from watch.models import ParsedEntry, ParsedFeed
from watch.parse.page_dates import months_first, read_page_date

ITEM_HINT_TAGS = ("article", "section", "h2", "h3", "li", "tr")
"""Elements a page repeats per item, named (the first repeated one) when ``item`` matches
nothing, as a clue to what the new layout uses."""
_URL_TEXT = re.compile(r"^(?:https?://|\.{0,2}/)\S*$", re.IGNORECASE)
_ANCHOR_ID = re.compile(r"^[^\s/.#?]+$")


def parse_page(
    text: str, *, url: str, select: SelectConfig, now: datetime | None = None
) -> ParsedFeed:
    """Apply ``select`` to an HTML page and return its items as a ParsedFeed.

    Dates are read as people write them (``watch.parse.page_dates``); ``now`` (the fetch time)
    dates the relative ones, which are marked so that a later fetch keeps the first reading.
    """
    soup = BeautifulSoup(text, "lxml")
    base = _base_url(soup, url)
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    feed = ParsedFeed(format="page", title=title or None, link=url, parser="page")
    lang = soup.html.get("lang") if soup.html else None
    feed.language = lang.strip() if isinstance(lang, str) and lang.strip() else None
    blocks = soup.select(_css(select.item))
    if not blocks:
        feed.warnings.append(_nothing_matched(select.item, soup))
        return feed
    picked = [_entry(block, select, base, url) for block in blocks]
    month_first = months_first((date for _, date in picked), feed.language)
    for entry, date in picked:
        _date_entry(entry, date, month_first, now, _zone(select))
        if entry.title and entry.link:
            feed.entries.append(entry)
    feed.warnings += _lost_items(select, blocks, [entry for entry, _ in picked])
    return feed


def _nothing_matched(item: str, soup: BeautifulSoup) -> str:
    """Names the item selector, with the first element the page repeats as a clue."""
    counts = ((len(soup.find_all(tag)), tag) for tag in ITEM_HINT_TAGS)
    count, tag = next(((n, t) for n, t in counts if n >= 2), (0, ""))
    clue = (
        f"it has {count} <{tag}> elements: was the layout changed?"
        if count
        else "it repeats no <article>, <section>, heading or list element: is it drawn by"
        " JavaScript, or was the layout changed?"
    )
    return f"select.item {item!r} matched nothing on the page ({clue})"


def _lost_items(select: SelectConfig, blocks: list[Tag], entries: list[ParsedEntry]) -> list[str]:
    """One warning per selector (title, link) that found nothing in some of the items."""
    warnings = []
    for name, selector in (("title", select.title), ("link", select.link)):
        lost = [b for b, e in zip(blocks, entries, strict=True) if not getattr(e, name)]
        if lost:
            warnings.append(_lost_words(name, selector, lost, len(blocks), select.item))
    return warnings


def _lost_words(name: str, selector: str, lost: list[Tag], total: int, item: str) -> str:
    """The warning for the items a selector found nothing in: "select.link 'h2' found no link
    in 3 of the 14 items select.item 'article' matched (those items were skipped)"."""
    which = f"{len(lost)} of the {total}" if len(lost) < total else f"any of the {total}"
    which = "the one item" if total == 1 else f"{which} items"
    words = f"select.{name} {selector!r} found no {name} in {which} select.item {item!r} matched"
    why = []
    if (
        name == "link"
        and "@" not in selector
        and any(_find(b, _css(selector)) is not None for b in lost)
    ):
        why.append("the elements it found have no href, and their text is not a URL")
    if len(lost) < total:
        why.append("those items were skipped")
    return words + (f" ({'; '.join(why)})" if why else "")


def _css(selector: str) -> str:
    return selector.partition("@")[0].strip()


def _find(block: Tag, css: str) -> Tag | None:
    """The first element inside the block that ``css`` matches, else the block itself when it
    matches (``section@id`` read on the ``section`` items)."""
    found = block.select_one(css)
    return found if found is not None or not block.css.match(css) else block


def _pick(block: Tag, selector: str | None) -> tuple[Tag | None, str | None]:
    """The element a selector designates inside a block, and its text or attribute value."""
    if not selector:
        return None, None
    css, _, attr = selector.partition("@")
    found = _find(block, css.strip())
    if found is None:
        return None, None
    if attr.strip():
        value = found.get(attr.strip())
        value = " ".join(value) if isinstance(value, list) else value
        return found, (value.strip() or None) if isinstance(value, str) else None
    return found, found.get_text(" ", strip=True) or None


def _entry(
    block: Tag, select: SelectConfig, base: str, page_url: str
) -> tuple[ParsedEntry, str | None]:
    """The block's entry, undated, and the text of its date element."""
    _, title = _pick(block, select.title)
    element, link = _pick(block, select.link)
    link = _link(element, link, select.link, base, page_url) if element is not None else None
    element, date = _pick(block, select.date)
    if date is None and element is not None:  # <time> without datetime: the text readers see
        date = element.get_text(" ", strip=True) or None
    _, summary = _pick(block, select.summary)
    entry = ParsedEntry(
        title=title,
        link=link,
        summary=html.escape(summary, quote=False) if summary else None,
        base_url=base,
    )
    return entry, date


def _link(element: Tag, value: str | None, selector: str, base: str, page_url: str) -> str | None:
    """The absolute link the ``link`` selector designates, None when it names no URL: an
    element's ``href``, else its text that looks like a URL; an attribute that names a URL, or
    an id (an anchor of the page)."""
    attribute = selector.partition("@")[2].strip().lower()
    if not attribute:
        href = element.get("href")
        if isinstance(href, str) and href.strip():
            return urljoin(base, href.strip())
        return urljoin(base, value) if value and _URL_TEXT.match(value) else None
    if value is None:
        return None
    if attribute.endswith(("href", "src", "url")) or _URL_TEXT.match(value):
        return urljoin(base, value)
    return f"{urldefrag(page_url)[0]}#{value}" if _ANCHOR_ID.match(value) else None


def _date_entry(
    entry: ParsedEntry, date: str | None, month_first: bool, now: datetime | None, zone: tzinfo
) -> None:
    """Date ``entry`` from its date text; a date counted from ``now`` is marked relative."""
    published = read_page_date(date, now=now, zone=zone, month_first=month_first)
    fixed = read_page_date(date, zone=zone, month_first=month_first) if published else None
    entry.published = published
    entry.published_relative = published is not None and fixed is None


def _base_url(soup: BeautifulSoup, url: str) -> str:
    base = soup.find("base", href=True)
    href = base.get("href") if isinstance(base, Tag) else None
    return urljoin(url, href.strip()) if isinstance(href, str) and href.strip() else url


def _zone(select: SelectConfig) -> tzinfo:
    """The page's time zone (``select: timezone:``, validated with sources.yaml), else UTC."""
    return ZoneInfo(select.timezone) if select.timezone else UTC
