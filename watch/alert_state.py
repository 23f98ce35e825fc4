"""What each alert has done, in Store meta: its destinations' states and the roster of what was
configured (``watch.alerts`` decides what to send; here only how it is remembered).

Each alert's destinations (the mail, each chat: "mail", "chat:NAME") are kept under
``alert:NAME``, one ``DestinationState`` each:

- ``mark``: the article id up to which it has judged: the newest when it last looked, or the
  one before the first article still waiting for its page text (``watch.alerts.Horizon``); the
  next run sends what is above it.
- ``sent``: the stories (cluster ids; ``-id`` for an article alone) already sent, the last
  ``REMEMBERED``: a later copy of the same story from another source is not a new alert.
- ``error`` and ``failures``: the last failed send and how many in a row.

``save_state`` changes one destination and drops the destinations the alert no longer has.
``ROSTER`` lists the "alert/destination" pairs configured at the last sending run, so that a
destination (or an alert) taken off and put back later is told apart from one that stayed:
``watch.alerts`` starts it afresh instead of resuming from its old mark.

Why meta and not a table: the state is one small JSON value per alert, always read and written
whole; ``Store.update_meta`` writes it in one transaction that merges one destination's change
into what is stored (the mark only moves forward), so ``watch alerts --send`` and the scheduler
never erase each other's record; at worst both send a story once each (at least once).  An
unreadable value counts as never started (the destination records the newest id, sends
nothing).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass, replace

from watch.store.base import Store

META_PREFIX = "alert:"
ROSTER = "alerts:configured"
"""Meta key: the "alert/destination" pairs configured at the last sending run (a JSON list)."""
REMEMBERED = 1000
"""Stories remembered as sent, per alert and destination."""


@dataclass(frozen=True)
class DestinationState:
    """What one alert has done for one destination (see the module docstring)."""

    mark: int
    sent: tuple[int, ...] = ()
    error: str | None = None
    failures: int = 0


Change = Callable[[DestinationState | None], DestinationState]
"""A change of one destination's state, given the one stored (None: never started)."""


def read_states(store: Store, name: str) -> dict[str, DestinationState]:
    """Each destination's state of alert ``name`` (none for a destination never started)."""
    return _parse(store.get_meta(META_PREFIX + name))


def _parse(raw: str | None) -> dict[str, DestinationState]:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    states: dict[str, DestinationState] = {}
    for destination, value in data.items() if isinstance(data, dict) else ():
        try:
            states[destination] = DestinationState(
                mark=int(value["mark"]),
                sent=tuple(int(key) for key in value.get("sent", ())),
                error=value.get("error"),
                failures=int(value.get("failures", 0)),
            )
        except (TypeError, ValueError, KeyError, AttributeError):
            continue  # unreadable: started again (records the newest id, sends nothing)
    return states


def save_state(
    store: Store, name: str, destination: str, change: Change, configured: Collection[str]
) -> None:
    """Change one destination's state of alert ``name`` in one transaction, keeping the
    others as stored when still ``configured`` (the others are dropped)."""

    def changed(raw: str | None) -> str:
        states = _parse(raw)
        states[destination] = change(states.get(destination))
        kept = {key: asdict(state) for key, state in states.items() if key in configured}
        return json.dumps(kept)

    store.update_meta(META_PREFIX + name, changed)


def advanced(state: DestinationState | None, newest: int, keys: Sequence[int]) -> DestinationState:
    """The state once what was new up to ``newest`` went out (or nothing was new)."""
    mark = max(state.mark if state else 0, newest)
    sent = [key for key in (state.sent if state else ()) if key not in keys] + list(keys)
    return DestinationState(mark=mark, sent=tuple(sent[-REMEMBERED:]))


def failed(state: DestinationState, error: str) -> DestinationState:
    """The state once a send failed with ``error`` (the mark unchanged)."""
    return replace(state, error=error, failures=state.failures + 1)


# -- the roster --------------------------------------------------------------------------------


def roster_entry(alert: str, destination: str) -> str:
    """A pair of the roster: "stack-cve/chat:team"."""
    return f"{alert}/{destination}"


def read_roster(store: Store) -> set[str]:
    """The "alert/destination" pairs configured at the last sending run; none when never
    recorded (or unreadable): every destination starts afresh then."""
    return _parse_roster(store.get_meta(ROSTER))


def _parse_roster(raw: str | None) -> set[str]:
    try:
        entries = json.loads(raw) if raw else None
    except ValueError:
        return set()
    return {str(entry) for entry in entries} if isinstance(entries, list) else set()


def update_roster(store: Store, alerts: Collection[str], entries: Collection[str]) -> None:
    """Replace the roster's pairs of ``alerts`` by ``entries``, in one transaction."""

    def changed(raw: str | None) -> str:
        stored = _parse_roster(raw)
        others = {entry for entry in stored if entry.partition("/")[0] not in alerts}
        return json.dumps(sorted(others | set(entries)))

    store.update_meta(ROSTER, changed)
