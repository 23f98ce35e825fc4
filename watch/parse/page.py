"""Web pages without a feed, turned into items with the CSS selectors of a ``select:`` block.

Each selector is ``css`` (the element's text) or ``css@attribute`` (that attribute's value).
``item`` selects the repeated blocks; ``title``, ``link``, ``date`` and ``summary`` are looked
up inside each block.  A ``link`` without ``@attribute`` takes the element's ``href`` when it has
one (an ``<a>``), else its text; links are resolved against ``<base href>`` and the page URL.
A ``date`` whose attribute is missing or empty takes the element's text (``time@datetime`` on a
``<time>`` written without ``datetime``).  An ambiguous numeric date ("03/04/2026") is read in
the order the page's other dates show (``page_dates.months_first``).
Summaries are text, escaped to HTML.  Items without a title and a link are skipped.  When
``item`` matches nothing the result has no entries and the warning
``selector 'h3' matched nothing``: the pipeline flags the source as broken.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, tzinfo
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup, Tag

from watch.config import SelectConfig
from watch.models import ParsedEntry, ParsedFeed
from watch.parse.page_dates import months_first, read_page_date


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
        feed.warnings.append(f"selector {select.item!r} matched nothing")
        return feed
    skipped = 0
    picked = [_entry(block, select, base) for block in blocks]
    month_first = months_first((date for _, date in picked), feed.language)
    for entry, date in picked:
        _date_entry(entry, date, month_first, now, _zone(select))
        if entry.title and entry.link:
            feed.entries.append(entry)
        else:
            skipped += 1
    if skipped:
        feed.warnings.append(f"{skipped} of {len(blocks)} items had no title or no link")
    return feed


def _css(selector: str) -> str:
    return selector.partition("@")[0].strip()


def _pick(block: Tag, selector: str | None) -> tuple[Tag | None, str | None]:
    """The element a selector designates inside a block, and its text or attribute value."""
    if not selector:
        return None, None
    css, _, attr = selector.partition("@")
    found = block.select_one(css.strip())
    if found is None:
        return None, None
    if attr.strip():
        value = found.get(attr.strip())
        value = " ".join(value) if isinstance(value, list) else value
        return found, (value.strip() or None) if isinstance(value, str) else None
    return found, found.get_text(" ", strip=True) or None


def _entry(block: Tag, select: SelectConfig, base: str) -> tuple[ParsedEntry, str | None]:
    """The block's entry, undated, and the text of its date element."""
    _, title = _pick(block, select.title)
    element, link = _pick(block, select.link)
    if element is not None and "@" not in select.link and isinstance(element.get("href"), str):
        link = str(element.get("href")).strip()
    element, date = _pick(block, select.date)
    if date is None and element is not None:  # <time> without datetime: the text readers see
        date = element.get_text(" ", strip=True) or None
    _, summary = _pick(block, select.summary)
    entry = ParsedEntry(
        title=title,
        link=urljoin(base, link) if link else None,
        summary=html.escape(summary, quote=False) if summary else None,
        base_url=base,
    )
    return entry, date


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
