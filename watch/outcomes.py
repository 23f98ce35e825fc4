"""What a pass gives and what each attempt at a source leaves in the store.

``SourceOutcome`` is one source's result, as the CLI and the scheduler print it (``texts_words``
says what its article pages gave); ``PassReport`` is a whole pass's.  ``attempt_record`` turns
one attempt into the source's next state (status, error count, HTTP validators, next due time)
and its fetch-log entry, which the pipeline writes for a whole batch at once
(``Store.record_attempts``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from watch.config import SourceConfig
from watch.models import FetchLogEntry, FetchResult, SourceState
from watch.schedule import next_due_after_attempt
from watch.wording import counted


@dataclass
class SourceOutcome:
    """What one source gave in a pass, as the CLI prints it."""

    name: str
    outcome: str
    """new, unchanged, not_modified, error, gone or skipped."""
    new: int = 0
    updated: int = 0
    seen: int = 0
    error: str | None = None
    duration: float = 0.0  # seconds spent on it: fetching, reading, storing
    waited: float = 0.0  # seconds queued for a slot first (fetch.per_host, fetch.concurrency)
    warning: str | None = None
    """What a page's selectors lost while it still gave items (kept in the fetch log)."""
    texts: int = 0
    """Article texts read from their pages after the feed (``full_text:``, ``watch.full_text``)."""
    texts_warning: str | None = None
    """Why some article pages gave no text: "article pages: 2 of 5 not read: HTTP 404 …"."""
    texts_seconds: float = 0.0
    """Seconds its article pages took, after ``duration`` (``watch.full_text.TextTally``)."""


def texts_words(outcome: SourceOutcome) -> str:
    """What its article pages gave, to end a source's line ("" when none was read):
    "; 3 article texts read; warning: article pages: 1 of 4 not read: HTTP 404 Not Found"."""
    if not outcome.texts and not outcome.texts_warning:
        return ""
    read = f"; {counted(outcome.texts, 'article text')} read"
    return read + (f"; warning: {outcome.texts_warning}" if outcome.texts_warning else "")


@dataclass
class PassReport:
    outcomes: list[SourceOutcome] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def new_articles(self) -> int:
        return sum(o.new for o in self.outcomes)

    @property
    def failed(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.outcome in ("error", "gone")]


def attempt_record(
    source: SourceConfig,
    state: SourceState,
    started: datetime,
    outcome: SourceOutcome,
    result: FetchResult | None,
) -> tuple[SourceState, FetchLogEntry]:
    """The source's ``state`` after the attempt started at ``started`` (updated in place) and
    the attempt's fetch-log entry.  ``result`` is the fetch's, None when none was made."""
    failed = outcome.outcome in ("error", "gone")
    state.last_attempt = started
    if result is not None and result.status == "ok" and not failed:
        state.etag, state.last_modified = result.etag, result.last_modified
    if failed:
        state.error_count += 1
        state.last_error = outcome.error
        state.status = "gone" if outcome.outcome == "gone" else "error"
    else:
        state.status, state.error_count, state.last_error = "ok", 0, None
        state.last_success = started
        state.items_seen += outcome.seen
        state.last_new = outcome.new
    retry_after = result.retry_after if result is not None else None
    state.next_due = next_due_after_attempt(source, started, failed, state.error_count, retry_after)
    entry = FetchLogEntry(
        source=source.name,
        at=started,
        outcome=outcome.outcome,  # type: ignore[arg-type]
        http_status=result.http_status if result is not None else None,
        new_items=outcome.new,
        seen_items=outcome.seen,
        duration=outcome.duration,
        error=outcome.error or outcome.warning,
    )
    return state, entry
