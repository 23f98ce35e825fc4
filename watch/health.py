"""Source health: one row per configured source, from its stored state, for status/board/digest.

Pure: the config, the stored states, per-source article statistics, the frequency advice
(``watch.cadence``) and ``now`` are passed in. A gone (HTTP 410) or disabled source has no next
due time: it is not consulted until the user acts, and its problem line says how to bring it
back. A source consulted so rarely that items are missed has that as its problem.
``attempt_line`` says, after an attempt, what it gave and what the scheduler does next (the
``watch run`` log; its words of what comes next: ``watch.next_step``).
A page whose selectors read no item is an error (its words name the selector); one whose
selectors lost some items shows that warning, read from its fetch log (``page_warnings``), and
so does a feed that answers but lists no item.

What to do (``advice``): a failing source gets the advice of its kind of failure
(``failure_kind``), naming its site when known (the feed's home page, else the source's
``site:``), a source that answers the frequency advice; in English here, while ``what_to_do``
gives a failure's as a value the board says in its language (``watch.advice_words``).  Only
the error's words are stored (``SourceState.last_error``; the HTTP status is in the fetch log,
which the board and the digest do not pass here), so ``watch.fetch.failures.failure_kind``
reads it from their words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from watch.advice_words import Said, english
from watch.cadence import Advice
from watch.config import SourceConfig, WatchConfig
from watch.fetch.failures import failure_advice, failure_kind, failure_steps
from watch.models import FetchLogEntry, SourceState
from watch.next_step import next_step, retry_when, wait_words
from watch.schedule import is_overdue
from watch.text_health import PageHealth, TextCounts, add_page_health, pages_table
from watch.wording import describe_age

if TYPE_CHECKING:
    from watch.pipeline import SourceOutcome

SourceNotes = tuple[Mapping[str, Advice], Mapping[str, str]]
"""The frequency advice (``watch.cadence``) and the pages' last warnings (``page_warnings``)."""

WARNING_LOOKBACK = 20
"""Fetch log entries read back for a source's last warning (past "not modified" answers)."""
EMPTY_FEED = "the feed lists no items"
NAME_WIDTH = (6, 40)
"""The name column of the status and fetch tables: as wide as the longest name, within these."""


@dataclass
class SourceHealth:
    """How one source is doing, in words a user understands."""

    name: str
    url: str
    kind: str
    every: str
    status: str
    """ok, error, gone, disabled or new (never fetched)."""
    last_error: str | None
    error_count: int
    last_attempt: datetime | None
    last_success: datetime | None
    next_due: datetime | None
    """None for a gone or disabled source (never due until the user acts)."""
    articles: int
    overdue: bool
    """Not consulted successfully within twice its configured period."""
    broken_selector: bool
    problem: str | None
    """One line for a source that needs attention, None when healthy."""
    advice: str | None = None
    """What to do, in English: for a failing source, about its failure (``what_to_do``);
    otherwise the frequency advice when it suggests another ``every`` (``watch.cadence``)."""
    suggested_every: str | None = None
    """The ``every`` the frequency advice suggests (None for any other advice)."""
    title: str | None = None
    """The feed's own title, as it names itself (once read)."""
    home_url: str | None = None
    """The site the feed belongs to, as the feed gives it (once read)."""
    warning: str | None = None
    """What a page's selectors lost on its last read, or a feed listing no item."""
    folder: str | None = None
    """The source's ``folder:`` in sources.yaml, as written (None: in no folder)."""
    site: str | None = None
    """The source's ``site:`` in sources.yaml (the ``htmlUrl`` of the OPML it came from)."""
    full_text: PageHealth | None = None
    """A ``full_text:`` source's article pages, when asked (``watch.text_health``)."""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("last_attempt", "last_success", "next_due"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        return data


def source_health(
    config: WatchConfig,
    states: Sequence[SourceState],
    articles_per_source: Mapping[str, int],
    now: datetime,
    advice: Mapping[str, Advice] | None = None,
    warnings: Mapping[str, str] | None = None,
    texts: dict[str, TextCounts] | None = None,
) -> list[SourceHealth]:
    """Health rows for every configured source, problems first then by name; ``warnings``
    are the pages' last warnings (``page_warnings``), ``texts`` the counts of the article pages
    of ``full_text:`` sources (``watch.text_health.page_counts``)."""
    by_name = {s.name: s for s in states}
    rows = [
        _row(source, by_name.get(source.name), articles_per_source.get(source.name, 0), now)
        for source in config.sources
    ]
    for source, row in zip(config.sources, rows, strict=True):
        _add_warning(row, (warnings or {}).get(row.name))
        _add_advice(row, (advice or {}).get(row.name))
        add_page_health(row, source, texts)
    return sorted(rows, key=lambda r: (severity(r), r.name))


def severity(row: SourceHealth) -> int:
    """How urgent a row's problem is, lowest first: 0 failing or gone, 1 broken selector,
    overdue or never consulted, 2 items being missed, 3 a warning (a feed listing nothing, a
    page's selector losing fields, most article pages failing), 4 no problem.  Tables, the board and the digest list the
    worst first, so that 4 errors among 400 sources are not lost under 30 warnings."""
    if row.problem is None:
        return 4
    if row.status in ("error", "gone"):
        return 0
    if row.problem.startswith("warning: "):
        return 3
    return 2 if row.suggested_every is not None else 1


def page_warnings(
    config: WatchConfig, fetch_log: Callable[[str, int], Sequence[FetchLogEntry]]
) -> dict[str, str]:
    """The last warning of each enabled source, from ``fetch_log(name, limit)`` (newest first):
    what a page's selectors lost, or a feed that lists no item."""
    found = {}
    for source in config.sources:
        if source.enabled:
            warning = _last_warning(fetch_log(source.name, WARNING_LOOKBACK))
            if warning:
                found[source.name] = warning
    return found


def _last_warning(log: Sequence[FetchLogEntry]) -> str | None:
    """The warning of the last read (a "not modified" answer leaves the source as it was)."""
    for entry in log:
        if entry.outcome in ("new", "unchanged"):
            return entry.error or (EMPTY_FEED if entry.seen_items == 0 else None)
        if entry.outcome != "not_modified":
            return None
    return None


def _add_warning(row: SourceHealth, warning: str | None) -> None:
    if warning is None or row.status != "ok":
        return
    row.warning = warning
    if row.problem is None:
        row.problem = f"warning: {warning}"


def _add_advice(row: SourceHealth, advice: Advice | None) -> None:
    """The frequency advice, for a source that answers (a failing one has its error's)."""
    if advice is None or advice.every is None or row.status in ("disabled", "gone", "error"):
        return
    row.advice, row.suggested_every = advice.words, advice.every
    if advice.missing_items and row.problem is None:
        row.problem = advice.words


def _row(
    source: SourceConfig, state: SourceState | None, articles: int, now: datetime
) -> SourceHealth:
    status = "disabled" if not source.enabled else (state.status if state else "new")
    overdue = is_overdue(source, state, now)
    broken = bool(state and state.empty_selector and source.kind == "page")
    return SourceHealth(
        name=source.name,
        url=source.url,
        kind=source.kind,
        every=source.every,
        status=status,
        last_error=state.last_error if state else None,
        error_count=state.error_count if state else 0,
        last_attempt=state.last_attempt if state else None,
        last_success=state.last_success if state else None,
        next_due=state.next_due if state and status not in ("gone", "disabled") else None,
        articles=articles,
        overdue=overdue,
        broken_selector=broken,
        problem=_problem(source, state, status, overdue, broken, now),
        advice=english(what_to_do(source, state, now)) if state else None,
        title=state.title if state else None,
        home_url=state.home_url if state else None,
        folder=source.folder,
        site=source.site,
    )


def what_to_do(source: SourceConfig, state: SourceState, now: datetime) -> Said | None:
    """What to do about a gone or failing source that is enabled, and when a transient
    failure is retried, to be put into words (``watch.advice_words``)."""
    if not source.enabled or state.status not in ("gone", "error"):
        return None
    if state.status == "gone":
        return Said("revive", {"name": source.name})
    selector = state.empty_selector and source.kind == "page"
    advice = failure_steps(state.last_error, source.url, selector, state.home_url or source.site)
    transient = failure_kind(state.last_error, selector).transient
    return with_retry(advice, retry_when(source, state, now)) if transient else advice


def with_retry(steps: Said | None, retry: Said) -> Said:
    """A transient failure's advice: when it is retried (``retry``), then its ``steps`` if any."""
    if steps is None:
        return Said("retried", {"retry": retry})
    return Said("retried_then", {"retry": retry, "advice": steps})


def _problem(
    source: SourceConfig,
    state: SourceState | None,
    status: str,
    overdue: bool,
    broken: bool,
    now: datetime,
) -> str | None:
    if status == "disabled":
        return None
    if state is None or (state.last_attempt is None and state.last_success is None):
        return "never consulted"
    if status == "gone":
        revive = english(Said("revive", {"name": source.name}))
        return f"gone: the server says it no longer exists (HTTP 410); no longer fetched. {revive}"
    if status == "error":
        attempts = "attempt" if state.error_count == 1 else "attempts"
        return f"error: {state.last_error} ({state.error_count} failed {attempts} in a row)"
    if broken:
        return "selector matched nothing"
    if overdue:
        if state.last_success is None:
            return "never consulted successfully"
        return (
            f"not consulted since {describe_age(now - state.last_success)} (every {source.every})"
        )
    return None


def describe_outcome(outcome: SourceOutcome, url: str = "", site: str | None = None) -> str:
    """What a consulted source gave, or why it failed and what to do, on one line (a warning
    after); ``url`` and ``site``: the source's, named in the advice."""
    if outcome.error:
        return f"{outcome.name}: {outcome.outcome}: {outcome_detail(outcome, url, site)}"
    if outcome.outcome == "not_modified":
        return f"{outcome.name}: not modified"
    gave = f"{outcome.name}: {outcome.new} new, {outcome.updated} updated of {outcome.seen}"
    warning = outcome_warning(outcome)
    return gave + (f"; warning: {' '.join(warning.split())}" if warning else "")


def attempt_line(
    outcome: SourceOutcome, source: SourceConfig | None, state: SourceState | None, now: datetime
) -> str:
    """The ``watch run`` log line of an attempt: what it gave (or why it failed and what to
    do), then from the state just stored what comes next (``next_step``)."""
    if source is None or state is None:
        return describe_outcome(outcome)
    site = state.home_url or source.site
    return f"{describe_outcome(outcome, source.url, site)}; {next_step(source, state, now)}"


def outcome_detail(outcome: SourceOutcome, url: str, site: str | None = None) -> str:
    """A failed attempt's error on one line, with what to do about it when there is something
    (a transient failure is retried on its own; a gone source is skipped from now on)."""
    error = " ".join((outcome.error or "").split())
    if outcome.outcome == "gone" or failure_kind(error).transient:
        return error
    return with_advice(error, failure_advice(error, url, site=site), " — ")


def outcome_warning(outcome: SourceOutcome) -> str | None:
    """What a source that answered lost: a page's selectors' warning, or a feed with no item."""
    if outcome.warning:
        return outcome.warning
    listed = outcome.outcome in ("new", "unchanged") and outcome.seen == 0
    return EMPTY_FEED if listed else None


def name_width(names: Iterable[str]) -> int:
    """The width of a table's name column: the longest name, within NAME_WIDTH."""
    low, high = NAME_WIDTH
    return min(max([low, *(len(name) for name in names)]), high)


def fit_name(name: str, width: int) -> str:
    """``name`` padded to ``width``, or cut with an ellipsis when longer."""
    return f"{name[: width - 1]}…" if len(name) > width else f"{name:<{width}}"


def status_table(rows: Sequence[SourceHealth], now: datetime) -> list[str]:
    """The lines of ``watch status``: one per source, under a header; a failing source's
    problem line says what to do."""
    width = name_width(r.name for r in rows)
    lines = [
        f"{fit_name('source', width)} {'status':<9} {'errors':>6} {'last success':>13} "
        f"{'next due':>10} {'articles':>8}  problem"
    ]
    for r in rows:
        success = describe_age(now - r.last_success) + " ago" if r.last_success else "never"
        lines.append(
            f"{fit_name(r.name, width)} {r.status:<9} {r.error_count:>6} {success:>13} "
            f"{_due(r, now):>10} {r.articles:>8}  {_problem_line(r)}".rstrip()
        )
    advised = [r for r in rows if r.suggested_every and r.advice != r.problem]
    if advised:
        lines.append("frequency advice (every: in sources.yaml):")
        lines += [f"  {r.name}: {r.advice}" for r in advised]
    return lines + pages_table(rows)


def _problem_line(row: SourceHealth) -> str:
    """The problem, then what to do about a failure (when the problem does not say it)."""
    problem = row.problem or ""
    return problem if row.suggested_every else with_advice(problem, row.advice, "; ")


def with_advice(text: str, advice: str | None, separator: str) -> str:
    """``text`` then ``advice``, unless the text says it already (a TLS error from an unknown
    authority names fetch.ca_bundle; a gone source's problem says how to revive it)."""
    if not advice or advice in text or ("fetch.ca_bundle" in text and "fetch.ca_bundle" in advice):
        return text
    return f"{text}{separator}{advice}"


def _due(row: SourceHealth, now: datetime) -> str:
    if row.status in ("gone", "disabled"):
        return "-"
    return wait_words(row.next_due, now) if row.next_due else "now"
