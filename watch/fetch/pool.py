"""httpcore's connection pool with its per-request bookkeeping made linear.

httpcore 1.0.x rebuilds, on every request it queues or releases, a list of every connection's
idle state *for each idle connection* (``len([c.is_idle() for c in connections])``, which is
just the number of connections): 16 keep-alive connections cost 256 state queries per request,
a third of a pass's CPU when every feed answers 304.  This pool computes the same decisions
with that count taken once (the expression's value is ``len(self._connections)`` by
construction), and otherwise follows httpcore 1.0.9's ``_assign_requests_to_connections``
(BSD-3-Clause, encode/httpcore; the upstream fix is encode/httpcore#1035, not released).

When the installed httpcore lacks what this relies on, ``connection_pool_class`` returns the
unmodified pool: the fix is an optimisation, never a requirement.
"""

from __future__ import annotations

from typing import Any

import httpcore

_RELIES_ON = ("_assign_requests_to_connections", "create_connection")


class LinearConnectionPool(httpcore.AsyncConnectionPool):
    """``httpcore.AsyncConnectionPool`` without the quadratic idle-connection count."""

    def _assign_requests_to_connections(self) -> list[Any]:
        closing: list[Any] = []
        connections: list[Any] = self._connections  # type: ignore[has-type]
        for connection in list(connections):
            if connection.is_closed():
                connections.remove(connection)
            elif connection.has_expired() or (
                connection.is_idle() and len(connections) > self._max_keepalive_connections
            ):
                connections.remove(connection)
                closing.append(connection)

        for pool_request in [r for r in self._requests if r.is_queued()]:
            origin = pool_request.request.url.origin
            available = [
                c for c in connections if c.can_handle_request(origin) and c.is_available()
            ]
            if available:
                pool_request.assign_to_connection(available[0])
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


def connection_pool_class() -> type[httpcore.AsyncConnectionPool]:
    """The linear pool when the installed httpcore has what it overrides, else httpcore's."""
    base = httpcore.AsyncConnectionPool
    if httpcore.__version__.startswith("1.0.") and all(hasattr(base, n) for n in _RELIES_ON):
        return LinearConnectionPool
    return base
