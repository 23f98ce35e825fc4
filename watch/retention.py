"""Retention: the store keeps articles as long as sources.yaml's ``store.keep`` says, no longer.

A watch runs for years: 2,000 articles a week is 100,000 a year, with their summaries, topics
and search index.  ``store: {keep: 12 months}`` bounds that; without it everything is kept.

What goes: articles *published* more than ``keep`` ago.  An undated item's published date is
when it was first seen, so it ages from then.  What stays whatever its age:

- starred articles and those with a note: the team's picks;
- articles with feedback (votes, topic corrections): the classifier trains on their text
  (``classify.training_examples`` reads each judged article);
- per source, its newest published, newest seen and first collected articles: the cadence
  advice reads a silent source's last article, the digest's "first collection" rule
  (``ArticleQuery.undated_backlog``) dates a source's first fetch by its earliest first-seen
  time, and SQLite gives the highest id to the next article when it is deleted;
- articles first seen less than FIRST_SEEN_GRACE ago: a source added today shows its backlog
  for two weeks, and the cluster index (the last 14 days of first-seen articles, rebuilt daily)
  holds no deleted article for long.

Not coming back: a feed keeps listing old items (50 is common, a page source may list years),
and a deleted article would be "new" again at the next fetch.  The store does not record when
each item was last listed (a write per listed item per fetch), so "delete only what the feed no
longer lists" cannot be decided; instead each deleted article leaves a tombstone, its (source,
guid): about 100 bytes against kilobytes of article, summary and index.  An upsert skips an
article with a tombstone and marks the tombstone seen (at most daily); a tombstone no fetch
listed for TOMBSTONE_UNSEEN is forgotten.  Guids only: a podcast feed links every episode to one
page, so a link cannot stand for an item (an item re-published under a new guid is new).

Stories: cluster sizes and "also covered by" are counted from the articles left.  The scores of
the stories that lost articles (coverage counts in them, explanations name it) are recomputed:
at once by ``watch prune``, within the hour by ``watch run``'s model job.

When: ``watch run`` prunes once a day (``prune_if_due``), ``watch prune [--dry-run]`` on demand.
Each batch of deletions is a short transaction (see ``watch.store.sql_retention``).

Disk: deleted rows free pages inside the SQLite file that new articles reuse, so under a
retention the file stops growing; it shrinks only by VACUUM, which rewrites the whole file and
makes every writer wait meanwhile.  So the daily job never runs it, and ``watch prune --vacuum``
does on demand (worth it once, after the first prune of a database years old).  PostgreSQL's
autovacuum makes freed space reusable by itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from watch.config import Settings, WatchConfig
from watch.config.durations import parse_retention
from watch.config.schema import StoreConfig
from watch.store.base import KEPT_REASONS, ArticleQuery, PruneResult, StorageSize, Store
from watch.wording import counted

log = logging.getLogger(__name__)
FIRST_SEEN_GRACE = timedelta(days=14)
TOMBSTONE_UNSEEN = timedelta(days=365)
PRUNE_EVERY = timedelta(days=1)
PRUNED_AT = "retention_pruned_at"
"""Store meta key: when ``watch run`` last pruned (ISO time)."""
KEPT_WORDS = {
    "starred": "starred or with a note",
    "feedback": "with votes or topic corrections",
    "source": "the first or newest of their source",
    "recent": "first seen less than 2 weeks ago",
}


@dataclass
class PruneReport:
    """What a prune did (or would do, ``dry_run``)."""

    keep: str | None
    """As written in sources.yaml or ``--keep`` (None: not set)."""
    cutoff: datetime | None
    """Articles published before it go (None: every article is kept)."""
    dry_run: bool
    stored: int
    """Articles stored before."""
    result: PruneResult
    forgotten: int
    before: StorageSize
    after: StorageSize
    compacted: bool = False
    rescored: bool = False
    """Every score recomputed (stories lost articles; else the next model refresh does it)."""


def prune(
    store: Store,
    keep: str | None,
    now: datetime,
    *,
    dry_run: bool = False,
    vacuum: bool = False,
    rescore: Callable[[], object] | None = None,
) -> PruneReport:
    """Delete what ``keep`` ("12 months", "forever"…) no longer keeps; ``rescore`` recomputes
    every score (called when stories lost articles); ``vacuum`` shrinks the SQLite file."""
    period = parse_retention(keep) if keep is not None else None
    cutoff = now - period if period is not None else None
    before = store.storage_size()
    stored = store.count_articles(ArticleQuery())
    result = PruneResult()
    if cutoff is not None:
        result = store.prune_articles(cutoff, now - FIRST_SEEN_GRACE, dry_run=dry_run)
    forgotten, rescored = 0, False
    if not dry_run:
        forgotten = store.forget_pruned(now - TOMBSTONE_UNSEEN)
        if result.stories and rescore is not None:
            rescore()
            rescored = True
        store.set_meta(PRUNED_AT, now.isoformat())
    compacted = vacuum and not dry_run and store.compact()
    after = store.storage_size() if not dry_run else before
    return PruneReport(
        keep, cutoff, dry_run, stored, result, forgotten, before, after, compacted, rescored
    )


def prune_now(
    store: Store,
    config: WatchConfig,
    settings: Settings,
    keep: str | None = None,
    dry_run: bool = False,
    vacuum: bool = False,
) -> PruneReport:
    """``watch prune``: ``keep`` or else sources.yaml's ``store.keep``; the scores of stories
    that lost articles are recomputed at once."""
    from watch.ranking import Ranker
    from watch.schedule import utcnow

    ranker = Ranker(store, config, settings, None, utcnow)
    return prune(
        store,
        keep or config.store.keep,
        utcnow(),
        dry_run=dry_run,
        vacuum=vacuum,
        rescore=lambda: ranker.rescore_all(reclassify=False),
    )


def prune_if_due(store: Store, config: StoreConfig, now: datetime) -> PruneReport | None:
    """``watch run``'s daily prune: when ``store.keep`` is set and the last one is a day old.
    A failure (the database unreachable) is logged and tried again at the next run of the job."""
    if config.keep is None or config.keep_for is None:
        return None
    try:
        last = store.get_meta(PRUNED_AT)
        if last and now - datetime.fromisoformat(last) < PRUNE_EVERY:
            return None
        report = prune(store, config.keep, now)
    except Exception:
        log.exception("retention: the daily prune failed; tried again within the hour")
        return None
    if report.result.deleted or report.forgotten:
        log.info("retention: %s", "; ".join(describe(report)))
    return report


def describe(report: PruneReport) -> list[str]:
    """What a prune did, in lines for the terminal (and one log line joined)."""
    result = report.result
    if report.keep is None:
        return [
            "store.keep is not set in sources.yaml: every article is kept (set it, e.g. "
            "store: {keep: 12 months}, or try: watch prune --keep '12 months' --dry-run)"
        ]
    if report.cutoff is None:
        return [f"keeping {report.keep}: every article is kept"]
    lines = [
        f"keeping {report.keep}: articles published before "
        f"{report.cutoff:%Y-%m-%d} go, except those kept"
    ]
    verb = "would delete" if report.dry_run else "deleted"
    lines.append(f"{verb} {counted(result.deleted, 'article')} of {report.stored:,}")
    kept = [f"{result.kept[r]:,} {KEPT_WORDS[r]}" for r in KEPT_REASONS if result.kept.get(r)]
    if kept:
        lines.append(f"kept although older than {report.keep}: {', '.join(kept)}")
    if result.stories and not report.dry_run:
        when = "recomputed" if report.rescored else "recomputed at the next model refresh"
        lines.append(f"{counted(result.stories, 'story')} lost articles: scores {when}")
    if report.forgotten:
        lines.append(
            f"forgot {counted(report.forgotten, 'deleted guid')} no feed listed for a year"
        )
    lines.append(_size_line(report))
    return lines


def _size_line(report: PruneReport) -> str:
    before, after = report.before, report.after
    if report.dry_run:
        return f"database: {_megabytes(before.total)}"
    line = f"database: {_megabytes(before.total)} before, {_megabytes(after.total)} after"
    if report.compacted:
        return line + " (compacted with VACUUM)"
    if after.free:
        line += (
            f", {_megabytes(after.free)} of it free: new articles reuse it before the file "
            "grows ('watch prune --vacuum' gives it back to the disk; writers wait meanwhile)"
        )
    return line


def _megabytes(size: int) -> str:
    if size < 1_000_000:
        return f"{size / 1000:,.0f} kB"
    return f"{size / 1_000_000:,.1f} MB"
