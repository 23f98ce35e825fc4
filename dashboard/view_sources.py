"""Pure formatting of the Sources page: one row per source, its status, errors and advice in
words, in the board's language (``words``: a ``dashboard.words.BoardWords``, English when not
given).

``watch.health`` decides what is wrong with a source; this module only words it.  What a
kind of fetch failure means is the digest's wording of the same language (``failure_means``
of ``watch.digest_lang``); the frequency advice (``watch.cadence``), what to do about a
failure and when it is retried (``watch.health.what_to_do``, ``with_retry``) are values said in the board's
language by ``watch.advice_words`` (the raw fetch error stays as the server said it), and so
is what to do when most article pages of a ``full_text:`` source fail (``watch.text_health``).
What to do is Markdown: the addresses and names it quotes are made inert (``_markdown``).

A source's frequency is said in the board's words ("toutes les 5 min", "täglich": ``every_words``);
an ``every:`` value the advice suggests is one to copy into sources.yaml, so it is quoted as
written there where the language needs it marked ("« every: 1d »": the board's ``every_value``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dashboard.view import escape_markdown, humanize_age, link_target
from dashboard.words import ENGLISH, BoardWords
from watch import cadence, health, text_health
from watch.advice_words import Said, map_values, say
from watch.config import SourceConfig, WatchConfig
from watch.digest_words import clean_line
from watch.fetch.failures import failure_kind, failure_steps
from watch.frequency_words import frequency_words
from watch.models import SourceState
from watch.store.base_texts import TextCounts


@dataclass(frozen=True)
class SourceHealth:
    """One row of the sources health table."""

    label: str
    """What people read for the source: its label, else its name."""
    name: str
    kind: str
    status: str
    """The status's key, English (``STATUS_COLOURS``): ``status_words`` says it."""
    last_success: str
    last_error: str
    next_due: str
    per_week: float
    on_topic: str
    every: str
    suggestion: str
    broken: bool
    missing_items: bool = False
    """Items are missed at this frequency (``watch.cadence``): shown as a warning too."""
    what_to_do: str = ""
    """For a failing source: what the user can do about its error."""
    warning: str = ""
    """A page source that lost some items on its last read: which selector, how many."""
    pages: str = ""
    """A ``full_text:`` source's article pages: "18 read, 2 failed (HTTP 404 Not Found)"."""
    pages_warning: str = ""
    """When most of its pages fail (``watch.text_health``): its pages over the window."""
    pages_advice: str = ""
    """What to do about its pages failing (Markdown), when their failure says."""
    needs_attention: bool = False
    """Failing, gone, broken selector, overdue, missing items or most pages failing: listed
    first."""


def describe_error(error: str | None, count: int, words: BoardWords = ENGLISH) -> str:
    """A fetch error in words: what it means for the user (``watch.fetch.failures``, in the
    digest's words of the language), with the raw message after.  When the raw message already
    says it ("not a feed"), it is shown alone."""
    if not error:
        return ""
    kind = failure_kind(error)
    repeat = words.say("failures_in_a_row", count=count) if count > 1 else ""
    if kind.name in ("other", "not_a_feed", "too_large"):  # the raw message says it
        return f"{error}{repeat}"
    means = words.digest.failure_means.get(kind.name, kind.means)  # English's has none
    return words.say("error_means", means=means, error=error, repeat=repeat)


def error_advice(error: str | None, url: str = "URL", words: BoardWords = ENGLISH) -> str:
    """What to do about a fetch error, in words ("" when there is no error); the board shows
    ``watch.health``'s advice instead when it has one (it knows when the retry is)."""
    if not error:
        return ""
    steps = failure_steps(error, url)
    if failure_kind(error).transient:
        return _markdown(health.with_retry(steps, Said("retry_next_pass")), words)
    return _markdown(steps or Said("check_url"), words)


def source_health(
    config: WatchConfig,
    states: list[SourceState],
    stats: dict[str, dict[str, float]],
    now: datetime,
    advice: dict[str, cadence.Advice] | None = None,
    warnings: dict[str, str] | None = None,
    words: BoardWords = ENGLISH,
    texts: dict[str, TextCounts] | None = None,
) -> list[SourceHealth]:
    """Display rows for every configured source (rules: watch.health): those that need
    attention first, then the others, each group by label; ``warnings`` are the pages' last
    warnings (``watch.health.page_warnings``), ``texts`` the counts of the article pages of
    ``full_text:`` sources (``watch.text_health.page_counts``)."""
    sources = {source.name: source for source in config.sources}
    by_name = {state.name: state for state in states}
    articles = {name: int(figures.get("articles", 0)) for name, figures in stats.items()}
    rows = []
    for row in health.source_health(config, states, articles, now, warnings=warnings, texts=texts):
        figures = stats.get(row.name, {})
        per_week = cadence.weekly_rate(figures, now)
        found = (advice or {}).get(row.name) or cadence.advise(sources[row.name], per_week)
        missing_items = _consulted(row) and found.missing_items
        state = by_name.get(row.name)
        steps = health.what_to_do(sources[row.name], state, now) if state else None
        pages, pages_warning, pages_advice = _pages_said(row, words)
        rows.append(
            SourceHealth(
                label=config.source_label(row.name),
                name=row.name,
                kind=words.say(f"kind_{row.kind}"),
                status=_status(row),
                last_success=humanize_age(row.last_success, now, words),
                last_error=describe_error(row.last_error, row.error_count, words),
                next_due=_next_due_words(row, now, words),
                per_week=round(per_week, 1),
                on_topic=_percent(figures, words),
                every=every_words(sources[row.name], words),
                suggestion=_suggestion_words(row, found, words),
                broken=row.broken_selector,
                missing_items=missing_items,
                what_to_do=(
                    _markdown(steps, words)
                    if steps
                    else error_advice(row.last_error, row.url, words)
                ),
                warning=row.warning or "",
                pages=pages,
                pages_warning=pages_warning,
                pages_advice=pages_advice,
                needs_attention=(
                    missing_items or _in_trouble(row) or bool(row.warning or pages_warning)
                ),
            )
        )
    return sorted(rows, key=lambda r: (not r.needs_attention, r.label.casefold(), r.name))


def _pages_said(row: health.SourceHealth, words: BoardWords) -> tuple[str, str, str]:
    """A ``full_text:`` source's pages in words, then when most of them fail, the warning and
    what to do about it (Markdown); all "" for another source."""
    pages = row.full_text
    if pages is None:
        return "", "", ""
    said = words.say("pages_counts", read=pages.read, failed=pages.failed)
    if pages.waiting:
        said = words.say("pages_waiting", counts=said, waiting=pages.waiting)
    if pages.failed and pages.error:
        said = words.say("pages_why", counts=said, error=page_error_words(pages.error, words))
    if not pages.failing:
        return said, "", ""
    advice = text_health.advice_of(pages)
    warning = words.say("pages_box", days=pages.days, counts=said)
    return said, warning, _markdown(advice, words) if advice else ""


def page_error_words(error: str, words: BoardWords) -> str:
    """Why a page gave no text, in the board's words when said in fixed words (robots.txt, a
    selector matching nothing, no text found); otherwise as the server or reader said it."""
    kind = text_health.failure_of(error)
    return words.say(f"page_failed_{kind}") if kind and kind != "refused" else error


def _markdown(said: Said, words: BoardWords) -> str:
    """What to do, in the board's language, as Markdown whose quoted values are inert: each
    is said through a placeholder, then written as fits where the phrase put it (``_quoted``)."""
    values: list[str] = []
    text = say(_placeheld(said, values), words.digest)
    return _PLACEHOLDER.sub(
        lambda found: _quoted(values[int(found[1])], _in_code_span(text, found.start())), text
    )


_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
"""Where a quoted value goes in the text said (private-use characters no phrase has)."""


def _placeheld(said: Said, values: list[str]) -> Said:
    """``said`` with each text it quotes (a feed's home page, a redirect's target, a source's
    url and name), nested ones too, put in ``values`` and replaced by its ``_PLACEHOLDER``."""

    def hold(name: str, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        values.append(value)
        return f"\ue000{len(values) - 1}\ue001"

    return map_values(said, hold)


def _in_code_span(text: str, position: int) -> bool:
    """Whether ``position`` is in one of the phrase's code spans: an odd number of backticks
    before it (a phrase's own backticks come in pairs; the values are not in yet)."""
    return text.count("`", 0, position) % 2 == 1


def _quoted(value: str, in_code: bool) -> str:
    """A quoted value made inert: in a phrase's code span (`watch sources add {site}`) as
    written, an address percent-encoded (no backtick to close the span); elsewhere escaped
    (no link, emphasis, maths or colour: feed text)."""
    if in_code:
        return link_target(value) or clean_line(value).replace("`", "'")
    return escape_markdown(value)


def _in_trouble(row: health.SourceHealth) -> bool:
    """Failing, gone, a page whose selectors match nothing, or not consulted in time."""
    return row.status in ("error", "gone") or row.broken_selector or row.overdue


def _consulted(row: health.SourceHealth) -> bool:
    """Fetched at least once and still consulted (not disabled, not gone): only such a source
    gets frequency advice, as in `watch status`."""
    return row.last_success is not None and row.status not in ("gone", "disabled")


def _percent(figures: dict[str, float], words: BoardWords) -> str:
    """The share of a source's articles on a topic: "45%" ("45 %")."""
    if not figures:
        return "–"
    return words.say("percent", value=round(float(figures.get("on_topic", 0.0)) * 100))


def _suggestion_words(row: health.SourceHealth, found: cadence.Advice, words: BoardWords) -> str:
    """``watch.cadence``'s advice in the board's language."""
    if row.status in ("gone", "disabled"):
        return "–"
    if row.last_success:
        return say(_every_marked(found.said, words), words.digest)
    if row.status == "error":
        return "–"  # a failing one: see its error
    return words.say("not_fetched_yet")


def every_words(source: SourceConfig, words: BoardWords = ENGLISH) -> str:
    """How often ``source`` is consulted, in words: "every 5 min", "toutes les heures",
    "alle 2 Tage"; a cron schedule quoted as written ("on the cron schedule '0 8 * * 1-5'"):
    the digest's choice of words (``watch.frequency_words``), in the board's short ones."""
    return frequency_words(source.every, words.say, words.digest.quote)


def _every_marked(said: Said, words: BoardWords) -> Said:
    """``said`` with the ``every:`` value it suggests written as the board's language marks
    a value to copy into sources.yaml (``every_value``), nested advice too."""

    def mark(name: str, value: Any) -> Any:
        if name == "every" and isinstance(value, str):
            return words.say("every_value", every=value)
        return value

    return map_values(said, mark)


def _next_due_words(row: health.SourceHealth, now: datetime, words: BoardWords) -> str:
    """When the source is consulted next; "–" for a gone or disabled one (never, until revived)."""
    if row.status in ("gone", "disabled"):
        return "–"
    return humanize_age(row.next_due, now, words) if row.next_due else words.say("at_next_pass")


STATUS_COLOURS = {
    "ok": "green",
    "overdue": "orange",
    "failing": "orange",
    "gone": "red",
    "broken selector": "red",
    "never fetched": "gray",
    "disabled": "gray",
}
"""Every status a source can show, in words (they read without an emoji font), with the
Streamlit theme colour the table gives it."""


def status_words(status: str, words: BoardWords = ENGLISH) -> str:
    """A status key of ``STATUS_COLOURS`` in words: "failing", "en erreur", "fehlerhaft"."""
    return words.say("status_" + status.replace(" ", "_"))


def _status(row: health.SourceHealth) -> str:
    if row.status == "disabled":
        return "disabled"
    if row.broken_selector:
        return "broken selector"
    if row.status == "ok" and row.overdue:
        return "overdue"
    return {"new": "never fetched", "error": "failing"}.get(row.status, row.status)
