"""LabelQuest's shared store: SQLite by default, PostgreSQL when one machine is not enough.

`storage` imports nothing from `bot`. See `storage.base.Store` for the interface.
"""

from storage.driver import StoreError, redact_url
from storage.store import SqlStore, is_postgres_url, open_store

__all__ = ["SqlStore", "StoreError", "is_postgres_url", "open_store", "redact_url"]
