"""Guessing the ``select:`` of a ``kind: page`` source from a page that advertises no feed.

``suggest_select`` looks for the repeated blocks holding a link (menus, headers and footers left
out), tries each guess with the page parser itself and keeps the one reading most items (dated
ones counting twice), with a ``summary`` when most items have a paragraph besides their title
and date; ``page_advice`` words the result for ``watch sources add``: the entry to paste into
sources.yaml (its ``label:`` from the page's title, as a feed's) with what it finds, or why none
was found: a page drawn by JavaScript (little text, and scripts or an empty app root) shows no
items to its HTML; any other page (a maintenance notice) has no repeated links to read. The
entry gets ``topics:`` hints when the items read match the topics it is given (those of
sources.yaml), as a feed's do (``watch.probe``). ``split_advice`` parts the entry from its explanations, for ``sources add``
to print it on standard output (``watch sources add URL >> sources.yaml``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from watch.config import SelectConfig, TopicConfig
from watch.models import FetchResult, ParsedFeed
from watch.parse import ParseError, parse_document

GUESSES_TRIED = 8
"""Repeated blocks tried with the page parser, most frequent first."""
MIN_PAGE_TEXT = 100
"""Characters of text under which a page with scripts is taken as drawn by JavaScript."""
MIN_SUMMARY_WORDS = 5
"""Words a text block other than a ``<p>`` needs to be taken as an item's summary."""
_APP_ROOTS = "#root, #app, #__next, #__nuxt, #svelte, [data-reactroot], app-root"
_APP_MARKERS = ("__NEXT_DATA__", "__NUXT__", "window.__INITIAL_STATE__")
_CLASS = re.compile(r"^[A-Za-z_][\w-]*$")
_NOT_ITEMS = "script, style, noscript, template, nav, header, footer, form"


ENTRY_START = "\n  - name: "
"""Where the proposed entry starts in ``page_advice``'s words."""


def page_advice(result: FetchResult, now: datetime, topics: tuple[TopicConfig, ...] = ()) -> str:
    """For a page without a feed: the ``kind: page`` entry to paste into sources.yaml, with
    what it finds and the ``topics`` its items match, or why no items were found."""
    url = result.final_url or result.url
    found = suggest_select(result.body, url, result.content_type, now)
    if found is None:
        return _why_no_items(result.body)
    select, feed = found
    first = feed.entries[0]
    dated = sum(entry.published is not None for entry in feed.entries)
    name = _slug(feed.title or urlsplit(url).hostname or "page")
    label = _page_label(result.body)
    hints = _topic_hints(feed, url, now, topics)
    lines = [
        f"  - name: {name}",
        *([f"    label: {json.dumps(label, ensure_ascii=False)}"] if label != name else []),
        f"    url: {json.dumps(url)}",
        "    kind: page",
        "    every: 1d",
        *([f"    topics: [{', '.join(hints)}]"] if hints else []),
        "    select:",
        *(
            f"      {key}: {json.dumps(value, ensure_ascii=False)}"
            for key, value in select.model_dump(exclude_none=True).items()
        ),
    ]
    return (
        f".\nTo follow it as a page, add to sources.yaml (it finds {len(feed.entries)} items,"
        f" {dated} dated; the first: {first.title!r} <{first.link}>):\n"
    ) + "\n".join(lines)


def split_advice(message: str) -> tuple[str, str]:
    """A probe's error parted into its explanations and the proposed entry ("" when none),
    the explanations then pointing at the entry, printed before them."""
    start = message.find(ENTRY_START)
    if start < 0:
        return message, ""
    return message[:start].removesuffix(":") + ": the entry above", message[start + 1 :]


def _topic_hints(
    feed: ParsedFeed, url: str, now: datetime, topics: tuple[TopicConfig, ...]
) -> list[str]:
    """The topics matched by most of the items read, as ``watch.probe`` hints a feed's."""
    from watch.normalize import normalize_entries
    from watch.probe import hinted_topics  # probe imports this module: imported when used

    if not topics:
        return []
    articles = normalize_entries(feed, source="probe", base_url=url, fetched_at=now)
    return hinted_topics(articles, topics)


def _why_no_items(body: bytes) -> str:
    """Why no items were found: a page drawn by JavaScript, or no repeated links (with the
    page's text when it is short: "Site under maintenance, back soon")."""
    soup = BeautifulSoup(body, "lxml")
    drawn_by_script = soup.find("script") is not None or soup.select_one(_APP_ROOTS) is not None
    markers = any(marker.encode() in body for marker in _APP_MARKERS)
    for tag in soup.select("script, style, noscript, template"):
        tag.decompose()
    text = soup.body.get_text(" ", strip=True) if soup.body else ""
    if len(text) < MIN_PAGE_TEXT and (drawn_by_script or markers):
        return (
            "; its HTML shows no text: the page is drawn by JavaScript, so it has no items"
            " to follow as a page either (look for a feed or an API on the site)"
        )
    said = f" (its text: {text!r})" if text and len(text) < MIN_PAGE_TEXT else ""
    return (
        f"; no repeated blocks of links were found on it to follow it as a page{said}: write"
        " a kind: page source with select: item, title, link (and date) in sources.yaml"
    )


def _page_label(body: bytes) -> str:
    """The ``label:`` of a page source, as a feed's comes from its title: the page's
    ``<title>``, else its ``og:site_name``, on one line and not too long ("" when none)."""
    from watch.opml.naming import label_from_title

    soup = BeautifulSoup(body, "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    site = soup.find("meta", attrs={"property": "og:site_name"})
    site_name = site.get("content") if isinstance(site, Tag) else None
    return label_from_title(title or (site_name if isinstance(site_name, str) else ""))


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
            best = (score, _kept_summary(select, feed), feed)
    return (best[1], best[2]) if best else None


def _kept_summary(select: SelectConfig, feed: ParsedFeed) -> SelectConfig:
    """``select`` without its ``summary`` when it reads a summary other than the title in
    half of the items or fewer."""
    summaries = sum(bool(e.summary) and e.summary != e.title for e in feed.entries)
    if select.summary is None or summaries * 2 > len(feed.entries):
        return select
    return select.model_copy(update={"summary": None})


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
    first ``<time>`` or the first element whose text reads as a date, the summary from its
    first paragraph (or longer text block) that is neither."""
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
        link = heading
    dated = _date_element(block, now)
    date = dated[0] if dated else None
    taken = [link] + ([dated[1]] if dated else [])
    return SelectConfig(
        item=item, title=inner, link=inner, date=date, summary=_summary_selector(block, taken)
    )


def _date_element(block: Tag, now: datetime) -> tuple[str, Tag] | None:
    """The ``date`` selector of an item and the element it reads."""
    from watch.parse.page_dates import read_page_date

    timed = block.find(["time", "relative-time"], attrs={"datetime": True})
    if isinstance(timed, Tag):
        return f"{timed.name}@datetime", timed
    for element in block.find_all(True):
        own = element.find(string=True, recursive=False)
        if element.name != "a" and own and read_page_date(str(own), now=now):
            return _selector_inside(block, element), element
    return None


def _summary_selector(block: Tag, taken: list[Tag]) -> str | None:
    """The selector of the item's first ``<p>`` (else a ``div``, ``dd``, ``blockquote`` or
    ``span`` of MIN_SUMMARY_WORDS words or more) that holds neither the title nor the date."""
    title = taken[0].get_text(" ", strip=True)
    for names, min_words in ((["p"], 1), (["div", "dd", "blockquote", "span"], MIN_SUMMARY_WORDS)):
        for element in block.find_all(names):
            text = element.get_text(" ", strip=True)
            if len(text.split()) < min_words or text == title or _holds(element, taken):
                continue
            selector = _selector_inside(block, element)
            if block.select_one(selector) is element:
                return selector
    return None


def _holds(element: Tag, taken: list[Tag]) -> bool:
    """Whether ``element`` is one of ``taken``, inside one or holds one."""
    return any(
        element is other or other in element.parents or element in other.parents for other in taken
    )


def _selector_inside(block: Tag, element: Tag) -> str:
    """``element``'s simple selector, with ``:nth-of-type`` when an earlier one matches it too
    (the second cell of a table row)."""
    simple = _simple_selector(element)
    if block.select_one(simple) is element:
        return simple
    rank = 1 + sum(1 for _ in element.find_previous_siblings(element.name))
    return f"{simple}:nth-of-type({rank})"


def _slug(title: str) -> str:
    """A source name from a page title: "Le blog de l'équipe" → "le-blog-de-l-equipe"."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].strip("-") or "page"
