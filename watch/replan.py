"""Stored schedules brought in line with the current sources.yaml (rules: ``schedule.replanned``).

``watch run`` calls ``replan_sources`` at startup and after each reload, ``watch fetch`` before
a pass: a source whose ``every`` changed since its last attempt is re-planned from that attempt
(a shorter frequency applies at once, even when the file changed while nothing was running), and
a gone (HTTP 410) source whose ``url:`` changed, or that was disabled, is revived; a source
renamed in sources.yaml (same url, new name) keeps its articles and history.
``discovered_feeds`` reads which feed was found on a source's web page (the OPML export).
``describe_reload`` says what a reload changed, for the ``watch run`` log: entries skipped as
invalid (an invalid entry pauses its source; a duplicate name leaves the first entry running) and
sources back once their entry is fixed ("resumed"); alerts added, changed (which settings) or
removed, and the digest's and board's settings that changed ("digest: language fr → en").
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from watch.config import SourceConfig, WatchConfig
from watch.config.alerts import AlertConfig
from watch.models import SourceState
from watch.schedule import replanned
from watch.store.base import Store
from watch.wording import at_most, counted

log = logging.getLogger(__name__)


def replan_sources(
    store: Store,
    sources: Sequence[SourceConfig],
    now: datetime,
    skip: Collection[str] = (),
) -> list[str]:
    """Save the re-planned state of every source that needs it (``skip``: sources being
    fetched right now, whose attempt will write their state); return their names."""
    follow_renames(store, sources)
    states = {state.name: state for state in store.list_source_states()}
    changed = []
    for source in sources:
        state = states.get(source.name)
        if state is None or source.name in skip:
            continue
        new = replanned(source, state, now, fetched_for(store, state))
        if new is None:
            continue
        if state.status == "gone":
            log.warning("source %s revived after HTTP 410: due now", source.name)
        store.save_source_state(new)
        changed.append(source.name)
    return changed


def follow_renames(store: Store, sources: Sequence[SourceConfig]) -> list[tuple[str, str]]:
    """A source renamed in sources.yaml keeps its articles and history: a new name with nothing
    stored whose url is the one a name no longer configured was fetched for takes its place."""
    names = {source.name for source in sources}
    states = store.list_source_states()
    orphans: dict[str, list[str]] = {}
    for state in states:
        url = None if state.name in names else fetched_for(store, state, always=True)
        if url:
            orphans.setdefault(url, []).append(state.name)
    stored = {state.name for state in states}
    renamed = []
    for source in sources:
        candidates = orphans.get(source.url, [])
        if source.name not in stored and len(candidates) == 1:
            old = candidates.pop()
            moved = store.rename_source(old, source.name)
            log.warning(
                "source %s renamed %s: its %d articles and history kept", old, source.name, moved
            )
            renamed.append((old, source.name))
    return renamed


def fetched_for(store: Store, state: SourceState, always: bool = False) -> str | None:
    """The sources.yaml url a state was fetched for: its last URL, or the page a discovered
    feed was found on (looked up for a gone source, or ``always``)."""
    if state.status != "gone" and not always:
        return state.url
    raw = store.get_meta(f"discovered:{state.name}")
    found = json.loads(raw) if raw else {}
    if isinstance(found, dict) and found.get("feed") == state.url and found.get("from"):
        return str(found["from"])
    return state.url


def discovered_feeds(store: Store, sources: Sequence[SourceConfig]) -> dict[str, str]:
    """Name → the feed found on the web page at a source's url, while that url is unchanged."""
    feeds: dict[str, str] = {}
    for source in sources:
        raw = store.get_meta(f"discovered:{source.name}")
        found = json.loads(raw) if raw else {}
        if isinstance(found, dict) and found.get("from") == source.url and found.get("feed"):
            feeds[source.name] = str(found["feed"])
    return feeds


def gone_sources(store: Store, sources: Sequence[SourceConfig]) -> list[str]:
    """Names of the enabled ``sources`` whose stored status is gone."""
    gone = {state.name for state in store.list_source_states() if state.status == "gone"}
    return [source.name for source in sources if source.enabled and source.name in gone]


@dataclass(frozen=True)
class SkippedEntry:
    """A sources.yaml entry skipped as invalid: its line, and the line of the first entry of
    the same name when that is why (the first one then keeps running)."""

    line: int
    first_at: int | None = None


def describe_reload(
    path: Path,
    old: WatchConfig,
    new: WatchConfig,
    errors: Sequence[str],
    skipped_before: Collection[str] = (),
) -> tuple[str, dict[str, SkippedEntry]]:
    """The ``watch run`` log line of a reload of ``path`` (named as it is) that gave ``new``
    and ``errors``, and the entries it skipped (the next reload's ``skipped_before``)."""
    skipped = invalid_entries(path, errors)
    return f"{path.name} reloaded: {describe_changes(old, new, skipped, skipped_before)}", skipped


def describe_changes(
    old: WatchConfig,
    new: WatchConfig,
    skipped: Mapping[str, SkippedEntry],
    skipped_before: Collection[str] = (),
) -> str:
    """What a reload changed, on one line: "12 sources; added: a; resumed: f; removed: b;
    renamed: c → d; every changed: macworld 5m → 2h; monthly paused: line 28 is invalid; line
    30 skipped: duplicate name 'rsc' (first at line 9); rsc keeps running".  ``skipped``: the
    entries now skipped as invalid, by name; ``skipped_before``: those the previous reading
    skipped (fixed now, they are "resumed", not "added")."""
    before = {source.name: source for source in old.sources}
    after = {source.name: source for source in new.sources}
    changes = _source_changes(before, after, skipped)
    resumed = [name for name in changes["added"] if name in skipped_before]
    changes["added"] = [name for name in changes["added"] if name not in resumed]
    changes = {"added": changes.pop("added"), "resumed": resumed, **changes}
    parts = [counted(len(new.sources), "source")]
    parts += [f"{what}: {at_most(names, NAMED_IN_LOG)}" for what, names in changes.items() if names]
    parts += [_skipped_words(name, entry, after) for name, entry in skipped.items()]
    if old.topics != new.topics:
        parts.append("topics changed")
    parts += [_alert_changes(old.alerts, new.alerts)]
    parts += [_settings_changes("digest", old.digest, new.digest)]
    parts += [_settings_changes("board", old.board, new.board)]
    parts = [part for part in parts if part]
    return "; ".join(parts) if len(parts) > 1 else f"{parts[0]}, nothing changed in them"


NAMED_IN_LOG = 8
"""Names a reload's log line lists for one change; the rest are counted (removing 300 sources
gave a 12,000-character line)."""


def _skipped_words(name: str, entry: SkippedEntry, running: Collection[str]) -> str:
    """A skipped entry of a running source: a duplicate (the first keeps running), or an
    invalid entry that pauses it; nothing for an entry that was not running."""
    if name not in running:
        return f"{name} paused: line {entry.line} is invalid" if entry.first_at is None else ""
    first = f" (first at line {entry.first_at})" if entry.first_at else ""
    return f"line {entry.line} skipped: duplicate name {name!r}{first}; {name} keeps running"


def _source_changes(
    before: Mapping[str, SourceConfig], after: Mapping[str, SourceConfig], invalid: Collection[str]
) -> dict[str, list[str]]:
    """Names added, removed, renamed (a new name for the url of a removed one), and the kept
    sources whose ``every``, url or ``enabled`` changed; a source now invalid is not removed."""
    removed = [name for name in before if name not in after and name not in invalid]
    by_url = {before[name].url: name for name in removed}
    renamed = {
        by_url.pop(s.url): s.name
        for s in after.values()
        if s.name not in before and s.url in by_url
    }
    kept = [(before[name], source) for name, source in after.items() if name in before]
    return {
        "added": [n for n in after if n not in before and n not in renamed.values()],
        "removed": [n for n in removed if n not in renamed],
        "renamed": [f"{old} → {new}" for old, new in renamed.items()],
        "every changed": [f"{s.name} {o.every} → {s.every}" for o, s in kept if s.every != o.every],
        "url changed": [s.name for o, s in kept if s.url != o.url],
        "disabled": [s.name for o, s in kept if o.enabled and not s.enabled],
        "enabled": [s.name for o, s in kept if s.enabled and not o.enabled],
    }


def _alert_changes(before: Sequence[AlertConfig], after: Sequence[AlertConfig]) -> str:
    """The alerts added, changed (with the settings that changed) and removed, each part naming
    itself as the sources' do: "alert added: injection; alert changed: client (query); alerts
    removed: old, older"; "" when none changed."""
    old = {alert.name: alert for alert in before}
    new = {alert.name: alert for alert in after}
    changed = [
        f"{name} ({', '.join(_changed_fields(old[name], alert))})"
        for name, alert in new.items()
        if name in old and alert != old[name]
    ]
    said = {
        "added": [name for name in new if name not in old],
        "changed": changed,
        "removed": [name for name in old if name not in new],
    }
    words = [
        f"{'alert' if len(names) == 1 else 'alerts'} {what}: {at_most(names, NAMED_IN_LOG)}"
        for what, names in said.items()
        if names
    ]
    return "; ".join(words)


def _settings_changes(section: str, before: BaseModel, after: BaseModel) -> str:
    """A section's settings that changed: "digest: language fr → en, recipients changed"; a
    single value is shown before and after, a list or a block is only named; "" when none."""
    said = []
    for name in _changed_fields(before, after):
        old, new = getattr(before, name), getattr(after, name)
        simple = all(value is None or isinstance(value, str | int | float) for value in (old, new))
        said.append(f"{name} {old} → {new}" if simple else f"{name} changed")
    return f"{section}: {', '.join(said)}" if said else ""


def _changed_fields(before: BaseModel, after: BaseModel) -> list[str]:
    """The names of the fields whose values differ, in the model's order."""
    return [
        name for name in type(after).model_fields if getattr(before, name) != getattr(after, name)
    ]


_ENTRY_ERROR = re.compile(r":(\d+): sources\[(\d+)\]")
_FIRST_AT = re.compile(r"\.name: duplicate name .* \(first at line (\d+)\)")


def invalid_entries(path: Path, errors: Sequence[str]) -> dict[str, SkippedEntry]:
    """Name → each sources.yaml entry skipped as invalid (``load_entries`` errors say
    ``file:LINE: sources[INDEX].field: …``, and ``duplicate name 'x' (first at line N)`` for a
    name used twice; the name is read from the file)."""
    located: dict[int, SkippedEntry] = {}  # index → its first invalid line (sorted by line)
    for error in errors:
        match = _ENTRY_ERROR.search(error)
        if match and int(match[2]) not in located:
            first = _FIRST_AT.search(error)
            located[int(match[2])] = SkippedEntry(int(match[1]), int(first[1]) if first else None)
    if not located:
        return {}
    try:
        entries = YAML(typ="safe").load(path.read_text(encoding="utf-8"))["sources"]
    except (OSError, UnicodeDecodeError, YAMLError, KeyError, TypeError):
        return {}
    invalid: dict[str, SkippedEntry] = {}
    for index, skipped in located.items():
        entry = entries[index] if isinstance(entries, list) and index < len(entries) else None
        name = entry.get("name") if isinstance(entry, dict) else None
        if isinstance(name, str):
            invalid.setdefault(name, skipped)
    return invalid
