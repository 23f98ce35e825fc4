"""Reading a fetched document (parse, normalize, classify, cluster fingerprints) in a worker.

Parsing, normalizing, classifying and fingerprinting are CPU-bound and touch hostile input.  The
pipeline sends each fetched body here; one worker process reads it while the main process keeps
fetching and storing, so a pass uses both cores of a small machine, and a document that crashes
or hangs the parser takes down a worker, never the scheduler.  The worker returns plain
picklable data; a broken worker is replaced and the source gets a clear error.

The classifier is installed in the worker when it starts (pickled once, not per document); when
the pipeline's classifier changes (a retrain), the next read starts a worker with the new one.
Articles come back classified (``Reading.classified``), before anything is committed.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import pickle
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime

from watch.classify import Classifier
from watch.cluster import Fingerprint, fingerprint
from watch.config import SelectConfig
from watch.models import Article
from watch.normalize import normalize_entries
from watch.parse import NotAFeed, ParseError, parse_document

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
    classified: bool = False
    """Whether the articles' topics were set by the worker's classifier."""


_classifier: Classifier | None = None
"""The classifier installed in this worker process (None in the main process)."""


def _install_classifier(payload: bytes | None) -> None:
    global _classifier
    _classifier = pickle.loads(payload) if payload is not None else None


def read_document(
    body: bytes,
    url: str,
    content_type: str,
    select: SelectConfig | None,
    source: str,
    fetched_at: datetime,
    hints: Sequence[str] = (),
) -> Reading:
    """Parse, normalize and (with an installed classifier) classify one document; never raises
    for bad input.  ``hints`` are the source's topic hints."""
    try:
        feed = parse_document(body, url=url, content_type=content_type, select=select)
    except NotAFeed as exc:
        return Reading(error=str(exc), alternates=list(exc.alternates))
    except ParseError as exc:
        return Reading(error=str(exc))
    articles = normalize_entries(feed, source=source, base_url=url, fetched_at=fetched_at)
    prints = [fingerprint(a.title, a.summary_text) for a in articles]
    reading = Reading(articles=articles, entries=len(feed.entries), fingerprints=prints)
    if _classifier is not None and articles:
        items = [(a.title, a.summary_text, tuple(hints)) for a in articles]
        for article, matches in zip(articles, _classifier.classify(items), strict=True):
            article.topics = matches
        reading.classified = True
    return reading


class DocumentReader:
    """Reads documents in one worker process; created lazily, shut down with ``close``."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._classifier: Classifier | None = None

    async def read(
        self,
        body: bytes,
        url: str,
        content_type: str,
        select: SelectConfig | None,
        source: str,
        fetched_at: datetime,
        hints: Sequence[str] = (),
        classifier: Classifier | None = None,
    ) -> Reading:
        """The document read in the worker, classified by ``classifier`` when given."""
        loop = asyncio.get_running_loop()
        if classifier is not self._classifier:
            self._retire()
            self._classifier = classifier
        args = (body, url, content_type, select, source, fetched_at, tuple(hints))
        try:
            return await loop.run_in_executor(self._executor(), read_document, *args)
        except BrokenProcessPool:
            log.error("the parser worker died on %s; starting a new one", url)
            self.close()
            return Reading(error="the parser crashed on this document")

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            payload = None if self._classifier is None else pickle.dumps(self._classifier)
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=context,
                initializer=_install_classifier,
                initargs=(payload,),
            )
        return self._pool

    def _retire(self) -> None:
        """Start the next read in a new worker; reads already queued finish in the old one."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=False)
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
