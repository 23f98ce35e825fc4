"""The shape of ``sources.yaml``: strict pydantic models for topics, sources, fetch, store, and
the whole file (``WatchConfig``); the digest's, the chats' and the board's are ``outputs``',
the alerts' ``alerts``'.

Unknown keys are refused, values are not coerced (a weight written '1.5' is an error), and each
validator says what is wrong in words; ``watch.config.loading`` turns those errors into
``file:line: field: message``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from watch.config.alerts import AlertConfig, check_alerts
from watch.config.allowlist import check_allow_entry
from watch.config.durations import (
    MAX_EVERY,
    MIN_EVERY,
    RETENTION_MIN,
    parse_duration,
    parse_retention,
    short_duration,
)
from watch.config.fields import (
    ID_PATTERN,
    _check_folder,
    _check_http_url,
    _check_label,
    _check_timezone,
    _Strict,
)
from watch.config.outputs import BoardConfig, ChatConfig, DigestConfig

__all__ = [
    "AlertConfig",
    "ID_PATTERN",
    "BoardConfig",
    "ChatConfig",
    "DigestConfig",
    "FetchConfig",
    "SelectConfig",
    "SourceConfig",
    "StoreConfig",
    "TopicConfig",
    "WatchConfig",
]
DEFAULT_USER_AGENT = "watch/0.1 (+https://github.com/watch-project/watch; technology watch)"


def _check_keyword(value: str) -> str:
    """A keyword, where a "*" may only end a word of 3 letters or more ("Datenschutz*")."""
    from watch.text import keyword_problem

    problem = keyword_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Keyword = Annotated[str, AfterValidator(_check_keyword)]


class TopicConfig(_Strict):
    """A subject the team follows; keywords seed the classifier."""

    name: str = Field(pattern=ID_PATTERN)
    label: str = ""
    keywords: tuple[Keyword, ...] = ()
    exclude: tuple[Keyword, ...] = ()
    description: str = ""

    _valid_label = field_validator("label")(_check_label)

    @model_validator(mode="after")
    def _default_label(self) -> TopicConfig:
        if not self.label:
            object.__setattr__(self, "label", self.name)
        return self


def _check_selector(value: str | None) -> str | None:
    """``css`` or ``css@attribute``, the CSS compiled as the page parser will (soupsieve), so
    that a typo is reported at its line in sources.yaml, not at the next fetch."""
    if value is None:
        return None
    css, _, attr = value.partition("@")
    if not css.strip() or (("@" in value) and not attr.strip()):
        raise ValueError(f"{value!r} is not 'css' or 'css@attribute'")
    _compile_css(css.strip(), value)
    return value


def _compile_css(css: str, written: str) -> None:
    """``css`` compiled as the parsers will (soupsieve); ValueError naming ``written`` else."""
    import soupsieve

    try:
        soupsieve.compile(css)
    except soupsieve.SelectorSyntaxError as exc:
        reason = str(exc).splitlines()[0].strip()
        reason = reason[:1].lower() + reason[1:]
        raise ValueError(f"{written!r} is not a CSS selector ({reason})") from None


_YAML_11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n"})
"""Booleans in older YAML, text in sources.yaml's: never meant as an element name."""


def _check_full_text(value: object) -> bool | str:
    """``true``, ``false`` or the CSS selector of the article body on the article's page
    (compiled now, so that a typo is reported at its line in sources.yaml)."""
    if isinstance(value, bool):
        return value
    if (
        not isinstance(value, str)
        or not value.strip()
        or value.strip().lower() in _YAML_11_BOOLEANS
    ):
        raise ValueError(
            f"should be true, false or the CSS selector of the article's body, not {value!r}"
        )
    _compile_css(value.strip(), value)
    return value.strip()


class SelectConfig(_Strict):
    """CSS selectors that turn a web page into items: ``css`` or ``css@attribute``."""

    item: str
    title: str
    link: str
    date: str | None = None
    summary: str | None = None
    timezone: str | None = None
    """The zone of the times the page writes without one ("14h05"); UTC when not given."""

    _check = field_validator("item", "title", "link", "date", "summary")(_check_selector)
    _check_zone = field_validator("timezone")(_check_timezone)


class SourceConfig(_Strict):
    """One source: a feed or a web page, consulted at its own frequency."""

    name: str = Field(pattern=ID_PATTERN)
    label: str = ""
    """What people read for this source (board, digest, explanations); ``name`` when empty."""
    url: str
    site: str | None = None
    """The site's home page, as another reader knew it (OPML ``htmlUrl``): a link, never fetched."""
    kind: Literal["feed", "page"] = "feed"
    every: str = "1h"
    topics: tuple[str, ...] = ()
    folder: str | None = None
    """The folder another reader kept it in ("Dev / Python" when nested; see ``folder_path``)."""
    weight: float = Field(default=1.0, ge=0.0, le=10.0)
    enabled: bool = True
    select: SelectConfig | None = None
    credentials_env: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9_]*$")
    """Prefix of env variables holding credentials: PREFIX_TOKEN, or PREFIX_USER + PREFIX_PASSWORD."""
    full_text: Annotated[bool | str, BeforeValidator(_check_full_text)] = False
    """Fetch each article's page for its whole text: ``true`` (the main text found
    automatically, ``watch.full_text``) or the CSS selector of the article's body."""

    _valid_label = field_validator("label")(_check_label)
    _valid_folder = field_validator("folder")(_check_folder)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return _check_http_url(value, "use credentials_env")

    @field_validator("site")
    @classmethod
    def _site_url(cls, value: str | None) -> str | None:
        return None if value is None else _check_http_url(value, "the site is only a link")

    @field_validator("every")
    @classmethod
    def _valid_every(cls, value: str) -> str:
        """A cron string, or a duration kept in its short form (``2 hours`` → ``2h``): what the
        board, ``watch status`` and the OPML export show is the same however it was written."""
        if len(value.split()) == 5:
            return _valid_cron(value)
        period = parse_duration(value)
        if period < MIN_EVERY:
            raise ValueError(f"{value!r} is below the 5 minute minimum")
        if period > MAX_EVERY:
            raise ValueError(f"{value!r} is above the 30 day maximum")
        return short_duration(value)

    @model_validator(mode="after")
    def _page_needs_select(self) -> SourceConfig:
        if self.kind == "page" and self.select is None:
            raise ValueError("a page source needs a 'select' block")
        if self.kind == "feed" and self.select is not None:
            raise ValueError("'select' is only for kind: page")
        return self

    @property
    def display_name(self) -> str:
        """What people read for this source: its label, else its name."""
        return self.label or self.name

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


def _valid_cron(value: str) -> str:
    """A cron string that fires, never more often than every 5 minutes."""
    from watch.schedule import shortest_cron_gap

    try:
        gap = shortest_cron_gap(value, enough=MIN_EVERY - timedelta(seconds=1))
    except (ValueError, IndexError) as exc:
        raise ValueError(f"{value!r} is not a valid cron string: {exc}") from None
    if gap is None:
        raise ValueError(f"{value!r} never fires")
    if gap < MIN_EVERY:
        minutes = int(gap.total_seconds() // 60)
        raise ValueError(f"{value!r} fires {minutes} minute(s) apart, below the 5 minute minimum")
    return value


AllowEntry = Annotated[str, AfterValidator(check_allow_entry)]


class FetchConfig(_Strict):
    """Global fetch settings: limits, politeness, the private-address allowlist, extra CAs."""

    allow_private: tuple[AllowEntry, ...] = ()
    timeout: float = Field(default=30.0, gt=0, le=600)
    connect_timeout: float = Field(default=10.0, gt=0, le=120)
    max_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    max_redirects: int = Field(default=5, ge=0, le=20)
    concurrency: int = Field(default=16, ge=1, le=256)
    per_host: int = Field(default=2, ge=1, le=64)
    user_agent: str = DEFAULT_USER_AGENT
    ca_bundle: str | None = None
    """A PEM file of certificate authorities trusted besides the public ones (an intranet's
    private CA); a relative path starts from the folder of sources.yaml.  Kept absolute."""

    @field_validator("ca_bundle")
    @classmethod
    def _readable_ca_bundle(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else _check_ca_bundle(value, info.context)


def _check_ca_bundle(value: str, context: dict | None) -> str:
    """The absolute path of a readable PEM file holding certificates; ValueError otherwise."""
    import ssl

    path = Path(value).expanduser()
    if not path.is_absolute():
        path = Path((context or {}).get("config_dir", ".")) / path
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=str(path))
    except OSError as exc:
        if isinstance(exc, ssl.SSLError):
            raise ValueError(f"{str(path)!r} holds no PEM certificate") from None
        raise ValueError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from None
    return str(path.resolve())


class StoreConfig(_Strict):
    """What the database keeps: ``keep`` (how long articles are kept; default forever)."""

    keep: str | None = None

    @field_validator("keep")
    @classmethod
    def _valid_keep(cls, value: str | None) -> str | None:
        period = None if value is None else parse_retention(value)
        if period is not None and period < RETENTION_MIN:
            raise ValueError(
                f"{value!r} is below the 30 day minimum: the digest reports the last full "
                "week and the trends compare a week with the 4 before it"
            )
        return value

    @property
    def keep_for(self) -> timedelta | None:
        """How long articles are kept (None: forever)."""
        return None if self.keep is None else parse_retention(self.keep)


class WatchConfig(_Strict):
    """The whole of sources.yaml."""

    name: str = "Veille technologique"
    topics: tuple[TopicConfig, ...] = ()
    sources: tuple[SourceConfig, ...] = ()
    fetch: FetchConfig = FetchConfig()
    digest: DigestConfig = DigestConfig()
    board: BoardConfig = BoardConfig()
    store: StoreConfig = StoreConfig()
    alerts: tuple[AlertConfig, ...] = ()
    """Saved filters that notify at once (``watch.alerts``); last: they name topics and chats."""

    @field_validator("alerts")
    @classmethod
    def _alerts_name_what_exists(
        cls, alerts: tuple[AlertConfig, ...], info: ValidationInfo
    ) -> tuple[AlertConfig, ...]:
        topics, digest = info.data.get("topics"), info.data.get("digest")
        check_alerts(
            alerts,
            None if topics is None else [topic.name for topic in topics],
            None if digest is None else [chat.name for chat in digest.chats],
        )
        return alerts

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)

    def source_label(self, name: str) -> str:
        """What people read for the source named ``name`` (board, digest, explanations): its
        label, else its name; the name itself for a source no longer in sources.yaml."""
        return next((s.display_name for s in self.sources if s.name == name), name)

    @property
    def source_labels(self) -> dict[str, str]:
        """Source name → what people read for it (``source_label``), for every source."""
        return {source.name: source.display_name for source in self.sources}

    @property
    def topic_labels(self) -> dict[str, str]:
        """Topic name → its label (the name when it has none)."""
        return {topic.name: topic.label for topic in self.topics}

    @property
    def labels_hash(self) -> str:
        """A short fingerprint of the sources' labels ("" when no source has one): explanations
        name sources by label, so they are written again when it changes."""
        labelled = sorted((s.name, s.label) for s in self.sources if s.label)
        if not labelled:
            return ""
        return hashlib.sha256(json.dumps(labelled).encode()).hexdigest()[:16]
