"""What comes next for a source, in words: after an attempt, the ``watch run`` log's "next in
2 h, at 14:05 UTC", "retry in 20 min (3rd failure, backing off)", "retry in 1 h (Retry-After)"
(``next_step``), and when a failing source is tried again as a value the board says in its
language (``retry_when``, ``watch.advice_words``).

Pure: the source, its stored state and ``now`` are passed in.  A failing source due later than
its backoff waits for the server's Retry-After.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from watch.advice_words import Said
from watch.config import SourceConfig
from watch.models import SourceState
from watch.schedule import backoff_delay
from watch.wording import describe_age

RETRY_AFTER_MARGIN = timedelta(seconds=1)
"""A failing source due later than its backoff by more than this waits for Retry-After."""


def next_step(source: SourceConfig, state: SourceState, now: datetime) -> str:
    """What happens next to a source whose attempt was just stored, in a few words:
    "next in 2 h, at 14:05 UTC", "retry in 20 min (3rd failure, backing off)",
    "retry in 1 h (Retry-After)", or how to bring a gone source back."""
    if state.status == "gone":
        return (
            "no longer fetched: fix its url: in sources.yaml, or disable and"
            " re-enable it, to bring it back"
        )
    if not source.enabled:
        return "disabled: not fetched until enabled in sources.yaml"
    if state.next_due is None:
        return "due now"
    wait = wait_words(state.next_due, now)
    if state.status != "error":
        return f"next {wait}, at {_clock_time(state.next_due, now)}"
    return f"retry {wait} ({_why_this_wait(source, state)})"


def wait_words(due: datetime, now: datetime) -> str:
    """How long until ``due``: "in 20 min", or "now" once it has come."""
    return "in " + describe_age(due - now) if due > now else "now"


def _why_this_wait(source: SourceConfig, state: SourceState) -> str:
    """Retry-After when the server asked for longer than the backoff, else the backoff."""
    if state.last_attempt is not None and state.next_due is not None:
        backoff = backoff_delay(source, state.error_count, None)
        if state.next_due - state.last_attempt > backoff + RETRY_AFTER_MARGIN:
            return "Retry-After"
    failure = f"{_ordinal(state.error_count)} failure"
    return failure if state.error_count <= 1 else failure + ", backing off"


def _ordinal(number: int) -> str:
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{'th' if 10 <= number % 100 <= 20 else suffix}"


def _clock_time(moment: datetime, now: datetime) -> str:
    """The time of day in UTC ("14:05 UTC") within a day, with the date further away."""
    utc = moment.astimezone(UTC)
    within_a_day = moment - now < timedelta(days=1)
    return utc.strftime("%H:%M UTC" if within_a_day else "%Y-%m-%d %H:%M UTC")


def retry_when(source: SourceConfig, state: SourceState, now: datetime) -> Said:
    """When a failing source is tried again and why so late: "retry in 8 h (backing off after
    4 failures)", "retry in 2 h (the server's Retry-After)", "retry in 1 h"."""
    if state.next_due is None:
        return Said("retry_next_pass")
    due = state.next_due
    when = Said("in", {"wait": due - now}) if due > now else Said("now")
    if _why_this_wait(source, state) == "Retry-After":
        return Said("retry_after", {"when": when})
    if state.error_count <= 1:
        return Said("retry", {"when": when})
    return Said("retry_backoff", {"when": when, "failures": state.error_count})
