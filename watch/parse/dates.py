"""Date strings from feeds and pages → aware UTC datetimes.

RFC 822 (with its many sloppy variants), ISO 8601 / RFC 3339, W3C-DTF and the other forms
feedparser knows are read by feedparser's own date handlers, so the fast path and the feedparser
fallback agree to the second.  The two forms nearly every feed uses, a well-formed RFC 822 date
("Tue, 10 Jun 2025 04:00:00 GMT") and an RFC 3339 timestamp, are read directly first (several
times faster, same result).  A date neither understands is read once more as English: feeds in
other languages write their own weekday and month abbreviations in RFC 822 dates ("Mo, 16 Nov
2026 09:15:00 +0100", "Tue, 01 Dez 2026 …", "lun., 16 nov. 2026 …"), German its day as an
ordinal ("Mo, 16. Nov 2026 10:00:00 +0100", "16. November 2026 10:00"), so a leading weekday of
any language (a word, an optional dot, a comma) is dropped, the dot after a day number goes, and
a month name or abbreviation of ``MONTH_NAMES`` (en, fr, de, es, it, nl, pt) between a day number
and a year becomes its English abbreviation ("16.11.2026", all digits, is not one of these).
A time zone abbreviation feedparser does not know (it knows the US ones and GMT) but
``ZONE_HOURS`` does ("CET", German "MEZ", "BST", "JST"…) ending the date is its offset ("+0100"):
feedparser would take it as UTC.
Unparseable text gives None; callers decide what to do.
"""

from __future__ import annotations

import calendar
import re
import time
import unicodedata
from datetime import UTC, datetime, timedelta

from feedparser.datetimes import _parse_date

MONTH_NAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    # the twelve months per language, each as its full name then its abbreviations, lower case
    # and without accents (März → marz, Mär → mar, févr. → fevr, março → marco)
    "en": (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
           ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
           ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
           ("december", "dec")),
    "fr": (("janvier", "janv"), ("fevrier", "fev", "fevr"), ("mars",), ("avril", "avr"),
           ("mai",), ("juin",), ("juillet", "juil"), ("aout",), ("septembre",), ("octobre",),
           ("novembre",), ("decembre",)),  # sept., oct., nov., déc. are the English ones
    "de": (("januar", "jan", "janner"), ("februar", "feb"), ("marz", "mar", "mrz", "maerz"),
           ("april", "apr"), ("mai",), ("juni", "jun"), ("juli", "jul"), ("august", "aug"),
           ("september", "sep", "sept"), ("oktober", "okt"), ("november", "nov"),
           ("dezember", "dez")),
    "es": (("enero", "ene"), ("febrero", "feb"), ("marzo", "mar"), ("abril", "abr"),
           ("mayo", "may"), ("junio", "jun"), ("julio", "jul"), ("agosto", "ago"),
           ("septiembre", "setiembre", "sep", "sept", "set"), ("octubre", "oct"),
           ("noviembre", "nov"), ("diciembre", "dic")),
    "it": (("gennaio", "gen"), ("febbraio", "feb"), ("marzo", "mar"), ("aprile", "apr"),
           ("maggio", "mag"), ("giugno", "giu"), ("luglio", "lug"), ("agosto", "ago"),
           ("settembre", "set"), ("ottobre", "ott"), ("novembre", "nov"), ("dicembre", "dic")),
    "nl": (("januari", "jan"), ("februari", "feb"), ("maart", "mrt"), ("april", "apr"),
           ("mei",), ("juni", "jun"), ("juli", "jul"), ("augustus", "aug"),
           ("september", "sep", "sept"), ("oktober", "okt"), ("november", "nov"),
           ("december", "dec")),
    "pt": (("janeiro", "jan"), ("fevereiro", "fev"), ("marco", "mar"), ("abril", "abr"),
           ("maio", "mai"), ("junho", "jun"), ("julho", "jul"), ("agosto", "ago"),
           ("setembro", "set"), ("outubro", "out"), ("novembro", "nov"), ("dezembro", "dez")),
}  # fmt: skip
MONTH_NUMBERS = {
    spelling: number
    for months in MONTH_NAMES.values()
    for number, spellings in enumerate(months, 1)
    for spelling in spellings
}
"""Month number for every spelling of MONTH_NAMES (all languages)."""
ZONE_HOURS = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2,
    "EET": 2, "EEST": 3, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7, "JST": 9, "KST": 9, "MEZ": 1, "MESZ": 2,  # de: CET, CEST
}  # fmt: skip
"""Hours from UTC of the zone abbreviations dates are written with (feeds and pages)."""
_ZONES_FEEDPARSER_LACKS = {
    zone: hours
    for zone, hours in ZONE_HOURS.items()
    if zone not in {"UTC", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"}
}
"""The zones of ZONE_HOURS feedparser does not read: written as their offset for it."""
_TRAILING_ZONE = re.compile(r"(?<=\d)\s+([A-Z]{3,4})$")
_ENGLISH = [spellings[0][:3].title() for spellings in MONTH_NAMES["en"]]  # Jan, Feb … Dec
_LEADING_WEEKDAY = re.compile(r"[^\W\d_]+\.?,\s*")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:\.\s*|([\s-]+))([^\W\d_]+)\.?(?=[\s-]+\d{4}\b)")
"""A day, a month name and (ahead) a year; the day may be a German ordinal ("16. Nov 2026")."""
_MONTHS = {name.lower(): number for number, name in enumerate(_ENGLISH, 1)}
_RFC822 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) "
    r"(\d{2}):(\d{2}):(\d{2}) (?:GMT|UT|UTC|Z|([+-])(\d{2})(\d{2}))"
)
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})")


def parse_date(text: str | None) -> datetime | None:
    """An aware UTC datetime for a date string, or None when it cannot be understood."""
    if not text or not text.strip():
        return None
    text = text.strip()
    common = _common_form(text)
    if common is not None:
        return common
    text = _with_numeric_zone(text)
    parsed = _feedparser_date(text)
    if parsed is None and (english := _in_english(text)) is not None:
        parsed = _common_form(english) or _feedparser_date(english)
    return parsed


def _with_numeric_zone(text: str) -> str:
    """``text`` with a final zone abbreviation feedparser does not know written as its offset
    ("… 08:00:00 CET" → "… 08:00:00 +0100")."""
    zone = _TRAILING_ZONE.search(text)
    hours = None if zone is None else _ZONES_FEEDPARSER_LACKS.get(zone[1])
    if zone is None or hours is None:
        return text
    return f"{text[: zone.start(1)]}{'-' if hours < 0 else '+'}{abs(hours):02d}00"


def _feedparser_date(text: str) -> datetime | None:
    """The date feedparser's handlers read in ``text``, or None."""
    try:
        parsed = _parse_date(text)
    except (ValueError, OverflowError, TypeError, IndexError):
        return None
    return from_struct_time(parsed)


def _in_english(text: str) -> str | None:
    """``text`` without a leading weekday ("Mo, ", "lun., ") and with the month name between
    its day and its year written the English way ("Dez" → "Dec", "févr." → "Feb"); None when
    nothing changes."""
    weekday = _LEADING_WEEKDAY.match(text)
    rest = text[weekday.end() :] if weekday else text
    found = _DAY_MONTH_YEAR.search(rest)
    number = MONTH_NUMBERS.get(plain(found[3].lower())) if found else None
    if found and number:
        day, separator = found[1], found[2] or " "  # "16. Nov" → "16 Nov"
        month = _ENGLISH[number - 1]
        rest = f"{rest[: found.start()]}{day}{separator}{month}{rest[found.end() :]}"
    return rest if rest != text else None


def plain(text: str) -> str:
    """Without accents (février → fevrier, Mär → Mar), case and typographic apostrophes kept:
    lowered, as MONTH_NAMES spells months."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _common_form(text: str) -> datetime | None:
    """A well-formed RFC 822 or RFC 3339 date read directly (whole seconds, like feedparser), or
    None to let feedparser's handlers decide."""
    try:
        match = _RFC822.fullmatch(text)
        if match is not None:
            day, month, year, hour, minute, second, sign, zone_h, zone_m = match.groups()
            if month.lower() not in _MONTHS:
                return None
            offset = timedelta(hours=int(zone_h or 0), minutes=int(zone_m or 0))
            local = datetime(
                int(year), _MONTHS[month.lower()], int(day), int(hour), int(minute), int(second)
            )
            return (local - offset if sign != "-" else local + offset).replace(tzinfo=UTC)
        if _RFC3339.fullmatch(text):
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return moment.astimezone(UTC).replace(microsecond=0)
    except (ValueError, OverflowError):
        return None
    return None


def from_struct_time(value: time.struct_time | None) -> datetime | None:
    """Convert feedparser's UTC struct_time to an aware datetime (None stays None)."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None
