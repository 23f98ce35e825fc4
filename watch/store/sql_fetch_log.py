"""The fetch log: entries appended, each source trimmed to its newest ``keep``; read newest first,
optionally one source's or those of a time window (``since`` <= at < ``until``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from watch.models import FetchLogEntry
from watch.store.schema import fetch_log


def append(conn: Connection, entries: Sequence[FetchLogEntry], keep: int) -> None:
    """Insert ``entries``, then trim each of their sources to its newest ``keep``."""
    log = fetch_log.c
    conn.execute(fetch_log.insert(), [vars(entry) for entry in entries])
    sources = sorted({entry.source for entry in entries})
    ranked = (
        sa.select(
            log.id,
            sa.func.row_number()
            .over(partition_by=log.source, order_by=(log.at.desc(), log.id.desc()))
            .label("rank"),
        )
        .where(log.source.in_(sources))
        .subquery()
    )
    old = sa.select(ranked.c.id).where(ranked.c.rank > keep)
    conn.execute(fetch_log.delete().where(log.id.in_(old)))


def select(
    source: str | None, limit: int | None, since: datetime | None, until: datetime | None
) -> Select[tuple[object, ...]]:
    """The entries newest first: of ``source``, of the window, at most ``limit`` (None: all)."""
    log = fetch_log.c
    stmt = fetch_log.select().order_by(log.at.desc(), log.id.desc()).limit(limit)
    if source is not None:
        stmt = stmt.where(log.source == source)
    if since is not None:
        stmt = stmt.where(log.at >= since)
    if until is not None:
        stmt = stmt.where(log.at < until)
    return stmt
