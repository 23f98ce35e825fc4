"""What watch sends and shows, as sources.yaml sets it: the weekly digest (``digest:``), the
chats it is posted to (``digest.chats``), its other editions (``digest.editions``: the same watch
told to other audiences, by mail) and the board (``board:``).  Strict pydantic models like
``watch.config.schema``'s, which puts them in ``WatchConfig``.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from watch.config.fields import (
    ENV_NAME_PATTERN,
    ID_PATTERN,
    _check_http_url,
    _check_timezone,
    _Strict,
)


class ChatConfig(_Strict):
    """A chat the digest is posted to (``digest.chats``): its incoming webhook's URL is a secret,
    read from the environment variable ``url_env``, never written in sources.yaml."""

    name: str = Field(pattern=ID_PATTERN)
    kind: Literal["slack", "mattermost"]
    url_env: str

    @model_validator(mode="before")
    @classmethod
    def _no_url_in_the_file(cls, data: object) -> object:
        if isinstance(data, dict) and "url" in data:
            raise ValueError(
                "a webhook URL is a secret (whoever has it can post): put it in an environment "
                "variable and name that variable with url_env, e.g. url_env: SLACK_DIGEST_URL"
            )
        return data

    @field_validator("url_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        if not re.match(ENV_NAME_PATTERN, value):
            raise ValueError(
                f"{value!r} is not an environment variable name: capital letters, digits and "
                "'_', starting with a letter (e.g. SLACK_DIGEST_URL)"
            )
        return value


LeftOut = Literal["why", "trends", "health"]
"""A part a client-facing digest does without: the stories' "why" lines, the week's trends, the
sources' health."""


def _check_recipients(values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        if not re.match(r"^[^@\s<>,;\r\n]+@[^@\s<>,;\r\n]+\.[^@\s<>,;\r\n]+$", value):
            raise ValueError(f"{value!r} is not an e-mail address")
    return values


def _twice(names: list[str]) -> list[str]:
    """The names given more than once, sorted."""
    return sorted({name for name in names if names.count(name) > 1})


def _check_schedule(value: str | None) -> str | None:
    if value is not None and not re.match(
        r"^(mon|tue|wed|thu|fri|sat|sun) ([01]\d|2[0-3]):[0-5]\d$", value
    ):
        raise ValueError(f"{value!r} is not like 'mon 08:00'")
    return value


def _check_board_url(value: str | None) -> str | None:
    """An http(s) URL, private addresses welcome (the board is often on the intranet): one
    without a scheme used to pass and every "On the board" link silently disappeared."""
    if value is None:
        return None
    value = _check_http_url(value, "the board's address is only a link")
    if any(char.isspace() for char in value):
        raise ValueError(f"{value!r} cannot hold a space in a link (write it %20)")
    return value


NO_BOARD = "none"
"""An edition's ``board_url: none``: no "On the board" link, whatever ``digest.board_url`` says
(a client without access to the intranet board)."""


def _check_edition_board_url(value: str | None) -> str | None:
    return value if value == NO_BOARD else _check_board_url(value)


def _check_digest_language(value: str | None) -> str | None:
    return None if value is None else _check_language(value, "the digest is written in")


class EditionConfig(_Strict):
    """Another audience of the weekly digest (``digest.editions``), mailed once a week too: its
    own recipients, and what it changes of ``digest:`` (None: as the digest, e.g. ``language:
    en`` for a partner, ``leave_out`` and fewer ``topics`` for a client).  Mail only: the chats
    are the team's own channels."""

    name: str = Field(pattern=ID_PATTERN)
    recipients: tuple[str, ...] = Field(min_length=1)
    language: str | None = None
    topics: tuple[str, ...] | None = None
    stories_per_topic: int | None = Field(default=None, ge=1, le=50)
    leave_out: tuple[LeftOut, ...] | None = None
    board_url: str | None = None
    """The board's address in this edition's links; "none": no link to the board; None: the
    digest's."""
    schedule: str | None = None
    timezone: str | None = None

    _recipients = field_validator("recipients")(_check_recipients)
    _language = field_validator("language")(_check_digest_language)
    _schedule = field_validator("schedule")(_check_schedule)
    _timezone = field_validator("timezone")(_check_timezone)
    _board_url = field_validator("board_url")(_check_edition_board_url)

    def digest_config(self, digest: DigestConfig) -> DigestConfig:
        """The digest this edition is: ``digest`` with what the edition sets, its recipients,
        no chats and no editions (so the digest's own code gathers, renders and sends it)."""
        own = self.model_dump(exclude={"name"}, exclude_none=True)
        if own.get("board_url") == NO_BOARD:
            own["board_url"] = None
        return digest.model_copy(update={**own, "chats": (), "editions": ()})


class DigestConfig(_Strict):
    """The weekly digest: when, to whom (mail recipients, chats, other editions), how much."""

    schedule: str = "mon 08:00"
    timezone: str = "Europe/Paris"
    recipients: tuple[str, ...] = ()
    stories_per_topic: int = Field(default=5, ge=1, le=50)
    topics: tuple[str, ...] = ()
    board_url: str | None = None
    language: str = "en"
    """The language the digest is written in: a table of ``watch.digest_lang`` (en, fr, de)."""
    chats: tuple[ChatConfig, ...] = ()
    """Chats (Slack, Mattermost incoming webhooks) the digest is posted to, besides the mail."""
    leave_out: tuple[LeftOut, ...] = ()
    """Parts a client-facing digest does without: the stories' "why" lines, the week's trends,
    the sources' health."""
    editions: tuple[EditionConfig, ...] = ()
    """Other audiences of the same watch, each mailed its own digest once a week."""

    @field_validator("chats")
    @classmethod
    def _distinct_chats(cls, chats: tuple[ChatConfig, ...]) -> tuple[ChatConfig, ...]:
        twice = _twice([chat.name for chat in chats])
        if twice:
            raise ValueError(f"duplicate chat name {twice[0]!r}: each chat is sent once a week")
        return chats

    @field_validator("editions")
    @classmethod
    def _distinct_editions(
        cls, editions: tuple[EditionConfig, ...], info: ValidationInfo
    ) -> tuple[EditionConfig, ...]:
        names = [edition.name for edition in editions]
        twice = _twice(names)
        if twice:
            raise ValueError(
                f"duplicate edition name {twice[0]!r}: each edition is sent once a week"
            )
        chats = {chat.name for chat in info.data.get("chats", ())}
        both = sorted(chats.intersection(names))
        if both:
            raise ValueError(
                f"edition name {both[0]!r} is a chat's name too: give the edition another name "
                "(`watch status` and the board tell them apart by name)"
            )
        return editions

    def edition(self, name: str) -> EditionConfig | None:
        """The edition called ``name`` (None when there is none)."""
        return next((edition for edition in self.editions if edition.name == name), None)

    _language = field_validator("language")(_check_digest_language)
    _schedule = field_validator("schedule")(_check_schedule)
    _valid_timezone = field_validator("timezone")(_check_timezone)
    _board_link = field_validator("board_url")(_check_board_url)
    _valid_recipients = field_validator("recipients")(_check_recipients)


class BoardConfig(_Strict):
    """The board: the language it is written in (``board: language: fr``); the digest's language
    when not set, so a team that reads its digest in French reads its board in French too."""

    language: str | None = None

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str | None) -> str | None:
        return None if value is None else _check_language(value, "the board is written in")


def _check_language(value: str, what: str) -> str:
    """``value`` if it is a code of ``watch.digest_lang.LANGUAGES``; ValueError otherwise."""
    from watch.digest_lang import LANGUAGES

    if value not in LANGUAGES:
        *others, last = LANGUAGES
        known = f"{', '.join(others)} or {last}" if others else last
        raise ValueError(f"{value!r} is not a language {what} ({known})")
    return value
