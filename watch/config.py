"""Configuration: reads and validates ``sources.yaml`` once, and the environment.

This module owns the shape of ``sources.yaml`` (pydantic, strict, unknown keys refused), the
mapping of every validation error to ``file:line: field: message``, and every environment
variable the project reads (``WATCH_CONFIG``, ``WATCH_DB``, ``WATCH_SMTP_*`` and per-source
credentials).  Nothing else in ``watch`` calls ``os.getenv``: the result is passed in.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
MIN_EVERY = timedelta(minutes=5)
MAX_EVERY = timedelta(days=30)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
DEFAULT_USER_AGENT = "watch/0.1 (+https://github.com/watch-project/watch; technology watch)"


class ConfigError(Exception):
    """sources.yaml is invalid; ``errors`` holds one ``file:line: field: message`` per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def parse_duration(text: str) -> timedelta:
    """Parse ``90s``, ``5m``, ``1h``, ``2d``, ``1w`` into a timedelta (ValueError otherwise)."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration like 30m, 1h, 1d or a cron string")
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class TopicConfig(_Strict):
    """A subject the team follows; keywords seed the classifier."""

    name: str = Field(pattern=ID_PATTERN)
    label: str = ""
    keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    description: str = ""

    @model_validator(mode="after")
    def _default_label(self) -> TopicConfig:
        if not self.label:
            object.__setattr__(self, "label", self.name)
        return self


def _check_selector(value: str | None) -> str | None:
    if value is None:
        return None
    css, _, attr = value.partition("@")
    if not css.strip() or (("@" in value) and not attr.strip()):
        raise ValueError(f"{value!r} is not 'css' or 'css@attribute'")
    return value


class SelectConfig(_Strict):
    """CSS selectors that turn a web page into items: ``css`` or ``css@attribute``."""

    item: str
    title: str
    link: str
    date: str | None = None
    summary: str | None = None

    _check = field_validator("item", "title", "link", "date", "summary")(_check_selector)


class SourceConfig(_Strict):
    """One source: a feed or a web page, consulted at its own frequency."""

    name: str = Field(pattern=ID_PATTERN)
    url: str
    kind: Literal["feed", "page"] = "feed"
    every: str = "1h"
    topics: tuple[str, ...] = ()
    weight: float = Field(default=1.0, ge=0.0, le=10.0)
    enabled: bool = True
    select: SelectConfig | None = None
    credentials_env: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9_]*$")
    """Prefix of env variables holding credentials: PREFIX_TOKEN, or PREFIX_USER + PREFIX_PASSWORD."""

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) URL")
        if parts.username or parts.password:
            raise ValueError("credentials in the URL are refused; use credentials_env")
        return value

    @field_validator("every")
    @classmethod
    def _valid_every(cls, value: str) -> str:
        if len(value.split()) == 5:
            from watch.schedule import cron_trigger

            try:
                cron_trigger(value)
            except (ValueError, IndexError) as exc:
                raise ValueError(f"{value!r} is not a valid cron string: {exc}") from None
            return value
        period = parse_duration(value)
        if period < MIN_EVERY:
            raise ValueError(f"{value!r} is below the 5 minute minimum")
        if period > MAX_EVERY:
            raise ValueError(f"{value!r} is above the 30 day maximum")
        return value

    @model_validator(mode="after")
    def _page_needs_select(self) -> SourceConfig:
        if self.kind == "page" and self.select is None:
            raise ValueError("a page source needs a 'select' block")
        if self.kind == "feed" and self.select is not None:
            raise ValueError("'select' is only for kind: page")
        return self

    @property
    def is_cron(self) -> bool:
        return len(self.every.split()) == 5

    @property
    def period(self) -> timedelta:
        """The nominal interval between two fetches (for cron strings, an estimate)."""
        if not self.is_cron:
            return parse_duration(self.every)
        from datetime import UTC, datetime

        from watch.schedule import cron_trigger

        trigger = cron_trigger(self.every)
        now = datetime.now(UTC)
        first = trigger.get_next_fire_time(None, now)
        second = trigger.get_next_fire_time(first, first + timedelta(seconds=1)) if first else None
        return (second - first) if first and second else timedelta(days=1)


class FetchConfig(_Strict):
    """Global fetch settings: limits, politeness and the private-address allowlist."""

    allow_private: tuple[str, ...] = ()
    timeout: float = Field(default=30.0, gt=0, le=600)
    connect_timeout: float = Field(default=10.0, gt=0, le=120)
    max_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    max_redirects: int = Field(default=5, ge=0, le=20)
    concurrency: int = Field(default=16, ge=1, le=256)
    per_host: int = Field(default=2, ge=1, le=64)
    user_agent: str = DEFAULT_USER_AGENT

    @field_validator("allow_private")
    @classmethod
    def _valid_entries(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            if "/" in value:
                try:
                    ipaddress.ip_network(value, strict=False)
                except ValueError:
                    raise ValueError(f"{value!r} is not a CIDR network") from None
        return values


class DigestConfig(_Strict):
    """The weekly digest: when, to whom, and how much."""

    schedule: str = "mon 08:00"
    timezone: str = "Europe/Paris"
    recipients: tuple[str, ...] = ()
    stories_per_topic: int = Field(default=5, ge=1, le=50)
    topics: tuple[str, ...] = ()
    board_url: str | None = None

    @field_validator("schedule")
    @classmethod
    def _valid_schedule(cls, value: str) -> str:
        if not re.match(r"^(mon|tue|wed|thu|fri|sat|sun) ([01]\d|2[0-3]):[0-5]\d$", value):
            raise ValueError(f"{value!r} is not like 'mon 08:00'")
        return value

    @field_validator("timezone")
    @classmethod
    def _valid_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(value)
        except Exception:
            raise ValueError(f"{value!r} is not a known time zone") from None
        return value

    @field_validator("recipients")
    @classmethod
    def _valid_recipients(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            if not re.match(r"^[^@\s<>,;\r\n]+@[^@\s<>,;\r\n]+\.[^@\s<>,;\r\n]+$", value):
                raise ValueError(f"{value!r} is not an e-mail address")
        return values


class WatchConfig(_Strict):
    """The whole of sources.yaml."""

    name: str = "Veille technologique"
    topics: tuple[TopicConfig, ...] = ()
    sources: tuple[SourceConfig, ...] = ()
    fetch: FetchConfig = FetchConfig()
    digest: DigestConfig = DigestConfig()

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)


def _cross_errors(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """Errors that span entries: duplicate names, topics used but not defined."""
    errors: list[tuple[tuple[str | int, ...], str]] = []
    known: set[str] = set()
    for section in ("topics", "sources"):
        seen: set[str] = set()
        for index, item in enumerate(_items(data.get(section))):
            name = item.get("name")
            if isinstance(name, str) and name in seen:
                errors.append(((section, index, "name"), f"duplicate name {name!r}"))
            seen.add(name) if isinstance(name, str) else None
        if section == "topics":
            known = seen
    for index, item in enumerate(_items(data.get("sources"))):
        for pos, topic in enumerate(_sequence(item.get("topics"))):
            if isinstance(topic, str) and topic not in known:
                errors.append(
                    (("sources", index, "topics", pos), f"topic {topic!r} is not defined")
                )
    digest = data.get("digest")
    for pos, topic in enumerate(
        _sequence(digest.get("topics") if isinstance(digest, dict) else None)
    ):
        if isinstance(topic, str) and topic not in known:
            errors.append((("digest", "topics", pos), f"topic {topic!r} is not defined"))
    return errors


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, tuple) else []


def _sequence(value: Any) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else ()


@dataclass(frozen=True)
class SmtpSettings:
    """Mail server settings, from WATCH_SMTP_* variables; password is never printed."""

    host: str
    port: int
    security: Literal["starttls", "ssl", "none"]
    user: str | None
    password: str | None = field(repr=False)
    sender: str


@dataclass(frozen=True)
class Settings:
    """Everything read from the environment and the command line, resolved once."""

    config_path: Path
    db_url: str
    smtp: SmtpSettings | None
    model_path: Path = Path("watch-model.pkl")
    """The classifier's model file (rebuilt when missing or incompatible)."""
    credentials: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    """Per source name: token, user, password read from the source's credentials_env prefix."""


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
    credentials: dict[str, dict[str, str]] = {}
    for source in config.sources if config else ():
        if source.credentials_env:
            prefix = source.credentials_env
            found = {
                k: env[f"{prefix}_{k.upper()}"]
                for k in ("token", "user", "password")
                if f"{prefix}_{k.upper()}" in env
            }
            credentials[source.name] = found
    model = Path(env.get("WATCH_MODEL") or path.resolve().parent / "watch-model.pkl")
    return Settings(path, url, _smtp_from_env(env), model, credentials)


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


def load_config(path: str | Path) -> WatchConfig:
    """Read and validate sources.yaml; raise ConfigError listing every located problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([f"{path}: not UTF-8 text: {exc}"]) from None
    return parse_config(text, str(path))


def parse_config(text: str, filename: str = "sources.yaml") -> WatchConfig:
    """Validate YAML text; errors are ``filename:line: field: message``, all at once."""
    tree = _load_tree(text, filename)
    data = _plain(tree)
    for key in ("topics", "sources"):
        if key in data and data[key] is None:  # "sources:" with nothing under it
            data[key] = ()
    located = [(_line_of(tree, loc), f"{_dotted(loc)}: {msg}") for loc, msg in _cross_errors(data)]
    config = None
    try:
        config = WatchConfig.model_validate(data)
    except ValidationError as exc:
        located += _locate_errors(exc, tree)
    if located or config is None:
        raise ConfigError(
            [f"{filename}:{line}: {msg}" for line, msg in sorted(located, key=lambda p: p[0])]
        )
    return config


def _load_tree(text: str, filename: str) -> Any:
    try:
        tree = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        line = (exc.problem_mark.line + 1) if exc.problem_mark else 1
        raise ConfigError([f"{filename}:{line}: YAML syntax: {exc.problem}"]) from None
    if tree is None:
        tree = {}
    if not isinstance(tree, dict):
        raise ConfigError([f"{filename}:1: the file must be a mapping with 'sources:'"])
    return tree


def validate_entries(text: str, filename: str = "sources.yaml") -> tuple[WatchConfig, list[str]]:
    """Validate leniently for the scheduler: drop bad sources, keep the valid ones.

    Returns the config built from the valid sources and the located errors of the others.
    Errors outside ``sources`` still raise ConfigError.
    """
    try:
        return parse_config(text, filename), []
    except ConfigError as first:
        bad = {int(m.group(1)) for e in first.errors if (m := re.search(r": sources\[(\d+)\]", e))}
        if any(": sources[" not in e for e in first.errors):
            raise
        tree = _load_tree(text, filename)
        tree["sources"] = [item for i, item in enumerate(tree["sources"]) if i not in bad]
        try:
            config = WatchConfig.model_validate(_plain(tree))
        except ValidationError:
            raise first from None
        return config, first.errors


def _plain(node: Any) -> Any:
    """Turn ruamel's commented containers into plain dicts and tuples (strict mode wants tuples)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return tuple(_plain(v) for v in node)
    if isinstance(node, str):
        return str(node)
    return node


def _locate_errors(exc: ValidationError, tree: Any) -> list[tuple[int, str]]:
    errors = []
    for error in exc.errors():
        loc = tuple(p for p in error["loc"] if p not in ("function-after", "function-before"))
        loc = tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        line = _line_of(tree, loc)
        errors.append((line, f"{_dotted(loc) or '(top)'}: {message}"))
    return errors


def _dotted(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        parts.append(f"[{part}]" if isinstance(part, int) else ("." if parts else "") + str(part))
    return "".join(parts)


def _line_of(tree: Any, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the deepest node of ``loc`` that exists in the YAML tree."""
    node: Any = tree
    line = 1
    for part in loc:
        try:
            marks: Any = getattr(node, "lc", None)
            if isinstance(node, dict) and part in node:
                line = marks.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                line = marks.item(part)[0] + 1
                node = node[part]
            else:
                break
        except (AttributeError, KeyError, TypeError):
            break
    return line
