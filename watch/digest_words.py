"""How the digest words things: one-line texts, safe links without trackers, a story's title,
link and other sources (the digest's and an alert's), the days of a week, how much was read, why a story is there and what it says, what is wrong with a source,
Markdown escaping.

Pure functions on strings and articles, also used as template filters by ``watch.digest``;
the words themselves come from the digest's language (``watch.digest_lang``, English by
default).  A line cleaned, cut, and its URLs checked: ``watch.one_line`` (imported here).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from watch import health
from watch.config import WatchConfig
from watch.digest_lang import ENGLISH, DigestLanguage, digest_language
from watch.fetch.failures import failure_kind
from watch.frequency_words import frequency_words
from watch.models import FEEDBACK_REASON, SourceState, StoredArticle
from watch.one_line import clean_line, safe_url, shorten, text_and_urls
from watch.text_repair import without_trackers

MAX_WHY = 160
MAX_SUMMARY = 220
MAX_PROBLEM = 200
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u0085\u2028\u2029]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()<>#!|~&])")
_MARKDOWN_LIST_MARK = re.compile(r"^([-+]|\d+[.)])(?=\s|$)")
"""What starts a list item at the start of a line: "- puce", "+ x", "1. un", "2) deux"."""
_MARKDOWN_UNDERLINE = re.compile(r"^(?:=+|-[- ]*)$")
"""A line that underlines the one above as a heading ("===", "--") or is a thematic break
("---", "- - -") in CommonMark."""
_KEYWORD_REASON = re.compile(r"^matched '(?P<keyword>.+)' in (?P<where>title|text|summary)")
"""A keyword reason as ``watch.classify.keywords`` words it: "in title", "in text" (the
summary or the page's text), or "in summary" as reasons stored before said it."""
_QUOTED_CSS = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
"""A selector as ``watch.parse.page`` quotes it (Python's ``repr``)."""
_SELECTOR_IN_ERROR = re.compile(rf"^(?P<field>select\.(?:item|title|link)) (?P<css>{_QUOTED_CSS})")
"""The selector a page's error names first (``watch.parse.page``: ``select.item 'div.row' …``)."""
_PAGE_WARNING = re.compile(
    rf"""select\.(?P<field>item|title|link)\ (?P<css>{_QUOTED_CSS})\ (?:
        matched\ nothing\ on\ the\ page\ \((?:it\ has\ (?P<count>\d+)\ <(?P<tag>\w+)>\ elements
            :\ was\ the\ layout\ changed\?|it\ repeats\ no\ [^)]*)\)
      | found\ no\ (?P=field)\ in\ (?:(?P<lost>\d+)\ of\ the\ (?P<total>\d+)\ items
            |any\ of\ the\ (?P<all>\d+)\ items|the\ one\ item)
        \ select\.item\ (?P<item>{_QUOTED_CSS})\ matched
        (?:\ \((?P<no_href>the\ elements\ it\ found\ have\ no\ href,\ and\ their\ text\ is\ not
            \ a\ URL)?(?:;\ )?(?P<skipped>those\ items\ were\ skipped)?\))?
    )""",
    re.VERBOSE,
)
"""One of a page's warnings in ``watch.parse.page``'s words: ``select.item 'div.row' matched
nothing on the page (it has 12 <article> elements: …)``, ``select.link 'a@href' found no link
in 3 of the 14 items select.item 'article' matched (those items were skipped)``."""


def note_lines(note: str | None, limit: int) -> list[str]:
    """The team's note as its lines, each cleaned (control characters gone, spaces collapsed),
    blank lines dropped; at most ``limit`` characters in all, the last line cut with "…"."""
    lines: list[str] = []
    left = limit
    for line in (clean_line(raw) for raw in _LINE_BREAK.split(note or "")):
        if not line:
            continue
        if len(line) > left:
            lines.append(shorten(line, max(left, 2)))
            break
        lines.append(line)
        left -= len(line)
    return lines


def linkified_html(text: str) -> Markup:
    """``text`` HTML-escaped, its http(s) URLs made links (escaped too; other schemes stay
    text)."""
    return Markup("").join(
        Markup('<a href="{0}">{0}</a>').format(part) if is_url else escape(part)
        for part, is_url in text_and_urls(text)
    )


def story_title(title: str | None, language: DigestLanguage) -> str:
    """A story's title on one line; "(untitled)" in ``language`` when it has none."""
    return clean_line(title) or language.say("untitled")


def story_link(url: str) -> str | None:
    """An article's URL without its tracking parameters when it is a safe http(s) link, else
    None (shown as text)."""
    return safe_url(without_trackers(url))


def also_covered(config: WatchConfig, article: StoredArticle) -> list[str]:
    """The labels of the other sources carrying ``article``'s story ("Also covered by"), each
    on one line, blank ones dropped, in the order people read them (case aside)."""
    others = set(article.cluster_sources) - {article.source}
    labels = {clean_line(config.source_label(name)) for name in others} - {""}
    return sorted(labels, key=str.casefold)


def topic_labels(config: WatchConfig) -> dict[str, str]:
    """Each topic's label as the digest writes it: "l'IA" with the language's apostrophe."""
    language = digest_language(config.digest.language)
    return {topic.name: language.typographic(topic.label) for topic in config.topics}


def overview_words(overview: Mapping[str, Any], language: DigestLanguage) -> str:
    """How much was read (``Digest.overview``): "6 articles collected (5 distinct stories) from
    4 sources; 28 sources consulted, 2 failing." — the sources consulted in the week, "of" the
    enabled ones when some were not, and how many of them failed (their last attempt of it);
    none, for a week whose articles were all collected after it ended (a first fetch)."""
    sources = overview["sources_publishing"]
    origin = "from_one_source" if sources == 1 else "from_sources"
    some = overview["sources_consulted"] < overview["sources_enabled"]
    consulted = language.say("consulted_some" if some else "consulted_all", **overview)
    if not overview["sources_consulted"] and overview["articles"]:  # a backfill, the demo's
        consulted = language.say("consulted_later")
    elif overview["sources_failing"]:
        consulted = language.say("consulted_failing", consulted=consulted, **overview)
    return language.say(
        "overview", origin=language.say(origin, count=sources), consulted=consulted, **overview
    )


def week_period(week: str, language: DigestLanguage = ENGLISH, form: str = "period") -> str:
    """The days of ISO ``week`` as people write them: "16–22 Nov 2026", "30 Nov – 6 Dec 2026",
    "28 Dec 2026 – 3 Jan 2027"; in French "16–22 nov. 2026", or with ``form="span"``
    "du 16 au 22 nov. 2026" (the phrases ``{form}_in_month`` and ``{form}_across``)."""
    year, _, number = week.partition("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    sunday = monday + timedelta(days=6)
    first, last = language.day_month(monday), f"{language.day_month(sunday)} {sunday.year}"
    if monday.year != sunday.year:
        first = f"{first} {monday.year}"
    elif monday.month == sunday.month:
        first = language.day(monday)
        return language.say(f"{form}_in_month", first=first, last=last)
    return language.say(f"{form}_across", first=first, last=last)


def markdown_escape(
    text: str, autolinks: bool = False, guard: Callable[[str], str] | None = None
) -> str:
    """Escape Markdown syntax so a feed title cannot become a link, image, heading, rule or
    list (a note's line "- puce" stays a line of the pick, not a list of its own; a summary
    "===" or "---" under a story's line does not make it a heading).  With ``autolinks`` (a
    note's lines) its http(s) URLs become ``<https://…>`` links, taken as written (an autolink
    has no escapes); the rest is escaped, then given to ``guard`` (a chat's mention guard,
    which must not change a URL)."""
    line = clean_line(text)
    parts = text_and_urls(line) if autolinks else [(line, False)]
    escaped = "".join(
        f"<{part}>" if is_url else (guard or str)(_MARKDOWN_SPECIAL.sub(r"\\\1", part))
        for part, is_url in parts
    )
    return _no_block_start(escaped)


def _no_block_start(line: str) -> str:
    """``line`` with its first character escaped when it would start a block: a setext
    heading's underline ("===", "--"), a thematic break ("---", "- - -") or a list item
    ("- puce", "1. un").  "***", "___", "#", ">", "```", "~~~", "<" and "|" are escaped
    wherever they are (``_MARKDOWN_SPECIAL``), and ``clean_line`` leaves no indentation."""
    if _MARKDOWN_UNDERLINE.match(line):
        return "\\" + line
    return _MARKDOWN_LIST_MARK.sub(lambda mark: mark[0][:-1] + "\\" + mark[0][-1], line)


def markdown_url(url: str) -> str:
    """Percent-encode what would end a Markdown link target early (spaces, parentheses, <>)."""
    return quote(url, safe=":/?#[]@!$&'*+,;=%-._~")


def why_line(
    article: StoredArticle, topic: str, label: str, language: DigestLanguage = ENGLISH
) -> str:
    """Why the article is in the ``topic`` section, for a reader who never saw sources.yaml:
    "Security: 'CVE' in the title, 'patch' in the text" — the topic's label, the keywords that
    matched where they matched, "worded like other articles on it" for the model's call,
    "according to your feedback" for the team's correction (in French "Sécurité : « CVE »
    dans le titre…")."""
    match = next((m for m in article.topics if m.name == topic), None)
    if match is None:
        return shorten(label, MAX_WHY)
    in_title: list[str] = []
    in_text: list[str] = []
    other: list[str] = []
    for reason in match.reasons:
        found = _KEYWORD_REASON.match(reason)
        if found:
            place = in_title if found["where"] == "title" else in_text
            keyword = language.typographic(found["keyword"])
            place.append(language.quote(keyword))
        elif reason.startswith("source is tagged"):
            other.append(language.say("by_source"))
        elif reason.startswith(FEEDBACK_REASON):
            other.append(language.say("by_feedback"))
        else:
            other.append(language.say("by_model"))
    said = [language.say("in_title", keywords=", ".join(in_title))] if in_title else []
    said += [language.say("in_text", keywords=", ".join(in_text))] if in_text else []
    said += list(dict.fromkeys(other))
    if not said:
        return shorten(label, MAX_WHY)
    reasons = language.say("semicolon").join(said)
    return shorten(language.say("why_line", label=label, reasons=reasons), MAX_WHY)


@dataclass
class SourceHealthItem:
    """One problem with one source, in words."""

    name: str
    """What people read for the source: its label, else its name."""
    problem: str


def source_health(
    config: WatchConfig,
    states: Sequence[SourceState],
    now: datetime,
    notes: health.SourceNotes | None = None,
) -> list[SourceHealthItem]:
    """Enabled sources that need attention (watch.health decides, the digest only words it);
    ``notes`` are the frequency advice and the pages' last warnings, as `watch status` has."""
    language = digest_language(config.digest.language)
    advice, warnings = notes or ({}, {})
    return [
        SourceHealthItem(
            name=clean_line(config.source_label(row.name)),
            problem=shorten(clean_line(problem_words(row, language, now)), MAX_PROBLEM),
        )
        for row in health.source_health(config, states, {}, now, advice, warnings)
        if row.problem
    ]


def problem_words(row: health.SourceHealth, language: DigestLanguage, now: datetime) -> str | None:
    """What is wrong with a source (``watch.health`` decides) in ``language``'s words, None
    when nothing is; ``watch.health``'s own words when the language has none for its kind."""
    if not row.problem:
        return row.problem
    kind, values = problem_kind(row, now, language)
    return language.say_problem(kind, values) if kind in language.problems else row.problem


def problem_kind(
    row: health.SourceHealth, now: datetime, language: DigestLanguage
) -> tuple[str, dict[str, object]]:
    """The kind of a row's problem and what its words need, read from the row's fields in
    the order ``watch.health`` decides it: never consulted, gone, error, selector, overdue,
    a page's warning, frequency advice (a page whose selectors read nothing is an error that
    names the selector: said as a broken selector, the selector quoted, not in the parser's
    words; a page's warning is worded from its parts, and the advice from its fields, the
    ``every`` configured, in words (``watch.frequency_words``), and the one suggested)."""
    every = frequency_words(row.every, language.say, language.quote)  # "toutes les 6 heures"
    if row.last_attempt is None and row.last_success is None:
        return "never", {}
    if row.status == "gone":
        return "gone", {"name": row.name}
    selector = _broken_selector(row, language)
    if selector:
        return "broken_named", {"selector": selector, "attempts": row.error_count}
    if row.status == "error":
        return "error", _error_values(row, language)
    if row.broken_selector:
        return "broken", {}
    if row.overdue and row.last_success is None:
        return "never_ok", {}
    if row.overdue and row.last_success is not None:
        return "stale", {"age": language.age(now - row.last_success), "every": every}
    if row.warning:  # a page that lost some items (``watch.health`` says so when all else is fine)
        said = page_warning_words(row.warning, language)
        return "warning", {"warning": said or language.quote(clean_line(row.warning))}
    if row.advice and row.problem == row.advice and row.suggested_every:
        return "frequency", {"every": every, "suggested": row.suggested_every}
    return "other", {"problem": clean_line(row.problem)}


def _error_values(row: health.SourceHealth, language: DigestLanguage) -> dict[str, object]:
    """A failing source's words: what its kind of failure means in ``language`` (the shared
    table of ``watch.fetch.failures``), its error quoted, its failed attempts in a row."""
    kind = failure_kind(row.last_error, row.broken_selector)
    return {
        "means": language.failure_means.get(kind.name, kind.means),
        "error": language.quote(clean_line(row.last_error)),
        "attempts": row.error_count,
    }


def _broken_selector(row: health.SourceHealth, language: DigestLanguage) -> str | None:
    """The selector a page's error names ("select.item « div.row »"), None when the error is
    not a selector that read nothing (or ``language`` has no words for it)."""
    found = _SELECTOR_IN_ERROR.match(clean_line(row.last_error))
    if not (row.broken_selector and row.status == "error" and found):
        return None
    if "broken_named" not in language.problems:
        return None
    return _quoted_selector(found["field"], found["css"], language)


def _quoted_selector(field: str, css: str, language: DigestLanguage) -> str:
    """``select.item 'div.row'`` as ``language`` quotes it: "select.item « div.row »"."""
    return f"{field} {language.quote(clean_line(ast.literal_eval(css)))}"


def page_warning_words(warning: str, language: DigestLanguage) -> str | None:
    """A page's warnings (``watch.parse.page``'s words, several joined by "; ") in
    ``language``'s words, None when one of them is not a warning it knows."""
    text, end = clean_line(warning), 0
    found: list[re.Match[str]] = []
    for part in _PAGE_WARNING.finditer(text):
        if text[end : part.start()] != ("; " if found else ""):
            return None
        found.append(part)
        end = part.end()
    if not found or end != len(text):
        return None
    return language.say("semicolon").join(_page_warning(part, language) for part in found)


def _page_warning(found: re.Match[str], language: DigestLanguage) -> str:
    selector = _quoted_selector(f"select.{found['field']}", found["css"], language)
    if found["item"] is None:
        clue = (
            language.say("page_clue_tags", count=found["count"], tag=found["tag"])
            if found["count"]
            else language.say("page_clue_none")
        )
        return language.say("page_nothing", selector=selector, clue=clue)
    how_many = "some" if found["lost"] else "all" if found["all"] else "one"
    words = language.say(
        f"page_lost_{how_many}",
        selector=selector,
        field=language.say(f"page_{found['field']}"),
        lost=found["lost"],
        total=found["total"] or found["all"],
        item=_quoted_selector("select.item", found["item"], language),
    )
    why = [language.say(f"page_{reason}") for reason in ("no_href", "skipped") if found[reason]]
    return f"{words} ({language.say('semicolon').join(why)})" if why else words


def summary_line(article: StoredArticle) -> str:
    """The start of the article's text (at most MAX_SUMMARY characters, cut at a word; the
    start of its page's text when the feed gave none), or "" when it only repeats the title."""
    text, title = clean_line(article.text_for_topics), clean_line(article.title)
    if not text or text.casefold() == title.casefold():
        return ""
    if text.casefold().startswith(title.casefold()) and len(title) > 20:
        text = text[len(title) :].lstrip(" .:-–—")
    return shorten(text, MAX_SUMMARY)
