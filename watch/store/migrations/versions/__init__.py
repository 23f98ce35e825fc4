"""Alembic revisions, one file per schema version: 0001_initial, 0002_…"""
