"""Configuration: ``sources.yaml`` read and validated once, and the environment, passed in.

- ``schema``: the models of sources.yaml (strict, unknown keys refused; ``url_hints`` says what a
  bad url probably meant); ``allowlist`` checks
  each ``fetch.allow_private`` entry;
- ``durations``: ``every`` and ``store.keep`` read into timedeltas;
- ``loading``: YAML with line numbers, every error as ``file:line: field: message``
  (``yaml_errors``: a YAML syntax error in words: a tab, a duplicate key, an indentation);
- ``environment``: ``WATCH_*`` variables and credentials, the only place ``os.environ`` is read.
"""

from watch.config.durations import MAX_EVERY, MIN_EVERY, parse_duration
from watch.config.environment import (
    Credentials,
    Settings,
    SmtpSettings,
    default_config_path,
    read_credentials,
    resolve_settings,
)
from watch.config.fields import MAX_LABEL
from watch.config.loading import (
    ConfigError,
    load_config,
    load_entries,
    parse_config,
    validate_entries,
)
from watch.config.schema import (
    DEFAULT_USER_AGENT,
    ID_PATTERN,
    DigestConfig,
    FetchConfig,
    SelectConfig,
    SourceConfig,
    TopicConfig,
    WatchConfig,
)

__all__ = [
    "DEFAULT_USER_AGENT",
    "ID_PATTERN",
    "MAX_EVERY",
    "MAX_LABEL",
    "MIN_EVERY",
    "ConfigError",
    "Credentials",
    "DigestConfig",
    "FetchConfig",
    "SelectConfig",
    "Settings",
    "SmtpSettings",
    "SourceConfig",
    "TopicConfig",
    "WatchConfig",
    "default_config_path",
    "load_config",
    "load_entries",
    "parse_config",
    "parse_duration",
    "read_credentials",
    "resolve_settings",
    "validate_entries",
]
