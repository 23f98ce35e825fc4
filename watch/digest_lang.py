"""The digest's words, one table per language it is written in (``digest: language:``).

Everything the digest writes itself comes from a ``DigestLanguage``: headings, sentences,
plurals, dates, quotes and the spacing of punctuation.  ``watch.digest`` and
``watch.digest_words`` build with it, and the templates (``watch/templates/digest.*.j2``) read it
as ``w``: ``{{ w.say("why") }}``.  Adding a language is adding a table to ``LANGUAGES``
(``sources.yaml`` validation accepts its code at once): English, French, and German
(``GERMAN``, its words in ``watch.digest_lang_de``).

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
string quoted as written).  French follows French typesetting: a narrow
no-break space (U+202F, ``NNBSP``) before ":" ";" "?" "!" and inside « » quotes, abbreviated
months with their period ("nov.", "janv."), "1er" for the first of a month, the singular for 0
and 1, a decimal comma, the apostrophe ’ in keywords and topic labels written "d'écran" or
"l'IA" in sources.yaml (``apostrophe``), the week as people say it ("semaine 47": the ISO
"2026-W47" stays in the records); its source-health lines are worded here, from the row's fields
(``watch.digest_words.problem_words``), the technical error text quoted as it was received
(a page's warnings are worded from their parts, with the ``page_*`` phrases; in English those
phrases are the parser's own words), after what the kind of failure means (``failure_means``:
"l’adresse n’existe plus (« HTTP 404 Not Found »)").  German is written as
``watch.digest_lang_de`` tells: „…“ quotes, no space before ":", "16.–22. November 2026",
"KW 47", the dative of "seit 5 Tagen" (an age unit found in ``plurals`` is counted).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from watch import digest_lang_de as german
from watch.wording import counted, describe_age

NNBSP = "\u202f"
"""The narrow no-break space French puts before ":" ";" "?" "!" and inside « »."""


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
    months=(
        ("janv.", "févr.", "mars", "avr.", "mai", "juin")
        + ("juil.", "août", "sept.", "oct.", "nov.", "déc.")
    ),
    month_names=(
        ("janvier", "février", "mars", "avril", "mai", "juin")
        + ("juillet", "août", "septembre", "octobre", "novembre", "décembre")
    ),
    day_names=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    singular_counts=frozenset({0, 1}),
    plurals={
        "article collecté": "articles collectés",
        "actualité distincte": "actualités distinctes",
        "source consultée": "sources consultées",
        "tentative échouée": "tentatives échouées",
        "autre actualité": "autres actualités",
        "autre source": "autres sources",
        "nouvelle actualité": "nouvelles actualités",
    },
    day_numbers={1: "1er"},
    decimal_mark=",",
    age_units={"min": "min", "h": "h", "days": "jours", "months": "mois", "years": "ans"},
    phrases={
        "subject": "{name} — synthèse hebdomadaire {span} (semaine {week_number})",
        "heading": "Synthèse hebdomadaire {span} (semaine {week_number})",
        "period_in_month": "{first}–{last}",
        "period_across": "{first} – {last}",
        "span_in_month": "du {first} au {last}",
        "span_across": "du {first} au {last}",
        "story_date": "{weekday} {day} {month}",
        "story_date_other_year": "{weekday} {day} {month} {year}",
        "overview": "{articles:article collecté} ({stories:actualité distincte}) provenant"
        f" {{origin}}{NNBSP}; {{consulted}}.",
        "consulted_all": "{sources_consulted:source consultée}",
        "consulted_some": "{sources_consulted:source consultée} sur {sources_enabled}",
        "consulted_failing": "{consulted}, dont {sources_failing} en erreur",
        "consulted_later": "aucune source consultée pendant la semaine (ses articles ont été "
        "collectés ensuite)",
        "from_sources": "de {count:source}",
        "from_one_source": "d’une source",
        "top_topics": f"Thèmes principaux{NNBSP}:",
        "picks": "Choix de l’équipe",
        "untitled": "(sans titre)",
        "no_link": "(pas de lien web)",
        "note": f"Note{NNBSP}:",
        "why": f"Pourquoi{NNBSP}:",
        "also_covered": f"Aussi couvert par {{sources:source}}{NNBSP}:",
        "no_stories": "Aucune actualité sur les thèmes suivis cette semaine.",
        "emerging": "Tendances de la semaine",
        "term_count": "{count:sujet}",
        "term_before": "(environ {previous:.1f} par semaine auparavant)",
        "term_new": "(nouveau)",
        "health": "Santé des sources",
        "all_healthy": "Toutes les sources ont été consultées à leur fréquence, sans erreur.",
        "health_more": "… et {count:autre source} à examiner : la page Sources du tableau de bord "
        "les liste toutes",
        "open_board": "Ouvrir le tableau de bord",
        "board_for": "pour tous les articles, les filtres et vos retours.",
        "on_board": "Sur le tableau de bord",
        "sent_by": "Envoyé par watch pour",
        "colon": f"{NNBSP}: ",
        "semicolon": f"{NNBSP}; ",
        "quote": f"«{NNBSP}{{text}}{NNBSP}»",
        "why_line": f"{{label}}{NNBSP}: {{reasons}}",
        "in_title": "{keywords} dans le titre",
        "in_text": "{keywords} dans le texte",
        "by_source": "une source qui suit ce thème",
        "by_model": "rédigé comme d’autres articles sur ce thème",
        "by_feedback": "selon vos retours",
        "starred": "marqué d’une étoile sur le tableau de bord",
        "chat_more": "…et {count:autre actualité} sur le tableau de bord",
        "alert_subject": f"[watch] {{label}}{NNBSP}: {{count:nouvelle actualité}}",
        "alert_intro": f"{{count:nouvelle actualité}} pour cette alerte, les mieux notées"
        f" d’abord{NNBSP}:",
        "alert_intro_one": f"{{count:nouvelle actualité}} pour cette alerte{NNBSP}:",
        "alert_score": "score {score}",
        "alert_sent_by": "Envoyé par watch pour {watch}, alerte {name}.",
        "apostrophe": "’",
        "page_title": "titre",
        "page_link": "lien",
        "page_lost_some": "{selector} ne trouve pas de {field} dans {lost} des {total} éléments"
        " que {item} sélectionne",
        "page_lost_all": "{selector} ne trouve de {field} dans aucun des {total} éléments que"
        " {item} sélectionne",
        "page_lost_one": "{selector} ne trouve pas de {field} dans le seul élément que {item}"
        " sélectionne",
        "page_no_href": "les éléments qu’il trouve n’ont pas de href et leur texte n’est pas une"
        " URL",
        "page_skipped": "ces éléments ont été ignorés",
        "page_nothing": "{selector} ne trouve rien sur la page ({clue})",
        "page_clue_tags": f"elle contient {{count}} éléments <{{tag}}>{NNBSP}: sa mise en page"
        f" a-t-elle changé{NNBSP}?",
        "page_clue_none": "elle ne répète aucun élément <article>, <section>, titre ni liste"
        f"{NNBSP}: est-elle construite en JavaScript, ou sa mise en page a-t-elle"
        f" changé{NNBSP}?",
        "every_minutes": "toutes les {count} minutes",
        "every_hour": "toutes les heures",
        "every_hours": "toutes les {count} heures",
        "every_day": "tous les jours",
        "every_days": "tous les {count} jours",
        "every_week": "toutes les semaines",
        "every_weeks": "toutes les {count} semaines",
        "every_cron": "selon le planning cron {schedule}",
    },
    problems={
        "never": "jamais consultée",
        "never_ok": "jamais consultée avec succès",
        "gone": f"disparue (le serveur répond HTTP 410), plus consultée{NNBSP}; pour la"
        " rétablir, corriger son adresse dans sources.yaml ou essayer"
        f" «{NNBSP}watch fetch --source {{name}}{NNBSP}»",
        "error": f"{{means}} ({{error}}){NNBSP}; {{attempts:tentative échouée}} d’affilée",
        "broken": "le sélecteur ne trouve plus rien sur la page",
        "broken_named": f"le sélecteur {{selector}} ne trouve plus rien sur la page{NNBSP}; à"
        " corriger dans sources.yaml ({attempts:tentative échouée} d’affilée)",
        "stale": f"pas consultée depuis {{age}} (fréquence prévue{NNBSP}: {{every}})",
        "warning": f"avertissement{NNBSP}: {{warning}}",
        "frequency": "des articles risquent d’être manqués à la fréquence prévue ({every})"
        f"{NNBSP}: la passer à {{suggested}} dans sources.yaml",
        "other": f"à vérifier{NNBSP}: «{NNBSP}{{problem}}{NNBSP}»",
    },
    failure_means={
        "selector": "la page ne correspond plus aux sélecteurs de la source",
        "moved": "l’adresse n’existe plus",
        "gone": "la source a disparu pour de bon",
        "refused": "le site nous refuse l’accès",
        "slow_down": "le site nous demande de ralentir",
        "server": "le site a un problème de serveur",
        "tls": "la connexion sécurisée a échoué",
        "private": "l’adresse est privée",
        "timeout": "le site n’a pas répondu à temps",
        "down": "le site est hors service",
        "dns": "le nom du site est introuvable",
        "network": "la connexion a été interrompue",
        "too_large": "le document dépasse la taille maximale (fetch.max_bytes)",
        "not_a_feed": "l’adresse n’est pas un flux",
        "unreadable": "le document est illisible",
        "other": "la récupération a échoué",
    },
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
