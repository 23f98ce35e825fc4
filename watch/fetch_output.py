"""What ``watch fetch`` prints of a pass: a progress bar on standard error while it runs (on a
terminal only), then one line per source (ending with its time: the feed's, then its article
pages'), the failures last with what to do about each, and the totals.  Imported by ``watch.commands.cmd_fetch`` when it runs (``watch check`` stays quick).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from watch.health import fit_name, name_width, outcome_detail, outcome_warning
from watch.outcomes import texts_words
from watch.pipeline import PassReport, SourceOutcome
from watch.wording import counted


def progress_bar(total: int) -> Callable[[SourceOutcome], None] | None:
    """A progress bar on standard error when it is a terminal."""
    if not sys.stderr.isatty():
        return None
    done = 0

    def progress(outcome: SourceOutcome) -> None:
        nonlocal done
        done += 1
        bar = "#" * int(30 * done / max(total, 1))
        line = f"\r[{bar:<30}] {done}/{total} {outcome.name[:30]:<30}"
        print(line, end="", file=sys.stderr, flush=True)

    return progress


def print_pass(report: PassReport, gone: list[str], urls: dict[str, str]) -> None:
    """One line per source, the failures last (each says what to do) so that they are next to
    the totals even after 400 lines, then the totals."""
    width = name_width([o.name for o in report.outcomes] + gone)
    for o in sorted(report.outcomes, key=lambda o: (o.error is not None, o.name)):
        detail = f"{o.new} new, {o.updated} updated, {o.seen} in feed"
        if o.outcome == "not_modified":  # nothing was read: no count to give
            detail = "not modified since the last fetch (HTTP 304)"
        detail = outcome_detail(o, urls.get(o.name, "URL")) if o.error else detail
        warning = outcome_warning(o)
        detail += (f"; warning: {warning}" if warning else "") + texts_words(o)
        shown = "unchanged" if o.outcome == "not_modified" else o.outcome
        took = f"{o.duration:.1f}s" + (f", {o.waited:.0f}s queued" if o.waited >= 1 else "")
        if o.texts or o.texts_warning:  # its article pages were read after the feed
            took += f", article pages {o.texts_seconds:.1f}s"
        print(f"{shown:<13} {fit_name(o.name, width)} {detail}  ({took})")
    for name in gone:
        print(
            f"{'skipped':<13} {fit_name(name, width)} gone (HTTP 410), not fetched any more: fix"
            f" its url: in sources.yaml, or try it again with 'watch fetch --source {name}'"
        )
    skipped = f"; {len(gone)} gone, skipped" if gone else ""
    print(
        f"{counted(len(report.outcomes), 'source')}: {report.count('new')} with new articles, "
        f"{report.count('unchanged') + report.count('not_modified')} unchanged "
        f"({report.count('not_modified')} not modified), {len(report.failed)} failed; "
        f"{counted(report.new_articles, 'new article')}{skipped}"
    )
