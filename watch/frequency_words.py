"""How often a source is consulted, in words: "every 6 hours", "tous les jours", "alle 5 Minuten".

A source's ``every:`` ("5m", "2h", "1d", "1w" or a cron string) is said in the largest unit
that holds it a whole number of times: weeks, days, hours, else minutes; a cron string is
quoted as written ("on the cron schedule '0 8 * * 1-5'").  ``frequency_words`` only chooses
the phrase: the caller's table says it, so the digest says it in full in a sentence of its
source-health section (``watch.digest_words``, phrases of ``watch.digest_lang``) and the board
in short in its Sources page's column (``dashboard.view_sources``, phrases of
``dashboard.words_*``).  The phrase keys: ``every_minutes``, ``every_hour(s)``,
``every_day(s)``, ``every_week(s)`` (the plural ones take ``{count}``) and ``every_cron``
(``{schedule}``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from watch.config.durations import parse_duration

_UNITS = (("week", timedelta(weeks=1)), ("day", timedelta(days=1)), ("hour", timedelta(hours=1)))


def frequency_words(every: str, say: Callable[..., str], quote: Callable[[str], str]) -> str:
    """``every`` (as written in sources.yaml) said by ``say`` (a table's ``say(key, **values)``),
    a cron string put in the table's quotes by ``quote``."""
    try:
        period = parse_duration(every)
    except ValueError:  # ``every`` is validated: what is not a duration is a cron string
        return say("every_cron", schedule=quote(every))
    for unit, size in _UNITS:
        if period % size == timedelta(0):
            count = period // size
            return say(f"every_{unit}") if count == 1 else say(f"every_{unit}s", count=count)
    return say("every_minutes", count=period // timedelta(minutes=1))
