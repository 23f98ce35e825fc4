"""Digest page: this week's digest as it will be mailed, the send history, and "send now".

The history has a row per mail and per chat post of a week (``watch.chat``: a chat's post is
recorded under "2026-W47 chat:team"), saying where each went; a week that ended before the
watch's first collection is "skipped", why in the board's words (``watch.digest_start``).
"Send now" is offered for a week that has ended only (the current week is previewed, and sent
on schedule once it ends); "post now" posts to the chats that have not got the week yet.  A
skipped week, or one without any article (``watch.digest_empty``: the rule every sender follows),
gets no button: the page says why and gives the command that sends it anyway.  The week's
digest is read once a run (``data.week_digest``), for that rule and for the preview (an
edition's is read with its own config).  Thin: the HTML comes from the digest renderer through
``data.digest_preview_html``; it is shown in an iframe loaded from a ``data:`` URL, so it runs
in an opaque origin with no access to the board.  Every word is the board's language
(``context.words``), dates and times in the readers' zone (``digest.timezone``).  With
``digest.editions``, a select box previews an edition instead (``watch.digest_editions``: the
same week for another audience), and "send now" sends what is previewed: that edition to its
recipients (``send_edition``, as ``watch run`` and ``watch digest --edition NAME --send`` send
it, under its own record, once: the board never resends an edition; the page names the command
that does, with ``--force``); its sends are in the history ("mail, edition client-banque").
"""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from dashboard import data, view
from dashboard.words import BoardWords
from watch.chat import chat_record_key, edition_record_key, record_place, split_record_key
from watch.config import SmtpSettings
from watch.config.schema import DigestConfig
from watch.digest import Digest
from watch.digest_editions import edition_config, send_edition
from watch.digest_empty import is_empty
from watch.digest_job import send_chats
from watch.digest_weeks import has_ended, scheduled_send
from watch.store.base import DigestRecord

HISTORY_ROWS = 60  # send-history rows read: a mail and a post per chat for each of the last weeks


def preview(context: data.BoardContext, week: str, digest: Digest) -> None:
    """The week's ``digest`` as it will be mailed (the digest's, or an edition's: its own
    language, topics, parts), under a header in the board's words."""
    st.header(context.words.say("preview_of", week=week), anchor=False)
    html = data.digest_preview_html(digest)
    encoded = base64.b64encode(html.encode("utf-8")).decode("ascii")
    st.iframe(f"data:text/html;charset=utf-8;base64,{encoded}", height=900)


def history(records: list[DigestRecord], words: BoardWords) -> None:
    """The sends as an HTML table (``st.table``: every column reaches a screen reader), its
    Markdown cells escaped."""
    st.header(words.say("send_history"), anchor=False)
    if not records:
        st.caption(words.say("no_digest_sent"))
        return
    now = datetime.now(UTC)
    rows = [view.escape_cells(history_row(record, now, words)) for record in records]
    st.table(pd.DataFrame(rows), hide_index=True, alt=words.say("send_history"))


def history_row(record: DigestRecord, now: datetime, words: BoardWords) -> dict[str, object]:
    """One send of the history: the week, where it went (mail or which chat), how it went."""
    week, chat, kind, edition = record_place(record)
    sent_to = words.say("sent_to_chat", kind=kind.capitalize(), chat=repr(chat)).strip()
    if edition is not None:
        sent_to = words.say("sent_to_edition", edition=edition)
    age = view.humanize_age
    return {
        words.say("hist_week"): week,
        words.say("hist_sent_to"): sent_to if chat or edition else words.say("sent_to_mail"),
        words.say("hist_status"): _status_words(record.status, words),
        words.say("hist_sent"): age(record.sent_at, now, words) if record.sent_at else "",
        words.say("hist_attempts"): record.attempts,
        words.say("hist_recipients"): "" if chat else ", ".join(record.recipients),
        words.say("hist_error"): _error_words(record, words),
        words.say("hist_next_retry"): age(record.next_retry, now, words)
        if record.next_retry
        else "",
    }


def _status_words(status: str, words: BoardWords) -> str:
    """A send's status ("sent", "failed", "pending") in the board's words; one it does not
    know as stored."""
    key = f"hist_status_{status}"
    return words.say(key) if words.knows(key) else status


def _error_words(record: DigestRecord, words: BoardWords) -> str:
    """A send's error as stored; a skipped week's reason (stored in English) in the board's."""
    return words.say("skipped_why") if record.status == "skipped" else record.error or ""


def day_in_words(when: datetime, words: BoardWords) -> str:
    """ "Sunday 29 November", "dimanche 29 novembre", "Sonntag, 29. November"."""
    day = when.date()
    month = words.digest.month_names[day.month - 1]
    return words.say(
        "day_in_words", weekday=words.weekday(day), day=words.digest.day(day), month=month
    )


def when_sent(week: str, digest: DigestConfig, words: BoardWords) -> str:
    """How a week not over is told: "2026-W48 ends Sunday 29 November and is sent Monday 30
    November at 08:00 (Europe/Paris)." (``watch.digest_weeks.when_sent``, in words; ``digest``:
    the digest's config, or an edition's, with its own schedule)."""
    zone = ZoneInfo(digest.timezone)
    last_day = data.week_bounds(week, digest.timezone)[1].astimezone(zone) - timedelta(days=1)
    send = scheduled_send(week, digest).astimezone(zone)
    return words.say(
        "week_ends",
        week=week,
        last=day_in_words(last_day, words),
        send=day_in_words(send, words),
        time=f"{send:%H:%M}",
        zone=digest.timezone,
    )


def moment_words(moment: datetime, timezone: str, words: BoardWords) -> str:
    """A send's moment in the readers' zone: "Mon 30 Nov 08:01 (Europe/Paris)"
    (``watch.digest_weeks.local_time``, in words)."""
    local = moment.astimezone(ZoneInfo(timezone))
    return words.say(
        "moment",
        weekday=words.say("weekdays_short").split()[local.weekday()],
        day=words.digest.day(local.date()),
        month=words.digest.months[local.month - 1],
        time=f"{local:%H:%M}",
        zone=timezone,
    )


def send_controls(
    context: data.BoardContext,
    week: str,
    now: datetime,
    digest: Digest,
    edition: str | None,
    shown: DigestConfig,
) -> None:
    """Send and post now, for a week that has ended and has something to send (``digest``: the
    week's, the ``edition``'s when one is previewed: then only that edition is sent); for this
    week, when it is sent.  ``shown``: the ``digest:`` config previewed (the edition's,
    ``edition_config``, read once a run; else the digest's)."""
    if edition is not None:
        edition_controls(context, edition, shown, week, now, digest)
        return
    if not has_ended(week, context.config.digest.timezone, now):
        st.caption(when_sent(week, context.config.digest, context.words))
        return
    store = data.reader(context.db_url)
    keys = [week, *(chat_record_key(week, chat.name) for chat in context.config.digest.chats)]
    records = {key: store.get_digest(key) for key in keys}  # the mail's and each chat's
    if why_not := not_sent_from_here(context, week, records, digest):
        st.caption(why_not)
        return
    send_button(context, week, records[week])
    chat_button(context, week, records)


def not_sent_from_here(
    context: data.BoardContext,
    week: str,
    records: dict[str, DigestRecord | None],
    digest: Digest,
    edition: str | None = None,
) -> str | None:
    """Why the board offers no send of ``week`` (the ``edition``'s, if given), with the command
    that sends it anyway: the scheduler skipped it (before the watch's first collection: a
    skipped record among ``records``), or it has no article."""
    words, option = context.words, f" --edition {edition}" if edition else ""
    command = f"watch digest{option} --send --allow-empty --week {week}"
    if any(record and record.status == "skipped" for record in records.values()):
        return words.say("skipped_week", week=week, command=command)
    if is_empty(digest):
        return words.say("empty_week", week=week, command=command)
    return None


def send_button(context: data.BoardContext, week: str, record: DigestRecord | None) -> None:
    """Send the week now by mail (``record``: its send so far)."""
    recipients, words = context.config.digest.recipients, context.words
    if context.settings.smtp is None:
        st.caption(words.say("smtp_off"))
        return
    if not recipients:
        st.caption(words.say("no_recipients"))
        return
    sent = _posted(record)
    label = words.say("send_again" if sent else "send_now", week=week, count=len(recipients))
    if sent:
        st.caption(words.say("mailed_already", week=week))
    elif datetime.now(UTC) >= (due := scheduled_send(week, context.config.digest)):
        time = moment_words(due, context.config.digest.timezone, words)
        st.caption(words.say("due_since", week=week, time=time))
    if st.button(label, key="send_digest", type="secondary" if sent else "primary"):
        record = data.send_digest_now(context, week)
        if record is None:
            st.error(words.say("smtp_off"))
        elif record.status == "sent":
            said = view.escape_markdown(", ".join(record.recipients))
            st.success(words.say("sent_ok", recipients=said))
        else:
            st.error(
                words.say("not_sent", error=view.escape_markdown(record.error or record.status))
            )


def chat_button(
    context: data.BoardContext, week: str, records: dict[str, DigestRecord | None]
) -> None:
    """Post the week now to the chats of ``digest.chats`` that have not got it (``records``: the
    sends so far, by key; never twice to the same chat: ``watch digest --send --force`` posts
    again), saying how each went."""
    chats, words = context.config.digest.chats, context.words
    unsent = [c.name for c in chats if not _posted(records[chat_record_key(week, c.name)])]
    if chats and not unsent:
        st.caption(words.say("posted_everywhere", week=week, count=str(len(chats))))
    if not unsent or not st.button(
        words.say("post_now", week=week, count=str(len(unsent))),
        key="post_digest_chats",
        help=words.say("post_help", chats=", ".join(unsent)),
    ):
        return
    writer = data.writer(context.db_url)
    posted = send_chats(writer, context.config, context.settings.chats, week, now=datetime.now(UTC))
    data.refresh()
    for record in (r for r in posted if split_record_key(r.week)[1] in unsent):
        chat = view.escape_markdown(split_record_key(record.week)[1] or "")
        if record.status == "sent":
            st.success(words.say("posted_ok", chat=chat))
        else:
            error = view.escape_markdown(record.error or "")
            st.error(words.say("not_posted", chat=chat, error=error))


def edition_controls(
    context: data.BoardContext,
    edition: str,
    config: DigestConfig,
    week: str,
    now: datetime,
    digest: Digest,
) -> None:
    """Send the ``edition`` of ``week`` now by mail (``config``: its ``digest:`` config,
    ``edition_config``; ``digest``: the edition's), once: when it was sent, the page says when
    and the command that sends it again."""
    words = context.words
    if not has_ended(week, config.timezone, now):
        st.caption(when_sent(week, config, words))
        return
    key = edition_record_key(week, edition)
    record = data.reader(context.db_url).get_digest(key)
    if why_not := not_sent_from_here(context, week, {key: record}, digest, edition):
        st.caption(why_not)
    elif context.settings.smtp is None:
        st.caption(words.say("smtp_off"))
    elif record is not None and record.status == "sent":
        st.caption(_edition_sent_already(context, edition, week, record, config.timezone))
    else:
        if now >= (due := scheduled_send(week, config)):
            time = moment_words(due, config.timezone, words)
            st.caption(words.say("edition_due_since", edition=edition, week=week, time=time))
        label = words.say("send_edition_now", edition=edition, week=week)
        if st.button(label, key="send_edition", type="primary"):
            send_edition_now(context, context.settings.smtp, edition, week, config.timezone)


def send_edition_now(
    context: data.BoardContext, smtp: SmtpSettings, edition: str, week: str, timezone: str
) -> None:
    """Mail the ``edition`` of ``week`` as ``watch run`` does (``send_edition``: not again when
    it was sent meanwhile, as ``watch digest --edition NAME --send`` without ``--force``),
    saying how it went (``timezone``: the edition's readers')."""
    now, words = datetime.now(UTC), context.words
    try:
        writer = data.writer(context.db_url)
        record = send_edition(writer, context.config, smtp, edition, week, now=now)
    except ValueError as exc:  # EmptyWeek: the week had no article when the page was drawn
        st.error(words.say("not_sent", error=view.escape_markdown(str(exc))))
        return
    finally:
        data.refresh()
    if record.status == "sent" and record.sent_at is not None and record.sent_at < now:
        st.warning(_edition_sent_already(context, edition, week, record, timezone))
    elif record.status == "sent":
        said = view.escape_markdown(", ".join(record.recipients))
        st.success(words.say("edition_sent_ok", edition=edition, week=week, recipients=said))
    else:
        st.error(words.say("not_sent", error=view.escape_markdown(record.error or "")))


def _edition_sent_already(
    context: data.BoardContext, edition: str, week: str, record: DigestRecord, timezone: str
) -> str:
    """ "The client-banque edition of 2026-W47 was sent on Mon 23 Nov 10:30 (Europe/Paris):
    `watch digest --edition client-banque --week 2026-W47 --send --force` sends it again."
    (``timezone``: the edition's readers')."""
    time = moment_words(record.sent_at or datetime.now(UTC), timezone, context.words)
    return context.words.say("edition_sent_already", edition=edition, week=week, time=time)


def _posted(record: DigestRecord | None) -> bool:
    return record is not None and record.status == "sent"


def next_week_to_send(context: data.BoardContext, now: datetime) -> list[str]:
    """The week shown first: last week until it is sent, then this week (previewed: it is only
    sent once it has ended)."""
    zone = context.config.digest.timezone  # the readers' week, as the digest itself
    this_week = data.iso_week(now, zone)
    last_week = data.iso_week(now - timedelta(days=7), zone)
    sent = {  # by mail: a chat's record has a key of its own ("2026-W47 chat:team")
        record.week
        for record in data.digest_history(context.db_url, HISTORY_ROWS)
        if record.status in ("sent", "skipped")  # skipped: a week before the first collection
    }
    return [this_week, last_week] if last_week in sent else [last_week, this_week]


def edition_choice(context: data.BoardContext) -> str | None:
    """The edition to preview (None: the digest itself), chosen when there are editions."""
    names = [edition.name for edition in context.config.digest.editions]
    if not names:
        return None
    label = context.words.say("edition_team")
    choice = st.selectbox(context.words.say("edition"), [label, *names], key="digest_edition")
    return None if choice == label else choice


def picks_elsewhere(context: data.BoardContext, week: str, now: datetime) -> None:
    """Say where this week's stars go when another week is shown (the last week's digest is
    shown until it is sent: the stars just given are not in it)."""
    this_week = data.iso_week(now, context.config.digest.timezone)
    if week == this_week:
        return
    picks = data.picks_of(context.db_url, this_week, context.config.digest.timezone)
    if picks:
        key = "picks_one" if context.words.singular(picks) else "picks_many"
        st.caption(context.words.say(key, count=picks, week=this_week))


context = data.load_context()
st.title(context.words.say("digest_title"), anchor=False)
now = datetime.now(UTC)
week = st.selectbox(context.words.say("week"), next_week_to_send(context, now), key="digest_week")
edition = edition_choice(context)  # what is previewed is what "send now" sends
picks_elsewhere(context, week, now)
shown = replace(context, config=edition_config(context.config, edition)) if edition else context
digest = data.week_digest(shown, week, now)  # read once: the send controls and the preview
send_controls(context, week, now, digest, edition, shown.config.digest)
preview(context, week, digest)
history(data.digest_history(context.db_url, HISTORY_ROWS), context.words)
