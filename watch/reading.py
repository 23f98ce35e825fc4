"""Reading a fetched document (parse, normalize, classify, cluster fingerprints) in a worker.

Parsing, normalizing, classifying and fingerprinting are CPU-bound and touch hostile input.  The
pipeline sends each fetched body here; worker processes (one per core, at a lower priority than
the main process) read while the main process keeps fetching and storing.  A document that
crashes the parser takes down a worker, never the scheduler: the broken pool is replaced and
the source gets a clear error.  A document that is slow to read holds its worker until it is
read (feed reading has no time limit of its own: the fetch's size cap and lxml's limits bound
it), and the other reads share the remaining workers.  Workers are forked from a fork server
that imported the reading modules once.  They return plain picklable data.

The classifier is installed in the worker when it starts (pickled once, not per document); when
the pipeline's classifier changes (a retrain), the next read starts workers with the new one.
Articles come back classified, before anything is committed.

A page (a source with ``select:``) that gives no item is an error that names the selector to
change (``watch.parse.page`` words it); items a page's selectors lost come back as warnings.

The main text of article pages (``extract``, for ``full_text:`` sources: ``watch.article_text``)
is read elsewhere: in one worker of its own, one page at a time, each within a time limit
(``watch.text_worker``), so that a slow page never holds a feed.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import pickle
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from watch.article_text import ArticlePage, PageText
from watch.classify import Classifier
from watch.cluster import Fingerprint, fingerprint
from watch.config import SelectConfig
from watch.models import Article, ParsedFeed
from watch.normalize import html_to_text, is_http_url, normalize_entries
from watch.parse import NotAFeed, ParseError, parse_document
from watch.text_worker import TIME_LIMIT, TextWorker

log = logging.getLogger(__name__)


@dataclass
class Reading:
    """What one document gave: normalized articles, or why it gave none."""

    articles: list[Article] = field(default_factory=list)
    entries: int = 0
    """Entries the document held (before normalization dropped unusable ones)."""
    error: str | None = None
    alternates: list[str] = field(default_factory=list)
    """Feeds advertised by an HTML page that is not itself a feed."""
    fingerprints: list[Fingerprint] = field(default_factory=list)
    """The clustering fingerprint of each article (same order), computed here, off the main
    process."""
    title: str | None = None
    """The feed's own title (a page's ``<title>``), plain text."""
    home_url: str | None = None
    """The site the feed belongs to (its ``<link>``; a page source's own URL), absolute
    http(s)."""
    selectors_failed: bool = False
    """A page whose selectors read no item: ``error`` names the selector to change."""
    warnings: list[str] = field(default_factory=list)
    """What a page's selectors lost while it still gave items ("select.link 'h2' found no link
    in 3 of the 14 items …")."""


@dataclass(frozen=True)
class Document:
    """A fetched body and what reading it needs to know about its source."""

    body: bytes
    url: str
    content_type: str
    select: SelectConfig | None
    source: str
    fetched_at: datetime
    hints: tuple[str, ...] = ()
    """The source's topic hints (a prior for classification)."""


WORKERS = max(1, min(os.cpu_count() or 1, 4))
"""Reading is the heaviest CPU work of a pass: one worker per core (up to 4)."""
WORKER_NICENESS = 10
"""Workers yield the CPU to the main process, whose downloads and writes feed them."""

CRASH_ATTEMPTS = 2
"""A worker's death fails every read in flight: each is tried again once on new workers; a
document that kills them twice is recorded as the culprit."""

_classifier: Classifier | None = None
"""The classifier installed in this worker process (None in the main process)."""

_forkserver_ready = False
"""Whether this process's fork server runs with the reading modules imported."""


def _start_forkserver() -> None:
    """Start the fork server with the reading modules imported, and wait until it forks.

    Every worker is then a fork of a process that already imported lxml, nh3, numpy and the
    rest (~0.8 s of imports paid once per process, not once per worker).  This blocks for that
    long, so the pipeline runs it in a thread, never on the event loop.
    """
    global _forkserver_ready
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])  # not "__main__": workers never need it
    probe = context.Process(target=_probe, daemon=True)
    probe.start()
    probe.join()
    _forkserver_ready = True


def _probe() -> None:
    """Nothing: a first child proves the fork server is up."""


def _install_worker(payload: bytes) -> None:
    """Worker start: below the scheduler's priority, with its classifier, deaf to Ctrl-C (a
    terminal's Ctrl-C reaches the whole group: the main process decides when workers stop; a
    worker dying of it mid-read could leave the pool's feeder thread blocked at exit)."""
    global _classifier
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(WORKER_NICENESS)
    _classifier = pickle.loads(payload)


def read_document(document: Document) -> Reading:
    """Parse, normalize and classify one document (in the worker); never raises for bad input."""
    assert _classifier is not None, "read_document runs in a DocumentReader worker"
    doc = document
    try:
        feed = parse_document(
            doc.body,
            url=doc.url,
            content_type=doc.content_type,
            select=doc.select,
            fetched_at=doc.fetched_at,
        )
    except NotAFeed as exc:
        return Reading(error=str(exc), alternates=list(exc.alternates))
    except ParseError as exc:
        return Reading(error=str(exc))
    if doc.select is not None and not feed.entries:
        error = "; ".join(feed.warnings) or "the page's selectors read no item"
        return Reading(error=error, selectors_failed=True)
    articles = normalize_entries(
        feed, source=doc.source, base_url=doc.url, fetched_at=doc.fetched_at
    )
    items = [(a.title, a.text_for_topics, doc.hints) for a in articles]
    for article, matches in zip(articles, _classifier.classify(items), strict=True):
        article.topics = matches
    prints = [fingerprint(a.title, a.summary_text) for a in articles]
    title, home = feed_identity(feed, doc.url)
    return Reading(
        articles=articles,
        entries=len(feed.entries),
        fingerprints=prints,
        title=title,
        home_url=home,
        warnings=feed.warnings if doc.select is not None else [],
    )


def feed_identity(feed: ParsedFeed, url: str) -> tuple[str | None, str | None]:
    """The feed's title as plain text (at most 200 characters) and its home page as an
    absolute http(s) URL, resolved against the fetched ``url``; None for what it lacks."""
    title = html_to_text((feed.title or "")[:2000])[:200].strip() or None
    try:
        home = urljoin(url, feed.link.strip()) if feed.link else None
    except ValueError:
        home = None
    return title, home if home and is_http_url(home) and len(home) <= 2000 else None


class DocumentReader:
    """Reads documents in worker processes, and pages' texts in a worker of their own
    (``text_time_limit`` seconds each at most); started lazily, shut down with ``close``."""

    def __init__(self, text_time_limit: float = TIME_LIMIT) -> None:
        self._texts = TextWorker(text_time_limit)
        self._pool: ProcessPoolExecutor | None = None
        self._retired: list[ProcessPoolExecutor] = []
        """Pools left after a classifier change, joined at ``close``: one shut down without
        waiting can make Python's own exit hook write to a closed pipe ("Bad file
        descriptor" printed at exit)."""
        self._classifier: Classifier | None = None
        self._starting: asyncio.Future[None] | None = None

    async def read(self, document: Document, classifier: Classifier) -> Reading:
        """The document read in the worker and classified by ``classifier``.

        Reads are handed to the worker in the order they were asked for, each with its own
        classifier, also while the fork server is still starting.
        """
        await self._forkserver_started()
        if classifier is not self._classifier:
            self._retire()
            self._classifier = classifier
        for _attempt in range(CRASH_ATTEMPTS):
            pool = self._executor()
            try:
                return await asyncio.get_running_loop().run_in_executor(
                    pool, read_document, document
                )
            except BrokenProcessPool:
                self._discard(pool)
        log.error("the parser worker died %d times on %s", CRASH_ATTEMPTS, document.url)
        return Reading(error="the parser crashed on this document")

    async def extract(self, page: ArticlePage) -> PageText:
        """The main text of an article's page (``watch.article_text``), read in the text worker
        (``watch.text_worker``: one page at a time, apart from the feeds' workers)."""
        await self._forkserver_started()
        return await self._texts.extract(page)

    async def _forkserver_started(self) -> None:
        """Start the fork server once (in a thread), however many reads wait for it."""
        if not _forkserver_ready:
            loop = asyncio.get_running_loop()
            if self._starting is None or self._starting.get_loop() is not loop:
                self._starting = asyncio.ensure_future(asyncio.to_thread(_start_forkserver))
            await self._starting

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(
                max_workers=WORKERS,
                mp_context=context,
                initializer=_install_worker,
                initargs=(pickle.dumps(self._classifier),),
            )
        return self._pool

    def _discard(self, broken: ProcessPoolExecutor) -> None:
        """Replace a pool whose worker died (once, however many reads saw it die)."""
        if self._pool is broken:
            log.error("a parser worker died; starting new workers")
            broken.shutdown(wait=False)
            self._pool = None

    def _retire(self) -> None:
        """Start the next read in a new worker; reads already queued finish in the old one."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=False)
            self._retired.append(self._pool)
            self._pool = None

    def close(self) -> None:
        """Kill the text worker; join the retired pools (their reads are over); stop the
        current one's workers."""
        self._texts.close()
        while self._retired:
            self._retired.pop().shutdown(wait=True)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
