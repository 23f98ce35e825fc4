"""``watch digest``: preview a week's digest, write it to a file, or send it (mail and chats)
once, saying what went where and what becomes of a failed send (the parser is in cli.py; the
bookkeeping is ``watch.digest_job``'s, which week and when ``watch.digest_weeks``'s).

A send of a week without any article is refused (exit 1) unless ``--allow-empty``: "--send
--force" without --week sent the last complete week, empty, to a client who meant "this week,
now"; the refusal (``watch.digest_empty``, the rule the board and the scheduler follow too)
names the week and the command for this week so far.  ``--allow-empty`` without ``--send`` is
refused (exit 2): it would do nothing.

``--edition NAME`` does the same for an edition of ``digest.editions`` (``watch.digest_editions``):
its own language, topics, parts and recipients, sent by mail only, recorded on its own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from watch.cli import load, open_db
from watch.schedule import utcnow

if TYPE_CHECKING:
    from datetime import datetime

    from watch.config import Settings, WatchConfig
    from watch.store import DigestRecord, Store


def cmd_digest(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from watch.digest_editions import edition_config
    from watch.digest_empty import EmptyWeek
    from watch.digest_job import gather_digest, previous_week
    from watch.digest_render import render_html, render_markdown, render_text
    from watch.digest_weeks import has_ended, when_sent

    if args.allow_empty and not args.send:
        print("digest: --allow-empty goes with --send; a preview shows any week", file=sys.stderr)
        return 2
    config, settings = load(args)
    if args.edition:
        try:
            config = edition_config(config, args.edition)
        except ValueError as exc:
            print(f"digest: {exc}", file=sys.stderr)
            return 2
    now = utcnow()
    week = args.week or previous_week(now.astimezone(ZoneInfo(config.digest.timezone)))
    store = open_db(settings)
    try:
        digest = gather_digest(store, config, week, now)
        if not args.send and not has_ended(week, config.digest.timezone, now):
            partial = f"{week} has not ended: this preview is partial; it "
            print(partial + when_sent(week, config.digest), file=sys.stderr)
        if args.out:
            renderer = {".html": render_html, ".md": render_markdown}.get(
                Path(args.out).suffix, render_text
            )
            Path(args.out).write_text(renderer(digest), encoding="utf-8")
            print(f"digest {week} written to {args.out}")
        elif not args.send:
            print(render_text(digest))
        _say_where_stars_go(store, config, week, now)
        if args.send:
            force, allow_empty = args.force, args.allow_empty
            if args.edition:
                return _send_edition(
                    store, config, settings, args.edition, week, now,
                    force=force, allow_empty=allow_empty,
                )  # fmt: skip
            return _send_digest(
                store, config, settings, week, now, force=force, allow_empty=allow_empty
            )
    except EmptyWeek as exc:
        print(f"digest: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"digest: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    return 0


def _say_where_stars_go(store: Store, config: WatchConfig, week: str, now: datetime) -> None:
    """On standard error, as the board says: this week's stars open this week's digest, not the
    one shown (the last complete week's, by default)."""
    from zoneinfo import ZoneInfo

    from watch.digest_weeks import current_week, picks_elsewhere
    from watch.store import ArticleQuery
    from watch.trends import week_bounds

    zone = config.digest.timezone
    this_week = current_week(now.astimezone(ZoneInfo(zone)))
    if week == this_week:
        return
    picks = store.count_articles(ArticleQuery(picked_between=week_bounds(this_week, zone)))
    if picks:
        how = f"'watch digest --week {this_week}' previews the picks."
        print(picks_elsewhere(picks, this_week, how), file=sys.stderr)


def _send_digest(
    store: Store,
    config: WatchConfig,
    settings: Settings,
    week: str,
    now: datetime,
    *,
    force: bool,
    allow_empty: bool,
) -> int:
    """``watch digest --send``: the mail, then each chat, one line each saying what went where;
    1 when one of them failed, 2 when there is nowhere to send or the week has not ended
    (without ``force``); ``EmptyWeek`` for a week without any article, unless allowed."""
    from watch.digest_job import record_week, send_chats, send_digest

    record_week(week, config.digest, now, force=force)  # ValueError: not ended, without force
    mail_ready = settings.smtp is not None and bool(config.digest.recipients)
    if not mail_ready and not config.digest.chats:
        print(
            "digest: nowhere to send: set WATCH_SMTP_HOST and digest.recipients, or add "
            "digest.chats to sources.yaml",
            file=sys.stderr,
        )
        return 2
    records = []
    if not config.digest.recipients and config.digest.chats:
        pass  # chats only: no mail was asked for
    elif settings.smtp is None:
        print(f"digest {week} by mail: not sent, WATCH_SMTP_HOST is not set")
    elif not config.digest.recipients:
        print(f"digest {week} by mail: not sent, digest.recipients is empty in sources.yaml")
    else:
        records.append(
            send_digest(
                store,
                config,
                settings.smtp,
                week,
                force=force,
                now=now,
                allow_empty=allow_empty,
            )  # fmt: skip
        )
    records += send_chats(
        store, config, settings.chats, week, force=force, now=now, allow_empty=allow_empty
    )
    for record in records:
        print(_sent_line(record, config, now))
    return 0 if all(record.status == "sent" for record in records) else 1


def _send_edition(
    store: Store,
    config: WatchConfig,
    settings: Settings,
    edition: str,
    week: str,
    now: datetime,
    *,
    force: bool,
    allow_empty: bool,
) -> int:
    """``watch digest --edition NAME --send``: that edition's mail (``config`` is the edition's),
    one line saying how it went; 1 when it failed, 2 without an SMTP server."""
    from watch.digest_job import send_digest

    if settings.smtp is None:
        print(f"digest: edition {edition} is sent by mail: set WATCH_SMTP_HOST", file=sys.stderr)
        return 2
    record = send_digest(
        store, config, settings.smtp, week, force=force, now=now, edition=edition,
        allow_empty=allow_empty,
    )  # fmt: skip
    print(_sent_line(record, config, now))
    return 0 if record.status == "sent" else 1


def _sent_line(record: DigestRecord, config: WatchConfig, now: datetime) -> str:
    """Where one record went and how: "digest 2026-W47 to chat team (slack): sent", and for a
    failure whether and when ``watch run`` tries again."""
    from watch.chat import record_place
    from watch.digest_status import BY
    from watch.digest_weeks import local_time, retry_note

    week, chat, kind, edition = record_place(record)
    where = f"to chat {chat} ({kind})" if chat else f"by mail to {', '.join(record.recipients)}"
    where = f"{edition} {where}" if edition else where
    if record.status == "sent" and record.sent_at and record.sent_at < now:
        when = local_time(record.sent_at, config.digest.timezone)
        return f"digest {week} {where}: already sent on {when}; --force resends it"
    error = f" ({record.error})" if record.error else ""
    retry = retry_note(record, config.digest, now, by=BY)
    return f"digest {week} {where}: {record.status}{error}" + (f"; {retry}" if retry else "")
