"""Alerts: tell the team at once when a new article matches a saved filter (``alerts:`` in
sources.yaml, ``watch.config.alerts``), by mail and in its chats.

An alert is a board filter that notifies: its ``query``, ``topics`` and ``min_score`` are an
``ArticleQuery`` matched in SQL (``Store.query_articles``), one story per cluster (its best
copy), best score first.  The message is ``watch.alert_message``'s; ``watch run`` calls
``run_alerts`` every minute, ``watch alerts`` (``watch.alert_commands``) shows or sends now.

What an alert has sent is kept per destination (the mail, each chat), so that each fails and
catches up on its own, in Store meta under ``alert:NAME`` (``DestinationState``):

- ``mark``: the newest article id when it last looked.  On first sight a destination records
  the newest id and sends nothing (no flood of history); later runs send the matches of id
  above the mark (and up to the newest id read before the query), then advance it.
- ``sent``: the stories (cluster ids; ``-id`` for an article alone) already sent, the last
  ``REMEMBERED``: a later copy of the same story from another source is not a new alert.
- ``error`` and ``failures``: a failed send (SMTP down, chat 5xx, a variable not set) leaves
  the mark where it was, so the next run sends again (delivery is at least once, as the
  digest's); a failure is logged when it starts or its error changes, not every minute.

Why meta and not a table: the state is one small JSON value per alert, always read and written
whole; ``Store.update_meta`` writes it in one transaction that merges one destination's change
into what is stored (the mark only moves forward), so ``watch alerts --send`` and the scheduler
never erase each other's record; at worst both send a story once each (at least once).

An article published more than ``MAX_AGE`` ago, or an undated one of a source's first
collection, is not news: a new source's backlog never sets the alerts off.
"""

from __future__ import annotations

import json
import logging
import ssl
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from watch.alert_message import AlertMessage, alert_message, chat_payload, mail_message
from watch.chat import ChatError, post_to_chat
from watch.config import Settings, SmtpSettings, WatchConfig
from watch.config.alerts import AlertConfig
from watch.config.environment import ChatWebhooks
from watch.mailer import SendError, send_message
from watch.models import StoredArticle
from watch.store.base import ArticleQuery, Store
from watch.wording import counted

log = logging.getLogger(__name__)

META_PREFIX = "alert:"
MAIL = "mail"
CHAT_PREFIX = "chat:"
REMEMBERED = 1000
"""Stories remembered as sent, per alert and destination."""
MAX_MATCHES = 500
"""Stories read per alert and run: a message counts at most this many (the best ones)."""
MAX_AGE = timedelta(days=3)
"""An article published longer ago is not news for an alert."""

STARTED = "started: articles stored from now on are sent when they match"
Status = Literal["started", "sent", "failed", "nothing new", "would send", "not started"]


@dataclass(frozen=True)
class DestinationState:
    """What one alert has done for one destination (see the module docstring)."""

    mark: int
    sent: tuple[int, ...] = ()
    error: str | None = None
    failures: int = 0


Change = Callable[[DestinationState | None], DestinationState]
"""A change of one destination's state, given the one stored (None: never started)."""


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


class NotSent(Exception):
    """A destination could not be reached; the message says why (no secret in it)."""


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
    outcomes: list[AlertOutcome] = []
    for alert in config.alerts:
        if names is None or alert.name in names:
            outcomes += run_alert(store, config, alert, channels, newest, now, send=send)
    return outcomes


def run_alert(
    store: Store,
    config: WatchConfig,
    alert: AlertConfig,
    channels: Channels,
    newest: int,
    now: datetime,
    *,
    send: bool = True,
) -> list[AlertOutcome]:
    """One alert, each of its destinations on its own."""
    states = read_states(store, alert.name)
    outcomes = []
    for destination in destinations(alert):
        state = states.get(destination)
        if state is None:
            if send:
                _save(store, alert.name, destination, lambda s: s or DestinationState(newest))
                where = destination_words(alert, destination)
                log.info("alert %s %s: %s", alert.name, where, STARTED)
            status: Status = "started" if send else "not started"
            outcomes.append(AlertOutcome(alert.name, destination, status))
            continue
        stories = new_stories(store, alert, state, newest, now)
        if not stories:
            if send and newest > state.mark:
                _save(store, alert.name, destination, lambda s: _advanced(s, newest, []))
            outcomes.append(AlertOutcome(alert.name, destination, "nothing new"))
        elif not send:
            message = alert_message(config, alert, stories)
            outcomes.append(AlertOutcome(alert.name, destination, "would send", message))
        else:
            outcomes.append(
                _deliver(store, config, alert, destination, state, stories, channels, newest)
            )
    return outcomes


def destinations(alert: AlertConfig) -> list[str]:
    """Where ``alert`` goes: "mail" when it has recipients, then "chat:NAME" per chat."""
    return ([MAIL] if alert.recipients else []) + [CHAT_PREFIX + name for name in alert.chats]


def alert_query(alert: AlertConfig, after: int, upto: int, now: datetime) -> ArticleQuery:
    """The board filter of ``alert`` over the articles of id in (after, upto]: one per story,
    best score first."""
    return ArticleQuery(
        text=alert.query,
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


def new_stories(
    store: Store, alert: AlertConfig, state: DestinationState, newest: int, now: datetime
) -> list[StoredArticle]:
    """The stories matching ``alert`` stored after ``state.mark``, not sent yet."""
    if newest <= state.mark:
        return []
    sent = set(state.sent)
    matches = store.query_articles(alert_query(alert, state.mark, newest, now))
    return [article for article in matches if story_key(article) not in sent]


def story_key(article: StoredArticle) -> int:
    """The story an article belongs to: its cluster, or itself (``-id``) when alone."""
    return article.cluster_id if article.cluster_id is not None else -article.id


def _deliver(
    store: Store,
    config: WatchConfig,
    alert: AlertConfig,
    destination: str,
    state: DestinationState,
    stories: list[StoredArticle],
    channels: Channels,
    newest: int,
) -> AlertOutcome:
    """Send ``stories`` to one destination; advance its mark only once sent."""
    message = alert_message(config, alert, stories)
    where = destination_words(alert, destination)
    try:
        _send(config, alert, destination, message, channels)
    except NotSent as exc:
        error = str(exc)
        if error != state.error:
            log.warning(
                "alert %s not sent %s: %s; sent again at the next run", alert.name, where, error
            )
        _save(store, alert.name, destination, lambda s: _failed(s or state, error))
        return AlertOutcome(alert.name, destination, "failed", message, error)
    after = f" (after {state.failures} failed attempts)" if state.failures else ""
    log.info(
        "alert %s: %s sent %s%s", alert.name, counted(message.count, "new story"), where, after
    )
    keys = [story_key(article) for article in stories]
    _save(store, alert.name, destination, lambda s: _advanced(s, newest, keys))
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
        raise NotSent(str(exc)) from None


# -- the state in Store meta -------------------------------------------------------------------


def read_states(store: Store, name: str) -> dict[str, DestinationState]:
    """Each destination's state of alert ``name`` (none for a destination never started)."""
    return _parse(store.get_meta(META_PREFIX + name))


def _parse(raw: str | None) -> dict[str, DestinationState]:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    states: dict[str, DestinationState] = {}
    for destination, value in data.items() if isinstance(data, dict) else ():
        try:
            states[destination] = DestinationState(
                mark=int(value["mark"]),
                sent=tuple(int(key) for key in value.get("sent", ())),
                error=value.get("error"),
                failures=int(value.get("failures", 0)),
            )
        except (TypeError, ValueError, KeyError, AttributeError):
            continue  # unreadable: started again (records the newest id, sends nothing)
    return states


def _save(store: Store, name: str, destination: str, change: Change) -> None:
    """Change one destination's state in one transaction, keeping the others as stored."""

    def changed(raw: str | None) -> str:
        states = _parse(raw)
        states[destination] = change(states.get(destination))
        return json.dumps({key: asdict(state) for key, state in states.items()})

    store.update_meta(META_PREFIX + name, changed)


def _advanced(state: DestinationState | None, newest: int, keys: Sequence[int]) -> DestinationState:
    """The state once what was new up to ``newest`` went out (or nothing was new)."""
    mark = max(state.mark if state else 0, newest)
    sent = [key for key in (state.sent if state else ()) if key not in keys] + list(keys)
    return DestinationState(mark=mark, sent=tuple(sent[-REMEMBERED:]))


def _failed(state: DestinationState, error: str) -> DestinationState:
    return replace(state, error=error, failures=state.failures + 1)
