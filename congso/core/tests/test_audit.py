"""The tamper-evident audit trail and `congso audit verify`."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from congso.core import audit
from congso.core.models import AuditChainHead, AuditEntry


@pytest.fixture
def official(db):
    return get_user_model().objects.create_user(
        "can.bo.lan", password="mat-khau-rat-dai-2026", full_name="Nguyễn Thị Lan", kind="official"
    )


def _write(n, actor):
    for i in range(n):
        audit.record(
            "dossier.accept",
            actor=actor,
            object_type="dossiers.dossier",
            object_id=str(1000 + i),
            object_repr=f"H38.22-260115-{i:04d}",
            data={"ghi_chu": f"Tiếp nhận hồ sơ số {i}", "so_trang": i},
        )


def _verify_output(capsys):
    call_command("audit", "verify")
    return capsys.readouterr().out


@pytest.mark.django_db
def test_intact_chain_verifies(official, capsys):
    _write(25, official)
    result = audit.verify()
    assert result.ok and result.count == 25
    assert "25" in _verify_output(capsys)


@pytest.mark.django_db
def test_entries_record_actor_and_request_context(official, client):
    client.force_login(official)
    _write(1, official)
    entry = AuditEntry.objects.get()
    assert entry.actor_id == official.pk and entry.actor_repr == "can.bo.lan"
    assert entry.data == {"ghi_chu": "Tiếp nhận hồ sơ số 0", "so_trang": 0}
    assert entry.prev_hash == "0" * 64 and len(entry.hash) == 64


@pytest.mark.django_db
def test_changed_row_is_detected(official):
    _write(10, official)
    victim = AuditEntry.objects.order_by("id")[4]
    AuditEntry.objects.filter(pk=victim.pk).update(data={"ghi_chu": "đã sửa"})
    result = audit.verify()
    assert not result.ok and result.entry_id == victim.pk
    with pytest.raises(CommandError, match=f"#{victim.pk}"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_changed_actor_is_detected(official):
    _write(3, official)
    victim = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=victim.pk).update(actor_repr="nguoi.khac")
    assert audit.verify().entry_id == victim.pk


@pytest.mark.django_db
def test_deleted_middle_row_is_detected(official):
    _write(10, official)
    entries = list(AuditEntry.objects.order_by("id"))
    entries[3].delete()
    result = audit.verify()
    assert not result.ok
    assert result.entry_id == entries[4].pk  # the first entry whose predecessor vanished
    with pytest.raises(CommandError):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_deleted_last_row_is_detected(official):
    _write(5, official)
    last = AuditEntry.objects.order_by("-id").first()
    last.delete()
    result = audit.verify()
    assert not result.ok and "cuối" in result.problem


@pytest.mark.django_db
def test_inserted_row_is_detected(official):
    _write(6, official)
    third = AuditEntry.objects.order_by("id")[2]
    # A forger inserts a plausible entry after the third, renumbering nothing.
    forged = AuditEntry(
        shard=third.shard,
        seq=third.seq + 100,
        occurred_at=third.occurred_at,
        action="dossier.accept",
        prev_hash=third.hash,
        data={},
    )
    forged.hash = audit.compute_hash(forged)
    forged.save()
    result = audit.verify()
    assert not result.ok and result.entry_id == forged.pk


@pytest.mark.django_db
def test_recomputed_forgery_is_caught_by_the_head(official):
    """Rewriting an entry and recomputing every later hash still breaks against the chain head."""
    _write(4, official)
    entries = list(AuditEntry.objects.order_by("seq"))
    prev = entries[1].prev_hash
    for entry in entries[1:]:
        entry.prev_hash = prev
        if entry is entries[1]:
            entry.data = {"ghi_chu": "giả mạo"}
        entry.hash = audit.compute_hash(entry)
        AuditEntry.objects.filter(pk=entry.pk).update(
            prev_hash=entry.prev_hash, data=entry.data, hash=entry.hash
        )
        prev = entry.hash
    assert not audit.verify().ok


@pytest.mark.django_db
def test_one_transaction_uses_one_shard(official, settings):
    settings.CONGSO_AUDIT_SHARDS = 16
    for _ in range(5):
        with transaction.atomic():
            _write(4, official)
    shards_per_request = {}
    # by position, not by id: a PostgreSQL sequence does not restart at 1 for each test
    for position, entry in enumerate(AuditEntry.objects.order_by("id")):
        shards_per_request.setdefault(position // 4, set()).add(entry.shard)
    assert AuditEntry.objects.count() == 20 and len(shards_per_request) == 5
    assert all(len(s) == 1 for s in shards_per_request.values())


@pytest.mark.django_db
def test_rollback_leaves_no_entry(official):
    with pytest.raises(RuntimeError), transaction.atomic():
        _write(2, official)
        raise RuntimeError("lỗi giữa chừng")
    assert AuditEntry.objects.count() == 0
    assert audit.verify().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_chains_intact(official):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is tested on PostgreSQL")
    errors = []

    def worker():
        try:
            for _ in range(20):
                with transaction.atomic():
                    _write(2, official)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    result = audit.verify()
    assert result.ok and result.count == 8 * 20 * 2
    assert AuditChainHead.objects.count() > 1  # writers spread over several shards


@pytest.mark.django_db
def test_savepoint_rollback_inside_a_transaction_keeps_the_chain(official):
    with transaction.atomic():
        _write(1, official)
        with pytest.raises(RuntimeError), transaction.atomic():
            _write(2, official)
            raise RuntimeError("bước con thất bại")
        _write(1, official)
    assert AuditEntry.objects.count() == 2
    assert audit.verify().ok


@pytest.mark.django_db
def test_batched_entries_are_written_together_at_the_end_in_order(official):
    with audit.batched():
        _write(2, official)
        with audit.batched():  # a nested batch joins the outer one
            audit.record_many(
                [
                    {"action": "datastore.store", "actor": official, "object_type": "datastore.document"},
                    {"action": "datastore.reuse", "actor": official, "object_type": "datastore.document"},
                ]
            )
        assert not AuditEntry.objects.exists()  # nothing written before the block ends
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.action for e in entries] == [
        "dossier.accept",
        "dossier.accept",
        "datastore.store",
        "datastore.reuse",
    ]
    assert len({e.shard for e in entries}) == 1 and [e.seq for e in entries] == [1, 2, 3, 4]
    assert audit.verify().ok


@pytest.mark.django_db
def test_batched_block_writes_in_three_statements(official, django_assert_num_queries):
    with transaction.atomic():
        AuditChainHead.objects.all().delete()
        audit.record("core.warmup", actor=official)  # the shard's head row exists from here on
    with django_assert_num_queries(3):
        with audit.batched():
            _write(5, official)
    assert AuditEntry.objects.count() == 6 and audit.verify().ok


@pytest.mark.django_db
def test_batched_block_that_fails_writes_nothing(official):
    with pytest.raises(RuntimeError), transaction.atomic(), audit.batched():
        _write(3, official)
        raise RuntimeError("từ chối")
    assert not AuditEntry.objects.exists()
    with audit.batched():  # and the next block starts afresh
        _write(1, official)
    assert AuditEntry.objects.count() == 1 and audit.verify().ok


@pytest.mark.django_db(transaction=True)
def test_batched_drops_the_entries_of_a_savepoint_that_rolled_back(official):
    """A receiving step caught inside its own atomic block (a packet accepted, its registration refused)
    leaves no entry for what the database undid, and keeps the others in order."""
    with audit.batched():
        audit.record("exchange.received", actor=official)
        with transaction.atomic():
            audit.record("documents.take_number", actor=official)
        with pytest.raises(RuntimeError), transaction.atomic():
            audit.record("documents.register_incoming", actor=official)
            with transaction.atomic():
                audit.record("exchange.report_status", actor=official)
            raise RuntimeError("từ chối vào sổ")
        audit.record("exchange.report_status", actor=official)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.action for e in entries] == [
        "exchange.received",
        "documents.take_number",
        "exchange.report_status",
    ]
    assert [e.seq for e in entries] == [1, 2, 3] and audit.verify().ok
    with audit.batched():  # the next transaction starts with no savepoint remembered as rolled back
        with transaction.atomic():
            audit.record("core.after", actor=official)
    assert AuditEntry.objects.filter(action="core.after").count() == 1
