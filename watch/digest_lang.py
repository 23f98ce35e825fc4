"""The digest's words, one table per language it is written in (``digest: language:``).

Everything the digest writes itself comes from a ``DigestLanguage``: headings, sentences,
plurals, dates, quotes and the spacing of punctuation.  ``watch.digest`` and
``watch.digest_words`` build with it, and the templates (``watch/templates/digest.*.j2``) read it
as ``w``: ``{{ w.say("why") }}``.  Adding a language is adding a table to ``LANGUAGES``
(``sources.yaml`` validation accepts its code at once): English, French (``FRENCH``, its words
in ``watch.digest_lang_fr``), and German (``GERMAN``, its words in ``watch.digest_lang_de``).

A phrase is a ``str.format`` string said by ``DigestLanguage.say``: ``{name}`` is the value as
text; ``{count:noun}`` is a count with its noun in the right number ("1 article", "2 articles",
"0 article" in French), the noun written singular in the phrase and its plural taken from
``plurals``, else made by the English rule of ``watch.wording.counted``; a float takes a number
format (``{previous:.1f}``) and the language's decimal mark ("1,0").  ``subject`` and
``heading`` take ``{name}``, ``{week}`` ("2026-W47"), ``{week_number}`` (47), ``{period}``
("16–22 nov. 2026") and ``{span}`` ("du 16 au 22 nov. 2026"); ``overview`` takes the counts of
``Digest.overview`` by their keys, ``{origin}``, the sources said by ``from_sources`` or, for
one, ``from_one_source`` ("d’une source", not "de 1 source"), and ``{consulted}``, the sources
consulted said by ``consulted_all`` ("28 sources consultées") or, when some never were,
``consulted_some`` ("26 sources consultées sur 28"), then ``consulted_failing`` when some of them
fail (", dont 2 en erreur"): ``watch.digest_words.overview_words``.  An emerging term's count
is said by ``term_count``: stories ("3 stories", "3 sujets"), as ``watch.trends`` counts them.

English keeps the words the digest always had (its tests compare them byte for byte), and the
source-health lines ``watch.health`` writes, but for a failing source: what its kind of failure
means (``watch.fetch.failures``: "the address no longer exists"), then its error quoted, and
for a late one, how often it is consulted in words.  Every table says a source's ``every:`` as
``watch.frequency_words`` chooses ("every 6 hours", "tous les jours", "alle 5 Minuten", a cron
string quoted as written).  French is written as ``watch.digest_lang_fr`` tells: a narrow
no-break space before ":" and inside « » quotes, "nov.", "1er", the singular for 0 and 1,
"semaine 47", its source-health lines worded from the row's fields
(``watch.digest_words.problem_words``).  German is written as ``watch.digest_lang_de`` tells: „…“ quotes, no space before ":", "16.–22. November 2026",
"KW 47", the dative of "seit 5 Tagen" (an age unit found in ``plurals`` is counted).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from watch import digest_lang_de as german
from watch import digest_lang_fr as french
from watch.wording import counted, describe_age


@dataclass(frozen=True)
class DigestLanguage:
    """The words of the digest in one language."""

    code: str
    """The language tag: ``<html lang>`` and ``digest: language:`` in sources.yaml."""
    phrases: Mapping[str, str]
    months: tuple[str, ...]
    """Month names as written in a day ("16 Nov", "16 nov."), January first."""
    month_names: tuple[str, ...]
    """Month names in full ("novembre"), for story dates written in words."""
    day_names: tuple[str, ...]
    """Day names ("lundi"), Monday first."""
    singular_counts: frozenset[int] = frozenset({1})
    """The counts that take the singular: 1 in English, 0 and 1 in French."""
    plurals: Mapping[str, str] = field(default_factory=dict)
    """Singular → plural, where ``watch.wording.counted``'s English rule would be wrong."""
    day_numbers: Mapping[int, str] = field(default_factory=dict)
    """How a day of the month is written when not as a number ("1er")."""
    decimal_mark: str = "."
    age_units: Mapping[str, str] = field(default_factory=dict)
    """``watch.wording.describe_age`` units ("days") in this language ("jours")."""
    problems: Mapping[str, str] = field(default_factory=dict)
    """A source's problem by kind (``watch.digest_words.problem_kind``); a kind not here: the
    digest shows ``watch.health``'s own words."""
    failure_means: Mapping[str, str] = field(default_factory=dict)
    """What a kind of fetch failure means, by its name (``watch.fetch.failures.KINDS``); a kind
    not here: its ``means`` there (English)."""

    def say(self, key: str, **values: Any) -> str:
        """The phrase ``key`` with ``values`` in it (see the module docstring)."""
        return _Sayer(self).vformat(self.phrases[key], (), values)

    def say_problem(self, kind: str, values: Mapping[str, Any]) -> str:
        """What is wrong with a source, in words: the ``problems`` phrase of ``kind``."""
        return _Sayer(self).vformat(self.problems[kind], (), values)

    def age(self, delta: timedelta) -> str:
        """``watch.wording.describe_age`` in this language: "5 days" → "5 jours"; a unit
        whose word has a plural in ``plurals`` is counted ("1 Monat", "2 Monaten")."""
        number, _, unit = describe_age(delta).partition(" ")
        word = self.age_units.get(unit, unit)
        return self.count(int(number), word) if word in self.plurals else f"{number} {word}"

    def count(self, number: int, noun: str) -> str:
        """``number`` with ``noun`` (written singular) in the number it takes."""
        if number in self.singular_counts:
            return f"{number} {noun}"
        plural = self.plurals.get(noun)
        return f"{number} {plural}" if plural else counted(number, noun)

    def quote(self, text: str) -> str:
        return self.say("quote", text=text)

    def typographic(self, text: str) -> str:
        """``text`` with the language's apostrophe for "'": "l'IA" → "l’IA" in French."""
        return text.replace("'", self.say("apostrophe"))

    def day(self, day: date) -> str:
        """The day of the month as written: "16", "1er"."""
        return self.day_numbers.get(day.day, str(day.day))

    def day_month(self, day: date) -> str:
        """The day and month of ``day``: "16 Nov", "1er déc."."""
        return f"{self.day(day)} {self.months[day.month - 1]}"

    def story_date(self, day: date, iso: str, year: int) -> str:
        """The date of a story ("2026-11-18", "mercredi 18 novembre"): the year is written
        when it is not ``year`` (the digest's)."""
        key = "story_date" if day.year == year else "story_date_other_year"
        return self.say(
            key,
            iso=iso,
            weekday=self.day_names[day.weekday()],
            day=self.day(day),
            month=self.month_names[day.month - 1],
            year=day.year,
        )


class _Sayer(string.Formatter):
    """``str.format`` where ``{count:noun}`` counts and floats take the decimal mark."""

    def __init__(self, language: DigestLanguage):
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, int) and not isinstance(value, bool) and format_spec:
            return self.language.count(value, format_spec)
        text = format(value, format_spec)
        return text.replace(".", self.language.decimal_mark) if isinstance(value, float) else text


ENGLISH = DigestLanguage(
    code="en",
    months=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    month_names=(
        ("January", "February", "March", "April", "May", "June")
        + ("July", "August", "September", "October", "November", "December")
    ),
    day_names=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    phrases={
        "subject": "{name} — weekly digest {period} ({week})",
        "heading": "Weekly digest — {period} ({week})",
        "period_in_month": "{first}–{last}",
        "period_across": "{first} – {last}",
        "span_in_month": "{first}–{last}",
        "span_across": "{first} – {last}",
        "story_date": "{iso}",
        "story_date_other_year": "{iso}",
        "overview": "{articles:article} collected ({stories:distinct story}) {origin};"
        " {consulted}.",
        "consulted_all": "{sources_consulted:source} consulted",
        "consulted_some": "{sources_consulted} of {sources_enabled:source} consulted",
        "consulted_failing": "{consulted}, {sources_failing} failing",
        "consulted_later": "no source consulted during the week (its articles were collected later)",
        "from_sources": "from {count:source}",
        "from_one_source": "from 1 source",
        "top_topics": "Top topics:",
        "picks": "Picked by the team",
        "untitled": "(untitled)",
        "no_link": "(no web link)",
        "note": "Note:",
        "why": "Why:",
        "also_covered": "Also covered by {sources:source}:",
        "no_stories": "No stories on the followed topics this week.",
        "emerging": "Emerging this week",
        "term_count": "{count:story}",
        "term_before": "(about {previous:.1f} a week before)",
        "term_new": "(new)",
        "health": "Source health",
        "all_healthy": "All sources were consulted at their frequency without errors.",
        "health_more": "…and {count:other source} to look at: the board's Sources page lists all",
        "open_board": "Open the board",
        "board_for": "for every article, filters and feedback.",
        "on_board": "On the board",
        "sent_by": "Sent by watch for",
        "colon": ": ",
        "semicolon": "; ",
        "quote": "'{text}'",
        "why_line": "{label}: {reasons}",
        "in_title": "{keywords} in the title",
        "in_text": "{keywords} in the text",
        "by_source": "a source that follows it",
        "by_model": "worded like other articles on it",
        "by_feedback": "according to your feedback",
        "starred": "starred on the board",
        "chat_more": "…and {count:more story} on the board",
        "alert_subject": "[watch] {label}: {count} new",
        "alert_intro": "{count:new story} for this alert, the best scored first:",
        "alert_intro_one": "{count:new story} for this alert:",
        "alert_score": "score {score}",
        "alert_sent_by": "Sent by watch for {watch}, alert {name}.",
        "apostrophe": "'",
        "page_title": "title",
        "page_link": "link",
        "page_lost_some": "{selector} found no {field} in {lost} of the {total} items {item}"
        " matched",
        "page_lost_all": "{selector} found no {field} in any of the {total} items {item} matched",
        "page_lost_one": "{selector} found no {field} in the one item {item} matched",
        "page_no_href": "the elements it found have no href, and their text is not a URL",
        "page_skipped": "those items were skipped",
        "page_nothing": "{selector} matched nothing on the page ({clue})",
        "page_clue_tags": "it has {count} <{tag}> elements: was the layout changed?",
        "page_clue_none": "it repeats no <article>, <section>, heading or list element: is it"
        " drawn by JavaScript, or was the layout changed?",
        "every_minutes": "every {count} minutes",
        "every_hour": "every hour",
        "every_hours": "every {count} hours",
        "every_day": "every day",
        "every_days": "every {count} days",
        "every_week": "every week",
        "every_weeks": "every {count} weeks",
        "every_cron": "on the cron schedule {schedule}",
    },
    problems={
        "error": "{means} ({error}); {attempts:failed attempt} in a row",
        "stale": "not consulted since {age} ({every})",
    },
)

FRENCH = DigestLanguage(
    code="fr",
    months=french.MONTHS,
    month_names=french.MONTH_NAMES,
    day_names=french.DAY_NAMES,
    singular_counts=frozenset({0, 1}),
    plurals=french.PLURALS,
    day_numbers=french.DAY_NUMBERS,
    decimal_mark=",",
    age_units=french.AGE_UNITS,
    phrases=french.PHRASES,
    problems=french.PROBLEMS,
    failure_means=french.FAILURE_MEANS,
)

GERMAN = DigestLanguage(
    code="de",
    months=german.MONTHS,
    month_names=german.MONTHS,
    day_names=german.DAY_NAMES,
    plurals=german.PLURALS,
    day_numbers=german.DAY_NUMBERS,
    decimal_mark=",",
    age_units=german.AGE_UNITS,
    phrases=german.PHRASES,
    problems=german.PROBLEMS,
    failure_means=german.FAILURE_MEANS,
)

LANGUAGES: dict[str, DigestLanguage] = {
    language.code: language for language in (ENGLISH, FRENCH, GERMAN)
}
"""The languages a digest can be written in, by ``digest: language:`` code."""


def digest_language(code: str) -> DigestLanguage:
    """The table of ``code`` (``sources.yaml`` validation only lets known codes through)."""
    return LANGUAGES[code]
