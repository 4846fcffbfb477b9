"""The lower apps' hooks, turned into outbox events in the transaction that fired them (ADR 0154).

Every event of one dossier (its timeline, its result, its payment, its rating) goes to the aggregate
``("dossier", code)``, so a subscriber receives them in the order they were committed. Payloads carry
codes, statuses and dates, not the applicant's personal data (a subscriber that needs more asks the API
under a data-sharing agreement).
"""

from __future__ import annotations

from congso.dossiers.models import PORTAL_STATUS_CODE

from .outbox import publish


def national_status(status: int | None) -> int | None:
    """The national portal's code of a local status ("not accepted", 3, is 11 there)."""
    if status is None:
        return None
    return PORTAL_STATUS_CODE.get(status, int(status))


def _agency_code(agency) -> str | None:
    return agency.code if agency is not None else None


def dossier_changed(entries) -> None:
    """One event per timeline entry: received (first entry), status changed, or updated."""
    for entry in entries:
        dossier = entry.dossier
        if entry.from_status is None:
            kind = "dossier.received"
        elif entry.from_status != entry.to_status:
            kind = "dossier.status_changed"
        else:
            kind = "dossier.updated"
        publish(
            kind,
            "dossier",
            dossier.code,
            {
                "dossier": dossier.code,
                "action": entry.action,
                "from_status": entry.from_status,
                "to_status": entry.to_status,
                "national_status": national_status(entry.to_status),
                "agency": _agency_code(entry.agency) if entry.agency_id else None,
                "receiving_agency": _agency_code(dossier.receiving_agency)
                if dossier.receiving_agency_id
                else None,
                "at": entry.at,
                "due_at": dossier.due_at,
            },
        )


def result_issued(dossier, result, checked=None, actor=None, **_) -> None:
    publish(
        "dossier.result_issued",
        "dossier",
        dossier.code,
        {
            "dossier": dossier.code,
            "result": {"number": result.number, "title": result.title, "issued_at": result.issued_at},
            "for_data_store": True,  # the national portal keeps results in the citizen's data store
        },
    )


def payment_recorded(payment) -> None:
    publish(
        "payment.recorded",
        "dossier",
        payment.dossier.code,
        {
            "dossier": payment.dossier.code,
            "txn_ref": payment.txn_ref,
            "amount": str(payment.amount),
            "currency": payment.currency,
            "receipt_number": payment.receipt_number,
            "paid_at": payment.paid_at,
            "provider": payment.provider,
            "needs_refund": bool(payment.needs_review),
        },
    )


def rating_given(rating) -> None:
    publish(
        "rating.given",
        "dossier",
        rating.dossier.code,
        {
            "dossier": rating.dossier.code,
            "overall": rating.overall,
            "processing_agency": rating.processing_agency.code,
            "at": rating.created_at,
        },
    )


def procedure_changed(procedure, change: str, actor=None) -> None:
    publish(
        "procedure.changed",
        "procedure",
        procedure.code,
        {
            "procedure": procedure.code,
            "change": change.rsplit(".", 1)[-1],
            "is_active": procedure.is_active,
            "online_level": procedure.online_level,
            "withdrawn_at": procedure.withdrawn_at,
            "local_fee_allowed": procedure.local_fee_allowed,
        },
    )
