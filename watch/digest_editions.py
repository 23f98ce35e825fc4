"""Editions of the weekly digest: the same watch told to other audiences (``digest.editions``).

One watch, one database (the team's stars, notes and votes), several readers: the team in French
with everything (``digest:``), a client with ``leave_out: [why, health]`` and two topics, a
partner in English.  Each edition is a ``DigestConfig`` of its own (``EditionConfig.digest_config``:
``digest:`` with what the edition changes, its recipients, no chats), so the digest's own code
gathers, renders and sends it; ``edition_config`` gives the whole ``WatchConfig`` of an edition.

An edition is mailed (never posted: the chats are the team's) once a week at its own schedule,
under a record of its own, "2026-W47 edition:client-banque" (``watch.chat.edition_record_key``):
sent once, retried with the digest's backoff, "skipped" for a week before the watch's first
collection, each edition on its own; a week without any article is refused by hand unless
allowed, and sent by the scheduler (``watch.digest_empty``), as the digest.  It never resends the
digest's mail or chats, nor they an edition.  ``run_scheduled_editions`` is the scheduler's
side (``run_scheduled_digest`` calls it), ``send_edition`` the mail of one edition (``watch
digest --edition NAME --send``).
"""

from __future__ import annotations

import ssl
from datetime import datetime
from functools import partial

from watch.config import SmtpSettings, WatchConfig
from watch.digest_job import scheduled_week, send_digest
from watch.digest_start import send_when_due
from watch.store.base import DigestRecord, Store


def edition_config(config: WatchConfig, name: str) -> WatchConfig:
    """``config`` as the edition ``name`` reads it: its ``digest:`` is the edition's.
    ValueError naming the editions there are when there is none of that name."""
    edition = config.digest.edition(name)
    if edition is None:
        raise ValueError(unknown_edition(config, name))
    return config.model_copy(update={"digest": edition.digest_config(config.digest)})


def unknown_edition(config: WatchConfig, name: str) -> str:
    """ "no edition 'x' in sources.yaml (editions: client-banque, uk-partner)"."""
    names = ", ".join(edition.name for edition in config.digest.editions)
    there = f"editions: {names}" if names else "digest.editions defines none"
    return f"no edition {name!r} in sources.yaml ({there})"


def send_edition(
    store: Store,
    config: WatchConfig,
    smtp: SmtpSettings,
    name: str,
    week: str,
    *,
    force: bool = False,
    now: datetime,
    ssl_context: ssl.SSLContext | None = None,
    allow_empty: bool = False,
) -> DigestRecord:
    """Mail ``week`` to the edition ``name`` unless it was already sent (or ``force``), as
    ``send_digest`` mails the digest (``EmptyWeek`` unless ``allow_empty``); return its record."""
    return send_digest(
        store, edition_config(config, name), smtp, week, force=force, now=now,
        ssl_context=ssl_context, edition=name, allow_empty=allow_empty,
    )  # fmt: skip


def run_scheduled_editions(
    store: Store,
    config: WatchConfig,
    smtp: SmtpSettings,
    now: datetime,
    started: datetime | None,
    *,
    ssl_context: ssl.SSLContext | None = None,
) -> list[DigestRecord]:
    """Mail the previous week to each edition where it is due (its own schedule and time zone
    passed, not sent, or its retry time come), even without any article, as the digest; a week
    that ended before the watch's first collection (``started``) is recorded "skipped" instead,
    unless a send made by hand is recorded (retried when it failed).  Returns the records of the
    editions that were due, in the editions' order."""
    records = []
    for edition in config.digest.editions:
        digest = edition.digest_config(config.digest)
        week = scheduled_week(digest, now)
        if week is None:
            continue
        send = partial(
            send_edition, store, config, smtp, edition.name, week,
            now=now, ssl_context=ssl_context, allow_empty=True,
        )  # fmt: skip
        record = send_when_due(store, week, digest, started, now, send, edition=edition.name)
        records += [record] if record is not None else []
    return records
