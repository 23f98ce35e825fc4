"""Stored schedules brought in line with the current sources.yaml (rules: ``schedule.replanned``).

``watch run`` calls ``replan_sources`` at startup and after each reload, ``watch fetch`` before
a pass: a source whose ``every`` changed since its last attempt is re-planned from that attempt
(a shorter frequency applies at once, even when the file changed while nothing was running), and
a gone (HTTP 410) source whose ``url:`` changed, or that was disabled, is revived.
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


def fetched_for(store: Store, state: SourceState) -> str | None:
    """The sources.yaml url a state was fetched for: its last URL, or the page a discovered
    feed was found on (only looked up for a gone source, the one case that needs it)."""
    if state.status != "gone":
        return state.url
    raw = store.get_meta(f"discovered:{state.name}")
    found = json.loads(raw) if raw else {}
    if isinstance(found, dict) and found.get("feed") == state.url and found.get("from"):
        return str(found["from"])
    return state.url


def gone_sources(store: Store, sources: Sequence[SourceConfig]) -> list[str]:
    """Names of the enabled ``sources`` whose stored status is gone."""
    gone = {state.name for state in store.list_source_states() if state.status == "gone"}
    return [source.name for source in sources if source.enabled and source.name in gone]
