"""httpcore's connection pool with its per-request bookkeeping made linear.

httpcore 1.0.x does two things on every request it queues or releases that grow with the pool:

- it rebuilds a list of every connection's idle state *for each idle connection*
  (``len([c.is_idle() for c in connections])``, which is just the number of connections):
  16 keep-alive connections cost 256 state queries per request;
- it asks every idle connection whether the server closed it (``has_expired``: one ``poll``
  system call each), some 40,000 questions in a 500-feed pass.

This pool takes the count once (the expression's value is ``len(self._connections)`` by
construction), asks "expired?" of the connection it is about to hand out (never a dead one),
and sweeps the whole pool for expired connections at most once per ``SWEEP_SECONDS``.
Otherwise it follows httpcore 1.0.9's ``_assign_requests_to_connections`` (BSD-3-Clause,
encode/httpcore; the upstream fix for the first point is encode/httpcore#1035, not released).

When the installed httpcore lacks what this relies on, ``connection_pool_class`` returns the
unmodified pool: the fix is an optimisation, never a requirement.
"""

from __future__ import annotations

import time
from typing import Any

import httpcore

_RELIES_ON = ("_assign_requests_to_connections", "create_connection")
SWEEP_SECONDS = 1.0


class LinearConnectionPool(httpcore.AsyncConnectionPool):
    """``httpcore.AsyncConnectionPool`` without the quadratic idle-connection count."""

    _next_sweep = 0.0

    def _assign_requests_to_connections(self) -> list[Any]:
        closing: list[Any] = []
        connections: list[Any] = self._connections  # type: ignore[has-type]
        sweep = time.monotonic() >= self._next_sweep
        if sweep:
            self._next_sweep = time.monotonic() + SWEEP_SECONDS
        for connection in list(connections):
            if connection.is_closed():
                connections.remove(connection)
            elif (sweep and connection.has_expired()) or (
                connection.is_idle() and len(connections) > self._max_keepalive_connections
            ):
                connections.remove(connection)
                closing.append(connection)

        for pool_request in [r for r in self._requests if r.is_queued()]:
            origin = pool_request.request.url.origin
            available = _first_usable(connections, origin, closing)
            if available is not None:
                pool_request.assign_to_connection(available)
            elif len(connections) < self._max_connections:
                connection = self.create_connection(origin)
                connections.append(connection)
                pool_request.assign_to_connection(connection)
            else:
                idle = next((c for c in connections if c.is_idle()), None)
                if idle is not None:
                    connections.remove(idle)
                    closing.append(idle)
                    connection = self.create_connection(origin)
                    connections.append(connection)
                    pool_request.assign_to_connection(connection)
        return closing


def _first_usable(connections: list[Any], origin: Any, closing: list[Any]) -> Any | None:
    """The first available connection for ``origin`` that has not expired; the expired ones
    met on the way (keep-alive ran out, or the server closed them) move to ``closing``."""
    for connection in list(connections):
        if not (connection.can_handle_request(origin) and connection.is_available()):
            continue
        if connection.has_expired():
            connections.remove(connection)
            closing.append(connection)
            continue
        return connection
    return None


def connection_pool_class() -> type[httpcore.AsyncConnectionPool]:
    """The linear pool when the installed httpcore has what it overrides, else httpcore's."""
    base = httpcore.AsyncConnectionPool
    if httpcore.__version__.startswith("1.0.") and all(hasattr(base, n) for n in _RELIES_ON):
        return LinearConnectionPool
    return base
