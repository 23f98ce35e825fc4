"""Guessing the ``select:`` of a ``kind: page`` source from a page that advertises no feed.

``suggest_select`` looks for the repeated blocks holding a link (menus, headers and footers left
out), tries each guess with the page parser itself and keeps the one reading most items (dated
ones counting twice); ``page_advice`` words the result for ``watch sources add``: the entry to
paste into sources.yaml with what it finds, or why none was found (a page drawn by JavaScript
shows no items to its HTML).
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from watch.config import SelectConfig
from watch.models import FetchResult, ParsedFeed
from watch.parse import ParseError, parse_document

GUESSES_TRIED = 8
"""Repeated blocks tried with the page parser, most frequent first."""
MIN_PAGE_TEXT = 100
"""Characters of text under which a page is taken as drawn by JavaScript."""
_CLASS = re.compile(r"^[A-Za-z_][\w-]*$")
_NOT_ITEMS = "script, style, noscript, template, nav, header, footer, form"


def page_advice(result: FetchResult, now: datetime) -> str:
    """For a page without a feed: the ``kind: page`` entry to paste into sources.yaml, with
    what it finds, or why no items were found."""
    url = result.final_url or result.url
    found = suggest_select(result.body, url, result.content_type, now)
    if found is None and _shows_no_text(result.body):
        return (
            "; its HTML shows no text: the page is drawn by JavaScript, so it has no items"
            " to follow as a page either (look for a feed or an API on the site)"
        )
    if found is None:
        return (
            "; no repeated blocks of links were found on it to follow it as a page: write"
            " a kind: page source with select: item, title, link (and date) in sources.yaml"
        )
    select, feed = found
    first = feed.entries[0]
    dated = sum(entry.published is not None for entry in feed.entries)
    lines = [
        f"  - name: {_slug(feed.title or urlsplit(url).hostname or 'page')}",
        f"    url: {json.dumps(url)}",
        "    kind: page",
        "    every: 1d",
        "    select:",
        *(
            f"      {key}: {json.dumps(value, ensure_ascii=False)}"
            for key, value in select.model_dump(exclude_none=True).items()
        ),
    ]
    return (
        f".\nTo follow it as a page, add to sources.yaml (it finds {len(feed.entries)} items,"
        f" {dated} dated; the first: {first.title!r} <{first.link}>):\n" + "\n".join(lines)
    )


def suggest_select(
    body: bytes, url: str, content_type: str, now: datetime
) -> tuple[SelectConfig, ParsedFeed] | None:
    """The ``select:`` that reads most items (dated ones counting twice) from a page, and what
    it reads; None when no block holding a link repeats."""
    soup = BeautifulSoup(body, "lxml")
    for tag in soup.select(_NOT_ITEMS):
        tag.decompose()
    best: tuple[int, SelectConfig, ParsedFeed] | None = None
    for blocks in _repeated_blocks(soup)[:GUESSES_TRIED]:
        select = _select_for(blocks, now)
        try:
            feed = parse_document(
                body, url=url, content_type=content_type, select=select, fetched_at=now
            )
        except ParseError:
            continue
        links = {entry.link for entry in feed.entries}
        score = len(links) + sum(entry.published is not None for entry in feed.entries)
        if len(links) >= 2 and (best is None or score > best[0]):
            best = (score, select, feed)
    return (best[1], best[2]) if best else None


def _repeated_blocks(soup: BeautifulSoup) -> list[list[Tag]]:
    """Elements that hold a link with text, grouped by selector, groups of two or more,
    most frequent first (the outer of nested groups of the same size first)."""
    groups: dict[str, dict[int, Tag]] = {}
    for link in soup.select("a[href]"):
        href = str(link.get("href") or "").strip()
        if not link.get_text(strip=True) or href.startswith(("#", "javascript:")):
            continue
        for depth, block in enumerate(link.parents):
            if depth >= 4 or block.name in ("body", "html", "[document]", None):
                break
            groups.setdefault(_block_selector(block), {})[id(block)] = block
    repeated = [list(blocks.values()) for blocks in groups.values() if len(blocks) >= 2]
    return sorted(repeated, key=lambda blocks: (-len(blocks), -len(blocks[0].get_text())))


def _block_selector(block: Tag) -> str:
    own = _simple_selector(block)
    parent = block.parent
    if "." in own or not isinstance(parent, Tag) or parent.name in ("body", "[document]"):
        return own
    return f"{_simple_selector(parent)} > {own}"


def _simple_selector(tag: Tag) -> str:
    classes = [c for c in tag.get("class") or [] if _CLASS.match(c)][:2]
    return tag.name + "".join(f".{c}" for c in classes)


def _select_for(blocks: list[Tag], now: datetime) -> SelectConfig:
    """Title and link from the first link with text of the first block, the date from its
    first ``<time>`` or the first element whose text reads as a date."""
    item = _block_selector(blocks[0])
    block = blocks[0]
    link = (
        next(a for a in block.select("a[href]") if a.get_text(strip=True))
        if block.name != "a"
        else block
    )
    heading = link.find_parent(re.compile(r"^h[1-6]$"))
    inner = _simple_selector(link) if link is not block else item
    if isinstance(heading, Tag) and block in heading.parents:
        inner = f"{heading.name} {inner}"
    return SelectConfig(item=item, title=inner, link=inner, date=_date_selector(block, now))


def _date_selector(block: Tag, now: datetime) -> str | None:
    from watch.parse.page_dates import read_page_date

    timed = block.find(["time", "relative-time"], attrs={"datetime": True})
    if isinstance(timed, Tag):
        return f"{timed.name}@datetime"
    for element in block.find_all(True):
        own = element.find(string=True, recursive=False)
        if element.name != "a" and own and read_page_date(str(own), now=now):
            return _selector_inside(block, element)
    return None


def _selector_inside(block: Tag, element: Tag) -> str:
    """``element``'s simple selector, with ``:nth-of-type`` when an earlier one matches it too
    (the second cell of a table row)."""
    simple = _simple_selector(element)
    if block.select_one(simple) is element:
        return simple
    rank = 1 + sum(1 for _ in element.find_previous_siblings(element.name))
    return f"{simple}:nth-of-type({rank})"


def _shows_no_text(body: bytes) -> bool:
    soup = BeautifulSoup(body, "lxml")
    for tag in soup.select("script, style, noscript, template"):
        tag.decompose()
    return len(soup.get_text(" ", strip=True)) < MIN_PAGE_TEXT


def _slug(title: str) -> str:
    """A source name from a page title: "Le blog de l'équipe" → "le-blog-de-l-equipe"."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].strip("-") or "page"
