"""The weekly digest job: which week, whether it is due, gather it from the store, send it once.

This module owns the digest's sends and their records over the ``Store`` interface (what a
week's digest is made of is read by ``watch.digest_gather``): a week's digest is sent ONCE, recorded as a
``DigestRecord`` keyed by ISO week, so restarts and scheduler misfires never resend it; a
failed send is retried with
exponential backoff (attempts, error and next retry are recorded and shown on the board);
``force`` resends a week that was already sent.  A week without any article is refused unless
``allow_empty`` (``watch.digest_empty``: the one rule of the CLI, the board and the scheduler).

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
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

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
from watch.digest import Digest
from watch.digest_empty import refuse_empty
from watch.digest_gather import gather_digest
from watch.digest_gather import week_trends as week_trends  # where callers found it
from watch.digest_render import build_message
from watch.digest_start import before_start, first_collection, send_when_due, skip_week
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
from watch.mailer import SendError, send_message
from watch.store.base import DigestRecord, Store

log = logging.getLogger(__name__)

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
    allow_empty: bool = False,
) -> DigestRecord:
    """Send ``week``'s digest unless it was already sent (or ``force``); record the outcome.

    Returns the stored record: "sent", or "failed" with the error and the next retry time.
    Raises ValueError when ``digest.recipients`` is empty, or ``week`` has not ended (unless
    ``force``: then it is an extra, recorded as "2026-W48 extra"); ``EmptyWeek`` when it has no
    article, unless ``allow_empty``.  With ``edition``, ``config``
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
    digest = gather_digest(store, config, week, now)
    if not allow_empty:
        refuse_empty(store, config, digest, now)
    pending = _pending(key, previous, recipients, now)
    store.save_digest(pending)
    message = build_message(digest, smtp.sender, recipients)
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
    allow_empty: bool = False,
) -> list[DigestRecord]:
    """Post ``week``'s digest to each chat of ``digest.chats`` not posted yet (every one with
    ``force``); return each chat's record, in the order of sources.yaml ([] without chats).
    A week that has not ended raises ValueError, or is an extra with ``force``; a week without
    any article raises ``EmptyWeek`` unless ``allow_empty`` (as ``send_digest``)."""

    def wanted(record: DigestRecord | None) -> bool:
        return force or record is None or record.status != "sent"

    if not config.digest.chats:
        return []
    key = record_week(week, config.digest, now, force=force)
    return _post_chats(store, config, webhooks, week, key, now, wanted, allow_empty)


def run_scheduled_chats(
    store: Store,
    config: WatchConfig,
    webhooks: ChatWebhooks,
    now: datetime,
    started: datetime | None = None,
) -> list[DigestRecord]:
    """The scheduler's side of ``send_chats``: the previous week to the chats where it is due
    (not posted, or its retry time has come: a post made by hand that failed is retried), once
    the scheduled time has passed; a chat without a record of a week that ended before the
    watch's first collection (``started``, as ``run_scheduled_digest`` found it; None: read
    here) is recorded skipped instead."""
    week = scheduled_week(config.digest, now)
    if week is None:
        return []
    started = started or first_collection(store)
    if before_start(week, config.digest.timezone, started, now):
        for chat in config.digest.chats:
            skip_week(store, week, config.digest, started, now, chat)
    due = lambda record: is_due(record, now)  # noqa: E731
    return _post_chats(store, config, webhooks, week, week, now, due, allow_empty=True)


def _post_chats(
    store: Store,
    config: WatchConfig,
    webhooks: ChatWebhooks,
    week: str,
    key: str,
    now: datetime,
    wanted: Callable[[DigestRecord | None], bool],
    allow_empty: bool,
) -> list[DigestRecord]:
    """Post ``week`` to the chats ``wanted``, recorded under ``key`` (the week, or its extra);
    ``EmptyWeek`` when one is wanted and the week has no article, unless ``allow_empty``."""
    records: list[DigestRecord] = []
    digest: Digest | None = None
    for chat in config.digest.chats:
        previous = store.get_digest(chat_record_key(key, chat.name))
        if not wanted(previous):
            records += [previous] if previous is not None else []
            continue
        if digest is None:
            digest = gather_digest(store, config, week, now)
            if not allow_empty:
                refuse_empty(store, config, digest, now)
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
    its mail and chats are recorded "skipped", saying why (a send made by hand that failed is
    retried).  A week of the running watch with no article (every source failing) is sent
    (``allow_empty``): its overview and source health tell the team.
    """
    from watch.digest_editions import run_scheduled_editions

    mail = None
    week = scheduled_week(config.digest, now)
    started = first_collection(store, remember=True)  # remembered as soon as there is one
    if week is not None and smtp is not None and config.digest.recipients:
        send = partial(
            send_digest, store, config, smtp, week, now=now, ssl_context=ssl_context,
            allow_empty=True,
        )  # fmt: skip
        mail = send_when_due(store, week, config.digest, started, now, send)
    if chats is not None:
        run_scheduled_chats(store, config, chats, now, started)
    if smtp is not None:
        run_scheduled_editions(store, config, smtp, now, started, ssl_context=ssl_context)
    return mail


def scheduled_week(digest: DigestConfig, now: datetime) -> str | None:
    """The week a digest sent at ``now`` covers, once this local week's time has come."""
    if now < scheduled_time(digest.schedule, digest.timezone, now):
        return None
    return previous_week(now.astimezone(ZoneInfo(digest.timezone)))
