"""How a ``full_text:`` source's article pages go: the health of its page reads, apart from its
feed's (``watch.health``).

A site that blocks page reads (every page 403, robots.txt disallowing them) or whose layout
changed under a ``full_text:`` selector fails on every page while its feed works: each pass
only says it in its own log line.  Over the articles first seen in the last ``WINDOW``
(``Store.article_text_counts``), a source's pages read, failed and still waiting, and the error
most failed pages gave, are told by ``watch status`` (under its table: ``pages_table``), in its
JSON (``full_text``) and on the board's Sources page.  When most pages fail (under half read,
of at least ``MIN_TRIED`` tried; of one, when the site said no: robots.txt, HTTP 401 or 403,
so that a blog posting twice a week is flagged too) the source is flagged, as a warning (its
feed works), with what to do about its kind of failure (``pages_advice``: a value said in each
language by ``watch.advice_words``).  Pages waiting for more than one pass say how many passes
they need ("180 waiting (≈ 9 passes at 20 per pass)").

Pure but for ``page_counts``, which reads the counts of the configured sources from a store.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from watch.advice_words import Said, english
from watch.config import SourceConfig, WatchConfig
from watch.store.base_texts import TextCounts, TextStore
from watch.text_rules import (
    NO_MORE_THAN_SUMMARY,
    NO_TEXT,
    PER_PASS,
    ROBOTS_REFUSAL,
    SELECTOR_MISSED,
)

if TYPE_CHECKING:
    from watch.health import SourceHealth

WINDOW = timedelta(days=7)
"""The articles whose pages are counted: those first seen this recently."""
MIN_TRIED = 3
"""Pages tried (read or failed) before a source whose pages mostly fail is flagged (but when
the site said no: ``REFUSALS``)."""
REFUSALS = ("refused", "robots")
"""The kinds of failure (``failure_of``) flagged at the first page: the site said no."""
_REFUSED = re.compile(r"\bHTTP (401|403)\b")
_FIXED_FAILURES = {ROBOTS_REFUSAL: "robots", NO_TEXT: "no_text", NO_MORE_THAN_SUMMARY: "no_more"}
"""The failures said in fixed words (``watch.text_rules``), by their kind."""


@dataclass
class PageHealth:
    """How a ``full_text:`` source's article pages went in the last ``days`` days (its
    ``watch status --format json`` object ``full_text``)."""

    days: int
    read: int
    failed: int
    waiting: int
    """Never tried yet (read at the next passes)."""
    error: str | None
    """The failure most failed pages gave, as stored ("HTTP 403 Forbidden")."""
    failing: bool
    """Most pages tried failed: the source is flagged."""
    advice: str | None
    """What to do about it (a failing source whose kind of failure is known), in English."""

    def counts(self) -> str:
        """The pages in words: "18 read, 2 failed (HTTP 404 Not Found)", with the pages
        waiting when some are."""
        said = f"{self.read} read, {self.failed} failed"
        said += f", {self.waiting} waiting{_backlog(self.waiting)}" if self.waiting else ""
        error = " ".join((self.error or "").split())  # one line, whatever the page said
        return f"{said} ({error})" if self.failed and error else said


def page_counts(config: WatchConfig, store: TextStore, now: datetime) -> dict[str, TextCounts]:
    """The counts of the pages of every ``full_text:`` source of ``config`` (``WINDOW``)."""
    names = [source.name for source in config.sources if source.full_text]
    return store.article_text_counts(names, fetched_since=now - WINDOW) if names else {}


def _backlog(waiting: int) -> str:
    """The passes ``waiting`` pages need, when more than one: " (≈ 9 passes at 20 per pass)"."""
    passes = -(-waiting // PER_PASS)
    return f" (≈ {passes} passes at {PER_PASS} per pass)" if passes > 1 else ""


def is_failing(counts: TextCounts) -> bool:
    """Fewer than half of the pages tried read, of at least ``MIN_TRIED`` (of one, when most
    failed pages were refused: robots.txt, HTTP 401 or 403)."""
    tried = counts.read + counts.failed
    refused = counts.error is not None and failure_of(counts.error) in REFUSALS
    return tried >= (1 if refused else MIN_TRIED) and counts.read * 2 < tried


def failure_of(error: str) -> str | None:
    """The kind of a page's failure that a user can act on: "refused" (HTTP 401 or 403),
    "robots", "selector" (matched nothing), "no_text" or "no_more" (than the feed's summary);
    None for any other (a timeout, a 404, a server error: the page's own trouble)."""
    if _REFUSED.search(error):
        return "refused"
    if error.endswith(SELECTOR_MISSED):
        return "selector"
    return _FIXED_FAILURES.get(error)


def pages_advice(counts: TextCounts) -> Said | None:
    """What to do about a source whose pages mostly fail, by the error most of them gave (None
    when they do not mostly fail, or when that error names nothing a user can act on)."""
    if not is_failing(counts) or counts.error is None:
        return None
    refused = _REFUSED.search(counts.error)
    if refused:
        return Said("pages_refused", {"status": int(refused[1])})
    kind = failure_of(counts.error)
    return Said(f"pages_{kind}") if kind else None


def advice_of(pages: PageHealth) -> Said | None:
    """What to do about a source whose pages mostly fail (``pages_advice``), told by its
    ``PageHealth``: None when it is not flagged (``failing``)."""
    if not pages.failing:
        return None
    return pages_advice(TextCounts(pages.read, pages.failed, pages.waiting, pages.error))


def page_health(counts: TextCounts, enabled: bool = True) -> PageHealth:
    """``counts`` told: the window, whether the source is flagged (never a disabled one), and
    what to do."""
    pages = PageHealth(
        days=WINDOW.days,
        read=counts.read,
        failed=counts.failed,
        waiting=counts.waiting,
        error=counts.error,
        failing=enabled and is_failing(counts),
        advice=None,
    )
    pages.advice = english(advice_of(pages))
    return pages


def add_page_health(
    row: SourceHealth, source: SourceConfig, counts: dict[str, TextCounts] | None
) -> None:
    """Give a ``full_text:`` source's health row its pages (``counts`` by source; None: not
    asked), and a warning when most of them fail and nothing else is wrong with it."""
    if counts is None or not source.full_text:
        return
    row.full_text = page_health(counts.get(source.name, TextCounts()), source.enabled)
    if row.full_text.failing and row.problem is None:
        row.problem = f"warning: {pages_line(row.full_text)}"


def pages_line(pages: PageHealth) -> str:
    """The problem of a source whose pages mostly fail, on one line: "article pages: 0 read,
    5 failed (HTTP 403 Forbidden); its site refuses page reads (HTTP 403): …"."""
    said = f"article pages: {pages.counts()}"
    return f"{said}; {pages.advice}" if pages.advice else said


def pages_table(rows: Sequence[SourceHealth]) -> list[str]:
    """The lines ``watch status`` adds under its table: each ``full_text:`` source's pages."""
    told = [(row.name, row.full_text) for row in rows if row.full_text is not None]
    if not told:
        return []
    lines = [f"article pages (full_text:), of the articles of the last {WINDOW.days} days:"]
    for name, pages in told:
        advice = f"; {pages.advice}" if pages.advice else ""
        lines.append(f"  {name}: {pages.counts()}{advice}")
    return lines
