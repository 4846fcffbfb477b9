"""SQLite, with files written in a rolled-back transaction removed (``core.txfiles``, ADR 0141)."""

from django.db.backends.sqlite3 import base

from congso.core.txfiles import RollbackCleanupMixin


class DatabaseWrapper(RollbackCleanupMixin, base.DatabaseWrapper):
    pass
