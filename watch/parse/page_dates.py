"""Dates as people write them on web pages (``kind: page`` sources), → aware UTC datetimes.

Feeds carry machine dates (RFC 822, RFC 3339: ``watch.parse.dates``). Pages show dates to
readers: "Publié le 3 février 2026 à 14h05", "March 12, 2026", "12/03/2026", "2026年3月12日",
"il y a 2 jours", "yesterday". Read here, in this order, inside the element's text (words around
the date are ignored):

1. the machine forms (``time@datetime`` is usually RFC 3339);
2. relative dates ("3 hours ago", "il y a 2 jours", "yesterday", "hier", "today"), counted back
   from the fetch time;
3. an ISO date (``2026-03-12``, optionally with a time) or a CJK one (``2026年3月12日``);
4. a day, a month name and a year in English or French, either order ("12 mars 2026",
   "March 12th, 2026", "1er août 2026"; abbreviations, with or without accents);
5. a numeric date ``12/03/2026``, ``12.03.2026``, ``2026/03/12``: when one of the first two
   numbers is above 12 it is the day; otherwise the page's language decides (``en`` and
   ``en-US`` pages are month first, every other language day first, as most of the world
   writes it);
6. whatever else feedparser's date handlers understand, for text with letters in it (numeric
   text never goes there: they read "12-03-2026" as 20 March 2012 and "2026/03/12" as
   1 November).

A time written after the date ("14h05", "10:30", "2:15 pm") is kept. Pages rarely give a time
zone: times are taken as UTC. Unreadable text gives None (the item then takes its first-seen
time, like an undated feed item).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta

from watch.parse.dates import parse_date

_MONTH_NAMES = {
    1: ("january", "jan", "janvier", "janv"),
    2: ("february", "feb", "fevrier", "fev", "fevr"),
    3: ("march", "mar", "mars"),
    4: ("april", "apr", "avril", "avr"),
    5: ("may", "mai"),
    6: ("june", "jun", "juin"),
    7: ("july", "jul", "juillet", "juil"),
    8: ("august", "aug", "aout"),
    9: ("september", "sep", "sept", "septembre"),
    10: ("october", "oct", "octobre"),
    11: ("november", "nov", "novembre"),
    12: ("december", "dec", "decembre"),
}
_MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:er|st|nd|rd|th)?"
_TIME = r"(?:\D{0,6}?(\d{1,2})\s*[:h]\s*(\d{2})(?:\s*([ap])\.?m\b)?)?"

_DAY_MONTH_YEAR = re.compile(rf"\b{_DAY}\s+{_MONTH}\s*,?\s+(\d{{4}})\b{_TIME}")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY}\s*,?\s+(\d{{4}})\b{_TIME}")
_ISO = re.compile(rf"\b(\d{{4}})-(\d{{2}})-(\d{{2}})(?:T|\b){_TIME}")
_CJK = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR_FIRST = re.compile(rf"\b(\d{{4}})[/.](\d{{1,2}})[/.](\d{{1,2}})\b{_TIME}")
_YEAR_LAST = re.compile(rf"\b(\d{{1,2}})[/.-](\d{{1,2}})[/.-](\d{{4}})\b{_TIME}")

_UNITS = {
    "minute": timedelta(minutes=1),
    "min": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "heure": timedelta(hours=1),
    "h": timedelta(hours=1),
    "day": timedelta(days=1),
    "jour": timedelta(days=1),
    "week": timedelta(weeks=1),
    "semaine": timedelta(weeks=1),
}
_UNIT = r"(minutes?|mins?|hours?|heures?|h|days?|jours?|weeks?|semaines?)"
_COUNT = r"(\d+|an?|une?)"
_AGO = re.compile(rf"\b{_COUNT}\s+{_UNIT}\s+ago\b")
_IL_Y_A = re.compile(rf"\bil y a\s+{_COUNT}\s+{_UNIT}\b")
_DAYS_BACK = {"today": 0, "aujourd'hui": 0, "aujourd’hui": 0, "yesterday": 1, "hier": 1}
_JUST_NOW = ("just now", "a l'instant", "a l’instant")


def read_page_date(
    text: str | None, *, language: str | None = None, now: datetime | None = None
) -> datetime | None:
    """The date a page shows in ``text``, in UTC, or None (see the module docstring).

    ``language`` is the page's ``lang`` (it orders an ambiguous numeric date); ``now`` is the
    fetch time, needed for relative dates (without it they give None).
    """
    if not text or not text.strip():
        return None
    text = " ".join(text.split())
    machine = _machine_form(text)
    if machine is not None:
        return machine
    plain = _plain(text)
    for reader in (_relative, _iso_or_cjk, _named_month, _numeric):
        found = reader(plain, language, now)
        if found is not None:
            return found
    return parse_date(text) if re.search(r"[^\W\d_]", text) else None


def _machine_form(text: str) -> datetime | None:
    """RFC 3339 / RFC 822 when the whole text is one (what ``time@datetime`` gives)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?|\w{3}, .+", text):
        return None
    return parse_date(text)


def _plain(text: str) -> str:
    """Lowercase, without accents (février → fevrier), typographic apostrophes kept."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _relative(text: str, _language: str | None, now: datetime | None) -> datetime | None:
    if now is None:
        return None
    match = _AGO.search(text) or _IL_Y_A.search(text)
    if match:
        count = 1 if match.group(1) in ("a", "an", "un", "une") else int(match.group(1))
        unit = _UNITS[match.group(2).rstrip("s")]
        return (now - count * unit).astimezone(UTC)
    if any(phrase in text for phrase in _JUST_NOW):
        return now.astimezone(UTC)
    for word, days in _DAYS_BACK.items():
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text):
            day = (now.astimezone(UTC) - timedelta(days=days)).date()
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
    return None


def _iso_or_cjk(text: str, _language: str | None, _now: datetime | None) -> datetime | None:
    match = _ISO.search(text)
    if match:
        year, month, day, hour, minute, half = match.groups()
        return _moment(int(year), int(month), int(day), hour, minute, half)
    match = _CJK.search(text)
    if match:
        year, month, day = match.groups()
        return _moment(int(year), int(month), int(day), None, None, None)
    return None


def _named_month(text: str, _language: str | None, _now: datetime | None) -> datetime | None:
    match = _DAY_MONTH_YEAR.search(text)
    if match:
        day, month, year, hour, minute, half = match.groups()
        return _moment(int(year), _MONTHS[month], int(day), hour, minute, half)
    match = _MONTH_DAY_YEAR.search(text)
    if match:
        month, day, year, hour, minute, half = match.groups()
        return _moment(int(year), _MONTHS[month], int(day), hour, minute, half)
    return None


def _numeric(text: str, language: str | None, _now: datetime | None) -> datetime | None:
    match = _YEAR_FIRST.search(text)
    if match:
        year, month, day, hour, minute, half = match.groups()
        return _moment(int(year), int(month), int(day), hour, minute, half)
    match = _YEAR_LAST.search(text)
    if not match:
        return None
    first, second, year, hour, minute, half = match.groups()
    day, month = int(first), int(second)
    if day <= 12 < month or (month <= 12 and day <= 12 and _month_first(language)):
        day, month = month, day
    return _moment(int(year), month, day, hour, minute, half)


def _month_first(language: str | None) -> bool:
    """Whether a page in ``language`` writes 03/12/2026 for March 12 (US English)."""
    tag = (language or "").lower().replace("_", "-")
    return tag in ("en", "en-us")


def _moment(
    year: int, month: int, day: int, hour: str | None, minute: str | None, half: str | None
) -> datetime | None:
    clock_hour = int(hour) if hour is not None else 0
    if half == "p" and clock_hour < 12:
        clock_hour += 12
    elif half == "a" and clock_hour == 12:
        clock_hour = 0
    try:
        return datetime(year, month, day, clock_hour, int(minute or 0), tzinfo=UTC)
    except ValueError:
        return None
