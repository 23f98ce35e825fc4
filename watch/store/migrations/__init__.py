"""Numbered Alembic migrations of the store, run programmatically by ``SqlStore.migrate``."""
