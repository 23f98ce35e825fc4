"""The full-text stage: the whole article, read from its page, for sources with ``full_text:``.

Many feeds give a sentence or nothing; a source with ``full_text: true`` (or the CSS selector of
the article's body) has each new article's page fetched and its main text kept, after the
feed's own stage has committed::

    wanted = store.articles_wanting_text(sources)   # never read, failed for a while (< 3 times,
                                                    #   > 1 h ago, not final), or read with
                                                    #   another full_text setting; first seen
                                                    #   in the last 30 days, newest first, at
                                                    #   most 20 per source and pass
    for each of their URLs (a link listed by several articles of a source: read once, the text
    saved for each), concurrently (the Fetcher bounds global and per-host concurrency):
        page = fetcher.fetch(url, respect_robots=True)   # credentials only to the source's origin
        text = reader.extract(page)                      # watch.article_text, in the text
                                                         #   worker (watch.text_worker: one page
                                                         #   at a time, 20 s at most, 2 MB and
                                                         #   50,000 elements at most)
    updates = classify(texts read)                  # the pipeline's Ranker.classified_with_texts
    store.save_article_texts(texts, updates)        # one write, failures too ("HTTP 404 …")

This module owns that stage: which articles, fetching their pages, what each gave, and how it
is told (``TextTally``).  A page that fails is recorded for that article only; a temporary
failure (a timeout, HTTP 429, 5xx, a 404, a lost connection) is tried again at a later pass (at
most ``MAX_ATTEMPTS`` times in all), a final one (``is_final``: robots.txt's refusal, or the
page's own answer: not HTML, too large, too long to read, no text, no more text than the
feed's summary) is not; the source's own status stays what its feed fetch said.  Each text is stored with the source's
``full_text`` setting it was read with (``setting_of``): when the setting changes, the
articles of the window read or failed with another one are read again (turning ``full_text``
off reads nothing, and deletes nothing).  A stop (SIGTERM cancels the pass) keeps the texts read so far, saved and
classified in the ``finally`` (no await there, so a cancellation cannot cut it); the others
are wanted again at the next pass.  The texts are saved with the topics and score they gave, in
one write: alerts wait for an article until its page was tried, so they never judge it on its
feed's text once the page is read; a classification or a write that fails saves nothing, and
the articles are wanted again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from watch.article_text import ArticlePage, PageText
from watch.config import SourceConfig
from watch.fetch import Fetcher, credentials_may_go
from watch.fetch.robots import ROBOTS_DISALLOWED
from watch.models import ArticleText, FetchResult
from watch.reading import DocumentReader
from watch.store.base import ClassificationUpdate, Store, WantedText
from watch.text_rules import MAX_ATTEMPTS, PER_PASS, RETRY_AFTER, ROBOTS_REFUSAL, WINDOW

log = logging.getLogger(__name__)
AUTO = "auto"
"""The setting of a text found automatically (``full_text: true``), as stored with it."""


@dataclass
class TextTally:
    """What one source's article pages gave in a pass."""

    read: int = 0
    failed: int = 0
    first_error: str | None = None
    seconds: float = 0.0
    """From the start of the stage until the source's last page was read (its pages wait
    behind the other sources' ones)."""

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
    classify: Callable[[Sequence[ArticleText]], Sequence[ClassificationUpdate]],
) -> dict[str, TextTally]:
    """Read the pages of the articles of ``sources`` that want a text and save what they gave,
    with the topics and score ``classify`` gives the articles given a text; what each source's
    pages gave, by name."""
    wanted = store.articles_wanting_text(
        [source.name for source in sources],
        fetched_since=now - WINDOW,
        retry_before=now - RETRY_AFTER,
        per_source=PER_PASS,
        max_attempts=MAX_ATTEMPTS,
        made_with={source.name: setting_of(source) for source in sources},
    )
    by_name = {source.name: source for source in sources}
    stage = _Stage(fetcher, reader, now)
    try:
        async with asyncio.TaskGroup() as group:
            for items in _by_page(wanted).values():
                group.create_task(_read_page(items, by_name[items[0].source], stage))
    finally:
        _save(store, list(stage.done.values()), classify)
    return _tallies(wanted, stage)


@dataclass
class _Stage:
    """One pass's page stage: what reads the pages, and what they gave so far."""

    fetcher: Fetcher
    reader: DocumentReader
    now: datetime
    started: float = field(default_factory=time.perf_counter)
    done: dict[int, ArticleText] = field(default_factory=dict)
    """The text (or failure) of each article whose page was read, by article id."""
    finished: dict[str, float] = field(default_factory=dict)
    """Seconds from ``started`` until each source's last page so far was read."""


def _by_page(wanted: Sequence[WantedText]) -> dict[tuple[str, str], list[WantedText]]:
    """The wanted articles by source and page URL, in ``wanted``'s order (newest first)."""
    pages: dict[tuple[str, str], list[WantedText]] = {}
    for item in wanted:
        pages.setdefault((item.source, item.url), []).append(item)
    return pages


async def _read_page(items: list[WantedText], source: SourceConfig, stage: _Stage) -> None:
    """Fetch and extract the page ``items`` link to (as the newest of them knows it: its
    summary, its title) into ``stage.done``, for each of them; never raises but to a cancel."""
    first = items[0]
    trusted = credentials_may_go(source.url, first.url)
    try:
        result = await stage.fetcher.fetch(
            first.url, source_name=source.name if trusted else None, respect_robots=True
        )
        if result.status == "ok":
            text = await stage.reader.extract(_page(result, source, first))
        else:
            text = PageText(error=_fetch_error(result))
        final = is_final(result, text)
    except Exception as exc:  # a bug or a hostile page must not stop the other pages
        log.exception("reading the page of article %d failed", first.id)
        text, final = PageText(error=f"internal error: {type(exc).__name__}: {exc}"), False
    made_with = setting_of(source)
    for item in items:
        stage.done[item.id] = ArticleText(
            item.id, text.html, text.text, stage.now, text.error, final=final, made_with=made_with
        )
    stage.finished[source.name] = time.perf_counter() - stage.started


def setting_of(source: SourceConfig) -> str:
    """The ``full_text`` setting a source's texts are read with: its selector, or ``AUTO``."""
    return source.full_text if isinstance(source.full_text, str) else AUTO


def is_final(result: FetchResult, text: PageText) -> bool:
    """Whether a page's failure would be the same at every try: robots.txt's refusal, or any
    failure of a page fetched (it is the page's own answer: not HTML, no text, no more text
    than the feed's summary, a selector matching nothing); a fetch that failed otherwise (a
    timeout, HTTP 429, 5xx, 404, a lost connection) is worth another try."""
    if text.error is None:
        return False
    return result.status == "ok" or text.error == ROBOTS_REFUSAL


def _page(result: FetchResult, source: SourceConfig, item: WantedText) -> ArticlePage:
    selector = source.full_text if isinstance(source.full_text, str) else None
    url = result.final_url or result.url
    return ArticlePage(
        result.body, url, result.content_type, selector, item.summary_text, item.title
    )


def _fetch_error(result: FetchResult) -> str:
    if result.error == ROBOTS_DISALLOWED:
        return ROBOTS_REFUSAL
    return result.error or f"HTTP {result.http_status}"


def _save(
    store: Store,
    texts: list[ArticleText],
    classify: Callable[[Sequence[ArticleText]], Sequence[ClassificationUpdate]],
) -> None:
    """Save ``texts`` with the topics and score of the articles given one, in one write (no
    await: a cancel waits)."""
    if texts:
        read = [text for text in texts if text.error is None]
        store.save_article_texts(texts, classify(read) if read else ())


def _tallies(wanted: Sequence[WantedText], stage: _Stage) -> dict[str, TextTally]:
    """Per source, the pages read and failed, the first failure in ``wanted``'s order (newest
    article first), the time its pages took."""
    tallies: dict[str, TextTally] = {}
    for item in wanted:
        tally = tallies.setdefault(item.source, TextTally())
        tally.seconds = stage.finished.get(item.source, 0.0)
        text = stage.done.get(item.id)
        if text is None:
            continue
        if text.error is None:
            tally.read += 1
        else:
            tally.failed += 1
            tally.first_error = tally.first_error or text.error
    return tallies
