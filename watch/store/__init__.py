"""Storage: the ``Store`` interface (``base``) and its SQL implementation, opened by URL.

``open_store("sqlite:///watch.db")`` or ``open_store("postgresql://user@host/db")``; the board
passes ``read_only=True``.
"""

from watch.store.base import ArticleQuery, ClassificationUpdate, DigestRecord, Store
from watch.store.sql import ReadOnlyStoreError, SqlStore, open_store

__all__ = [
    "ArticleQuery",
    "ClassificationUpdate",
    "DigestRecord",
    "ReadOnlyStoreError",
    "SqlStore",
    "Store",
    "open_store",
]
