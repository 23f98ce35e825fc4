"""The reader worker: documents read and classified off the main process, classifier swaps."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from watch.classify import Classifier, keyword_classifier
from watch.config import TopicConfig
from watch.reading import Document, DocumentReader, Reading

NOW = datetime(2026, 11, 24, tzinfo=UTC)
FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    + "".join(
        f"<item><guid>g{i}</guid><title>Firewall update {i}</title>"
        f"<link>https://news.example/{i}</link><description>{'text ' * 200}</description></item>"
        for i in range(200)
    )
    + "</channel></rss>"
).encode()


def test_a_classifier_change_starts_a_new_worker_and_queued_reads_still_finish() -> None:
    security = keyword_classifier([TopicConfig(name="security", keywords=("firewall",))])
    nothing = keyword_classifier([TopicConfig(name="databases", keywords=("SQL",))])
    reader = DocumentReader()

    async def scenario() -> tuple[list[bool], bool]:
        document = Document(FEED, "https://news.example/feed", "application/xml", None, "s", NOW)

        def read(classifier: Classifier) -> asyncio.Task[Reading]:
            return asyncio.create_task(reader.read(document, classifier))

        queued = [read(security) for _ in range(8)]
        await asyncio.sleep(0)  # each task has handed its document to the worker
        swapped = await read(nothing)
        old = await asyncio.gather(*queued)
        return (
            [all(a.topics and a.topics[0].name == "security" for a in r.articles) for r in old],
            all(a.topics == [] for a in swapped.articles) and len(swapped.articles) == 200,
        )

    try:
        old, swapped = asyncio.run(scenario())
        retired = list(reader._retired)
    finally:
        reader.close()
    assert old == [True] * 8
    assert swapped
    assert retired and all(pool._executor_manager_thread is None for pool in retired), (
        "the retired pool is joined at close, not left to Python's exit hook"
    )


def test_a_worker_killed_mid_pass_costs_no_document() -> None:
    """Every read in flight when a worker dies fails with it; each is read again on new workers."""
    classifier = keyword_classifier([TopicConfig(name="security", keywords=("firewall",))])
    reader = DocumentReader()
    document = Document(FEED, "https://news.example/feed", "application/xml", None, "s", NOW)

    async def scenario() -> list[Reading]:
        first = await reader.read(document, classifier)  # the workers are up
        in_flight = [asyncio.create_task(reader.read(document, classifier)) for _ in range(12)]
        await asyncio.sleep(0)  # every read is handed to a worker
        pool = reader._pool
        assert pool is not None
        for process in list(pool._processes.values()):
            process.kill()
        return [first, *await asyncio.gather(*in_flight)]

    try:
        readings = asyncio.run(scenario())
    finally:
        reader.close()
    assert [r.error for r in readings] == [None] * 13
    assert all(len(r.articles) == 200 for r in readings)


def test_a_ctrl_c_in_the_terminal_does_not_kill_the_workers() -> None:
    """Session 8: Ctrl-C reaches every process of the terminal's group; workers that died of
    it were replaced mid-pass (and a worker dying while its queue was fed can hang the exit).
    The main process alone decides when they stop."""
    import os
    import signal

    classifier = keyword_classifier([TopicConfig(name="security", keywords=("firewall",))])
    reader = DocumentReader()
    document = Document(FEED, "https://news.example/feed", "application/xml", None, "s", NOW)

    async def scenario() -> tuple[set[int], set[int], Reading]:
        await reader.read(document, classifier)  # the workers are up
        pool = reader._pool
        assert pool is not None
        before = set(pool._processes)
        for pid in before:
            os.kill(pid, signal.SIGINT)
        after = await reader.read(document, classifier)
        assert reader._pool is not None
        return before, set(reader._pool._processes), after

    try:
        before, after, reading = asyncio.run(scenario())
    finally:
        reader.close()
    assert before <= after, "the workers that got the Ctrl-C still serve (none replaced)"
    assert reading.error is None and len(reading.articles) == 200
