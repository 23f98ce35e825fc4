"""Scheduling rules: due times, jitter, backoff, Retry-After, cron, restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from watch.config import parse_config
from watch.models import SourceState
from watch.schedule import (
    MAX_BACKOFF,
    backoff_delay,
    is_due,
    is_overdue,
    jitter_for,
    longest_cron_gap,
    next_due_after_attempt,
    replanned,
    restored_next_due,
    shortest_cron_gap,
)

CONFIG = parse_config(
    """
sources:
  - {name: hourly, url: "https://a.example/feed", every: 1h}
  - {name: daily, url: "https://b.example/feed", every: 1d}
  - {name: weekdays, url: "https://c.example/feed", every: "0 8 * * 1-5"}
  - {name: off, url: "https://d.example/feed", every: 1h, enabled: false}
"""
)
HOURLY, DAILY, WEEKDAYS, OFF = CONFIG.sources
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # a Friday


def test_jitter_is_stable_small_and_differs_between_sources() -> None:
    assert jitter_for("hourly", timedelta(hours=1)) == jitter_for("hourly", timedelta(hours=1))
    assert timedelta(0) <= jitter_for("hourly", timedelta(hours=1)) < timedelta(minutes=3)
    assert jitter_for("a", timedelta(days=1)) != jitter_for("b", timedelta(days=1))
    assert jitter_for("x", timedelta(days=30)) < timedelta(minutes=5)


def test_healthy_source_is_due_one_period_later() -> None:
    due = next_due_after_attempt(HOURLY, NOW, failed=False, error_count=0)
    assert NOW + timedelta(hours=1) <= due < NOW + timedelta(hours=1, minutes=3)


def test_cron_source_follows_its_cron_string() -> None:
    due = next_due_after_attempt(WEEKDAYS, NOW, failed=False, error_count=0)
    assert due == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Friday 10:00 → Monday 08:00


def test_backoff_doubles_and_is_capped() -> None:
    delays = [backoff_delay(HOURLY, n, None) for n in (1, 2, 3, 4)]
    assert [round(d.total_seconds() / 3600) for d in delays] == [1, 2, 4, 8]
    assert backoff_delay(DAILY, 30, None) <= MAX_BACKOFF + timedelta(minutes=5)
    assert backoff_delay(DAILY, 30, None) >= MAX_BACKOFF


def test_retry_after_is_honoured_within_the_cap() -> None:
    assert backoff_delay(HOURLY, 1, 3 * 3600) >= timedelta(hours=3)
    assert backoff_delay(HOURLY, 1, 10**9) <= MAX_BACKOFF + timedelta(minutes=5)


def test_is_due() -> None:
    assert is_due(HOURLY, None, NOW)
    assert not is_due(OFF, None, NOW)
    later = SourceState("hourly", status="ok", next_due=NOW + timedelta(minutes=1))
    assert not is_due(HOURLY, later, NOW) and is_due(HOURLY, later, NOW + timedelta(minutes=1))
    gone = SourceState("hourly", status="gone", next_due=NOW - timedelta(days=1))
    assert not is_due(HOURLY, gone, NOW)


def test_restart_keeps_the_stored_schedule() -> None:
    state = SourceState("daily", status="ok", last_attempt=NOW, next_due=NOW + timedelta(days=1))
    assert restored_next_due(DAILY, state, NOW + timedelta(hours=2)) == NOW + timedelta(days=1)
    assert restored_next_due(DAILY, None, NOW) == NOW


def test_a_longer_frequency_replans_from_the_last_attempt_too() -> None:
    """every: 5m → 2h kept the earlier due time of the 5 minute plan: fetched at the old time."""
    five_minutes = HOURLY.model_copy(update={"every": "5m"})
    fetched = next_due_after_attempt(five_minutes, NOW, failed=False, error_count=0)
    state = SourceState("hourly", status="ok", last_attempt=NOW, next_due=fetched)
    two_hours = HOURLY.model_copy(update={"every": "2h"})
    due = restored_next_due(two_hours, state, NOW + timedelta(minutes=1))
    assert NOW + timedelta(hours=2) <= due <= NOW + timedelta(hours=2, minutes=5)
    assert restored_next_due(five_minutes, state, NOW + timedelta(minutes=1)) == fetched


def test_shorter_frequency_replans_from_last_attempt() -> None:
    state = SourceState("hourly", status="ok", last_attempt=NOW, next_due=NOW + timedelta(days=1))
    assert restored_next_due(HOURLY, state, NOW) < NOW + timedelta(hours=2)


def test_overdue_when_not_consulted_within_twice_the_period() -> None:
    ok = SourceState("hourly", status="ok", last_attempt=NOW, last_success=NOW - timedelta(hours=1))
    assert not is_overdue(HOURLY, ok, NOW)
    stale = SourceState(
        "hourly", status="error", last_attempt=NOW, last_success=NOW - timedelta(hours=3)
    )
    assert is_overdue(HOURLY, stale, NOW)
    assert not is_overdue(HOURLY, None, NOW)


def test_a_source_that_never_succeeded_is_overdue_two_periods_after_its_first_attempt() -> None:
    """Overdue after a single failed first attempt seconds ago was a false alarm: it counts
    from the first attempt, the last one less the backoff waited before each failure."""
    first = SourceState("hourly", status="error", error_count=1, last_attempt=NOW)
    assert not is_overdue(HOURLY, first, NOW + timedelta(seconds=5))
    assert not is_overdue(HOURLY, first, NOW + timedelta(hours=2))
    assert is_overdue(HOURLY, first, NOW + timedelta(hours=2, minutes=6))
    # a 3rd failure at NOW: the 1st was at least 1 h + 2 h of backoff earlier
    third = SourceState("hourly", status="error", error_count=3, last_attempt=NOW)
    assert is_overdue(HOURLY, third, NOW + timedelta(seconds=5))
    never_tried = SourceState("hourly", status="new")
    assert not is_overdue(HOURLY, never_tried, NOW + timedelta(days=30))


def test_replanned_revives_a_gone_source_only_when_its_url_changed_or_it_was_disabled() -> None:
    gone = SourceState(
        "hourly", status="gone", error_count=1, last_attempt=NOW, url=HOURLY.url,
        next_due=NOW + timedelta(hours=1), last_error="HTTP 410 Gone",
    )  # fmt: skip
    later = NOW + timedelta(days=3)
    assert replanned(HOURLY, gone, later, fetched_for=HOURLY.url) is None
    moved = replanned(HOURLY, gone, later, fetched_for="https://old.example/feed")
    assert moved is not None and moved.status == "error" and moved.next_due == later
    assert moved.last_error == "HTTP 410 Gone" and is_due(HOURLY, moved, later)
    disabled = HOURLY.model_copy(update={"enabled": False})
    paused = replanned(disabled, gone, later, fetched_for=HOURLY.url)
    assert paused is not None and paused.status == "error"
    assert is_due(HOURLY, paused, later), "due at once when enabled again"


def test_replanned_applies_a_changed_frequency_from_the_last_attempt() -> None:
    fetched = next_due_after_attempt(DAILY, NOW, failed=False, error_count=0)
    state = SourceState("hourly", status="ok", last_attempt=NOW, next_due=fetched)
    shorter = replanned(HOURLY, state, NOW + timedelta(minutes=10), HOURLY.url)
    assert shorter is not None and shorter.next_due is not None
    assert shorter.next_due < NOW + timedelta(hours=1, minutes=5)
    daily = SourceState("daily", status="ok", last_attempt=NOW, next_due=fetched)
    assert replanned(DAILY, daily, NOW + timedelta(minutes=10), DAILY.url) is None


def test_shortest_cron_gap() -> None:
    assert shortest_cron_gap("*/2 * * * *") == timedelta(minutes=2)
    assert shortest_cron_gap("0,58 7,8 * * *") == timedelta(minutes=2)  # across the hour
    assert shortest_cron_gap("0 8 * * 1-5") == timedelta(days=1)
    assert shortest_cron_gap("0 8 31 2 *") is None  # never fires


def test_longest_cron_gap() -> None:
    """The time items can pile up unseen between two fires (frequency advice)."""
    assert longest_cron_gap("0 8 * * 1-5") == timedelta(days=3)  # the weekend
    assert longest_cron_gap("0 8,12 * * *") == timedelta(hours=20)
    assert longest_cron_gap("*/5 * * * *") == timedelta(minutes=5)
