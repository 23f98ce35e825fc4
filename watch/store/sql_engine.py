"""Engines for the store: URL normalization, SQLite pragmas and transactions, read-only mode.

SQLite: WAL, ``busy_timeout`` 10 s, foreign keys, ``synchronous=NORMAL``, a 64 MiB cache.  The driver's own
transaction handling is switched off so that the store emits ``BEGIN IMMEDIATE`` for writes
(take the write lock up front: no lock-upgrade deadlock between the scheduler and the board)
and a plain ``BEGIN`` for reads (a consistent snapshot that never blocks a writer under WAL).
A read-only store opens the file with ``mode=ro`` and ``query_only``; on PostgreSQL it sets
``default_transaction_read_only``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.pool import StaticPool

WRITE_OPTION = "watch_write"
"""Execution option a connection carries when its transaction will write."""

BUSY_TIMEOUT_MS = 10_000
CACHE_KIB = 65_536
"""Page cache per SQLite connection (the default 2 MiB thrashes on 100,000 articles)."""


def normalize_url(url: str) -> URL:
    """Parse ``url``; ``postgresql://`` and ``postgres://`` use the psycopg 3 driver."""
    parsed = sa.make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str, *, read_only: bool) -> Engine:
    """An engine for ``url`` configured for the store (see the module docstring)."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, read_only=read_only)
    connect_args: dict[str, Any] = {}
    if read_only:
        connect_args["options"] = "-c default_transaction_read_only=on"
    return sa.create_engine(parsed, connect_args=connect_args, pool_pre_ping=True)


def _sqlite_engine(url: URL, *, read_only: bool) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if in_memory:
        kwargs["poolclass"] = StaticPool
    elif read_only:
        url = url.set(database=f"file:{url.database}", query={"mode": "ro", "uri": "true"})
    else:
        Path(str(url.database)).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        cursor.execute("PRAGMA temp_store = MEMORY")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        elif not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        writing = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine
