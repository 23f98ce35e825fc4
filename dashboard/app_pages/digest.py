"""Digest page: this week's digest as it will be mailed, the send history, and "send now".

The history has a row per mail and per chat post of a week (``watch.chat``: a chat's post is
recorded under "2026-W47 chat:team"), saying where each went.  "Send now" is offered for a
week that has ended only (the current week is previewed, and sent on schedule once it ends);
"post now" posts to the chats that have not got the week yet.  Thin: the HTML comes from the digest renderer through ``data.digest_preview_html``; it is
shown in an iframe loaded from a ``data:`` URL, so it runs in an opaque origin with no access
to the board.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from dashboard import data, view
from watch.chat import chat_record_key, split_record_key
from watch.digest_job import send_chats
from watch.digest_weeks import has_ended, local_time, scheduled_send, when_sent
from watch.digest_weeks import picks_elsewhere as stars_note
from watch.store.base import DigestRecord
from watch.wording import counted

HISTORY_ROWS = 60  # send-history rows read: a mail and a post per chat for each of the last weeks


def preview(context: data.BoardContext, week: str) -> None:
    st.subheader(f"Preview of {week}")
    html = data.digest_preview_html(context, week)
    encoded = base64.b64encode(html.encode("utf-8")).decode("ascii")
    st.iframe(f"data:text/html;charset=utf-8;base64,{encoded}", height=900)


def history(records: list[DigestRecord]) -> None:
    st.subheader("Send history")
    if not records:
        st.caption("No digest sent yet.")
        return
    now = datetime.now(UTC)
    frame = pd.DataFrame([history_row(record, now) for record in records])
    st.dataframe(frame, hide_index=True, width="stretch")


def history_row(record: DigestRecord, now: datetime) -> dict[str, object]:
    """One send of the history: the week, where it went (mail or which chat), how it went."""
    week, chat = split_record_key(record.week)
    kind = record.recipients[0].partition(":")[0].capitalize() if chat and record.recipients else ""
    return {
        "Week": week,
        "Sent to": f"{kind} chat {chat!r}".strip() if chat else "mail",
        "Status": record.status,
        "Sent": view.humanize_age(record.sent_at, now) if record.sent_at else "",
        "Attempts": record.attempts,
        "Recipients": "" if chat else ", ".join(record.recipients),
        "Error": record.error or "",
        "Next retry": view.humanize_age(record.next_retry, now) if record.next_retry else "",
    }


def send_controls(context: data.BoardContext, week: str, now: datetime) -> None:
    """Send and post now, for a week that has ended; for this week, when it is sent."""
    if not has_ended(week, context.config.digest.timezone, now):
        st.caption(f"{week} {when_sent(week, context.config.digest)}.")
        return
    send_button(context, week)
    chat_button(context, week)


def send_button(context: data.BoardContext, week: str) -> None:
    recipients = context.config.digest.recipients
    if context.settings.smtp is None:
        st.caption("Sending is off: set WATCH_SMTP_HOST (and WATCH_SMTP_*) to send from here.")
        return
    if not recipients:
        st.caption("Sending is off: add `digest.recipients` to sources.yaml.")
        return
    sent = _posted(data.reader(context.db_url).get_digest(week))
    label = f"Send {week} {'again' if sent else 'now'} to {counted(len(recipients), 'recipient')}"
    if sent:
        st.caption(f"{week} was mailed already: sending it again mails every recipient twice.")
    elif datetime.now(UTC) >= (due := scheduled_send(week, context.config.digest)):
        st.caption(
            f"{week} is due since {local_time(due, context.config.digest.timezone)}: `watch run` "
            "sends it at its next check (every 5 minutes while it runs); this button sends it now."
        )
    if st.button(label, key="send_digest", type="secondary" if sent else "primary"):
        record = data.send_digest_now(context, week)
        if record is None:
            st.error("Sending is off: set WATCH_SMTP_HOST (and WATCH_SMTP_*) to send from here.")
        elif record.status == "sent":
            st.success(f"Sent to {view.escape_markdown(', '.join(record.recipients))}.")
        else:
            st.error(f"Not sent: {view.escape_markdown(record.error or record.status)}")


def chat_button(context: data.BoardContext, week: str) -> None:
    """Post the week now to the chats of ``digest.chats`` that have not got it (never twice to
    the same chat: ``watch digest --send --force`` posts again), saying how each went."""
    chats = context.config.digest.chats
    store = data.reader(context.db_url)
    unsent = [c.name for c in chats if not _posted(store.get_digest(chat_record_key(week, c.name)))]
    if chats and not unsent:
        st.caption(f"{week} was posted to every chat ({len(chats)}).")
    if not unsent or not st.button(
        f"Post {week} now to {len(unsent)} chat(s) not posted yet",
        key="post_digest_chats",
        help=f"Posts to {', '.join(unsent)}.",
    ):
        return
    writer = data.writer(context.db_url)
    records = send_chats(
        writer, context.config, context.settings.chats, week, now=datetime.now(UTC)
    )
    data.refresh()
    for record in (r for r in records if split_record_key(r.week)[1] in unsent):
        chat = view.escape_markdown(split_record_key(record.week)[1] or "")
        if record.status == "sent":
            st.success(f"Posted to chat {chat}.")
        else:
            st.error(f"Not posted to chat {chat}: {view.escape_markdown(record.error or '')}")


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
        if record.status == "sent"
    }
    return [this_week, last_week] if last_week in sent else [last_week, this_week]


def picks_elsewhere(context: data.BoardContext, week: str, now: datetime) -> None:
    """Say where this week's stars go when another week is shown (the last week's digest is
    shown until it is sent: the stars just given are not in it)."""
    this_week = data.iso_week(now, context.config.digest.timezone)
    if week == this_week:
        return
    picks = data.picks_of(context.db_url, this_week, context.config.digest.timezone)
    if picks:
        st.caption(stars_note(picks, this_week, "choose that week to preview the picks."))


context = data.load_context()
st.title(":material/mail: Weekly digest")
now = datetime.now(UTC)
week = st.selectbox("Week", next_week_to_send(context, now), key="digest_week")
picks_elsewhere(context, week, now)
send_controls(context, week, now)
preview(context, week)
history(data.digest_history(context.db_url, HISTORY_ROWS))
