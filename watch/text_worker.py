"""The worker process that extracts article texts (``full_text:``): one page at a time, each
within a time limit.

Extracting a page's text (``watch.article_text``) is CPU work on hostile input, and its time
grows with the square of a flat page's paragraphs.  It runs in its own process, apart from the
feed parsers' pool (``watch.reading``): a slow or crashing page never holds or breaks a feed
read.  Pages are read one after another, so that the time limit counts a page's own reading,
not its wait behind the others::

    worker  = started()                    # forked from the reading fork server; imports
                                           #   trafilatura before its first page
    answer  = worker.extract(page)         # at most ``time_limit`` seconds (TIME_LIMIT)
    timeout → worker killed, the page's answer is TOO_LONG
    death   → the page's answer is CRASHED (it was the worker's only page)
    cancel  → worker killed (a stop, SIGTERM: nothing waits for the page)

Either failure is final (``watch.full_text.is_final``: the page's own answer): the same page
would take as long or crash the reader again.  The next page starts a new worker.  ``close``
kills the worker too: a process never waits at its exit for a page being read.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TypeVar

from watch.article_text import ArticlePage, PageText, extract_article

T = TypeVar("T")

log = logging.getLogger(__name__)
TIME_LIMIT = 20.0
"""Seconds one page's text may take to read (an article page takes well under one)."""
START_LIMIT = 60.0
"""Seconds a new worker may take to start (a fork and an import)."""
TOO_LONG = "reading the page's text took too long"
CRASHED = "the page's text could not be read: the reader crashed"
_READY = "ready"


class TextWorker:
    """Extracts pages' texts in one worker process, started lazily, killed with ``close``.

    The process's fork server must be up (``watch.reading.DocumentReader`` starts it)."""

    def __init__(self, time_limit: float = TIME_LIMIT) -> None:
        self.time_limit = time_limit
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self._threads: ThreadPoolExecutor | None = None
        """Two threads: one waits on the worker; the other lets the next page start while a
        killed worker's waiting thread sees the pipe's end."""

    async def extract(self, page: ArticlePage) -> PageText:
        """The text of ``page``, or why there is none (TOO_LONG, CRASHED among the reasons)."""
        async with self._turn():
            try:
                return await self._read(page)
            except BaseException:  # a cancel, a bug, a worker that did not start: it goes
                self.close()
                raise

    def close(self) -> None:
        """Kill the worker, busy or idle (its page, if any, is not read)."""
        process, self._process = self._process, None
        self._connection = None  # closed when the thread waiting on it, if any, sees the end
        threads, self._threads = self._threads, None
        if threads is not None:
            threads.shutdown(wait=False)  # its thread, if waiting, ends with the worker
        if process is not None:
            process.kill()
            process.join(5)

    async def _read(self, page: ArticlePage) -> PageText:
        connection = await self._started()
        try:
            exchange = self._in_thread(_exchange, connection, page)
            answer = await asyncio.wait_for(exchange, self.time_limit)
        except TimeoutError:
            log.warning("reading the text of %s took over %gs: stopped", page.url, self.time_limit)
            self.close()
            return PageText(error=TOO_LONG)
        except (EOFError, OSError):
            log.error("the text reader died on %s", page.url)
            self.close()
            return PageText(error=CRASHED)
        if isinstance(answer, str):  # a bug in the extractor, said by the worker
            raise RuntimeError(answer)
        return answer

    async def _started(self) -> Connection:
        """Our end of the pipe to the worker, once the worker is ready for a page."""
        if self._process is not None and self._process.is_alive() and self._connection is not None:
            return self._connection
        self.close()
        context = multiprocessing.get_context("forkserver")
        ours, theirs = context.Pipe()
        process = context.Process(target=serve, args=(theirs,), name="watch-text", daemon=True)
        process.start()
        theirs.close()
        self._process, self._connection = process, ours
        await asyncio.wait_for(self._in_thread(ours.recv), START_LIMIT)
        return ours

    def _in_thread(self, work: Callable[..., T], *args: object) -> asyncio.Future[T]:
        """``work`` run in the worker's own thread: the event loop's shared threads (DNS
        lookups, the scheduler's jobs) may all be busy, and a page's time limit must not count
        a wait for one of them."""
        if self._threads is None:
            self._threads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="watch-text")
        return asyncio.get_running_loop().run_in_executor(self._threads, work, *args)

    def _turn(self) -> asyncio.Lock:
        """The lock giving the worker to one page at a time (one per event loop: a lock is
        bound to the loop that first waits on it)."""
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop
        return self._lock


def _exchange(connection: Connection, page: ArticlePage) -> PageText | str:
    """Give the worker ``page``, wait for its answer (in a thread)."""
    connection.send(page)
    answer: PageText | str = connection.recv()
    return answer


def serve(connection: Connection) -> None:
    """The worker: below the scheduler's priority, deaf to Ctrl-C (the main process decides
    when it stops), reading pages until the main process's end is closed."""
    from watch.reading import WORKER_NICENESS

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(WORKER_NICENESS)
    import trafilatura  # noqa: F401  (imported before the first page: no page's time)

    connection.send(_READY)
    while True:
        try:
            page = connection.recv()
        except EOFError:
            return
        try:
            answer: PageText | str = extract_article(page)
        except Exception as exc:  # extract_article never raises for a bad page: a bug
            answer = f"{type(exc).__name__}: {exc}"
        connection.send(answer)
