"""Files written for a transaction that rolls back are removed (core.txfiles, ADR 0141)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import DEFAULT_DB_ALIAS, IntegrityError, OperationalError, connection, connections, transaction

from congso.core import txfiles
from congso.core.checks import check_rollback_cleanup


class Failed(Exception):
    pass


def _save(name="ho-so/giay-khai-sinh.pdf"):
    return default_storage.save(name, ContentFile(b"%PDF-1.7 ban sao cong chung"))


def test_the_engines_clean_up_after_rollbacks():
    assert isinstance(connections[DEFAULT_DB_ALIAS], txfiles.RollbackCleanupMixin)
    assert isinstance(storages["default"], txfiles.TransactionalFilesMixin)


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_leaves_no_file():
    with pytest.raises(Failed), transaction.atomic():
        name = _save()
        assert default_storage.exists(name)
        raise Failed
    assert not default_storage.exists(name)
    assert connection.files_written == []


@pytest.mark.django_db(transaction=True)
def test_committed_file_stays():
    with transaction.atomic():
        name = _save()
    assert default_storage.exists(name)
    assert connection.files_written == []


@pytest.mark.django_db(transaction=True)
def test_file_written_outside_a_transaction_is_not_tracked():
    name = _save()
    assert connection.files_written == []
    assert default_storage.exists(name)


@pytest.mark.django_db(transaction=True)
def test_savepoint_rollback_removes_only_its_own_files():
    with transaction.atomic():
        kept = _save("ho-so/to-khai.pdf")
        with pytest.raises(Failed), transaction.atomic():
            dropped = _save("ho-so/ban-sao.pdf")
            with transaction.atomic():  # a released savepoint inside the rolled-back one
                inner = _save("ho-so/phu-luc.pdf")
            raise Failed
        assert not default_storage.exists(dropped) and not default_storage.exists(inner)
        assert default_storage.exists(kept)
    assert default_storage.exists(kept)


@pytest.mark.django_db(transaction=True)
def test_released_savepoint_files_go_with_the_outer_rollback():
    with pytest.raises(Failed), transaction.atomic():
        with transaction.atomic():
            name = _save()
        assert default_storage.exists(name)
        raise Failed
    assert not default_storage.exists(name)


@pytest.mark.django_db(transaction=True)
def test_inner_block_without_savepoint_marks_the_whole_transaction():
    with pytest.raises(Failed), transaction.atomic():
        try:
            with transaction.atomic(savepoint=False):
                name = _save()
                raise Failed
        finally:
            assert default_storage.exists(name)  # the outer block decides
    assert not default_storage.exists(name)


@pytest.mark.django_db(transaction=True)
def test_connection_closed_inside_a_transaction_removes_its_files():
    with transaction.atomic():
        name = _save()
        connection.close()  # the database rolls the transaction back
    assert not default_storage.exists(name)


@pytest.mark.django_db(transaction=True)
def test_commit_with_unknown_outcome_keeps_the_file(monkeypatch):
    """A connection lost during COMMIT: the row may have committed, so the file stays (the sweep
    removes it later if no row names it)."""

    def lost(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(type(connections[DEFAULT_DB_ALIAS]), "_commit", lost)
    monkeypatch.setattr(type(connections[DEFAULT_DB_ALIAS]), "is_usable", lambda self: False)
    with pytest.raises(Exception, match="server closed"), transaction.atomic():
        name = _save()
    monkeypatch.undo()
    assert default_storage.exists(name)
    assert connection.files_written == []
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_commit_refused_by_the_server_removes_the_file(monkeypatch):
    """A commit the server refuses (a deferred constraint, a serialisation failure) rolled back."""
    original = type(connections[DEFAULT_DB_ALIAS])._commit

    def refused(self):
        original(self)  # nothing to keep: the test's own write is the file
        raise IntegrityError("insert or update violates foreign key constraint")

    monkeypatch.setattr(type(connections[DEFAULT_DB_ALIAS]), "_commit", refused)
    with pytest.raises(Exception, match="foreign key"), transaction.atomic():
        name = _save()
    monkeypatch.undo()
    assert not default_storage.exists(name)


@pytest.mark.django_db(transaction=True)
def test_failed_delete_does_not_hide_the_original_error(monkeypatch):
    monkeypatch.setattr(type(storages["default"]), "delete", lambda self, name: 1 / 0)
    with pytest.raises(Failed), transaction.atomic():
        _save()
        raise Failed
    assert connection.files_written == []


def test_system_check_warns_when_a_storage_would_leave_files(settings, tmp_path):
    assert check_rollback_cleanup() == []
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    assert [m.id for m in check_rollback_cleanup()] == ["congso.W021"]
