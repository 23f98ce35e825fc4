"""Durations written in sources.yaml: a source's ``every`` (``90s``, ``5m``, ``1h``, ``2d``,
``1w``, between ``MIN_EVERY`` and ``MAX_EVERY``) and ``store.keep`` (``90d``, ``26w``,
``12 months``, ``2y``, ``forever``; English or French units), read into timedeltas with errors
in a user's words.
"""

from __future__ import annotations

import re
from datetime import timedelta

MIN_EVERY = timedelta(minutes=5)
MAX_EVERY = timedelta(days=30)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")


def parse_duration(text: str) -> timedelta:
    """Parse ``90s``, ``5m``, ``1h``, ``2d``, ``1w`` into a timedelta (ValueError otherwise)."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration like 30m, 1h, 1d or a cron string")
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


RETENTION_MIN = timedelta(days=30)
"""The shortest ``store.keep``: the digest reports the last full week and the trends compare a
week with the 4 before it (they see all of them from 6 weeks on)."""
_RETENTION = re.compile(r"^\s*(\d+)\s*([^\W\d_]+)\s*$")
_RETENTION_DAYS = {
    **dict.fromkeys(("d", "day", "days", "j", "jour", "jours"), 1),
    **dict.fromkeys(("w", "week", "weeks", "semaine", "semaines"), 7),
    **dict.fromkeys(("mo", "month", "months", "mois"), 30),
    **dict.fromkeys(("y", "year", "years", "an", "ans", "année", "années"), 365),
}
KEEP_FOREVER = ("forever", "all")


def parse_retention(text: str) -> timedelta | None:
    """How long ``store.keep`` keeps articles: ``30d``, ``26w``, ``6 months``, ``2y`` (a month
    is 30 days, a year 365); None for ``forever``.  ValueError in a user's words otherwise."""
    if text.strip().lower() in KEEP_FOREVER:
        return None
    match = _RETENTION.match(text.lower())
    if match and match.group(2) == "m":
        raise ValueError(f"{text!r} is ambiguous: write months ('{match.group(1)} months')")
    if not match or match.group(2) not in _RETENTION_DAYS:
        raise ValueError(f"{text!r} is not a duration like 90d, 26w, 12 months, 2y or forever")
    return timedelta(days=int(match.group(1)) * _RETENTION_DAYS[match.group(2)])
