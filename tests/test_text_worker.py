"""The text worker (``watch.text_worker``): a page that kills it fails alone and the next page
is read by a new one; a stop while a page is being read does not wait for it."""

from __future__ import annotations

import asyncio
import multiprocessing
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from tests.test_full_text import BODY, article_page
from tests.test_full_text_limits import flat_page
from watch import text_worker
from watch.article_text import ArticlePage, PageText
from watch.reading import DocumentReader
from watch.text_worker import CRASHED

ROOT = Path(__file__).resolve().parents[1]
GOOD = ArticlePage(article_page(BODY).encode(), "https://x.example/good", "text/html", None)
SLOW = ArticlePage(flat_page().encode(), "https://x.example/slow", "text/html", None)


def test_a_page_whose_worker_dies_fails_alone_and_the_next_page_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exchange = text_worker._exchange

    def killed_once_the_page_is_given(connection: Connection, page: ArticlePage) -> object:
        if page is not SLOW:
            return exchange(connection, page)
        connection.send(page)
        for process in multiprocessing.active_children():
            if process.name == "watch-text":
                process.kill()
        return connection.recv()

    monkeypatch.setattr(text_worker, "_exchange", killed_once_the_page_is_given)
    reader = DocumentReader(text_time_limit=60)

    async def scenario() -> list[PageText]:
        return [await reader.extract(page) for page in (GOOD, SLOW, GOOD)]

    try:
        before, crashed, after = asyncio.run(scenario())
    finally:
        reader.close()
    assert crashed == PageText(error=CRASHED)
    assert before.error is after.error is None and after.text == before.text


def test_a_page_never_waits_for_the_event_loops_shared_threads() -> None:
    reader = DocumentReader(text_time_limit=5)
    release = threading.Event()

    async def scenario() -> PageText:
        loop = asyncio.get_running_loop()
        busy = [loop.run_in_executor(None, release.wait) for _ in range(40)]  # DNS, jobs…
        try:
            return await reader.extract(GOOD)
        finally:
            release.set()
            await asyncio.gather(*busy)

    try:
        read = asyncio.run(scenario())
    finally:
        reader.close()
    assert read.error is None and BODY[0] in read.text


STOPPED_WHILE_READING = """
import asyncio, sys
from tests.test_full_text_limits import flat_page
from tests.test_text_worker import GOOD, SLOW
from watch.classify import keyword_classifier
from watch.reading import Document, DocumentReader
from datetime import UTC, datetime

FEED = b"<rss version='2.0'><channel><item><guid>g</guid><title>t</title></item></channel></rss>"

async def stopped(reader):
    await reader.extract(GOOD)  # the text worker is up
    slow = asyncio.create_task(reader.extract(SLOW))
    await asyncio.sleep(0)  # the slow page is handed to a worker, then a feed is read:
    feed = Document(FEED, "https://x.example/feed", "application/xml", None, "s", datetime.now(UTC))
    await reader.read(feed, keyword_classifier([]))
    slow.cancel()  # as a stop (SIGTERM) cancels the pass
    await asyncio.gather(slow, return_exceptions=True)

reader = DocumentReader()
try:
    asyncio.run(stopped(reader))
finally:
    reader.close()
print("closed", flush=True)
"""


def test_a_stop_while_a_page_is_read_exits_at_once() -> None:
    """``watch run`` took minutes to exit after a SIGTERM: the worker reading a slow page had
    to finish it first.  Here the page takes seconds; the process exits right after closing."""
    process = subprocess.Popen(
        [sys.executable, "-c", STOPPED_WHILE_READING],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "closed\n"
        closed = time.monotonic()
        assert process.wait(timeout=60) == 0
        exited = time.monotonic() - closed
    finally:
        if process.poll() is None:
            process.kill()
    assert exited < 2, f"the process took {exited:.1f}s to exit after closing its reader"
