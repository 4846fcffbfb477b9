"""Files written for a transaction are removed when it rolls back (ADR 0141).

Every upload path writes its file to storage *before* the row that names it commits: the database row
cannot be written first (it needs the stored name) and the file cannot wait until after the commit (an
acknowledged dossier must not point at a file still to be written). Django runs code after a commit
(``transaction.on_commit``) but has no hook for a rollback, so without help a failed use case leaves
its files behind, with personal data in them and no row that names them.

Two halves, both in this module:

- ``TransactionalFilesMixin`` for storages: ``_save`` reports each new name with ``written()``.
  ``DurableFileSystemStorage`` (``core.storage``) and the S3 storage (``core.s3storage``) use it, so
  every ``FieldFile.save``/``storage.save`` is covered without the caller doing anything.
- ``RollbackCleanupMixin`` for database wrappers (the engines ``congso.core.db.postgresql`` and
  ``congso.core.db.sqlite3``, chosen by settings): the connection keeps the names written in its
  transaction, each tagged with the savepoints open at the time (as Django tags ``on_commit``
  callbacks). A commit forgets them; a rollback deletes them all; a rollback to a savepoint deletes
  those written since that savepoint; a connection closed inside a transaction (the database rolls
  it back) deletes them all.

A commit whose outcome is unknown (the connection died during COMMIT) deletes nothing: the row may
well have committed. Its files, and those of a process killed mid-transaction, are left to
``congso storage sweep`` (``core.sweep``), which removes stored files no row names after a grace period.
Files written outside any transaction are not tracked (there is nothing to roll back).
"""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)


def written(storage, name: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that ``name`` was just saved to ``storage``: delete it if the current transaction rolls
    back. Outside a transaction (autocommit) this does nothing."""
    connection = connections[using]
    track = getattr(connection, "track_written_file", None)
    if track is not None:
        track(storage, name)


def _delete(entries) -> None:
    for _sids, storage, name in entries:
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 - the sweep removes what a failed delete leaves
            logger.warning(
                "could not remove %s after a rollback; the storage sweep will", name, exc_info=True
            )


class TransactionalFilesMixin:
    """A storage whose saved files are removed if the transaction they were written in rolls back."""

    def _save(self, name, content):
        name = super()._save(name, content)
        written(self, name)
        return name


class RollbackCleanupMixin:
    """A database wrapper that deletes the files written in a transaction that rolls back."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.files_written: list[tuple[frozenset, object, str]] = []
        # The savepoints of the current transaction that rolled back (``core.audit.batched`` drops the
        # entries recorded inside them); savepoint ids are not reused within a transaction.
        self.savepoints_rolled_back: set[str] = set()

    def in_transaction(self) -> bool:
        return self.in_atomic_block or (self.connection is not None and not self.autocommit)

    def track_written_file(self, storage, name: str) -> None:
        if self.in_transaction():
            self.files_written.append((frozenset(self.savepoint_ids), storage, name))

    def commit(self):
        try:
            super().commit()
        except BaseException:
            # A server that answered with an error rolled back (the caller's rollback deletes the
            # files); a connection lost during COMMIT leaves the outcome unknown: keep the files.
            if not self._answered():
                self.files_written = []
            self.savepoints_rolled_back = set()
            raise
        self.files_written = []
        self.savepoints_rolled_back = set()

    def _answered(self) -> bool:
        try:
            return self.connection is not None and self.is_usable()
        except Exception:  # noqa: BLE001
            return False

    def rollback(self):
        entries, self.files_written = self.files_written, []
        self.savepoints_rolled_back = set()
        try:
            super().rollback()
        finally:
            _delete(entries)

    def savepoint_rollback(self, sid):
        super().savepoint_rollback(sid)
        if not self._savepoint_allowed():
            return
        self.savepoints_rolled_back.add(sid)
        gone = [e for e in self.files_written if sid in e[0]]
        if gone:
            self.files_written = [e for e in self.files_written if sid not in e[0]]
            _delete(gone)

    def close(self):
        entries = self.files_written if self.in_transaction() else []
        self.files_written = []
        self.savepoints_rolled_back = set()
        try:
            super().close()
        finally:
            _delete(entries)
