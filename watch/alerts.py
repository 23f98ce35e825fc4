"""Alerts: tell the team at once when a new article matches a saved filter (``alerts:`` in
sources.yaml, ``watch.config.alerts``), by mail and in its chats.

An alert is a board filter that notifies: its ``query``, ``topics`` and ``min_score`` are an
``ArticleQuery`` matched in SQL (``Store.query_articles``), one story per cluster (its best
copy), best score first.  The message is ``watch.alert_message``'s; ``watch run`` calls
``run_alerts`` every minute, ``watch alerts`` (``watch.alert_commands``) shows or sends now.

What an alert has sent is kept per destination (the mail, each chat), so that each fails and
catches up on its own (``watch.alert_state``: a ``mark``, the newest article id when it last
looked, and the stories sent).  On first sight a destination records the newest id and sends
nothing (no flood of history); later runs send the matches of id above the mark (and up to the
newest id read before the query), then advance it.  A destination is seen for the first time
again when it was not configured at the previous sending run (``alert_state.ROSTER``, each
alert's pairs updated as soon as it has run; a ``--name`` run updates only the alerts it runs,
a dry run nothing): a chat, the recipients or a whole alert taken off and put back later start
afresh, rather than from their old mark with days of stories in one message.  A later copy of a
story already sent (another source, same cluster) is not a new alert.

A failed send (SMTP down, chat 5xx, a variable not set) leaves the mark where it was, so the
next run sends again (delivery is at least once, as the digest's); a failure is logged when it
starts or its error changes, not every minute.  A chat that refuses the post for good
(``ChatError.permanent``: 400, 401, 403, 404, 410: the webhook wrong or gone, or the post itself
refused) is not retried: that message is dropped for that chat, said in a warning, and the mark
advances.  Retrying every minute could not succeed before someone fixes the webhook, would send
the same refused post again and would hold back the newer stories; alerts are news, and after
``MAX_AGE`` they would be dropped anyway.  The next new story is tried again (the chat may have
been fixed by then).

An article of a ``full_text:`` source is classified and scored again once its page is read
(``watch.full_text``), seconds to minutes after it is stored: judged before, on its feed's
teaser alone, it would be missed and the mark moved past it.  So a run judges only the articles
below the first one still waiting for its page (never tried: ``Store.articles_waiting_for_text``)
above a destination's mark, and the mark stops there (``Horizon``): ids stay in order, nothing
is judged twice or skipped.  An article waits ``TEXT_GRACE`` at most (then it is judged with
what it has: a dead page never blocks an alert); one whose page failed does not wait.

An article published more than ``MAX_AGE`` ago is not news, nor is an undated item of a
source's first collection (its date is when the source was added).  The dated items of a new
source's first collection published within ``MAX_AGE`` do set the alerts off, as any new
article would.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Literal

from watch.alert_message import AlertMessage, alert_message, chat_payload, mail_message
from watch.alert_state import (
    Change,
    DestinationState,
    advanced,
    failed,
    read_roster,
    read_states,
    roster_entry,
    save_state,
    update_roster,
)
from watch.chat import ChatError, post_to_chat
from watch.config import Settings, SmtpSettings, WatchConfig
from watch.config.alerts import AlertConfig
from watch.config.environment import ChatWebhooks
from watch.mailer import SendError, send_message
from watch.models import StoredArticle, story_key  # story_key: still importable from here
from watch.store.base import ArticleQuery, Store
from watch.wording import counted

log = logging.getLogger(__name__)

MAIL = "mail"
CHAT_PREFIX = "chat:"
MAX_MATCHES = 500
"""Stories read per alert and run: a message counts at most this many (the best ones)."""
MAX_AGE = timedelta(days=3)
"""An article published longer ago is not news for an alert."""
TEXT_GRACE = timedelta(minutes=15)
"""How long after it was first seen an article of a ``full_text:`` source waits for its page
before an alert judges it with its feed's text."""

STARTED = "started: articles stored from now on are sent when they match"
Status = Literal["started", "sent", "failed", "refused", "nothing new", "would send", "not started"]


@dataclass(frozen=True)
class Channels:
    """How to reach the destinations: the SMTP server and the chats' webhook URLs."""

    smtp: SmtpSettings | None
    webhooks: ChatWebhooks
    ssl_context: ssl.SSLContext | None = None


@dataclass(frozen=True)
class AlertOutcome:
    """What one run of one alert did for one destination."""

    alert: str
    destination: str
    """"mail" or "chat:NAME"."""
    status: Status
    message: AlertMessage | None = None
    error: str | None = None
    waiting: int = 0
    """Articles above the mark still waiting for their page text (judged at a later run)."""


@dataclass(frozen=True)
class Horizon:
    """What a run may judge: the articles up to ``newest`` (its id read before matching), but
    neither those still waiting for their page text (``waiting``, lowest id first) nor any
    stored after one of them."""

    newest: int
    waiting: tuple[int, ...] = ()

    def upto(self, mark: int) -> int:
        """The newest id a destination at ``mark`` may judge now (and move its mark to)."""
        first = next((id_ for id_ in self.waiting if id_ > mark), None)
        return self.newest if first is None else min(self.newest, first - 1)

    def held(self, mark: int) -> int:
        """How many articles above ``mark`` wait for their page text."""
        return sum(1 for id_ in self.waiting if mark < id_ <= self.newest)


class NotSent(Exception):
    """A destination could not be reached; the message says why (no secret in it).
    ``permanent``: it refused the message for good (a chat's ``ChatError.permanent``)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def run_scheduled_alerts(
    store: Store, config: WatchConfig, settings: Settings, now: datetime
) -> None:
    """The ``alerts`` job of ``watch run``, with sources.yaml as the service read it last; an
    error is logged, never raised (the next run tries again)."""
    if not config.alerts:
        return
    try:
        run_alerts(store, config, Channels(settings.smtp, settings.chats), now)
    except Exception:
        log.exception("alerts job failed")


def run_alerts(
    store: Store,
    config: WatchConfig,
    channels: Channels,
    now: datetime,
    *,
    names: Sequence[str] | None = None,
    send: bool = True,
) -> list[AlertOutcome]:
    """Run every alert (or those of ``names``): send what is new to each destination, or with
    ``send=False`` only say what would be sent (nothing sent, nothing recorded)."""
    newest = store.newest_article_id() or 0  # read before matching: later ids are next run's
    horizon = Horizon(newest, waiting_for_text(store, config, now))
    roster = read_roster(store)
    outcomes: list[AlertOutcome] = []
    for alert in config.alerts:
        if names is None or alert.name in names:
            outcomes += run_alert(
                store, config, alert, channels, horizon, now, send=send, roster=roster
            )
    removed = {entry.partition("/")[0] for entry in roster}
    removed -= {alert.name for alert in config.alerts}
    if send and names is None and removed:
        update_roster(store, removed, set())
    return outcomes


def waiting_for_text(store: Store, config: WatchConfig, now: datetime) -> tuple[int, ...]:
    """The articles of the ``full_text:`` sources first seen less than ``TEXT_GRACE`` ago whose
    page was never tried, lowest id first."""
    sources = [source.name for source in config.sources if source.full_text]
    if not sources:
        return ()
    return tuple(store.articles_waiting_for_text(sources, fetched_since=now - TEXT_GRACE))


def run_alert(
    store: Store,
    config: WatchConfig,
    alert: AlertConfig,
    channels: Channels,
    horizon: Horizon,
    now: datetime,
    *,
    send: bool,
    roster: set[str],
) -> list[AlertOutcome]:
    """One alert, each of its destinations on its own; ``roster``: the "alert/destination"
    pairs configured at the previous sending run.  The destinations at the same mark share
    the query."""
    states = read_states(store, alert.name)
    fresh = _fresh(alert, states, roster)
    if send:
        _start(store, alert, fresh, horizon.newest, roster)
    matches: dict[int, list[StoredArticle]] = {}
    outcomes = []
    for destination in destinations(alert):
        if destination in fresh:
            status: Status = "started" if send else "not started"
            outcomes.append(AlertOutcome(alert.name, destination, status))
            continue
        state = states[destination]  # not fresh: it has a state
        upto, waiting = horizon.upto(state.mark), horizon.held(state.mark)
        if state.mark not in matches:
            matches[state.mark] = new_matches(store, alert, state.mark, upto, now)
        stories = not_sent(matches[state.mark], state)
        if not stories:
            if send and upto > state.mark:
                _save(store, alert, destination, partial(advanced, newest=upto, keys=[]))
            outcomes.append(AlertOutcome(alert.name, destination, "nothing new", waiting=waiting))
            continue
        message = alert_message(config, alert, stories)
        if not send:
            outcomes.append(
                AlertOutcome(alert.name, destination, "would send", message, waiting=waiting)
            )
            continue
        outcome = _deliver(
            store, config, alert, destination, state, stories, message, channels, upto
        )
        outcomes.append(replace(outcome, waiting=waiting))
    return outcomes


def _fresh(alert: AlertConfig, states: dict[str, DestinationState], roster: set[str]) -> list[str]:
    """The destinations of ``alert`` seen for the first time: without a state, or not
    configured at the previous sending run (``roster``)."""
    return [
        d
        for d in destinations(alert)
        if d not in states or roster_entry(alert.name, d) not in roster
    ]


def _start(
    store: Store, alert: AlertConfig, fresh: list[str], newest: int, roster: set[str]
) -> None:
    """Start each of ``fresh`` at the newest id (sending nothing), then record the
    destinations of ``alert`` in the roster."""
    for destination in fresh:
        _save(store, alert, destination, lambda _: DestinationState(newest))
        log.info("alert %s %s: %s", alert.name, destination_words(alert, destination), STARTED)
    configured = {roster_entry(alert.name, destination) for destination in destinations(alert)}
    if configured != {e for e in roster if e.startswith(alert.name + "/")}:
        update_roster(store, {alert.name}, configured)


def destinations(alert: AlertConfig) -> list[str]:
    """Where ``alert`` goes: "mail" when it has recipients, then "chat:NAME" per chat."""
    return ([MAIL] if alert.recipients else []) + [CHAT_PREFIX + name for name in alert.chats]


def alert_query(alert: AlertConfig, after: int, upto: int, now: datetime) -> ArticleQuery:
    """The board filter of ``alert`` over the articles of id in (after, upto]: one per story,
    best score first; its query's words are whole words (sent at once, a mail must not
    match "Rustic" for "rust" as the board's search box does while one types)."""
    return ArticleQuery(
        text=alert.query,
        whole_words=True,
        topics=alert.topics or None,
        min_score=alert.min_score,
        since=now - MAX_AGE,
        min_id=after,
        max_id=upto,
        undated_backlog=False,
        one_per_cluster=True,
        order="score",
        limit=MAX_MATCHES,
    )


def new_matches(
    store: Store, alert: AlertConfig, mark: int, newest: int, now: datetime
) -> list[StoredArticle]:
    """The stories matching ``alert`` stored after ``mark`` (up to ``newest``)."""
    if newest <= mark:
        return []
    return store.query_articles(alert_query(alert, mark, newest, now))


def not_sent(matches: list[StoredArticle], state: DestinationState) -> list[StoredArticle]:
    """The stories of ``matches`` one destination has not been sent yet (``state.sent``)."""
    sent = set(state.sent)
    return [article for article in matches if story_key(article) not in sent]


def _deliver(
    store: Store,
    config: WatchConfig,
    alert: AlertConfig,
    destination: str,
    state: DestinationState,
    stories: list[StoredArticle],
    message: AlertMessage,
    channels: Channels,
    upto: int,
) -> AlertOutcome:
    """Send ``message`` (of ``stories``) to one destination; advance its mark (to ``upto``) only
    once sent."""
    where = destination_words(alert, destination)
    try:
        _send(config, alert, destination, message, channels)
    except NotSent as exc:
        error = str(exc)
        if exc.permanent:
            log.warning(
                "alert %s not sent %s: %s; the chat refuses it, so this message (%s) is dropped "
                "for it, never sent again; the next new story is tried again",
                alert.name, where, error, counted(message.count, "story"),
            )  # fmt: skip
            _save(store, alert, destination, lambda s: _dropped(s or state, upto, error))
            return AlertOutcome(alert.name, destination, "refused", message, error)
        if error != state.error:
            log.warning(
                "alert %s not sent %s: %s; sent again at the next run", alert.name, where, error
            )
        _save(store, alert, destination, lambda s: failed(s or state, error))
        return AlertOutcome(alert.name, destination, "failed", message, error)
    after = f" (after {counted(state.failures, 'failed attempt')})" if state.failures else ""
    log.info(
        "alert %s: %s sent %s%s", alert.name, counted(message.count, "new story"), where, after
    )
    keys = [story_key(article) for article in stories]
    _save(store, alert, destination, lambda s: advanced(s, upto, keys))
    return AlertOutcome(alert.name, destination, "sent", message)


def destination_words(alert: AlertConfig, destination: str) -> str:
    """Where a destination is, in words: "by mail to ops@example.org", "to chat team"."""
    if destination == MAIL:
        return "by mail to " + ", ".join(alert.recipients)
    return "to chat " + destination.removeprefix(CHAT_PREFIX)


def _send(
    config: WatchConfig,
    alert: AlertConfig,
    destination: str,
    message: AlertMessage,
    channels: Channels,
) -> None:
    """Hand ``message`` to the mail server or post it to the chat; NotSent when it fails."""
    if destination == MAIL:
        if channels.smtp is None:
            raise NotSent("WATCH_SMTP_HOST is not set")
        mail = mail_message(message, channels.smtp.sender, alert.recipients)
        try:
            send_message(mail, channels.smtp, ssl_context=channels.ssl_context)
        except SendError as exc:
            raise NotSent(str(exc)) from None
        return
    name = destination.removeprefix(CHAT_PREFIX)
    chat = next(chat for chat in config.digest.chats if chat.name == name)
    url = channels.webhooks.urls.get(name)
    if url is None:
        raise NotSent(channels.webhooks.missing.get(name, f"${chat.url_env} is not set"))
    try:
        post_to_chat(chat, url, chat_payload(message, chat.kind), config.fetch)
    except ChatError as exc:
        raise NotSent(str(exc), permanent=exc.permanent) from None


def _save(store: Store, alert: AlertConfig, destination: str, change: Change) -> None:
    """Change one destination's state, dropping those ``alert`` no longer has."""
    save_state(store, alert.name, destination, change, destinations(alert))


def _dropped(state: DestinationState, upto: int, error: str) -> DestinationState:
    """The state once a message refused for good is dropped: the mark past it, the failure
    counted (the stories not remembered as sent: a later copy may be sent)."""
    return failed(replace(state, mark=max(state.mark, upto)), error)
