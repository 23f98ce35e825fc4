"""Everything the project reads from the environment, resolved once into ``Settings``.

``WATCH_CONFIG``, ``WATCH_DB``, ``WATCH_MODEL``, ``WATCH_SMTP_*``, each source's
``credentials_env`` prefix and each digest chat's ``url_env`` (a webhook URL is a secret: whoever
has it can post; it is kept out of every repr, and ``ChatWebhooks.missing`` names the variables
that are not set, never a value).  This is the only module of ``watch`` that reads ``os.environ``;
everything else receives the values as parameters.  ``Settings`` keeps the environment it was
resolved from, so a long-running process (``watch run``) reads the credentials of the sources
of a reloaded sources.yaml from the same snapshot (``Settings.with_credentials``), and the
webhook URLs of its ``digest.chats`` with them.

The model file follows the database it was trained from (``default_model_path``): beside a
SQLite file and named after it (``team-a.db`` → ``team-a.model.pkl``), else beside the config
file and named after it (``team-a.yaml`` with PostgreSQL → ``team-a.model.pkl``), so two
configs in one folder keep a model each; ``$WATCH_MODEL`` overrides it.  The file of earlier
versions, ``watch-model.pkl`` beside sources.yaml, is still used with the default database
until a model exists at the new place.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from watch.config.loading import ConfigError
from watch.config.schema import SourceConfig, WatchConfig

LEGACY_MODEL_NAME = "watch-model.pkl"
"""The model file of earlier versions, beside sources.yaml whatever the database."""


@dataclass(frozen=True)
class SmtpSettings:
    """Mail server settings, from WATCH_SMTP_* variables; password is never printed."""

    host: str
    port: int
    security: Literal["starttls", "ssl", "none"]
    user: str | None
    password: str | None = field(repr=False)
    sender: str


@dataclass(frozen=True, eq=False)
class Credentials(Mapping[str, Mapping[str, str]]):
    """Per source name: ``token``, ``user``, ``password`` read from its credentials_env prefix.

    ``missing`` maps the name of a source whose variables are not set to a sentence naming them
    (its requests go out without credentials; ``watch check`` warns, a 401/403 says why).
    """

    found: Mapping[str, Mapping[str, str]] = field(default_factory=dict, repr=False)
    missing: Mapping[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Mapping[str, str]:
        return self.found[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.found)

    def __len__(self) -> int:
        return len(self.found)


@dataclass(frozen=True)
class ChatWebhooks:
    """Per chat name (``digest.chats``): its webhook URL, read from the chat's ``url_env``.

    ``missing`` maps the name of a chat whose variable is not set (or empty) to a sentence
    naming the variable; ``urls`` is never shown (``repr`` leaves it out).
    """

    urls: Mapping[str, str] = field(default_factory=dict, repr=False)
    missing: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """Everything read from the environment and the command line, resolved once."""

    config_path: Path
    db_url: str
    smtp: SmtpSettings | None
    model_path: Path = Path("watch.model.pkl")
    """The classifier's model file (rebuilt when missing or incompatible)."""
    credentials: Credentials = field(default_factory=Credentials, repr=False)
    """Per source name: token, user, password read from the source's credentials_env prefix."""
    env: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    """The environment these settings were resolved from."""
    chats: ChatWebhooks = field(default_factory=ChatWebhooks, repr=False)
    """Per chat name of ``digest.chats``: its webhook URL, read from its ``url_env``."""

    def with_credentials(self, config: WatchConfig) -> Settings:
        """The same settings with the credentials of ``config``'s sources and the webhook URLs
        of its digest chats (same environment)."""
        return replace(
            self,
            credentials=read_credentials(config, self.env),
            chats=read_chat_webhooks(config, self.env),
        )


def default_config_path(env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    return Path(env.get("WATCH_CONFIG") or "sources.yaml")


def resolve_settings(
    config_path: str | Path | None = None,
    db_url: str | None = None,
    config: WatchConfig | None = None,
    env: dict[str, str] | None = None,
) -> Settings:
    """Resolve paths, database URL, SMTP and credentials from arguments then the environment."""
    env = dict(os.environ) if env is None else env
    path = Path(config_path) if config_path else default_config_path(env)
    url = db_url or env.get("WATCH_DB") or f"sqlite:///{(path.resolve().parent / 'watch.db')}"
    credentials = read_credentials(config, env) if config else Credentials()
    chats = read_chat_webhooks(config, env) if config else ChatWebhooks()
    default_db = not (db_url or env.get("WATCH_DB"))
    model = Path(env.get("WATCH_MODEL") or default_model_path(path, url, default_db))
    return Settings(path, url, _smtp_from_env(env), model, credentials, env, chats)


def default_model_path(config_path: Path, db_url: str, default_db: bool = False) -> Path:
    """The model file of a database: ``<db>.model.pkl`` beside a SQLite file, else
    ``<config>.model.pkl`` beside the config file.  ``watch-model.pkl`` beside the config file
    (the name of earlier versions) is moved to the new name when the database is the default
    one (``default_db``) and no model exists there yet (kept, and used, if it cannot be)."""
    folder = config_path.resolve().parent
    database = _sqlite_file(db_url)
    named_after = database or config_path
    model = (database.parent if database else folder) / f"{named_after.stem}.model.pkl"
    legacy = folder / LEGACY_MODEL_NAME
    if default_db and not model.exists() and legacy.exists():
        try:
            legacy.rename(model)
        except OSError:
            return legacy
    return model


def _sqlite_file(db_url: str) -> Path | None:
    """The file of a ``sqlite:///path`` URL (absolute), None for another database or one in
    memory."""
    scheme, sep, rest = db_url.partition("://")
    if not sep or scheme.split("+")[0].lower() != "sqlite" or not rest.startswith("/"):
        return None
    database = rest[1:].partition("?")[0]
    if database in ("", ":memory:"):
        return None
    return Path(database).resolve()


def read_chat_webhooks(config: WatchConfig, env: Mapping[str, str]) -> ChatWebhooks:
    """The webhook URL of every chat of ``digest.chats``, and which variables are unset."""
    urls: dict[str, str] = {}
    missing: dict[str, str] = {}
    for chat in config.digest.chats:
        value = env.get(chat.url_env, "").strip()
        if value:
            urls[chat.name] = value
        else:
            missing[chat.name] = f"${chat.url_env} is not set"
    return ChatWebhooks(urls, missing)


def read_credentials(config: WatchConfig, env: Mapping[str, str]) -> Credentials:
    """The credentials of every source with a ``credentials_env``, and which ones are unset."""
    found: dict[str, dict[str, str]] = {}
    missing: dict[str, str] = {}
    for source in config.sources:
        if source.credentials_env:
            prefix = source.credentials_env
            values = {
                k: env[f"{prefix}_{k.upper()}"]
                for k in ("token", "user", "password")
                if f"{prefix}_{k.upper()}" in env
            }
            found[source.name] = values
            if problem := _missing_variables(source, values):
                missing[source.name] = problem
    return Credentials(found, missing)


def _missing_variables(source: SourceConfig, values: Mapping[str, str]) -> str | None:
    """Which variables of the source's prefix are not set, in words (None when usable)."""
    prefix = source.credentials_env
    if values.get("token") or (values.get("user") and "password" in values):
        return None
    if values.get("user"):
        return f"${prefix}_PASSWORD is not set (${prefix}_USER is)"
    if "password" in values:
        return f"${prefix}_USER is not set (${prefix}_PASSWORD is)"
    return f"${prefix}_TOKEN (or ${prefix}_USER and ${prefix}_PASSWORD) is not set"


def _smtp_from_env(env: dict[str, str]) -> SmtpSettings | None:
    host = env.get("WATCH_SMTP_HOST")
    if not host:
        return None
    security = env.get("WATCH_SMTP_SECURITY", "starttls").lower()
    if security not in ("starttls", "ssl", "none"):
        raise ConfigError([f"WATCH_SMTP_SECURITY: {security!r} is not starttls, ssl or none"])
    default_port = {"starttls": 587, "ssl": 465, "none": 25}[security]
    return SmtpSettings(
        host=host,
        port=int(env.get("WATCH_SMTP_PORT") or default_port),
        security=security,  # type: ignore[arg-type]
        user=env.get("WATCH_SMTP_USER") or None,
        password=env.get("WATCH_SMTP_PASSWORD") or None,
        sender=env.get("WATCH_SMTP_FROM") or f"watch@{host}",
    )
