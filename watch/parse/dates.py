"""Date strings from feeds and pages → aware UTC datetimes.

RFC 822 (with its many sloppy variants), ISO 8601 / RFC 3339, W3C-DTF and the other forms
feedparser knows are read by feedparser's own date handlers, so the fast path and the feedparser
fallback agree to the second.  Unparseable text gives None; callers decide what to do.
"""

from __future__ import annotations

import calendar
import time
from datetime import UTC, datetime

from feedparser.datetimes import _parse_date


def parse_date(text: str | None) -> datetime | None:
    """An aware UTC datetime for a date string, or None when it cannot be understood."""
    if not text or not text.strip():
        return None
    try:
        parsed = _parse_date(text.strip())
    except (ValueError, OverflowError, TypeError, IndexError):
        return None
    return from_struct_time(parsed)


def from_struct_time(value: time.struct_time | None) -> datetime | None:
    """Convert feedparser's UTC struct_time to an aware datetime (None stays None)."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None
