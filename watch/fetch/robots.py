"""robots.txt rules per origin for the ``Fetcher``: when they are read again, how many are kept.

The ``Fetcher`` lives as long as ``watch run`` (days, weeks), and the article pages of an
aggregator's feed are on many sites, so the rules it read are kept the way RFC 9309 §2.4 says
(a cached robots.txt is not used for more than 24 hours) and bounded::

    robots = RobotsCache(load, user_agent)        # load(origin): the parsed robots.txt, or raises
    if not await robots.allows(origin, url):       # read on first use, again once expired
        raise RobotsRefusal()

* rules read (a 2xx answer, or "no rules" for a 4xx one, §2.3.1.3) are used for
  ``RULES_KEPT_FOR`` (24 hours), then read again at the next use;
* a robots.txt that could not be read (a 5xx answer, the server unreachable, §2.3.1.4) means
  "disallow everything" for ``FAILURE_KEPT_FOR`` (10 minutes): every page of the origin fails
  with the same error, without asking again for each of them; shorter than the hour after which
  a failed page is tried again (``watch.full_text``), so that try asks again;
* at most ``MAX_ORIGINS`` origins are kept, the least recently used dropped first;
* concurrent fetches on one origin read its robots.txt once (one lock per origin, dropped when
  nobody holds or waits for it).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser
from weakref import WeakValueDictionary

from watch.fetch.errors import FetchProblem

RULES_KEPT_FOR = 24 * 3600.0
"""Seconds the rules read from a robots.txt are used before it is read again (RFC 9309 §2.4)."""
FAILURE_KEPT_FOR = 600.0
"""Seconds an unreadable robots.txt disallows its origin before it is asked for again."""
MAX_ORIGINS = 1000
"""Origins whose robots.txt is kept; the least recently used is dropped first."""

ROBOTS_DISALLOWED = "disallowed by robots.txt"
"""The error of a fetch whose URL (or a redirect's target) its origin's robots.txt disallows."""

Loader = Callable[[str], Awaitable[RobotFileParser]]


class RobotsRefusal(FetchProblem):
    """The URL (the first one or a redirect's target) is disallowed by its origin's robots.txt."""

    def __init__(self) -> None:
        super().__init__(ROBOTS_DISALLOWED)


@dataclass
class _Entry:
    """What reading one origin's robots.txt gave (its rules, or the failure), and when (on the
    cache's clock)."""

    read_at: float
    outcome: RobotFileParser | Exception


class RobotsCache:
    """robots.txt rules per origin, read with ``load``, kept a while, at most ``max_origins``."""

    def __init__(
        self,
        load: Loader,
        user_agent: str,
        clock: Callable[[], float] = time.monotonic,
        max_origins: int = MAX_ORIGINS,
    ) -> None:
        self._load = load
        self._user_agent = user_agent
        self._clock = clock
        self._max_origins = max_origins
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()

    def __len__(self) -> int:
        return len(self._entries)

    async def allows(self, origin: str, url: str) -> bool:
        """Whether ``origin``'s robots.txt lets us GET ``url``; raises what reading it raised
        while that failure is kept (the origin is then disallowed altogether)."""
        outcome = (await self._entry(origin)).outcome
        if isinstance(outcome, Exception):
            raise outcome.with_traceback(None)
        return outcome.can_fetch(self._user_agent, url)

    async def _entry(self, origin: str) -> _Entry:
        lock = self._locks.get(origin)
        if lock is None:
            lock = self._locks[origin] = asyncio.Lock()
        async with lock:
            entry = self._entries.get(origin)
            if entry is None or self._expired(entry):
                entry = await self._read(origin)
            self._entries[origin] = entry
            self._entries.move_to_end(origin)
            while len(self._entries) > self._max_origins:
                self._entries.popitem(last=False)
            return entry

    async def _read(self, origin: str) -> _Entry:
        try:
            rules = await self._load(origin)
        except Exception as exc:  # noqa: BLE001 - kept, and raised to every fetch meanwhile
            return _Entry(self._clock(), exc)
        return _Entry(self._clock(), rules)

    def _expired(self, entry: _Entry) -> bool:
        kept_for = FAILURE_KEPT_FOR if isinstance(entry.outcome, Exception) else RULES_KEPT_FOR
        return self._clock() - entry.read_at >= kept_for
