"""Everything the project reads from the environment, resolved once into ``Settings``.

``WATCH_CONFIG``, ``WATCH_DB``, ``WATCH_MODEL``, ``WATCH_SMTP_*`` and each source's
``credentials_env`` prefix.  This is the only module of ``watch`` that reads ``os.environ``;
everything else receives the values as parameters.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from watch.config.loading import ConfigError
from watch.config.schema import WatchConfig


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
