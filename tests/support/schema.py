"""Taking a store's schema back to an older revision, as a database made by an older watch."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from watch.store import Store
from watch.store.sql import SqlStore
from watch.store.sql_migrate import MIGRATIONS


def downgrade(store: Store, revision: str) -> None:
    """Run the migrations down to ``revision`` on ``store`` (a SQL store)."""
    assert isinstance(store, SqlStore)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store._write() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
