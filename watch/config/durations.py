"""Durations written in sources.yaml: a source's ``every`` (``90s``, ``5m``, ``1h``, ``2d``,
``1w``, also spelled out — ``2 hours``, ``30 minutes``, ``1 jour``, ``hourly``, ``quotidien`` —
between ``MIN_EVERY`` and ``MAX_EVERY``) and ``store.keep`` (``90d``, ``26w``, ``12 months``,
``2y``, ``forever``; English or French units), read into timedeltas with errors in a user's
words.  ``short_duration`` gives an ``every`` in its short form (``2 hours`` → ``2h``).
"""

from __future__ import annotations

import difflib
import re
from datetime import timedelta

MIN_EVERY = timedelta(minutes=5)
MAX_EVERY = timedelta(days=30)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_UNIT_WORDS = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds", "seconde", "secondes"), "s"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "m"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "heure", "heures"), "h"),
    **dict.fromkeys(("d", "day", "days", "j", "jour", "jours"), "d"),
    **dict.fromkeys(("w", "week", "weeks", "semaine", "semaines"), "w"),
}
"""Every unit ``every`` accepts (English and French, any case) → its short letter."""
_ONCE_A = {
    **dict.fromkeys(("hourly",), "1h"),
    **dict.fromkeys(("daily", "quotidien", "quotidienne"), "1d"),
    **dict.fromkeys(("weekly", "hebdomadaire"), "1w"),
}
_DURATION = re.compile(r"^(\d+)\s*([^\W\d_]+)$")
_LOOSE = re.compile(r"^(?:(?:every|each|tous les|toutes les)\s+)?(\d+(?:[.,]\d+)?)?\s*([^\W\d_]+)$")
_NOT_A_DURATION = "{text!r} is not a duration like 30m, 1h, 1d or a cron string"


def short_duration(text: str) -> str:
    """``text`` as ``every`` is stored: ``2 hours``, ``2 Heures``, ``2H`` → ``2h``, ``hourly`` →
    ``1h``.  ValueError otherwise, with a "did you mean" when the number and unit are close."""
    words = " ".join(text.lower().split())
    if words in _ONCE_A:
        return _ONCE_A[words]
    match = _DURATION.match(words)
    if match and match.group(2) in _UNIT_WORDS:
        return match.group(1) + _UNIT_WORDS[match.group(2)]
    guess = _guess(words)
    hint = f" (did you mean {guess!r}?)" if guess else ""
    raise ValueError(_NOT_A_DURATION.format(text=text) + hint)


def _guess(words: str) -> str | None:
    """The short form ``words`` probably meant: ``2 hourz``, ``every 2 hours``, ``1.5h``,
    ``hour``, ``dayly``; None when nothing in it is recognisable."""
    match = _LOOSE.match(words)
    if not match:
        return None
    number, word = match.group(1) or "1", match.group(2)
    if not match.group(1) and word in _ONCE_A:
        return _ONCE_A[word]
    close = difflib.get_close_matches(word, [*_UNIT_WORDS, *_ONCE_A], n=1, cutoff=0.75)
    if not close:
        return None
    if close[0] in _ONCE_A:
        return None if match.group(1) else _ONCE_A[close[0]]
    seconds = float(number.replace(",", ".")) * _UNITS[_UNIT_WORDS[close[0]]]
    return _whole(seconds)


def _whole(seconds: float) -> str | None:
    """``seconds`` in the largest unit that holds it a whole number of times (None if none)."""
    for letter, size in sorted(_UNITS.items(), key=lambda unit: -unit[1]):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{letter}"
    return None


def parse_duration(text: str) -> timedelta:
    """Parse ``90s``, ``5m``, ``1h``, ``2d``, ``1w`` (or spelled out: ``short_duration``) into a
    timedelta (ValueError otherwise)."""
    short = short_duration(text)
    return timedelta(seconds=int(short[:-1]) * _UNITS[short[-1]])


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
