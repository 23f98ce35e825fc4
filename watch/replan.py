"""Stored schedules brought in line with the current sources.yaml (rules: ``schedule.replanned``).

``watch run`` calls ``replan_sources`` at startup and after each reload, ``watch fetch`` before
a pass: a source whose ``every`` changed since its last attempt is re-planned from that attempt
(a shorter frequency applies at once, even when the file changed while nothing was running), and
a gone (HTTP 410) source whose ``url:`` changed, or that was disabled, is revived; a source
renamed in sources.yaml (same url, new name) keeps its articles and history.
``discovered_feeds`` reads which feed was found on a source's web page (the OPML export).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from datetime import datetime

from watch.config import SourceConfig
from watch.models import SourceState
from watch.schedule import replanned
from watch.store.base import Store

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
