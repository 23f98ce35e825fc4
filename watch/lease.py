"""One ``watch run`` per database: a lease in the store, renewed by a heartbeat.

The lease names its holder ``host:pid:tag``.  Another instance refuses to start while the lease
is fresh (heartbeat younger than ``LEASE``), unless the holder is on this host and its process
is gone (a crash, a SIGKILL, an OOM kill, or a restarted container that reuses the PID): then it
takes the lease over at once and says so.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import uuid
from datetime import datetime, timedelta

from watch.store.base import Store

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=90)
KEY = "scheduler_lease"
_held_here: set[str] = set()
"""Owners whose lease is held by this process (several services share one PID in tests)."""


class AlreadyRunning(Exception):
    """Another ``watch run`` holds this database's lease."""


def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire_lease(store: Store, owner: str, now: datetime) -> None:
    """Take or renew the lease for ``owner``; raise AlreadyRunning if a live holder has it."""
    raw = store.get_meta(KEY)
    lease = json.loads(raw) if raw else {}
    holder = lease.get("owner", "")
    if holder and holder != owner:
        heartbeat = datetime.fromisoformat(lease["heartbeat"])
        if now - heartbeat < LEASE:
            if not holder_is_dead(holder):
                raise AlreadyRunning(_refusal(holder, heartbeat, now))
            log.warning(
                "taking over the lease of 'watch run' %s: that process is no longer running",
                holder,
            )
    store.set_meta(KEY, json.dumps({"owner": owner, "heartbeat": now.isoformat()}))
    _held_here.add(owner)


def release_lease(store: Store, owner: str) -> None:
    raw = store.get_meta(KEY)
    if raw and json.loads(raw)["owner"] == owner:
        store.set_meta(KEY, json.dumps({"owner": "", "heartbeat": "1970-01-01T00:00:00+00:00"}))
    _held_here.discard(owner)


def holder_is_dead(holder: str) -> bool:
    """True when ``holder`` ran on this host and its process no longer exists."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return holder not in _held_here
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, run by another user
        return False
    return False


def _refusal(holder: str, heartbeat: datetime, now: datetime) -> str:
    host, _, rest = holder.partition(":")
    seen = f"last heartbeat {int((now - heartbeat).total_seconds())} s ago"
    if host == socket.gethostname():
        pid = rest.partition(":")[0]
        return f"another 'watch run' is active on this database (pid {pid} on this host, {seen})"
    return (
        f"another 'watch run' is active on this database (on host {host}, {seen}); if it died,"
        f" its lease expires at {heartbeat + LEASE:%H:%M:%S} UTC"
    )
