"""The ``alerts:`` section of sources.yaml: saved board filters that notify at once.

``AlertConfig`` is one alert: a ``name``, an optional ``label`` heading its message, what it
matches (``query`` in the board's search syntax, whole words only, ``topics``, ``min_score``: at
least one; a query that only leaves words out, "-drupal", needs topics or min_score) and
where it goes (``recipients`` by mail, ``chats`` named in ``digest.chats``: at least one).
``check_alerts`` makes the checks that need the whole file (topics defined, chats named in
``digest.chats``, distinct names); ``WatchConfig`` applies it, each error located at its entry.
What an alert sends and when is ``watch.alerts``'s business.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

from watch.config.fields import ID_PATTERN, _check_label, _Strict
from watch.config.outputs import _check_recipients


class AlertConfig(_Strict):
    """One alert: which new articles it tells about, and to whom."""

    name: str = Field(pattern=ID_PATTERN)
    label: str = ""
    """What heads its message (the mail's subject); ``name`` when empty."""
    query: str | None = None
    """The board's search syntax (``watch.store.sql_search``): words, "phrases", -words, OR;
    its last word is a whole word, not a prefix as on the board while one types."""
    topics: tuple[str, ...] = ()
    """Articles about any of these topics."""
    min_score: float | None = Field(default=None, ge=0, le=100)
    recipients: tuple[str, ...] = ()
    chats: tuple[str, ...] = ()
    """Names of ``digest.chats``: the same webhooks as the digest's."""

    _valid_label = field_validator("label")(_check_label)
    _valid_recipients = field_validator("recipients")(_check_recipients)  # the digest's check

    @field_validator("query")
    @classmethod
    def _searches_something(cls, value: str | None) -> str | None:
        from watch.store.sql_search import parse_search

        if value is not None and not parse_search(value):
            raise ValueError(
                f"{value!r} has no word to search for (the board's syntax: words, "
                '"a phrase", -word, a OR b)'
            )
        return value

    @model_validator(mode="after")
    def _filters_and_destination(self) -> AlertConfig:
        from watch.store.sql_search import requires_a_word

        if self.query is None and not self.topics and self.min_score is None:
            raise ValueError(
                "an alert needs at least one of query, topics or min_score (without any, "
                "it would send every new article)"
            )
        only_excludes = self.query is not None and not requires_a_word(self.query)
        if only_excludes and not self.topics and self.min_score is None:
            raise ValueError(
                f"query {self.query!r} only leaves words out: alone, it would send every "
                "other new article (add a word to search for, topics or min_score)"
            )
        if not self.recipients and not self.chats:
            raise ValueError(
                "an alert needs somewhere to go: recipients (e-mail addresses) or chats "
                "(names of digest.chats)"
            )
        return self

    @property
    def display_name(self) -> str:
        """What heads its message: its label, else its name."""
        return self.label or self.name


def check_alerts(
    alerts: Sequence[AlertConfig], topics: Sequence[str] | None, chats: Sequence[str] | None
) -> None:
    """Raise a ValidationError locating each alert that names a topic not among ``topics``, a
    chat not among ``chats`` (``digest.chats``), or a name used above; None (the section did
    not validate) skips that check."""
    from watch.config.loading import _undefined

    problems: list[tuple[tuple[str | int, ...], str]] = []
    first: dict[str, int] = {}
    for index, alert in enumerate(alerts):
        if alert.name in first:
            where = f"alerts[{first[alert.name]}]"
            problems.append(((index, "name"), f"duplicate name {alert.name!r} (first: {where})"))
        first.setdefault(alert.name, index)
        if topics is not None:
            problems += [
                ((index, "topics", pos), _undefined(topic, list(topics)))
                for pos, topic in enumerate(alert.topics)
                if topic not in topics
            ]
        if chats is not None:
            problems += [
                ((index, "chats", pos), _unknown_chat(chat, chats))
                for pos, chat in enumerate(alert.chats)
                if chat not in chats
            ]
    if problems:
        raise ValidationError.from_exception_data("alerts", [_error(*p) for p in problems])


def _unknown_chat(chat: str, chats: Sequence[str]) -> str:
    named = ", ".join(chats) if chats else "none is"
    return f"chat {chat!r} is not in digest.chats (named there: {named})"


def _error(loc: tuple[str | int, ...], message: str) -> InitErrorDetails:
    # a custom error's message is a template: the names in it are ids, never braces
    error = PydanticCustomError("alert", message.replace("{", "(").replace("}", ")"))
    return InitErrorDetails(type=error, loc=loc, input=None)
