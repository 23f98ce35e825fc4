"""The board's "fetch now" requests to the scheduler: one Store meta value, ``fetch_now``,
``{"sources": [names], "requested_at": ISO time}``.

The board adds names (``with_sources``), the scheduler reads them (``requested_sources``) and
removes each once that source's fetch ends (``without_source``); both change the value through
``Store.update_meta``, in one transaction, so neither loses the other's change.  A value that is
not such an object (an older or damaged one) reads as no request.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

FETCH_NOW_KEY = "fetch_now"
"""The Store meta key of the request."""


def read_request(raw: str | None) -> dict[str, Any]:
    """The stored request as a dict with a ``sources`` list of names (empty: no request)."""
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    request = data if isinstance(data, dict) else {"sources": data}
    names = request.get("sources", [])
    return {**request, "sources": [str(n) for n in names] if isinstance(names, list) else []}


def requested_sources(raw: str | None) -> list[str]:
    """The names of the sources asked for."""
    return read_request(raw)["sources"]  # a new list each call


def with_sources(raw: str | None, names: list[str], at: datetime) -> str:
    """The request with ``names`` added, asked ``at``."""
    merged = sorted(set(requested_sources(raw)) | set(names))
    return json.dumps({"sources": merged, "requested_at": at.isoformat()})


def without_source(raw: str | None, name: str) -> str:
    """The request without ``name`` ("" once no source is left)."""
    request = read_request(raw)
    request["sources"] = [n for n in request["sources"] if n != name]
    return json.dumps(request) if request["sources"] else ""
