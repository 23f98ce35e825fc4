"""Extracting an article's main text from its page: pure CPU work, run in a reading worker.

``extract_article`` takes the fetched page of one article (``ArticlePage``) and gives its text
(``PageText``) or why it gave none.  The main text is found by trafilatura (``favor_precision``:
navigation, footers, sidebars and comments left out), or, for a source whose ``full_text:`` is a
CSS selector, is the inner HTML of the first element it matches.  Either way it is sanitized
with the feed summaries' allowlist (``watch.normalize.sanitize_html``: no script, style, event
handler or image; links made absolute against the page's URL), and its plain text is read from
that, one paragraph per block, paragraphs separated by blank lines.  The sanitized HTML is kept
only when it is the whole text and at most ``HTML_MAX`` characters (sanitizing closes tags and
lengthens links: "" otherwise; the plain text is what is used).  trafilatura is imported on the
first page only: a pass without ``full_text:`` sources never loads it.

A page is refused before any extractor sees it when it is larger than ``PAGE_MAX_CHARS``
decoded characters or has more than ``PAGE_MAX_ELEMENTS`` elements: trafilatura's time grows
with the square of a flat page's paragraphs, and a selector on a deeply nested page takes
minutes and a gigabyte.  The time a page may take is bounded by the worker that runs this
(``watch.text_worker``).

A first paragraph that is the article's title (its words, whatever their case and punctuation:
trafilatura keeps the page's ``<h1>``) is dropped.  A page gives no text when it is not HTML,
when nothing is found, or when what is found brings no clear gain on the feed's own summary
(``is_gain``: a paywall's or a teaser page's lead repeats the summary; the feed's text stays
what is shown).  Each of these answers is the page's own: reading it again gives the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from watch.normalize import html_to_text, sanitize_html
from watch.parse.guard import decode_body, strip_control_characters
from watch.text_rules import NO_MORE_THAN_SUMMARY, NO_TEXT, SELECTOR_MISSED

TEXT_MAX = 100_000
"""Characters of plain text kept per article (a long report; more is an archive)."""
HTML_MAX = 500_000
"""Characters of extracted HTML sanitized per article, and of sanitized HTML kept."""
PAGE_MAX_CHARS = 2_000_000
"""Decoded characters of a page given to the extractor (a long article's page is ~300,000)."""
PAGE_MAX_ELEMENTS = 50_000
"""Elements of a page given to the extractor (a long article's page has ~5,000)."""
_ELEMENT = re.compile(r"<[A-Za-z]")
"""The start of an element's tag: counted, not parsed."""
HTML_TYPES = ("text/html", "application/xhtml+xml")
MIN_GAIN_WORDS = 40
"""Words a page must add to a summary of as many words or more (to a shorter one: as many as it
has): a paywall adds a "Subscribe to continue reading" line, a teaser page a sentence or two."""
MIN_GAIN_RATIO = 1.5
"""And a page must say more than this many times the summary's words (a long summary)."""
_WORD = re.compile(r"\w+")
_BLOCK = re.compile(
    r"<(?:/?(?:p|h[1-6]|li|blockquote|pre|div|table|tr|td|th|caption|ul|ol|dl|dt|dd|figure"
    r"|figcaption|details|summary)\b[^>]*|br\s*/?|hr\s*/?)>",
    re.IGNORECASE,
)
"""A tag that starts or ends a block: the plain text starts a new paragraph there."""
_BLOCK_NAMES = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div", "td"]


@dataclass(frozen=True)
class ArticlePage:
    """The fetched page of one article, and what reading it needs to know."""

    body: bytes
    url: str
    """Where the page was fetched from (after redirects): relative links resolve against it."""
    content_type: str
    selector: str | None
    """The source's CSS selector of the article's body; None to find it automatically."""
    summary_text: str = ""
    """The feed's text for the article: a page must give more."""
    title: str = ""
    """The article's title: a first paragraph saying it is dropped."""


@dataclass(frozen=True)
class PageText:
    """The main text of a page: sanitized HTML and plain text, or why there is none."""

    html: str = ""
    text: str = ""
    error: str | None = None


def extract_article(page: ArticlePage) -> PageText:
    """The main text of ``page`` (in a worker; never raises for a bad page)."""
    media_type = page.content_type.split(";")[0].strip().lower()
    if media_type and media_type not in HTML_TYPES:
        return PageText(error=f"not an HTML page ({media_type})")
    document = strip_control_characters(decode_body(page.body, page.content_type))
    if not media_type and document.lstrip()[:1] != "<":
        return PageText(error="not an HTML page")
    too_large = page_too_large(document)
    if too_large:
        return PageText(error=too_large)
    if page.selector is not None:
        found, problem = _selected(document, page.selector)
    else:
        found, problem = _main_text(document, page.url), None
    html = sanitize_html(found[:HTML_MAX], page.url)
    text = paragraphs(html)
    if _is_title(text.split("\n\n", 1)[0], page.title):
        html = _without_title(html, page.title)
        text = paragraphs(html)
    if not text:
        return PageText(error=problem or NO_TEXT)
    if not is_gain(text, page.summary_text):
        return PageText(error=NO_MORE_THAN_SUMMARY)
    whole = len(found) <= HTML_MAX and len(html) <= HTML_MAX
    return PageText(html=html if whole else "", text=text)


def page_too_large(document: str) -> str | None:
    """Why ``document`` is too large to give to an extractor ("page too large to read
    (2.4 MB)"), or None."""
    if len(document) > PAGE_MAX_CHARS:
        return f"page too large to read ({len(document) / 1_000_000:.1f} MB)"
    elements = sum(1 for _ in _ELEMENT.finditer(document))
    if elements > PAGE_MAX_ELEMENTS:
        return f"page too large to read ({elements:,} elements)"
    return None


def is_gain(text: str, summary: str) -> bool:
    """Whether a page's ``text`` says clearly more than the feed's ``summary``: at least
    ``MIN_GAIN_WORDS`` words more (as many as the summary has, when it has fewer: a feed that
    says nothing gains from any text) and more than ``MIN_GAIN_RATIO`` times its words."""
    page_words, summary_words = len(_WORD.findall(text)), len(_WORD.findall(summary))
    gain = page_words - summary_words
    return (
        gain >= min(MIN_GAIN_WORDS, summary_words) and page_words > MIN_GAIN_RATIO * summary_words
    )


def _is_title(paragraph: str, title: str) -> bool:
    """Whether ``paragraph`` says ``title``: the same words, whatever their case and
    punctuation ("Kernel — Notes!" is "Kernel notes")."""
    words = _WORD.findall(title.casefold())
    return bool(words) and _WORD.findall(paragraph.casefold()) == words


def _without_title(html: str, title: str) -> str:
    """``html`` without its first text, ``title``: the block (heading, paragraph…) saying it,
    or that text alone when its block says more."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    first = soup.find(string=lambda text: bool(text and text.strip()))
    if first is None:
        return html
    block = first.find_parent(_BLOCK_NAMES)
    if block is not None and _is_title(block.get_text(" "), title):
        block.decompose()
    elif _is_title(first, title):
        first.extract()
    return str(soup).strip()


def _main_text(document: str, url: str) -> str:
    """The article's main text as HTML, found by trafilatura ("" when none)."""
    import trafilatura

    found = trafilatura.extract(
        document,
        url=url,
        output_format="html",
        favor_precision=True,
        include_comments=False,
        include_images=False,
        include_links=True,
        include_formatting=True,
        include_tables=True,
    )
    return found or ""


def _selected(document: str, selector: str) -> tuple[str, str | None]:
    """The inner HTML of the first element ``selector`` matches, or "" and what went wrong."""
    from bs4 import BeautifulSoup

    element = BeautifulSoup(document, "lxml").select_one(selector)
    if element is None:
        return "", f"full_text {selector!r} {SELECTOR_MISSED}"
    return element.decode_contents(), f"full_text {selector!r} matched an element without text"


def paragraphs(html: str, limit: int = TEXT_MAX) -> str:
    """The plain text of sanitized ``html``: one paragraph per block, separated by blank lines,
    at most ``limit`` characters (cut at a paragraph, else at a word)."""
    kept: list[str] = []
    size = 0
    for part in _BLOCK.split(html):
        line = html_to_text(part)
        if not line:
            continue
        if size + len(line) > limit:
            room = limit - size
            cut = line[:room].rsplit(" ", 1)[0] if room > 0 else ""
            kept += [cut] if cut else []
            break
        kept.append(line)
        size += len(line) + 2
    return "\n\n".join(kept)
