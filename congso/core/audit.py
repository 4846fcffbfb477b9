"""Write and verify the tamper-evident audit trail.

Usage inside a service function (one transaction with the state change):

    with transaction.atomic():
        dossier.status = ...
        dossier.save()
        audit.record("dossier.accept", obj=dossier, actor=user, data={"note": note})

Design (docs/adr/0004-audit-chain.md): the log is split into N shard chains. A transaction picks
one shard the first time it writes, locks that shard's head row, and appends every entry it writes
to that chain. Concurrent transactions spread over the shards, so writers do not serialise on one row,
and a transaction never holds two shard locks, so audit writes cannot deadlock with each other.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import random
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import compiled
from .logging import client_ip_var, request_id_var, user_agent_var
from .models import GENESIS_HASH, AuditChainHead, AuditEntry

HASHED_FIELDS = (
    "shard",
    "seq",
    "occurred_at",
    "actor_id",
    "actor_repr",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "data",
    "ip",
    "user_agent",
    "request_id",
    "prev_hash",
)


def shard_count() -> int:
    return int(getattr(settings, "CONGSO_AUDIT_SHARDS", 16))


def _canonical(entry: AuditEntry) -> bytes:
    payload = {}
    for name in HASHED_FIELDS:
        value = getattr(entry, name)
        if name == "occurred_at":
            value = value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
        payload[name] = value
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _normalise(data) -> dict:
    """JSON round-trip so the hashed value equals what the database gives back later."""
    return json.loads(json.dumps(data or {}, ensure_ascii=False, default=str))


def _head_sql(connection) -> tuple[str, str]:
    """The head's lock-and-read and update statements (plain SQL: the ORM's compilation of these two
    one-row statements cost more CPU than running them, and every state change runs them)."""
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return (
        f"SELECT seq, last_hash FROM {table} WHERE shard = %s{lock}",  # noqa: S608 — table from _meta
        f"UPDATE {table} SET seq = %s, last_hash = %s WHERE shard = %s",  # noqa: S608
    )


def _locked_head() -> tuple[int, int, str]:
    """(shard, seq, last hash) of this transaction's shard head, locked (re-locking a row this
    transaction holds is free).

    The shard is chosen once per outermost transaction and remembered; the head row itself is read
    again on every write, so a savepoint rolled back inside the transaction never leaves a stale copy.
    """
    outer = connection.atomic_blocks[0]
    cached = getattr(connection, "_congso_audit_shard", None)
    if cached and cached[0] is outer:
        shard = cached[1]
    else:
        shard = random.randrange(shard_count())
        connection._congso_audit_shard = (outer, shard)
    select, _update = _head_sql(connection)
    with connection.cursor() as cursor:
        cursor.execute(select, [shard])
        row = cursor.fetchone()
        if row is None:
            AuditChainHead.objects.bulk_create([AuditChainHead(shard=shard)], ignore_conflicts=True)
            cursor.execute(select, [shard])
            row = cursor.fetchone()
    return shard, int(row[0]), row[1]


def _describe(obj) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = getattr(obj, "_meta", None)
    object_type = meta.label_lower if meta else type(obj).__name__
    return object_type, str(getattr(obj, "pk", "") or ""), str(obj)[:300]


def record(
    action: str,
    *,
    obj=None,
    actor=None,
    data: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Append one entry. Joins the caller's transaction (no savepoint), or opens one of its own."""
    (entry,) = record_many(
        [
            {
                "action": action,
                "obj": obj,
                "actor": actor,
                "data": data,
                "object_type": object_type,
                "object_id": object_id,
                "object_repr": object_repr,
            }
        ]
    )
    return entry


def record_many(records: list[dict]) -> list[AuditEntry]:
    """Append several entries in order (each a dict of ``record``'s keyword arguments), chained one after
    the other on this transaction's shard: one head lock, one insert and one head update for them all.

    For a use case that makes several transitions at once (a counter receipt accepted on the spot), so
    that it keeps one entry per transition without paying three statements for each. Inside
    ``batched()`` the entries are only collected (and returned unsaved), and written at its end."""
    if not records:
        return []
    entries = [_entry(r) for r in records]
    pending = _batch.get()
    if pending is not None:
        savepoints = frozenset(connection.savepoint_ids)
        pending.extend((savepoints, entry) for entry in entries)
        return entries
    _append(entries)
    return entries


def _entry(r: dict) -> AuditEntry:
    """An unchained entry (no shard, sequence or hashes yet) from ``record``'s keyword arguments, with
    the request's client address and id."""
    actor = r.get("actor")
    o_type, o_id, o_repr = _describe(r.get("obj"))
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    request_id = request_id_var.get()
    return AuditEntry(
        occurred_at=r.get("occurred_at") or timezone.now(),
        actor_id=actor.pk if authenticated else None,
        actor_repr=(actor.get_username() if authenticated else "")[:200],
        action=r["action"],
        object_type=r.get("object_type") or o_type,
        object_id=str(r.get("object_id") or o_id)[:64],
        object_repr=(r.get("object_repr") or o_repr)[:300],
        data=_normalise(r.get("data")),
        ip=client_ip_var.get(),
        user_agent=user_agent_var.get()[:300],
        request_id=request_id if request_id != "-" else "",
    )


def _append(entries: list[AuditEntry]) -> None:
    """Chain ``entries`` in order onto this transaction's shard and write them."""
    with transaction.atomic(savepoint=False):
        shard, seq, prev_hash = _locked_head()
        for entry in entries:
            seq += 1
            entry.shard, entry.seq, entry.prev_hash = shard, seq, prev_hash
            entry.hash = prev_hash = compute_hash(entry)
        compiled.insert(entries)
        with connection.cursor() as cursor:
            cursor.execute(_head_sql(connection)[1], [seq, prev_hash, shard])


_batch: ContextVar[list[tuple[frozenset, AuditEntry]] | None] = ContextVar("congso_audit_batch", default=None)


@contextmanager
def batched():
    """One atomic block whose audit entries are written together at its end: one head lock, one insert
    and one head update for all of them, in the same transaction, and the shard's head is locked only
    from then until the commit.

    For a use case that records through several services (an online filing: the receipt, the papers
    kept in the data store, a reused paper, a helper's consent; a received edXML packet: its inbox row,
    the registration, the arrival number, the status sent back). Entries recorded inside are returned
    unsaved (no id yet). A nested ``batched()`` joins the outer one.

    Each entry is tagged with the savepoints open when it was recorded, as ``core.txfiles`` tags files:
    an inner atomic block that rolls back (an error caught around it) drops the entries recorded inside
    it, as the database drops its rows, and the others are written. Do not catch a database error
    without an atomic block around it: the transaction cannot go on anyway."""
    if _batch.get() is not None:
        with transaction.atomic(savepoint=False):
            yield
        return
    pending: list[tuple[frozenset, AuditEntry]] = []
    token = _batch.set(pending)
    try:
        with transaction.atomic(savepoint=False):
            yield
            _batch.reset(token)
            token = None
            rolled_back = getattr(connection, "savepoints_rolled_back", set())
            kept = [entry for savepoints, entry in pending if not savepoints & rolled_back]
            if kept:
                _append(kept)
    finally:
        if token is not None:
            _batch.reset(token)


@dataclass
class VerifyResult:
    ok: bool
    count: int
    problem: str = ""
    entry_id: int | None = None


def verify(chunk_size: int = 5000) -> VerifyResult:
    """Walk every shard chain. Returns the first break found (lowest entry id among shards)."""
    count = 0
    breaks: list[VerifyResult] = []
    heads = {h.shard: h for h in AuditChainHead.objects.all()}
    shards = set(heads) | set(AuditEntry.objects.values_list("shard", flat=True).distinct())
    for shard in sorted(shards):
        prev_hash, expected_seq = GENESIS_HASH, 1
        problem = None
        last_id = None
        qs = AuditEntry.objects.filter(shard=shard).order_by("seq")
        for entry in qs.iterator(chunk_size=chunk_size):
            count += 1
            if problem:
                continue
            if entry.seq != expected_seq:
                problem = VerifyResult(
                    False,
                    0,
                    f"chuỗi {shard}: thiếu mục số {expected_seq} (đã bị xoá?) trước mục #{entry.pk}",
                    entry.pk,
                )
            elif entry.prev_hash != prev_hash:
                problem = VerifyResult(
                    False,
                    0,
                    f"chuỗi {shard}: mục #{entry.pk} không nối với mục trước (bị chèn hoặc sửa)",
                    entry.pk,
                )
            elif compute_hash(entry) != entry.hash:
                problem = VerifyResult(
                    False, 0, f"chuỗi {shard}: nội dung mục #{entry.pk} đã bị sửa", entry.pk
                )
            prev_hash, expected_seq, last_id = entry.hash, entry.seq + 1, entry.pk
        if problem:
            breaks.append(problem)
            continue
        head = heads.get(shard)
        if head is None:
            breaks.append(VerifyResult(False, 0, f"chuỗi {shard}: không có bản ghi đầu chuỗi", last_id))
        elif head.seq != expected_seq - 1 or head.last_hash != prev_hash:
            breaks.append(
                VerifyResult(
                    False,
                    0,
                    f"chuỗi {shard}: mục cuối (số {head.seq}) đã bị xoá hoặc sửa; mục còn lại cuối cùng là #{last_id}",
                    last_id,
                )
            )
    if breaks:
        first = min(breaks, key=lambda b: (b.entry_id is None, b.entry_id or 0))
        first.count = count
        return first
    return VerifyResult(True, count)
