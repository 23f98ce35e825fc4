"""Pure formatting for the board: safe Markdown, safe links, ages, chips and source health.

Everything here turns stored data into text the pages can hand to Streamlit.  Feed text is
untrusted: ``escape_markdown`` makes it inert in ``st.markdown`` (no links, images, HTML, LaTeX
or colour directives), ``safe_url`` lets only http(s) links through.  No store, no Streamlit:
these functions are plain and tested directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from watch import cadence, health
from watch.classify.model import MODEL_CONFIDENT
from watch.config import WatchConfig
from watch.config.fields import FOLDER_SEPARATOR, folder_path
from watch.digest_words import note_lines, text_and_urls
from watch.fetch.failures import failure_advice, failure_kind
from watch.models import SourceState, StoredArticle
from watch.store.base import MAX_NOTE
from watch.wording import counted

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=\"'^%@])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every Markdown/HTML/LaTeX special character so the text shows as typed."""
    flat = " ".join(text.split())
    return _MARKDOWN_SPECIALS.sub(r"\\\1", flat)


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s) with a host, percent-encoded for a Markdown link; else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(url.strip(), safe=":/?#[]@!$&'*+,;=%~-._")


def markdown_link(title: str, url: str | None) -> str:
    """An escaped title, as a Markdown link only when the URL is http(s)."""
    label = escape_markdown(title) or "(untitled)"
    target = safe_url(url)
    return f"[{label}]({target})" if target else label


def humanize_age(when: datetime | None, now: datetime) -> str:
    """``5 min ago``, ``3 h ago``, ``2 d ago``; ``in 2 h`` for a future time; ``never``."""
    if when is None:
        return "never"
    delta = now - _aware(when)
    future = delta.total_seconds() < 0
    seconds = abs(delta.total_seconds())
    if seconds < 60:
        text = "just now" if not future else "now"
        return text
    if seconds < 3600:
        amount = f"{int(seconds // 60)} min"
    elif seconds < 86400:
        amount = f"{int(seconds // 3600)} h"
    else:
        amount = f"{int(seconds // 86400)} d"
    return f"in {amount}" if future else f"{amount} ago"


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


DATED_BEYOND = timedelta(days=7)
"""A card older (or further ahead) than this shows its date, not "3442 d ago"."""


def published_words(when: datetime | None, now: datetime, timezone: str = "UTC") -> str:
    """``3 h ago`` within a week of ``now``; beyond, the day in the readers' zone
    (``digest.timezone``): ``12 Nov 2026``."""
    if when is None or abs(now - _aware(when)) < DATED_BEYOND:
        return humanize_age(when, now)
    local = _aware(when).astimezone(ZoneInfo(timezone))
    return f"{local.day} {local:%b %Y}"


def note_markdown(note: str) -> str:
    """The team's note as Markdown, its lines kept (the digest's ``note_lines``), each escaped
    and in italics; its http(s) URLs are links (``safe_url``), anything else stays text."""
    lines = []
    for line in note_lines(note, MAX_NOTE):
        parts = [
            _linked(part) if is_url else _escaped(part) for part, is_url in text_and_urls(line)
        ]
        lines.append(f"_{''.join(parts)}_")
    return "  \n".join(lines)


def _escaped(text: str) -> str:
    """``escape_markdown`` keeping the spaces around ``text`` (a piece of a line)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def _linked(url: str) -> str:
    target = safe_url(url)
    return f"[{escape_markdown(url)}]({target})" if target else escape_markdown(url)


def source_choice(config: WatchConfig, name: str) -> str:
    """A source as offered in a list to pick from: ``Label (name)``, or the name alone when it
    has no label (the name is what sources.yaml and ``watch fetch --source`` use)."""
    label = config.source_label(name)
    return name if label == name else f"{label} ({name})"


def topic_labels(config: WatchConfig) -> dict[str, str]:
    """Topic name -> label from sources.yaml, plus the special ``off-topic``."""
    return {**config.topic_labels, "off-topic": "off-topic"}


def folder_names(config: WatchConfig) -> list[str]:
    """Every folder of the sources, a nested one after its parents ("Dev", "Dev / Python"),
    read as the OPML export reads them (``folder_path``)."""
    names: set[str] = set()
    for source in config.sources:
        path = folder_path(source.folder)
        names.update(FOLDER_SEPARATOR.join(path[: depth + 1]) for depth in range(len(path)))
    return sorted(names, key=str.casefold)


def sources_in(config: WatchConfig, folders: list[str]) -> list[str]:
    """The names of the sources filed in one of ``folders`` or in a folder nested inside one."""
    wanted = [path for path in map(folder_path, folders) if path]
    return [
        source.name
        for source in config.sources
        if any(folder_path(source.folder)[: len(path)] == path for path in wanted)
    ]


def with_count(label: str, unread: int) -> str:
    """A sidebar choice with its unread articles: "Security (12)"; bare when none."""
    return f"{label} ({unread:,})" if unread else label


def folder_unread(config: WatchConfig, folder: str, unread: Mapping[str, int]) -> int:
    """Unread articles of the sources in ``folder`` and the folders nested in it."""
    return sum(unread.get(name, 0) for name in sources_in(config, [folder]))


UNSURE_BELOW = MODEL_CONFIDENT
"""A topic below the probability from which the model always assigns one (a calibrated guess
without keyword evidence to back it) is shown as a question, gray: the reader sees it is a
guess and can answer it with "not about"."""


def topic_chips(article: StoredArticle, labels: dict[str, str]) -> str:
    """Topic badges as Markdown (``:blue-badge[…]``, unsure ones ``:gray-badge[… ?]``) with
    escaped labels, most confident first."""
    chips = []
    for match in sorted(article.topics, key=lambda m: -m.confidence):
        label = escape_markdown(labels.get(match.name, match.name))
        unsure = match.confidence < UNSURE_BELOW
        chips.append(f":gray-badge[{label} ?]" if unsure else f":blue-badge[{label}]")
    return " ".join(chips) if chips else ":gray-badge[off-topic]"


def other_sources(article: StoredArticle) -> int:
    """How many other sources cover the same story (from the article's cluster)."""
    if article.cluster_sources:
        return len(set(article.cluster_sources) - {article.source})
    return max(article.cluster_size - 1, 0)


def article_caption(
    article: StoredArticle, now: datetime, source_label: str = "", timezone: str = "UTC"
) -> str:
    """``source · 3 h ago · also covered by 2 sources`` (``12 Nov 2026`` beyond a week, a day of
    ``timezone``), escaped; the source shown by its ``source_label`` when given."""
    when = published_words(article.published, now, timezone)
    parts = [escape_markdown(source_label or article.source), when]
    others = other_sources(article)
    if others:
        parts.append(f"also covered by {counted(others, 'source')}")
    if not article.date_from_feed:
        parts.append("date: first seen")
    return " · ".join(parts)


def judgement_words(
    said: str, before: float, after: float, others_moved: int = 0, effect: str = ""
) -> str:
    """What a board vote or topic correction changed, as its toast says it (the facts `watch
    feedback` prints): ``Liked: score 72 → 82 (and 2 other articles of this story)``,
    ``Not about Cloud: removed, score 75 → 60``; ``said`` and ``effect`` escaped here."""
    moved = round(before) != round(after)
    change = f"score {before:.0f} → {after:.0f}" if moved else "score unchanged"
    others = (
        f" (and {counted(others_moved, 'other article')} of this story)" if others_moved else ""
    )
    done = f"{escape_markdown(effect)}, " if effect else ""
    return f"{escape_markdown(said)}: {done}{change}{others}"


def score_lines(article: StoredArticle, labels: Mapping[str, str] | None = None) -> list[str]:
    """The score explanation as escaped Markdown list items (parts, reasons, topics), each
    topic's reasons once: from the explanation, else from the topic itself.  A topic is shown
    by its label (``topic_labels``) with its confidence in percent; the stored explanation
    names topics by label too (``watch.score``), by name when written before labels were."""
    labels = labels or {}
    topics = set(labels) | set(labels.values()) | {match.name for match in article.topics}
    lines = [_explanation_line(line, topics, labels) for line in article.explanation]
    for name, value in sorted(article.score_parts.items(), key=lambda p: -abs(p[1])):
        lines.append(f"{escape_markdown(name)}: {value:+.1f}")
    explained = {
        found["name"]
        for line in article.explanation
        if (found := _STORED_TOPIC_LINE.fullmatch(line)) is not None
    }
    for match in article.topics:
        if explained & {match.name, labels.get(match.name, match.name)}:
            continue  # the explanation already gives this topic's reasons
        reasons = ", ".join(match.reasons) if match.reasons else "no reason recorded"
        lines.append(_topic_line(labels.get(match.name, match.name), match.confidence, reasons))
    return lines or ["No explanation stored for this score."]


_STORED_TOPIC_LINE = re.compile(r"(?P<name>.+?) (?P<confidence>\d+\.\d\d): (?P<why>.*)")
"""A topic's line as ``watch.score`` stores it: ``Sécurité 1.00: matched 'cve' in title``
(its label; its name in explanations written before)."""


def _explanation_line(line: str, topics: set[str], labels: Mapping[str, str]) -> str:
    found = _STORED_TOPIC_LINE.fullmatch(line)
    if found is None or found["name"] not in topics:
        return escape_markdown(line)
    label = labels.get(found["name"], found["name"])
    return _topic_line(label, float(found["confidence"]), found["why"])


def _topic_line(label: str, confidence: float, reasons: str) -> str:
    """``Sécurité 100%: matched …``, escaped."""
    return f"{escape_markdown(label)} {round(confidence * 100)}%: {escape_markdown(reasons)}"


@dataclass(frozen=True)
class SourceHealth:
    """One row of the sources health table."""

    label: str
    """What people read for the source: its label, else its name."""
    name: str
    kind: str
    status: str
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
    needs_attention: bool = False
    """Failing, gone, broken selector, overdue or missing items: listed first."""


_CHECK_URL = "check the url in sources.yaml (open it in a browser: the feed may have moved)"


def describe_error(error: str | None, count: int) -> str:
    """A fetch error in words: what it means for the user (``watch.fetch.failures``), with the
    raw message after.  When the raw message already says it ("not a feed"), it is shown alone."""
    if not error:
        return ""
    kind = failure_kind(error)
    repeat = f" ({count} failures in a row)" if count > 1 else ""
    if kind.name in ("other", "not_a_feed", "too_large"):  # the raw message says it
        return f"{error}{repeat}"
    return f"{kind.means}: {error}{repeat}"


def error_advice(error: str | None, url: str = "URL") -> str:
    """What to do about a fetch error, in words ("" when there is no error); the board shows
    ``watch.health``'s advice instead when it has one (it knows when the retry is)."""
    if not error:
        return ""
    kind = failure_kind(error)
    advice = failure_advice(error, url) or ""
    if kind.transient:
        return "retried automatically at its next pass" + (f"; {advice}" if advice else "")
    return advice or _CHECK_URL


def source_health(
    config: WatchConfig,
    states: list[SourceState],
    stats: dict[str, dict[str, float]],
    now: datetime,
    advice: dict[str, cadence.Advice] | None = None,
    warnings: dict[str, str] | None = None,
) -> list[SourceHealth]:
    """Display rows for every configured source (rules: watch.health): those that need
    attention first, then the others, each group by label; ``warnings`` are the pages' last
    warnings (``watch.health.page_warnings``)."""
    sources = {source.name: source for source in config.sources}
    articles = {name: int(figures.get("articles", 0)) for name, figures in stats.items()}
    rows = []
    for row in health.source_health(config, states, articles, now, warnings=warnings):
        figures = stats.get(row.name, {})
        per_week = cadence.weekly_rate(figures, now)
        found = (advice or {}).get(row.name) or cadence.advise(sources[row.name], per_week)
        missing_items = _consulted(row) and found.missing_items
        rows.append(
            SourceHealth(
                label=config.source_label(row.name),
                name=row.name,
                kind=row.kind,
                status=_status_words(row),
                last_success=humanize_age(row.last_success, now),
                last_error=describe_error(row.last_error, row.error_count),
                next_due=_next_due_words(row, now),
                per_week=round(per_week, 1),
                on_topic=f"{float(figures.get('on_topic', 0.0)):.0%}" if figures else "–",
                every=row.every,
                suggestion=_suggestion_words(row, found),
                broken=row.broken_selector,
                missing_items=missing_items,
                what_to_do=row.advice or error_advice(row.last_error, row.url),
                warning=row.warning or "",
                needs_attention=missing_items or _in_trouble(row) or bool(row.warning),
            )
        )
    return sorted(rows, key=lambda r: (not r.needs_attention, r.label.casefold(), r.name))


def _in_trouble(row: health.SourceHealth) -> bool:
    """Failing, gone, a page whose selectors match nothing, or not consulted in time."""
    return row.status in ("error", "gone") or row.broken_selector or row.overdue


def _consulted(row: health.SourceHealth) -> bool:
    """Fetched at least once and still consulted (not disabled, not gone): only such a source
    gets frequency advice, as in `watch status`."""
    return row.last_success is not None and row.status not in ("gone", "disabled")


def _suggestion_words(row: health.SourceHealth, found: cadence.Advice) -> str:
    if row.status in ("gone", "disabled"):
        return "–"
    if row.last_success:
        return found.words
    return "–" if row.status == "error" else "not fetched yet"  # a failing one: see its error


def _next_due_words(row: health.SourceHealth, now: datetime) -> str:
    """When the source is consulted next; "–" for a gone or disabled one (never, until revived)."""
    if row.status in ("gone", "disabled"):
        return "–"
    return humanize_age(row.next_due, now) if row.next_due else "at next pass"


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


def _status_words(row: health.SourceHealth) -> str:
    if row.status == "disabled":
        return "disabled"
    if row.broken_selector:
        return "broken selector"
    if row.status == "ok" and row.overdue:
        return "overdue"
    return {"new": "never fetched", "error": "failing"}.get(row.status, row.status)
