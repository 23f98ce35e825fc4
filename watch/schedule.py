"""Scheduling decisions, as pure functions: is a source due, when is it due next, how long to back off.

Nothing here reads the clock, the network or the store: ``now`` and the source's stored state are
passed in, so the scheduler, the pipeline and the tests agree on one set of rules.

- A healthy source is due again ``every`` after its last attempt, with a small jitter that is a
  fixed function of the source name (so a restart gives the same schedule, and sources with the
  same frequency do not all hit at the same second).
- A cron source is due at the next fire time of its cron string.
- A failing source backs off exponentially from its period (period × 2^(errors-1)), capped at
  7 days, and never earlier than the server's Retry-After.
- A gone (410) or disabled source is never due; it stays visible with its status.  A gone
  source comes back (due at once) when its ``url:`` changes or once it has been disabled.
- When sources.yaml changed under a stored schedule (a reload, or a restart after an edit), a
  healthy source whose ``every`` changed is re-planned from its last attempt with the new
  period, longer or shorter (``replanned``).
- Overdue: not consulted successfully within twice its period, counted from the last success
  or, for a source that never succeeded, from its first attempt (``is_overdue``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from watch.config import SourceConfig
from watch.models import SourceState

MAX_BACKOFF = timedelta(days=7)
MAX_JITTER = timedelta(minutes=5)
REPLAN_TOLERANCE = MAX_JITTER
"""A stored due time this close to the plan is the plan (jitter, a rounding): it is kept."""
JITTER_SHARE = 0.05
MAX_FAILURES_COUNTED = 64
"""Enough failures in a row to span months at the backoff cap (``failing_since``)."""


def jitter_for(name: str, period: timedelta) -> timedelta:
    """A stable offset in [0, min(5% of period, 5 min)) derived from the source name."""
    span = min(period * JITTER_SHARE, MAX_JITTER).total_seconds()
    fraction = int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return timedelta(seconds=span * fraction)


_DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def cron_trigger(expression: str, timezone: str = "UTC") -> CronTrigger:
    """A trigger for a standard 5-field cron string (weekday 0 or 7 = Sunday, 1 = Monday).

    APScheduler 3's ``from_crontab`` counts weekdays from Monday = 0, so "1-5" would mean
    Tuesday to Saturday; numbers are translated to day names first.
    """
    minute, hour, day, month, weekday = expression.split()
    weekday = re.sub(
        r"\d+", lambda m: _DAY_NAMES[int(m.group())] if int(m.group()) < 8 else m.group(), weekday
    )
    return CronTrigger(
        minute=minute, hour=hour, day=day, month=month, day_of_week=weekday, timezone=timezone
    )


CRON_SAMPLE_FIRES = 600
CRON_SAMPLE_SPAN = timedelta(days=32)
_CRON_SAMPLE_START = datetime(2026, 1, 1, tzinfo=UTC)


def shortest_cron_gap(expression: str, enough: timedelta = timedelta(0)) -> timedelta | None:
    """The shortest time between two fires of a cron string (None when it never fires).

    Sampled over its first fires from a fixed date: a month of them, at most 600 (two days of a
    string firing every 5 minutes); a string firing once in that month gives the month.  Stops
    as soon as a gap is ``enough`` or shorter.
    """
    trigger = cron_trigger(expression)
    previous = trigger.get_next_fire_time(None, _CRON_SAMPLE_START)
    if previous is None:
        return None
    shortest: timedelta | None = None
    end = previous + CRON_SAMPLE_SPAN
    for _ in range(CRON_SAMPLE_FIRES):
        fire = trigger.get_next_fire_time(previous, previous + timedelta(seconds=1))
        if fire is None or fire > end:
            break
        gap = fire - previous
        shortest = gap if shortest is None else min(shortest, gap)
        if shortest <= enough:
            break
        previous = fire
    return shortest if shortest is not None else CRON_SAMPLE_SPAN


def longest_cron_gap(expression: str) -> timedelta:
    """The longest time between two fires of a cron string ("0 8 * * 1-5": the weekend, 3 days),
    over the same sample as ``shortest_cron_gap``; the sample's span when it fires at most once."""
    trigger = cron_trigger(expression)
    previous = trigger.get_next_fire_time(None, _CRON_SAMPLE_START)
    if previous is None:
        return CRON_SAMPLE_SPAN
    longest, end = timedelta(0), previous + CRON_SAMPLE_SPAN
    for _ in range(CRON_SAMPLE_FIRES):
        fire = trigger.get_next_fire_time(previous, previous + timedelta(seconds=1))
        if fire is None or fire > end:
            break
        longest, previous = max(longest, fire - previous), fire
    return longest or CRON_SAMPLE_SPAN


def next_regular_time(source: SourceConfig, after: datetime) -> datetime:
    """When a healthy source should next be consulted, counted from ``after``."""
    if source.is_cron:
        trigger = cron_trigger(source.every)
        fire = trigger.get_next_fire_time(None, after + timedelta(seconds=1))
        return fire if fire is not None else after + timedelta(days=1)
    return after + source.period + jitter_for(source.name, source.period)


def backoff_delay(source: SourceConfig, error_count: int, retry_after: float | None) -> timedelta:
    """Exponential backoff from the source's period, capped, honouring Retry-After."""
    exponent = min(max(error_count - 1, 0), 16)
    delay = min(source.period * (2**exponent), MAX_BACKOFF)
    if retry_after:
        delay = max(delay, min(timedelta(seconds=retry_after), MAX_BACKOFF))
    return delay + jitter_for(source.name, delay)


def next_due_after_attempt(
    source: SourceConfig,
    attempt_at: datetime,
    failed: bool,
    error_count: int,
    retry_after: float | None = None,
) -> datetime:
    """The next due time once an attempt finished (``error_count`` counts this failure)."""
    if failed:
        return attempt_at + backoff_delay(source, error_count, retry_after)
    return next_regular_time(source, attempt_at)


def is_due(source: SourceConfig, state: SourceState | None, now: datetime) -> bool:
    """Whether a source should be fetched at ``now`` by the scheduler."""
    if not source.enabled:
        return False
    if state is None or state.status == "new" or state.next_due is None:
        return True
    if state.status == "gone":
        return False
    return state.next_due <= now


def restored_next_due(source: SourceConfig, state: SourceState | None, now: datetime) -> datetime:
    """The due time to keep after a restart or a config change (never "everything now").

    A healthy source is due ``every`` after its last attempt as sources.yaml says it now: a
    stored due time that does not match (its ``every`` changed, longer or shorter) is re-planned
    from the last attempt; one within REPLAN_TOLERANCE of the plan is kept as it is.  A failing
    source keeps its backoff (it may be the server's Retry-After); a new source is due now.
    """
    if state is None or state.last_attempt is None:
        return now
    planned = next_regular_time(source, state.last_attempt)
    if state.error_count and state.next_due is not None:
        return state.next_due
    if state.next_due is not None and abs(state.next_due - planned) <= REPLAN_TOLERANCE:
        return state.next_due
    return planned


def replanned(
    source: SourceConfig, state: SourceState, now: datetime, fetched_for: str | None
) -> SourceState | None:
    """The state to store for ``source`` as sources.yaml now says it, or None when it holds.

    ``fetched_for`` is the sources.yaml url the state was last fetched for.  A gone source
    whose url changed, or that is disabled, is revived: status "error" (its 410 stays the last
    error), due ``now``, so it is consulted as soon as it is enabled.  Otherwise the due time
    is re-planned from the last attempt (a changed frequency applies at once).
    """
    if state.status == "gone":
        if source.enabled and fetched_for == source.url:
            return None
        return replace(state, status="error", next_due=now)
    due = restored_next_due(source, state, now)
    return replace(state, next_due=due) if due != state.next_due else None


def is_overdue(source: SourceConfig, state: SourceState | None, now: datetime) -> bool:
    """True when a source has not been consulted successfully within 2× its period, counted
    from its last success or, never successful, from its first attempt (``failing_since``)."""
    if not source.enabled or state is None:
        return False
    since = state.last_success or failing_since(source, state)
    return since is not None and now - since > 2 * source.period + MAX_JITTER


def failing_since(source: SourceConfig, state: SourceState) -> datetime | None:
    """When the current run of failures began, at the latest: the last attempt, less the
    backoff waited before each of the failures that preceded it (None: never attempted)."""
    if state.last_attempt is None:
        return None
    earlier_failures = range(1, min(state.error_count, MAX_FAILURES_COUNTED))
    waited = sum((backoff_delay(source, count, None) for count in earlier_failures), timedelta(0))
    return state.last_attempt - waited


def utcnow() -> datetime:
    """The current time in UTC, for callers at the edge (CLI, scheduler)."""
    return datetime.now(UTC)
