"""Reading a fetched document (parse, normalize, classify, cluster fingerprints) in a worker.

Parsing, normalizing, classifying and fingerprinting are CPU-bound and touch hostile input.  The
pipeline sends each fetched body here; one worker process reads it while the main process keeps
fetching and storing, so a pass uses both cores of a small machine, and a document that crashes
or hangs the parser takes down a worker, never the scheduler.  The worker returns plain
picklable data; a broken worker is replaced and the source gets a clear error.

The classifier is installed in the worker when it starts (pickled once, not per document); when
the pipeline's classifier changes (a retrain), the next read starts a worker with the new one.
Articles come back classified, before anything is committed.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import pickle
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


_classifier: Classifier | None = None
"""The classifier installed in this worker process (None in the main process)."""


def _install_classifier(payload: bytes) -> None:
    global _classifier
    _classifier = pickle.loads(payload)


def read_document(document: Document) -> Reading:
    """Parse, normalize and classify one document (in the worker); never raises for bad input."""
    assert _classifier is not None, "read_document runs in a DocumentReader worker"
    doc = document
    try:
        feed = parse_document(
            doc.body, url=doc.url, content_type=doc.content_type, select=doc.select
        )
    except NotAFeed as exc:
        return Reading(error=str(exc), alternates=list(exc.alternates))
    except ParseError as exc:
        return Reading(error=str(exc))
    articles = normalize_entries(
        feed, source=doc.source, base_url=doc.url, fetched_at=doc.fetched_at
    )
    items = [(a.title, a.summary_text, doc.hints) for a in articles]
    for article, matches in zip(articles, _classifier.classify(items), strict=True):
        article.topics = matches
    prints = [fingerprint(a.title, a.summary_text) for a in articles]
    return Reading(articles=articles, entries=len(feed.entries), fingerprints=prints)


class DocumentReader:
    """Reads documents in one worker process; created lazily, shut down with ``close``."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._classifier: Classifier | None = None

    async def read(self, document: Document, classifier: Classifier) -> Reading:
        """The document read in the worker and classified by ``classifier``."""
        loop = asyncio.get_running_loop()
        if classifier is not self._classifier:
            self._retire()
            self._classifier = classifier
        try:
            return await loop.run_in_executor(self._executor(), read_document, document)
        except BrokenProcessPool:
            log.error("the parser worker died on %s; starting a new one", document.url)
            self.close()
            return Reading(error="the parser crashed on this document")

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=context,
                initializer=_install_classifier,
                initargs=(pickle.dumps(self._classifier),),
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
