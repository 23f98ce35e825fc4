"""Which week a digest covers, when it is sent, and when a failed send is retried.

A week is an ISO week ("2026-W47") in ``digest.timezone``: Monday 00:00 to the next Monday
00:00, the readers' week.  The digest of a week is sent at ``digest.schedule`` in the week after
it (``scheduled_send``), never before the week has ended (``has_ended``; ``when_sent`` says it
in words).  A failed send is retried with exponential backoff (``retry_delay``: 5 min, 10,
20… up to 6 h, at most ``MAX_ATTEMPTS``); ``is_due`` is the scheduler's test and
``retry_note`` what a failed record becomes, in words; ``local_time`` is how a moment is shown
to the readers ("Mon 30 Nov 08:01 (Europe/Paris)").  The sending itself is
``watch.digest_job``'s.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from watch.chat import split_record_key
from watch.config.schema import DigestConfig
from watch.store.base import DigestRecord
from watch.trends import week_bounds
from watch.wording import counted, describe_age

FIRST_RETRY = timedelta(minutes=5)
MAX_RETRY = timedelta(hours=6)
MAX_ATTEMPTS = 10
SEND_GRACE = timedelta(minutes=15)
EXTRA = " extra"
"""Suffix of the record key of a week sent (by force) before it ended: "2026-W48 extra"."""
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def current_week(now: datetime) -> str:
    """The ISO week ("2026-W47") that contains ``now`` (in ``now``'s own time zone)."""
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


def previous_week(now: datetime) -> str:
    """The ISO week before the one containing ``now``: the week a digest sent at ``now`` covers."""
    return current_week(now - timedelta(days=7))


def scheduled_time(schedule: str, timezone: str, now: datetime) -> datetime:
    """When the digest is due in the local week containing ``now`` ("mon 08:00" → that Monday)."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    day, _, clock = schedule.partition(" ")
    hour, minute = (int(part) for part in clock.split(":"))
    monday = local.date() - timedelta(days=local.weekday())
    date = monday + timedelta(days=_DAYS.index(day))
    return datetime(date.year, date.month, date.day, hour, minute, tzinfo=zone)


def scheduled_send(week: str, digest: DigestConfig) -> datetime:
    """When the scheduler sends ``week``: ``digest.schedule`` in the week after it."""
    return scheduled_time(digest.schedule, digest.timezone, week_bounds(week, digest.timezone)[1])


def has_ended(week: str, timezone: str, now: datetime) -> bool:
    """Whether ``week`` is over in the readers' time zone (stars given up to Sunday open it)."""
    return now >= week_bounds(week, timezone)[1]


def when_sent(week: str, digest: DigestConfig) -> str:
    """How a week not over is told: "ends Sunday 29 November and is sent Monday 30 November
    at 08:00 (Europe/Paris)"."""
    zone = ZoneInfo(digest.timezone)
    last_day = week_bounds(week, digest.timezone)[1].astimezone(zone) - timedelta(days=1)
    send = scheduled_send(week, digest).astimezone(zone)
    return (
        f"ends {last_day:%A} {last_day.day} {last_day:%B} and is sent {send:%A} {send.day} "
        f"{send:%B} at {send:%H:%M} ({digest.timezone})"
    )


def picks_elsewhere(picks: int, this_week: str, how_to_preview: str) -> str:
    """Where this week's stars go when another week's digest is shown: to this week's."""
    return (
        f"{counted(picks, 'article')} starred this week {'opens' if picks == 1 else 'open'} "
        f"the {this_week} digest, not this one: {how_to_preview}"
    )


def retry_delay(attempts: int) -> timedelta:
    """Backoff after ``attempts`` failed sends: 5 min, 10, 20, … capped at 6 hours."""
    return min(FIRST_RETRY * (2 ** min(max(attempts - 1, 0), 16)), MAX_RETRY)


def retry_note(record: DigestRecord, digest: DigestConfig, now: datetime, by: str = "") -> str:
    """What becomes of a failed send: "retried{by} in 5 min (attempt 2 of 10)", "not retried:
    …", or "" when it was sent or its error says already (a chat's webhook wrong or gone)."""
    week = split_record_key(record.week)[0]
    if record.status == "sent":
        return ""
    if week.endswith(EXTRA):
        return "not retried: an extra send of a week that had not ended"
    if record.next_retry is None:
        given_up = record.attempts >= MAX_ATTEMPTS
        return f"not retried: {record.attempts} attempts failed, the most made" if given_up else ""
    retry = max(_aware(record.next_retry), scheduled_send(week, digest))
    if retry >= week_bounds(week, digest.timezone)[1] + timedelta(days=7):
        return "not retried: only the last complete week is retried, by `watch run`"
    wait = describe_age(retry - now)
    return f"retried{by} in {wait} (attempt {record.attempts + 1} of {MAX_ATTEMPTS})"


def local_time(moment: datetime, timezone: str) -> str:
    """``moment`` in the readers' time zone, as a send is told: "Mon 30 Nov 08:01 (Europe/Paris)"
    (a moment without a zone is UTC, as the store keeps it)."""
    local = _aware(moment).astimezone(ZoneInfo(timezone))
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M} ({timezone})"


def is_due(record: DigestRecord | None, now: datetime) -> bool:
    """Whether a week with this record should be (re)sent now by the scheduler."""
    if record is None:
        return True
    if record.status == "sent" or record.next_retry is None:
        return False
    return _aware(record.next_retry) <= now


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
