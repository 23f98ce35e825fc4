"""Dates as people write them on web pages (``kind: page`` sources), → aware UTC datetimes.

Feeds carry machine dates (RFC 822, RFC 3339: ``watch.parse.dates``). Pages show dates to
readers: "Publié le 3 février 2026 à 14h05", "March 12, 2026", "12/03/2026", "2026年3月12日",
"il y a 2 jours", "yesterday at 5:30 PM", "3 mars". Read here, inside the element's text
(words around the date are ignored):

1. the machine forms, when they are the whole text (``time@datetime`` is usually RFC 3339);
2. the first date written in the text (a page showing "Publié le 3 mars 2026, mis à jour il y
   a 2 heures" was published on 3 March), of these forms:

   - relative dates ("3 hours ago", "2h ago", "il y a 2 jours", "il y a 3 mois", "yesterday",
     "hier", "avant-hier", "today"), counted back from the fetch time (a month counts 30 days,
     a year 365);
   - an ISO date (``2026-03-12``, optionally with a time) or a CJK one (``2026年3月12日``);
   - a day, a month name and a year ("12 mars 2026", "March 12th, 2026", "1er août 2026",
     "3. November 2026", "3.November 2026", "3 de noviembre de 2026", "3 novembre 2026"; abbreviations, with or
     without accents): English, French, German, Spanish, Italian, Dutch and Portuguese names
     (``dates.MONTH_NAMES``) after the day, English and French ones before it too;
   - a numeric date ``12/03/2026``, ``12.03.2026``, ``2026/03/12``, ``12/03/26`` (20xx): when
     one of the first two numbers is above 12 it is the day; otherwise the page's other dates
     decide (``months_first``: a page showing "11/24/2026" writes months first, one showing
     "24/11/2026" days first), and when none of them tells, the page's language (``en`` and
     ``en-US`` pages are month first, every other language day first, as most of the world
     writes it);

3. a day and a month name without a year ("3 mars", "Mar 3", "Sat 28 Nov", "3. Oktober"; in
   the other languages full names only: "set", "out", "ago", "mag" are words too): the most recent
   such day at the fetch time (a day later is still this year: the page's clock may be ahead of
   UTC), so "3 mars" read in November 2026 is 3 March 2026, "30 novembre" read on 24 November
   2026 is 30 November 2025; else a time alone ("14:05 CET", "à 9h30", "5:30 PM", as live news
   lists show today's items): today at that time, yesterday when that is more than
   CLOCK_AHEAD (3 hours) after the fetch;
4. whatever else feedparser's date handlers understand, for text with letters in it (numeric
   text never goes there: they read "12-03-2026" as 20 March 2012 and "2026/03/12" as
   1 November).

A time written after the date ("14h05", "9h", "10:30", "2:15 pm", "5 PM", "12:30 am") is kept,
with its time zone when one follows: an offset ("+01:00", "UTC+2", "GMT-5") or an abbreviation
in capitals ("CET", "CEST", German "MEZ", "MESZ", "BST", "EST", "PDT", "ET"…; lower case "et"
is French for "and", and so is "ET" after a date written in French: "3 MARS 2026 À 14H05 ET …").
Without a zone, times are in the page's time zone (``select: timezone: Europe/Paris``), UTC
when the source does not say; a date without a time is midnight UTC whatever the zone. Relative and year-less dates and times alone need the
fetch time; without it they give None, as does unreadable text (the item then takes its
first-seen time, like an undated feed item).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from watch.parse.dates import MONTH_NAMES, MONTH_NUMBERS, ZONE_HOURS, parse_date, plain

_MONTHS = MONTH_NUMBERS  # every language of MONTH_NAMES: next to a day and a year
_MONTHS_ALONE = {  # with a day alone: English and French as written, other languages in full
    name: number
    for language, months in MONTH_NAMES.items()
    for number, spellings in enumerate(months, 1)
    for name in (spellings if language in ("en", "fr") else spellings[:1])
}
_MONTHS_FIRST = {  # written before the day ("March 12"): English and French
    name: _MONTHS[name] for language in ("en", "fr") for name in sum(MONTH_NAMES[language], ())
}
_FRENCH_MONTHS = frozenset(sum(MONTH_NAMES["fr"], ()))


def _month(names: dict[str, int]) -> str:
    return "(?P<month>" + "|".join(sorted(names, key=len, reverse=True)) + r")\b\.?"


_DAY_OF = r"(?:\s+(?:de\s+)?|(?<=\.))"  # "3 de noviembre" (es, pt), "3.November" (de)
_OF_YEAR = r"\s*,?\s+(?:del?\s+)?"  # "noviembre de 2026"
_DAY = r"(?P<day>\d{1,2})(?:(?:er|st|nd|rd|th)\b|\.(?=\s|[^\W\d_])|\b)"  # "1er", "3rd", "3." (de)
_ZONE_PLACES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}
_ZONE_WORDS = "|".join(sorted([*ZONE_HOURS, *_ZONE_PLACES], key=len, reverse=True))
_ZONE = (
    r"(?:\s*\(?(?P<zone>(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}"
    rf"|(?-i:{_ZONE_WORDS})\b))?"
)
_TIME = (
    r"(?:\D{0,6}?(?P<hour>\d{1,2})"
    r"(?:\s*[:h]\s*(?P<minute>\d{2})(?::\d{2}(?:[.,]\d+)?)?|\s*h\b|(?=\s*[ap]\.?\s?m\b))"
    rf"(?:\s*(?P<half>[ap])\.?\s?m\b\.?)?{_ZONE})?"
)
_YEAR = r"(?P<year>\d{4})\b"


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


_DAY_MONTH_YEAR = _pattern(rf"\b{_DAY}{_DAY_OF}{_month(_MONTHS)}{_OF_YEAR}{_YEAR}{_TIME}")
_MONTH_DAY_YEAR = _pattern(rf"\b{_month(_MONTHS_FIRST)}\s+{_DAY}\s*,?\s+{_YEAR}{_TIME}")
_ISO = _pattern(rf"\b(?P<year>\d{{4}})-(?P<month>\d{{2}})-(?P<day>\d{{2}})(?:T|\b){_TIME}")
_CJK = _pattern(
    rf"(?P<year>\d{{4}})\s*年\s*(?P<month>\d{{1,2}})\s*月\s*(?P<day>\d{{1,2}})\s*日{_TIME}"
)
_YEAR_FIRST = _pattern(
    rf"\b(?P<year>\d{{4}})[/.](?P<month>\d{{1,2}})[/.](?P<day>\d{{1,2}})\b{_TIME}"
)
_YEAR_LAST = _pattern(
    r"\b(?P<first>\d{1,2})(?P<separator>[/.-])(?P<second>\d{1,2})(?P=separator)"
    rf"(?P<year>\d{{4}}|(?<=[/.])\d{{2}})\b{_TIME}"
)
_CLOCK = _pattern(
    r"\b(?P<hour>\d{1,2})(?:\s*[:h]\s*(?P<minute>\d{2})(?::\d{2})?\b|(?=\s*[ap]\.?\s?m\b))"
    rf"(?:\s*(?P<half>[ap])\.?\s?m\b\.?)?{_ZONE}"
)
CLOCK_AHEAD = timedelta(hours=3)
"""How far after the fetch a time alone may be and still be today (a page's clock ahead of
UTC, its zone unwritten); later, it is yesterday's."""
_DAY_MONTH = _pattern(rf"\b{_DAY}{_DAY_OF}{_month(_MONTHS_ALONE)}{_TIME}")
_MONTH_DAY = _pattern(rf"\b{_month(_MONTHS_FIRST)}\s+{_DAY}{_TIME}")

_UNITS = (
    (r"minutes?|mins?|m", timedelta(minutes=1)),
    (r"hours?|hrs?|heures?|h", timedelta(hours=1)),
    (r"days?|jours?|d|j", timedelta(days=1)),
    (r"weeks?|semaines?|w", timedelta(weeks=1)),
    (r"months?|mois|mo", timedelta(days=30)),
    (r"years?|yrs?|annees?|ans?|y", timedelta(days=365)),
)
_UNIT = "(?P<unit>" + "|".join(pattern for pattern, _ in _UNITS) + r")\b"
_COUNT = r"(?:(?P<number>\d+)\s*|(?P<article>an?|une?)\s+)"
_AGO = _pattern(rf"\b{_COUNT}{_UNIT}\.?\s+ago\b")
_IL_Y_A = _pattern(rf"\bil y a\s+{_COUNT}{_UNIT}")
_DAYS_BACK = {
    "day before yesterday": 2,
    "avant-hier": 2,
    "avant hier": 2,
    "yesterday": 1,
    "hier": 1,
    "today": 0,
    "aujourd'hui": 0,
    "aujourd’hui": 0,
}
_NAMED_DAY = _pattern(
    r"(?<!\w)(?P<word>" + "|".join(map(re.escape, _DAYS_BACK)) + rf")(?!\w){_TIME}"
)
_JUST_NOW = _pattern(r"\bjust now\b|\ba l['’]instant\b")

DATE_TEXT_MAX = 1000
"""Characters of the date element read (a date sits near its start; a selector matching a
whole block of a hostile page must not cost seconds of regular expressions)."""

_Found = tuple[int, datetime]
"""Where a date starts in the text, and the date."""


@dataclass(frozen=True)
class _Page:
    """What reading a page's dates needs besides the text."""

    month_first: bool
    now: datetime | None
    zone: tzinfo


def read_page_date(
    text: str | None,
    *,
    language: str | None = None,
    now: datetime | None = None,
    zone: tzinfo = UTC,
    month_first: bool | None = None,
) -> datetime | None:
    """The date a page shows in ``text``, in UTC, or None (see the module docstring).

    ``language`` is the page's ``lang`` (it orders an ambiguous numeric date); ``now`` is the
    fetch time, needed for relative and year-less dates (without it they give None); ``zone``
    is the page's time zone, for times written without one (``select: timezone:``);
    ``month_first`` (from ``months_first``) overrides the language's order.
    """
    if not text or not text.strip():
        return None
    text = " ".join(text[: DATE_TEXT_MAX * 4].split())[:DATE_TEXT_MAX]
    machine = _machine_form(text)
    if machine is not None:
        return machine
    unaccented = plain(text)
    order = _month_first(language) if month_first is None else month_first
    page = _Page(order, now, zone)
    readers: tuple[Callable[[str, _Page], _Found | None], ...] = (
        _relative,
        _iso_or_cjk,
        _named_month,
        _numeric,
    )
    dated = [found for reader in readers if (found := reader(unaccented, page))]
    if dated:
        return min(dated, key=lambda found: found[0])[1]
    without_year = _without_year(unaccented, page) or _time_alone(unaccented, page)
    if without_year is not None:
        return without_year
    return parse_date(text) if re.search(r"[^\W\d_]", text) else None


def _machine_form(text: str) -> datetime | None:
    """RFC 3339 / RFC 822 when the whole text is one (what ``time@datetime`` gives)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?|\w{3}, .+", text):
        return None
    return parse_date(text)


def _relative(text: str, page: _Page) -> _Found | None:
    """The first relative date in ``text``, counted back from the fetch."""
    now = page.now
    if now is None:
        return None
    found: list[_Found] = []
    for match in (_AGO.search(text), _IL_Y_A.search(text)):
        if match:
            count = int(match["number"]) if match["number"] else 1
            found.append(
                (match.start(), (now - count * _unit_length(match["unit"])).astimezone(UTC))
            )
    just_now = _JUST_NOW.search(text)
    if just_now:
        found.append((just_now.start(), now.astimezone(UTC)))
    named = _NAMED_DAY.search(text)
    if named:
        day = now.astimezone(page.zone).date() - timedelta(days=_DAYS_BACK[named["word"].lower()])
        moment = _moment(day.year, day.month, day.day, named, page.zone)
        if moment is not None:
            found.append((named.start(), moment))
    return min(found, key=lambda pair: pair[0], default=None)


def _unit_length(unit: str) -> timedelta:
    return next(length for pattern, length in _UNITS if re.fullmatch(pattern, unit, re.I))


def _iso_or_cjk(text: str, page: _Page) -> _Found | None:
    for pattern in (_ISO, _CJK):
        match = pattern.search(text)
        if match:
            moment = _moment(
                int(match["year"]), int(match["month"]), int(match["day"]), match, page.zone
            )
            if moment is not None:
                return match.start(), moment
    return None


def _named_month(text: str, page: _Page) -> _Found | None:
    found = []
    for match in (_DAY_MONTH_YEAR.search(text), _MONTH_DAY_YEAR.search(text)):
        if match:
            month = _MONTHS[match["month"].lower()]
            moment = _moment(int(match["year"]), month, int(match["day"]), match, page.zone)
            if moment is not None:
                found.append((match.start(), moment))
    return min(found, key=lambda pair: pair[0], default=None)


def _numeric(text: str, page: _Page) -> _Found | None:
    match = _YEAR_FIRST.search(text)
    if match:
        moment = _moment(
            int(match["year"]), int(match["month"]), int(match["day"]), match, page.zone
        )
        return (match.start(), moment) if moment is not None else None
    match = _YEAR_LAST.search(text)
    if not match:
        return None
    day, month = int(match["first"]), int(match["second"])
    if day <= 12 < month or (month <= 12 and day <= 12 and page.month_first):
        day, month = month, day
    year = int(match["year"]) + (2000 if len(match["year"]) == 2 else 0)
    moment = _moment(year, month, day, match, page.zone)
    return (match.start(), moment) if moment is not None else None


def months_first(texts: Iterable[str | None], language: str | None) -> bool:
    """Whether a page writes numeric dates month first: as its dates that can only be read one
    way say ("11/24/2026"; "24/11/2026" says day first), when they agree; else by ``language``."""
    orders = set()
    for text in texts:
        match = _YEAR_LAST.search(text[:DATE_TEXT_MAX]) if text else None
        if match and (int(match["first"]) > 12) != (int(match["second"]) > 12):
            orders.add(int(match["second"]) > 12)
    return orders.pop() if len(orders) == 1 else _month_first(language)


def _month_first(language: str | None) -> bool:
    """Whether a page in ``language`` writes 03/12/2026 for March 12 (US English)."""
    tag = (language or "").lower().replace("_", "-")
    return tag in ("en", "en-us")


def _without_year(text: str, page: _Page) -> datetime | None:
    """A day and a month name without a year: the most recent such day at the fetch."""
    now = page.now
    if now is None:
        return None
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        match = pattern.search(text)
        if not match:
            continue
        month, day = _MONTHS[match["month"].lower()], int(match["day"])
        year = _latest_year_with(month, day, now.astimezone(page.zone).date() + timedelta(days=1))
        if year is not None:
            return _moment(year, month, day, match, page.zone)
    return None


def _time_alone(text: str, page: _Page) -> datetime | None:
    """A time without a date ("14:05 CET", "à 9h30", "5:30 PM", as live news lists show today's
    items): today at that time, or yesterday when that is more than CLOCK_AHEAD after ``now``."""
    match, now = _CLOCK.search(text), page.now
    if now is None or match is None:
        return None
    today = now.astimezone(page.zone).date()
    moment = _moment(today.year, today.month, today.day, match, page.zone)
    if moment is not None and moment > now + CLOCK_AHEAD:
        return moment - timedelta(days=1)
    return moment


def _latest_year_with(month: int, day: int, latest: date) -> int | None:
    """The most recent year in which ``day``/``month`` exists and is not after ``latest``."""
    for year in range(latest.year, latest.year - 8, -1):
        try:
            if date(year, month, day) <= latest:
                return year
        except ValueError:  # 29 February of a common year, 31 April
            continue
    return None


def _moment(year: int, month: int, day: int, match: re.Match[str], zone: tzinfo) -> datetime | None:
    """The date with the time and zone ``match`` found after it (midnight UTC without a time;
    a time without a written zone is in the page's ``zone``)."""
    try:
        midnight = datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None
    if match["hour"] is None:
        return midnight
    hour = int(match["hour"])
    if match["half"] and match["half"].lower() == "p" and hour < 12:
        hour += 12
    elif match["half"] and match["half"].lower() == "a" and hour == 12:
        hour = 0
    try:
        local = datetime(year, month, day, hour, int(match["minute"] or 0))
    except ValueError:  # "25:00": keep the date
        return midnight
    written = None if match["zone"] == "ET" and _reads_french(match) else match["zone"]
    return local.replace(tzinfo=_zone(written, zone)).astimezone(UTC)


def _reads_french(match: re.Match[str]) -> bool:
    """A French month name or a time written "14h05": then "ET" after it is "et" (and) in
    capitals, not US Eastern time."""
    month = (match.groupdict().get("month") or "").lower().rstrip(".")
    return month in _FRENCH_MONTHS or re.search(r"\d\s*h", match.group(0), re.I) is not None


def _zone(written: str | None, page_zone: tzinfo) -> tzinfo:
    """The time zone a page wrote after a time; the page's zone when none (UTC when unknown)."""
    if not written:
        return page_zone
    if written in _ZONE_PLACES:
        try:
            return ZoneInfo(_ZONE_PLACES[written])
        except ZoneInfoNotFoundError:  # no time zone database on this system
            return UTC
    if written in ZONE_HOURS:
        return timezone(timedelta(hours=ZONE_HOURS[written]))
    offset = re.search(r"([+-])\s*(\d{1,2}):?(\d{2})?$", written)
    if offset is None:
        return UTC
    sign = -1 if offset[1] == "-" else 1
    hours, minutes = int(offset[2]), int(offset[3] or 0)
    if hours > 14 or minutes > 59:
        return UTC
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
