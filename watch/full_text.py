"""The full-text stage: the whole article, read from its page, for sources with ``full_text:``.

Many feeds give a sentence or nothing; a source with ``full_text: true`` (or the CSS selector of
the article's body) has each new article's page fetched and its main text kept, after the
feed's own stage has committed::

    wanted = store.articles_wanting_text(sources)   # never read, or failed (< 3 times, > 1 h ago);
                                                    #   first seen in the last 30 days, newest
                                                    #   first, at most 20 per source and pass
    for each, concurrently (the Fetcher bounds global and per-host concurrency):
        page = fetcher.fetch(url, respect_robots=True)   # credentials only to the source's origin
        text = reader.extract(page)                      # watch.article_text, in a worker
    store.save_article_texts(texts)                 # failures too: "HTTP 404 Not Found"
    reclassify(ids of the texts read)               # the pipeline's: Ranker.reclassify

This module owns that stage: which articles, fetching their pages, what each gave, and how it
is told (``TextTally``).  A page that fails is recorded for that article only and tried again
at a later pass (at most ``MAX_ATTEMPTS`` times in all); the source's own status stays what its
feed fetch said.  A stop (SIGTERM cancels the pass) keeps the texts read so far, saved and
classified in the ``finally`` (no await there, so a cancellation cannot cut it); the others
are wanted again at the next pass.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from watch.article_text import ArticlePage, PageText
from watch.config import SourceConfig
from watch.fetch import Fetcher, credentials_may_go
from watch.models import ArticleText, FetchResult
from watch.reading import DocumentReader
from watch.store.base import Store, WantedText

log = logging.getLogger(__name__)
PER_PASS = 20
"""Article pages read per source and pass (a first pass on a long feed catches up over several)."""
WINDOW = timedelta(days=30)
"""Articles first seen longer ago are not read any more."""
MAX_ATTEMPTS = 3
"""Passes that may try one article's page before it is left with its feed's text."""
RETRY_AFTER = timedelta(hours=1)
"""A failed page is tried again at a pass this long after, not at the next one minutes later."""
ROBOTS_REFUSAL = "robots.txt disallows it"


@dataclass
class TextTally:
    """What one source's article pages gave in a pass."""

    read: int = 0
    failed: int = 0
    first_error: str | None = None

    @property
    def warning(self) -> str | None:
        """What to tell of the failures (None when none failed): "article pages: 2 of 5 not
        read: HTTP 404 Not Found", the first one named."""
        if not self.failed:
            return None
        tried = self.read + self.failed
        return f"article pages: {self.failed} of {tried} not read: {self.first_error}"


async def read_full_texts(
    sources: Sequence[SourceConfig],
    store: Store,
    fetcher: Fetcher,
    reader: DocumentReader,
    now: datetime,
    reclassify: Callable[[Sequence[int]], object],
) -> dict[str, TextTally]:
    """Read the pages of the articles of ``sources`` that want a text, save what they gave and
    ``reclassify`` the articles given a text; what each source's pages gave, by name."""
    wanted = store.articles_wanting_text(
        [source.name for source in sources],
        fetched_since=now - WINDOW,
        retry_before=now - RETRY_AFTER,
        per_source=PER_PASS,
        max_attempts=MAX_ATTEMPTS,
    )
    by_name = {source.name: source for source in sources}
    done: dict[int, ArticleText] = {}
    try:
        async with asyncio.TaskGroup() as group:
            for item in wanted:
                group.create_task(
                    _read_page(item, by_name[item.source], fetcher, reader, now, done)
                )
    finally:
        _save(store, list(done.values()), reclassify)
    return _tallies(wanted, done)


async def _read_page(
    item: WantedText,
    source: SourceConfig,
    fetcher: Fetcher,
    reader: DocumentReader,
    now: datetime,
    done: dict[int, ArticleText],
) -> None:
    """Fetch and extract one article's page into ``done``; never raises but to a cancel."""
    trusted = credentials_may_go(source.url, item.url)
    try:
        result = await fetcher.fetch(
            item.url, source_name=source.name if trusted else None, respect_robots=True
        )
        if result.status == "ok":
            text = await reader.extract(_page(result, source, item))
        else:
            text = PageText(error=_fetch_error(result))
    except Exception as exc:  # a bug or a hostile page must not stop the other pages
        log.exception("reading the page of article %d failed", item.id)
        text = PageText(error=f"internal error: {type(exc).__name__}: {exc}")
    done[item.id] = ArticleText(item.id, text.html, text.text, now, text.error)


def _page(result: FetchResult, source: SourceConfig, item: WantedText) -> ArticlePage:
    selector = source.full_text if isinstance(source.full_text, str) else None
    url = result.final_url or result.url
    return ArticlePage(result.body, url, result.content_type, selector, item.summary_text)


def _fetch_error(result: FetchResult) -> str:
    if result.error == "disallowed by robots.txt":
        return ROBOTS_REFUSAL
    return result.error or f"HTTP {result.http_status}"


def _save(
    store: Store, texts: list[ArticleText], reclassify: Callable[[Sequence[int]], object]
) -> None:
    """Save ``texts`` and classify again the articles given one (no await: a cancel waits)."""
    if not texts:
        return
    store.save_article_texts(texts)
    read = [text.article_id for text in texts if text.error is None]
    if read:
        reclassify(read)


def _tallies(wanted: Sequence[WantedText], done: dict[int, ArticleText]) -> dict[str, TextTally]:
    """Per source, the pages read and failed, the first failure in ``wanted``'s order (newest
    article first)."""
    tallies: dict[str, TextTally] = {}
    for item in wanted:
        tally = tallies.setdefault(item.source, TextTally())
        text = done.get(item.id)
        if text is None:
            continue
        if text.error is None:
            tally.read += 1
        else:
            tally.failed += 1
            tally.first_error = tally.first_error or text.error
    return tallies
