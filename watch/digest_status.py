"""How the weekly digest went, in ``watch status``'s words.

``watch status`` ends with a "digest:" block: the mail and each chat of ``digest.chats`` for the
last complete week (the week the scheduler sends at ``digest.schedule``: ``previous_week``),
then the extras sent of the current week (``watch digest --send --force``), when there are any.
One line each, in the words of ``watch digest --send``, times in ``digest.timezone``::

    digest:
      2026-W47 by mail: sent Mon 30 Nov 08:01 (Europe/Paris) to 2 recipients
      2026-W47 to chat team (slack): failed (…); retried by `watch run` in 5 min (attempt 2 of 10)
      2026-W47 to chat ops (mattermost): not sent yet: due Mon 30 Nov 08:00 (Europe/Paris)

A week that ended before the watch's first collection is not sent (``watch.digest_start``)::

      2026-W47 by mail: skipped, nothing collected that week: the watch started on Wed 25 Nov …
      2026-W47 by mail: skipped, the watch started after that week, on Wed 25 Nov …: its 2
      articles, published then and collected since, are on the board

Each edition of ``digest.editions`` (``watch.digest_editions``) follows, named, in its own
schedule and time zone: "2026-W47 client-banque by mail: sent Mon 30 Nov 08:02 (…) to 1 recipient".

``read_recorded`` reads what the store holds (the records of ``status_record_keys``, when the
watch first collected); ``digest_status`` is pure: it tells that with what is set up
(``Delivery``: an SMTP server, the chats whose webhook variable is unset).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from watch.chat import chat_record_key, edition_record_key, record_place, split_record_key
from watch.config.outputs import EditionConfig
from watch.config.schema import DigestConfig
from watch.digest_start import articles_of_week, before_start, first_collection, skip_reason
from watch.digest_weeks import (
    EXTRA,
    current_week,
    is_due,
    local_time,
    previous_week,
    retry_note,
    scheduled_send,
)
from watch.store.base import DigestRecord, Store
from watch.wording import counted

BY = " by `watch run`"
NOWHERE = (
    "nowhere to send: set WATCH_SMTP_HOST and digest.recipients, or add digest.chats to "
    "sources.yaml"
)


@dataclass(frozen=True)
class Delivery:
    """What is set up to send the digest: an SMTP server, and the chats whose webhook variable
    is unset (``ChatWebhooks.missing``: name → "$SLACK_DIGEST_URL is not set")."""

    smtp: bool
    unset_chats: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Recorded:
    """What the store holds for ``watch status``: the records of ``status_record_keys`` by key,
    when the watch first collected (None: nothing yet), and the articles of the weeks before it
    by (week, time zone), for the reason of a week skipped (none: 0)."""

    records: Mapping[str, DigestRecord]
    started: datetime | None
    articles: Mapping[tuple[str, str], int] = field(default_factory=dict)


def read_recorded(store: Store, digest: DigestConfig, now: datetime) -> Recorded:
    """The records ``digest_status`` tells, and the watch's first collection, from ``store``."""
    keys = status_record_keys(digest, now)
    records = {key: record for key in keys if (record := store.get_digest(key))}
    started = first_collection(store)
    owns = [digest, *(edition.digest_config(digest) for edition in digest.editions)]
    weeks = {(_last_week(own, now), own.timezone) for own in owns}  # each in its own zone
    articles = {
        (week, zone): articles_of_week(store, week, zone)
        for week, zone in weeks
        if before_start(week, zone, started, now)
    }
    return Recorded(records, started, articles)


def status_record_keys(digest: DigestConfig, now: datetime) -> list[str]:
    """The records ``digest_status`` tells: the last complete week's mail and chats, and the
    current week's extras; then the same of each edition (in its own time zone)."""
    keys = []
    for week in (_last_week(digest, now), _this_week(digest, now) + EXTRA):
        keys += [week] + [chat_record_key(week, chat.name) for chat in digest.chats]
    for edition in digest.editions:
        own = edition.digest_config(digest)
        weeks = (_last_week(own, now), _this_week(own, now) + EXTRA)
        keys += [edition_record_key(week, edition.name) for week in weeks]
    return keys


def digest_status(
    digest: DigestConfig, delivery: Delivery, recorded: Recorded, now: datetime
) -> list[str]:
    """The lines of ``watch status``'s digest block."""
    week, records = _last_week(digest, now), recorded.records
    if not (digest.recipients or digest.chats or digest.editions) and week not in records:
        return [f"digest: {NOWHERE}"]
    skipped = _skipped(week, digest, recorded, now)
    lines = [_mail_line(week, digest, delivery, records.get(week), now, skipped)]
    for chat in digest.chats:
        record = records.get(chat_record_key(week, chat.name))
        unset = delivery.unset_chats.get(chat.name)
        lines.append(
            _record_line(record, digest, now)
            if record
            else f"{week} to chat {chat.name} ({chat.kind}): "
            + (skipped or _not_yet(week, digest, now, unset))
        )
    extra = _this_week(digest, now) + EXTRA
    extras = [extra] + [chat_record_key(extra, chat.name) for chat in digest.chats]
    lines += [_record_line(records[key], digest, now) for key in extras if key in records]
    for edition in digest.editions:
        lines += _edition_lines(
            edition.name, edition.digest_config(digest), delivery, recorded, now
        )
    return ["digest:"] + [f"  {line}" for line in lines]


def _edition_lines(
    name: str, digest: DigestConfig, delivery: Delivery, recorded: Recorded, now: datetime
) -> list[str]:
    """An edition's last complete week, and its extra of this week when there is one."""
    week = _last_week(digest, now)
    skipped = _skipped(week, digest, recorded, now)
    record = recorded.records.get(edition_record_key(week, name))
    lines = [_mail_line(week, digest, delivery, record, now, skipped, f"{name} by mail")]
    extra = recorded.records.get(edition_record_key(_this_week(digest, now) + EXTRA, name))
    return lines + ([_record_line(extra, digest, now)] if extra else [])


def _mail_line(
    week: str,
    digest: DigestConfig,
    delivery: Delivery,
    record: DigestRecord | None,
    now: datetime,
    skipped: str,
    where: str = "by mail",
) -> str:
    if record is not None:
        return _record_line(record, digest, now)
    if not digest.recipients:
        return f"{week} {where}: not sent, digest.recipients is empty in sources.yaml"
    if not delivery.smtp:
        return f"{week} {where}: not sent, WATCH_SMTP_HOST is not set"
    return f"{week} {where}: {skipped or _not_yet(week, digest, now)}"


def _skipped(week: str, digest: DigestConfig, recorded: Recorded, now: datetime) -> str:
    """What the scheduler makes of a week before the first collection, "" for another week."""
    zone, started = digest.timezone, recorded.started
    if not before_start(week, zone, started, now):
        return ""
    return f"skipped, {skip_reason(started, zone, recorded.articles.get((week, zone), 0))}"


def _not_yet(week: str, digest: DigestConfig, now: datetime, unset: str | None = None) -> str:
    """A week with no record yet: when it is due, and what stands in the way."""
    due = scheduled_send(week, digest)
    when = f"{'due' if due > now else 'due since'} {local_time(due, digest.timezone)}"
    if unset:
        return f"not sent yet: {when}, but {unset}"
    if due > now:
        return f"not sent yet: {when}"
    return (
        f"not sent yet: {when}; `watch run` sends it at its next check, `watch digest --send` now"
    )


def _record_line(record: DigestRecord, digest: DigestConfig, now: datetime) -> str:
    """One record: "2026-W47 by mail: sent Mon 30 Nov 08:01 (Europe/Paris) to 2 recipients",
    "… failed (error); retried by `watch run` in 5 min (attempt 2 of 10)"."""
    week, chat, kind, edition = record_place(record)
    where = f"{edition} by mail" if edition else "by mail"
    where = f"to chat {chat} ({kind or 'chat'})" if chat else where
    zone = digest.timezone
    if record.status == "sent":
        when = local_time(record.sent_at, zone) if record.sent_at else "(time unknown)"
        to = "" if chat else f" to {counted(len(record.recipients), 'recipient')}"
        note = f" ({record.error})" if record.error else ""  # the mail's refused recipients
        return f"{week} {where}: sent {when}{to}{note}"
    if record.status == "skipped":  # a week before the first collection: the reason is kept
        return f"{week} {where}: skipped, {record.error}"
    retry = _retry(record, digest, now)
    if record.status == "pending":
        started = local_time(record.last_attempt, zone) if record.last_attempt else "just now"
        interrupted = f"; if that was interrupted, {retry}" if retry else ""
        return f"{week} {where}: being sent since {started}{interrupted}"
    error = f" ({record.error})" if record.error else ""
    return f"{week} {where}: failed{error}" + (f"; {retry}" if retry else "")


def _retry(record: DigestRecord, digest: DigestConfig, now: datetime) -> str:
    """``retry_note``'s words; a retry whose time has come is made at ``watch run``'s next check."""
    note = retry_note(record, digest, now, by=BY)
    week = split_record_key(record.week)[0]
    if note.startswith("retried") and is_due(record, now) and now >= scheduled_send(week, digest):
        note = f"retried{BY} at its next check" + note[note.rfind(" (") :]
    return note


def _last_week(digest: DigestConfig, now: datetime) -> str:
    return previous_week(now.astimezone(ZoneInfo(digest.timezone)))


def _this_week(digest: DigestConfig, now: datetime) -> str:
    return current_week(now.astimezone(ZoneInfo(digest.timezone)))


def setup_line(digest: DigestConfig) -> str:
    """``watch check``'s digest line: "  digest:  mon 08:00 Europe/Paris, 2 recipients, 1 chat",
    then "; editions: client-banque (1 recipient), uk-partner (en, 1 recipient)" if any."""
    recipients, chats = (
        counted(len(digest.recipients), "recipient"),
        counted(len(digest.chats), "chat"),
    )
    line = f"  digest:  {digest.schedule} {digest.timezone}, {recipients}, {chats}"
    if not digest.editions:
        return line
    return line + "; editions: " + ", ".join(_edition_setup(e, digest) for e in digest.editions)


def _edition_setup(edition: EditionConfig, digest: DigestConfig) -> str:
    """An edition and what it changes of the digest's timing and language, with its recipients:
    "uk-partner (en, tue 09:00, 1 recipient)"."""
    own = edition.digest_config(digest)
    changes = [own.language] if own.language != digest.language else []
    changes += [own.schedule] if own.schedule != digest.schedule else []
    changes += [own.timezone] if own.timezone != digest.timezone else []
    return f"{edition.name} ({', '.join([*changes, counted(len(own.recipients), 'recipient')])})"
