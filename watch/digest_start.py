"""When the watch began collecting, and the weeks that ended before: they have no digest.

The first ``watch run`` on a new database (a Wednesday, before any fetch) used to send the digest
of the week before at once: "0 articles collected, sources never consulted", to a client.  A week
that ended before the watch's first collection is not sent by the scheduler: its records say
"skipped" with ``skip_reason`` ("nothing collected that week: the watch started on …"), so
``watch status`` and the board's Digest page say why nothing was sent.

Such a week may have articles: a digest covers the articles PUBLISHED in its week, and the
first fetch brings items the feeds dated days before.  It is skipped all the same (a new
watch's backfill is not news: the client would get, on the first Monday, a digest of a week
before the watch existed), in honest words: "the watch started after that week, on …: its 2
articles, published then and collected since, are on the board".  A send made by hand of such
a week (``watch digest --send --allow-empty``) is kept: a failed one is retried as any other.
``send_when_due`` is the scheduler's way for the mail and each edition: such a week recorded
skipped first, then sent when its record says it is due.

The first collection (``first_collection``) is the earliest of two records of the store: the
first-seen time of its oldest article (retention keeps each source's first collected article)
and the oldest attempt of the fetch log (a watch whose sources all fail has no article, but it
runs: its weeks are sent, so the team learns that its sources fail).  The fetch log keeps only
the newest attempts of each source, so the scheduler remembers the moment in the store's meta
(``FIRST_COLLECTION``) as soon as it sees one; a store upgraded from an older version finds it
from its articles at the first check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from watch.chat import chat_record_key, edition_record_key
from watch.config.schema import ChatConfig, DigestConfig
from watch.digest_weeks import is_due, local_time
from watch.store.base import ArticleQuery, DigestRecord, Store
from watch.trends import week_bounds
from watch.wording import counted

log = logging.getLogger(__name__)

FIRST_COLLECTION = "digest:first_collection"
"""The meta key where the moment of the first collection is remembered (ISO 8601, UTC)."""


def first_collection(store: Store, *, remember: bool = False) -> datetime | None:
    """When the watch first collected (an article seen or a source attempted), None before;
    with ``remember`` (the scheduler), the moment found is kept for good in the store's meta."""
    remembered = store.get_meta(FIRST_COLLECTION)
    if remembered:
        return _aware(datetime.fromisoformat(remembered))
    found = _earliest_record(store)
    if found is not None and remember:
        store.set_meta(FIRST_COLLECTION, found.isoformat())
    return found


def _earliest_record(store: Store) -> datetime | None:
    """The first-seen time of the oldest article and the oldest attempt logged, the earlier."""
    moments = [article.fetched_at for article in store.query_articles(_OLDEST_ARTICLE)]
    moments += [entry.at for entry in store.fetch_log(limit=None)]
    return min((_aware(moment) for moment in moments), default=None)


_OLDEST_ARTICLE = ArticleQuery(order="id", limit=1)  # ids only grow: the first one stored


def before_start(week: str, timezone: str, started: datetime | None, now: datetime) -> bool:
    """Whether ``week`` ended before the watch's first collection (``started``; None: nothing
    collected yet, so every week ended by ``now`` is before it)."""
    end = week_bounds(week, timezone)[1]
    return end <= (started or now)


def articles_of_week(store: Store, week: str, timezone: str) -> int:
    """How many articles ``week``'s digest counts: published in it (the digest's own query)."""
    since, until = week_bounds(week, timezone)
    return store.count_articles(ArticleQuery(since=since, until=until, undated_backlog=False))


def skip_reason(started: datetime | None, timezone: str, articles: int = 0) -> str:
    """Why a week before the first collection has no digest, in ``watch status``'s words:
    "nothing collected that week: the watch started on Wed 25 Nov 03:03 (Europe/Paris)", or,
    for a week with ``articles`` (published then, collected since), that they are on the board."""
    if started is None:
        return "nothing collected that week: the watch has collected nothing yet"
    when = local_time(started, timezone)
    if not articles:
        return f"nothing collected that week: the watch started on {when}"
    verb = "is" if articles == 1 else "are"
    return (
        f"the watch started after that week, on {when}: its {counted(articles, 'article')}, "
        f"published then and collected since, {verb} on the board"
    )


def skip_week(
    store: Store,
    week: str,
    digest: DigestConfig,
    started: datetime | None,
    now: datetime,
    chat: ChatConfig | None = None,
    *,
    edition: str | None = None,
) -> DigestRecord:
    """Record ``week``, before the first collection, "skipped" for the mail, ``chat`` or
    ``edition`` (``digest`` being that edition's), saying why; never retried.  A record already
    there (a send made by hand, retried when it failed) is kept and returned."""
    key = _record_key(week, chat, edition)
    previous = store.get_digest(key)
    if previous is not None:
        return previous
    articles = articles_of_week(store, week, digest.timezone)
    reason = skip_reason(started or now, digest.timezone, articles)  # it starts now at the latest
    to = [f"{chat.kind}:{chat.name}"] if chat else list(digest.recipients)
    record = DigestRecord(key, "skipped", last_attempt=now, error=reason, recipients=to)
    store.save_digest(record)
    log.info("digest %s not sent: %s", key, reason)
    return record


def send_when_due(
    store: Store,
    week: str,
    digest: DigestConfig,
    started: datetime | None,
    now: datetime,
    send: Callable[[], DigestRecord],
    *,
    edition: str | None = None,
) -> DigestRecord | None:
    """The scheduler's mail of ``week`` (``edition``'s, ``digest`` being that edition's): a week
    before the first collection is recorded "skipped" (``skip_week``), then ``send`` is called
    when the record says it is due (``is_due``: none yet, or a failed one whose retry time has
    come).  Returns the record ``send`` returned, else the skipped one (or the one kept), else
    None (nothing due)."""
    skipped = None
    if before_start(week, digest.timezone, started, now):
        skipped = skip_week(store, week, digest, started, now, edition=edition)
    record = skipped if skipped is not None else store.get_digest(_record_key(week, None, edition))
    return send() if is_due(record, now) else skipped


def _record_key(week: str, chat: ChatConfig | None, edition: str | None) -> str:
    """The record key of ``week``'s mail, ``chat``'s post or ``edition``'s mail."""
    if chat:
        return chat_record_key(week, chat.name)
    return edition_record_key(week, edition) if edition else week


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
