"""Schema migrations of the SQL store: Alembic's upgrade to the newest revision, in the
store's own write transaction (on PostgreSQL under an advisory lock, so two processes starting
together migrate one after the other); a real upgrade is logged in one line.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import Connection

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK = 0x77617463  # "watc"
log = logging.getLogger("watch.store.sql")


class NewerSchema(Exception):
    """The database was upgraded by a newer watch than this one: going on would break it."""


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def head_revision() -> str:
    """The newest revision this code knows (what ``upgrade`` brings a database to); read once
    (the board asks at every rerun)."""
    return str(ScriptDirectory.from_config(_config()).get_current_head())


def upgrade(conn: Connection, dialect: str) -> None:
    """Bring the database of ``conn`` (in a write transaction) to the newest revision; a
    database at a revision this code does not know raises ``NewerSchema``."""
    config = _config()
    if dialect == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
    config.attributes["connection"] = conn
    before = revision(conn)
    try:
        command.upgrade(config, "head")
    except CommandError:
        raise NewerSchema(
            f"this database was upgraded by a newer watch (schema revision {before}; this "
            f"version knows up to {head_revision()}): run that version, or restore the backup "
            "made before upgrading"
        ) from None
    after = revision(conn)
    if before is not None and after != before:
        log.warning("database schema upgraded from revision %s to %s", before, after)


def revision(conn: Connection) -> str | None:
    """The Alembic revision of the database ``conn`` is on (None before the first migration)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    value = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return str(value) if value is not None else None
