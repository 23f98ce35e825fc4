"""The weekly digest job: which week, whether it is due, gather it from the store, send it once.

This module owns the digest's bookkeeping over the ``Store`` interface (the only digest module
that touches the store, with ``watch.digest_start``, which finds when the watch began): a week's digest is sent ONCE, recorded as a ``DigestRecord`` keyed by
ISO week, so restarts and scheduler misfires never resend it; a failed send is retried with
exponential backoff (attempts, error and next retry are recorded and shown on the board);
``force`` resends a week that was already sent.

A week is sent once it has ended, never before by default: stars given up to Sunday open it.
``force`` sends a week that has not ended as an EXTRA, recorded apart ("2026-W48 extra",
"2026-W48 extra chat:team") and never retried, so the week's own send on schedule still happens.

Which week (``watch.digest_weeks``): the digest sent at ``digest.schedule`` (e.g. "mon 08:00"
in ``digest.timezone``) covers the PREVIOUS complete ISO week, "2026-W47" being Monday 00:00
to the next Monday 00:00 in ``digest.timezone`` (the readers' week: an article of Monday 00:30
in Paris opens a week, it does not close the previous one).  If the service was down at the
scheduled time, the first call after it sends the digest late, as long as the same local week
has not ended.

Delivery is at least once: a "pending" record is saved before the SMTP exchange with a retry
time ``SEND_GRACE`` later, so a crash in the middle resends after that grace period and a second
scheduler instance does not send the same week meanwhile.

Chats (``digest.chats``: Slack, Mattermost webhooks; the message and the POST are
``watch.chat``'s) are kept the same way, each on its own: a chat's post of a week is a
``DigestRecord`` of its own, keyed ``"2026-W47 chat:team"`` (``watch.chat.chat_record_key``, why
that key is in that module's docstring), posted once, retried with the same backoff (never
sooner than a 429's Retry-After).  A chat whose server says the webhook is wrong, revoked or
gone (HTTP 400, 401, 403, 404, 410: ``ChatError.permanent``) is not retried by the scheduler for
that week: its record has no retry time and its error says to check the variable and run
``watch digest --send --week 2026-W47``, which posts it again.  The mail
and each chat succeed or fail independently: a failed chat never resends the mail, nor the
mail a chat.  ``run_scheduled_digest`` does both, then the editions (``watch.digest_editions``:
other audiences, each mailed under a record of its own); ``send_digest`` is the mail,
``send_chats`` the chats.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from watch.cadence import advise_sources
from watch.chat import (
    ChatError,
    chat_payload,
    chat_record_key,
    edition_record_key,
    post_to_chat,
    split_record_key,
)
from watch.config import SmtpSettings, WatchConfig
from watch.config.environment import ChatWebhooks
from watch.config.schema import ChatConfig, DigestConfig
from watch.digest import MAX_PICKS, Digest, build_digest
from watch.digest_render import build_message
from watch.digest_start import before_start, first_collection, skip_week
from watch.digest_weeks import (
    EXTRA,
    MAX_ATTEMPTS,
    SEND_GRACE,
    has_ended,
    is_due,
    previous_week,
    retry_delay,
    retry_note,
    scheduled_time,
    when_sent,
)
from watch.health import page_warnings
from watch.mailer import SendError, send_message
from watch.models import StoredArticle, TrendReport
from watch.store.base import ArticleQuery, DigestRecord, Store
from watch.taste import voted_articles
from watch.trends import TrendInput, trend_window, week_bounds, weekly_trends

log = logging.getLogger(__name__)

MAX_ARTICLES = 100_000
"""Upper bound on the week's clusters read for one digest."""
TREND_WEEKS_BACK = 4
TREND_BATCH = 1000

# -- gather ----------------------------------------------------------------------------------


def gather_digest(store: Store, config: WatchConfig, week: str, now: datetime) -> Digest:
    """Read the week's articles (best of each cluster), source states, attempts (the fetch log of
    the week: the sources consulted in it) and trends; build the digest.

    The mail, the chats, ``watch digest`` and the board's preview all read it here: a story
    down-voted on the board or by ``watch feedback --down`` is left out of every one of them."""
    since, until = week_bounds(week, config.digest.timezone)  # the trends' week too
    in_week = ArticleQuery(since=since, until=until, undated_backlog=False)
    ranked = replace(in_week, order="score", one_per_cluster=True, limit=MAX_ARTICLES)
    return build_digest(
        config=config,
        week=week,
        articles=store.query_articles(ranked),
        source_states=store.list_source_states(),
        trends=week_trends(store, week, config.digest.timezone),
        now=now,
        article_count=store.count_articles(in_week),
        source_notes=(advise_sources(config, store, now), page_warnings(config, store.fetch_log)),
        picks=store.query_articles(
            ArticleQuery(picked_between=(since, until), order="score", limit=2 * MAX_PICKS)
        ),
        down_voted=voted_articles(store, ("down",)),  # the digest reads vote < 0 itself
        week_attempts=store.fetch_log(limit=None, since=since, until=until),
    )


def week_trends(
    store: Store, week: str, timezone: str = "UTC", weeks_back: int = TREND_WEEKS_BACK
) -> TrendReport:
    """The trends of ``week`` against the ``weeks_back`` weeks before it, in the readers' weeks
    (``timezone``), from the articles PUBLISHED in those weeks (not those fetched in them)."""
    since, until = trend_window(week, weeks_back, timezone)
    published = _published_between(store, since, until)
    return weekly_trends(_trend_inputs(published), week, weeks_back=weeks_back, timezone=timezone)


def _published_between(store: Store, since: datetime, until: datetime) -> Iterator[StoredArticle]:
    """An article without a date of its own is dated by when it was first seen; that is its
    publication only once its source is watched: the first collection's are left out."""
    query = ArticleQuery(
        since=since, until=until, order="id", limit=TREND_BATCH, undated_backlog=False
    )
    while batch := store.query_articles(query):
        yield from batch
        query = replace(query, offset=query.offset + TREND_BATCH)


def _trend_inputs(articles: Iterable[StoredArticle]) -> Iterator[TrendInput]:
    for article in articles:
        topics = tuple(match.name for match in article.topics)
        yield TrendInput(
            article.id,
            article.published,
            topics,
            article.title,
            article.summary_text,
            article.language,
            article.cluster_id,
        )


# -- send ------------------------------------------------------------------------------------


def send_digest(
    store: Store,
    config: WatchConfig,
    smtp: SmtpSettings,
    week: str,
    *,
    force: bool = False,
    now: datetime,
    ssl_context: ssl.SSLContext | None = None,
    edition: str | None = None,
) -> DigestRecord:
    """Send ``week``'s digest unless it was already sent (or ``force``); record the outcome.

    Returns the stored record: "sent", or "failed" with the error and the next retry time.
    Raises ValueError when ``digest.recipients`` is empty, or ``week`` has not ended (unless
    ``force``: then it is an extra, recorded as "2026-W48 extra").  With ``edition``, ``config``
    is that edition's (``watch.digest_editions.edition_config``) and the record its own
    ("2026-W47 edition:client-banque"): ``watch.digest_editions.send_edition`` calls it so.
    """
    recipients = list(config.digest.recipients)
    if not recipients:
        raise ValueError("digest.recipients is empty in sources.yaml: nobody to send to")
    key = record_week(week, config.digest, now, force=force)
    key = edition_record_key(key, edition) if edition else key
    previous = store.get_digest(key)
    if previous is not None and previous.status == "sent" and not force:
        return previous
    pending = _pending(key, previous, recipients, now)
    store.save_digest(pending)
    message = build_message(gather_digest(store, config, week, now), smtp.sender, recipients)
    try:
        refused = send_message(message, smtp, ssl_context=ssl_context)
    except SendError as exc:
        record = _failed(pending, str(exc), now)
        log.warning("digest %s not sent by mail: %s", key, _failure(record, config, now))
    else:
        note = f"refused: {', '.join(sorted(refused))}" if refused else None
        record = replace(pending, status="sent", sent_at=now, error=note, next_retry=None)
    store.save_digest(record)
    return record


def record_week(week: str, digest: DigestConfig, now: datetime, *, force: bool) -> str:
    """The week part of the records of a send of ``week`` now: the week itself once it has
    ended; "2026-W48 extra" before, with ``force`` (ValueError without)."""
    if has_ended(week, digest.timezone, now):
        return week
    if not force:
        raise ValueError(
            f"{week} has not ended: it {when_sent(week, digest)}; --force sends it now anyway, "
            "as an extra that does not count as the weekly send"
        )
    return week + EXTRA


def _failure(record: DigestRecord, config: WatchConfig, now: datetime) -> str:
    """A failed send's error and what becomes of it, for the log."""
    return "; ".join(filter(None, [record.error, retry_note(record, config.digest, now)]))


def _pending(
    key: str, previous: DigestRecord | None, recipients: list[str], now: datetime
) -> DigestRecord:
    """The record saved before a send: retried after SEND_GRACE if the process dies midway."""
    return DigestRecord(
        week=key,
        status="pending",
        attempts=(previous.attempts if previous else 0) + 1,
        last_attempt=now,
        sent_at=previous.sent_at if previous else None,
        recipients=recipients,
        next_retry=now + SEND_GRACE,
    )


def _failed(
    pending: DigestRecord,
    error: str,
    now: datetime,
    *,
    give_up: bool = False,
    wait: float | None = None,
) -> DigestRecord:
    """The record of a failed send: retried after the backoff (or the ``wait`` seconds the
    server asked, when longer), unless ``give_up``, too many attempts failed or it is an extra."""
    delay = max(retry_delay(pending.attempts), timedelta(seconds=wait or 0))
    extra = split_record_key(pending.week)[0].endswith(EXTRA)
    give_up = give_up or extra or pending.attempts >= MAX_ATTEMPTS
    next_retry = None if give_up else now + delay
    return replace(pending, status="failed", error=error, next_retry=next_retry)


def send_chats(
    store: Store,
    config: WatchConfig,
    webhooks: ChatWebhooks,
    week: str,
    *,
    force: bool = False,
    now: datetime,
) -> list[DigestRecord]:
    """Post ``week``'s digest to each chat of ``digest.chats`` not posted yet (every one with
    ``force``); return each chat's record, in the order of sources.yaml ([] without chats).
    A week that has not ended raises ValueError, or is an extra with ``force`` (``send_digest``)."""

    def wanted(record: DigestRecord | None) -> bool:
        return force or record is None or record.status != "sent"

    if not config.digest.chats:
        return []
    key = record_week(week, config.digest, now, force=force)
    return _post_chats(store, config, webhooks, week, key, now, wanted)


def run_scheduled_chats(
    store: Store, config: WatchConfig, webhooks: ChatWebhooks, now: datetime
) -> list[DigestRecord]:
    """The scheduler's side of ``send_chats``: the previous week to the chats where it is due
    (not posted, or its retry time has come), once the scheduled time has passed; a week that
    ended before the watch's first collection is recorded skipped instead."""
    week = scheduled_week(config.digest, now)
    if week is None:
        return []
    started = first_collection(store, remember=True)
    if before_start(week, config.digest.timezone, started, now):
        return [skip_week(store, week, config.digest, started, now, c) for c in config.digest.chats]
    return _post_chats(store, config, webhooks, week, week, now, lambda r: is_due(r, now))


def _post_chats(
    store: Store,
    config: WatchConfig,
    webhooks: ChatWebhooks,
    week: str,
    key: str,
    now: datetime,
    wanted: Callable[[DigestRecord | None], bool],
) -> list[DigestRecord]:
    """Post ``week`` to the chats ``wanted``, recorded under ``key`` (the week, or its extra)."""
    records: list[DigestRecord] = []
    digest: Digest | None = None
    for chat in config.digest.chats:
        previous = store.get_digest(chat_record_key(key, chat.name))
        if not wanted(previous):
            records += [previous] if previous is not None else []
            continue
        digest = digest or gather_digest(store, config, week, now)
        pending = _pending(
            chat_record_key(key, chat.name), previous, [f"{chat.kind}:{chat.name}"], now
        )
        records.append(_post_chat(store, config, chat, webhooks, digest, pending, now))
    return records


def _post_chat(
    store: Store,
    config: WatchConfig,
    chat: ChatConfig,
    webhooks: ChatWebhooks,
    digest: Digest,
    pending: DigestRecord,
    now: datetime,
) -> DigestRecord:
    """Post to one chat, recorded as the mail is: ``pending`` first, then sent or failed."""
    store.save_digest(pending)
    url = webhooks.urls.get(chat.name)
    try:
        if url is None:
            raise ChatError(_unset_webhook(chat, webhooks, digest.week), permanent=True)
        post_to_chat(chat, url, chat_payload(digest, chat.kind), config.fetch)
    except ChatError as exc:
        error = (
            str(exc)
            if url is None or not exc.permanent
            else _fix_then_resend(exc, chat, digest.week)
        )
        record = _failed(pending, error, now, give_up=exc.permanent, wait=exc.retry_after)
        failure = _failure(record, config, now)
        log.warning("digest %s not posted to chat %s: %s", digest.week, chat.name, failure)
    else:
        log.info("digest %s posted to chat %s", digest.week, chat.name)
        record = replace(pending, status="sent", sent_at=now, error=None, next_retry=None)
    store.save_digest(record)
    return record


def _fix_then_resend(exc: ChatError, chat: ChatConfig, week: str) -> str:
    """What to do once a chat's server said its webhook is wrong or gone."""
    return (
        f"{exc}; not retried automatically: check ${chat.url_env} (the webhook may be wrong, "
        f"revoked or its channel gone), then run 'watch digest --send --week {week}'"
    )


def _unset_webhook(chat: ChatConfig, webhooks: ChatWebhooks, week: str) -> str:
    """A variable this process does not have will not appear by waiting: say how to fix it."""
    missing = webhooks.missing.get(chat.name, f"${chat.url_env} is not set")
    return (
        f"{missing} in the environment of this process; not retried automatically: set it "
        f"(restart 'watch run' so that it reads it), then run 'watch digest --send --week {week}'"
    )


def run_scheduled_digest(
    store: Store,
    config: WatchConfig,
    smtp: SmtpSettings | None,
    now: datetime,
    *,
    ssl_context: ssl.SSLContext | None = None,
    chats: ChatWebhooks | None = None,
) -> DigestRecord | None:
    """Called by the scheduler every few minutes; idempotent.

    Sends the previous ISO week's digest when this local week's scheduled time has passed and
    that week is neither sent nor waiting for a retry, by mail and (given ``chats``, the
    webhook URLs of ``Settings.chats``) to every chat where it is due, then each edition where it
    is due (``watch.digest_editions``, its own schedule deciding).  Returns the mail's new
    record, or None when no mail was due (or no SMTP server / recipients are configured).
    A week that ended before the watch's first collection (``watch.digest_start``) is not sent:
    its mail and chats are recorded "skipped", saying why.  A week of the running watch with no
    article (every source failing) is sent: its overview and source health tell the team.
    """
    from watch.digest_editions import run_scheduled_editions

    mail = None
    week = scheduled_week(config.digest, now)
    started = first_collection(store, remember=True)  # remembered as soon as there is one
    if week is not None and smtp is not None and config.digest.recipients:
        if before_start(week, config.digest.timezone, started, now):
            mail = skip_week(store, week, config.digest, started, now)
        elif is_due(store.get_digest(week), now):
            mail = send_digest(store, config, smtp, week, now=now, ssl_context=ssl_context)
    if chats is not None:
        run_scheduled_chats(store, config, chats, now)
    if smtp is not None:
        run_scheduled_editions(store, config, smtp, now, ssl_context=ssl_context)
    return mail


def scheduled_week(digest: DigestConfig, now: datetime) -> str | None:
    """The week a digest sent at ``now`` covers, once this local week's time has come."""
    if now < scheduled_time(digest.schedule, digest.timezone, now):
        return None
    return previous_week(now.astimezone(ZoneInfo(digest.timezone)))
