"""The lower apps' hooks, turned into outbox events in the transaction that fired them (ADR 0154).

Every event of one dossier (its timeline, its result, its payment, its rating) goes to the aggregate
``("dossier", code)``, so a subscriber receives them in the order they were committed. Payloads carry
codes, statuses and dates, not the applicant's personal data (a subscriber that needs more asks the API
under a data-sharing agreement).
"""

from __future__ import annotations

from django.utils import timezone

from congso.catalog.models import ProcedureVersion
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
                # for the national portal (ADR 0168): what it needs to know the dossier by
                "submitted_at": dossier.submitted_at,
                "received_at": dossier.received_at,
                "finished_at": dossier.finished_at,
                "channel": dossier.channel,
                "procedure": _procedure_code(dossier) if kind == "dossier.received" else None,
            },
        )


def _procedure_code(dossier) -> str | None:
    """The dossier's procedure code, without a query when the receipt already loaded it."""
    version = dossier._state.fields_cache.get("procedure_version")
    if version is not None and "procedure" in version._state.fields_cache:
        return version.procedure.code
    return (
        ProcedureVersion.objects.filter(pk=dossier.procedure_version_id)
        .values_list("procedure__code", flat=True)
        .first()
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


# --- feedback (phản ánh, kiến nghị): aggregate ("feedback", report code) -------------------------------

FEEDBACK_ANSWERED = ("approve", "merged_answer")
FEEDBACK_RATED = ("rate", "reopen")


def feedback_changed(report, event, from_status) -> None:
    """Received, answer published, rated, or any other change of status; a timeline entry that changes
    nothing a subscriber follows (a draft, a note, extra information) is not published. The payload
    carries codes, statuses and dates, never the reporter's identity nor the texts."""
    if from_status is None:
        kind = "feedback.received"
    elif event.action in FEEDBACK_ANSWERED:
        kind = "feedback.answered"
    elif event.action in FEEDBACK_RATED:
        kind = "feedback.rated"
    elif from_status != report.status:
        kind = "feedback.status_changed"
    else:
        return
    publish(
        kind,
        "feedback",
        report.code,
        {
            "report": report.code,
            "action": event.action,
            "from_status": from_status,
            "status": report.status,
            "category": report.category.code,
            "unit": report.unit.code if report.unit_id else None,
            "agency": _agency_code(report.agency) if report.agency_id else None,
            "is_public": report.is_public,
            "received_at": report.received_at,
            "due_at": report.due_at,
            "answered_at": report.answered_at,
            "rating": report.rating or None,
            "reopened": report.reopened,
            "at": event.at,
        },
    )


# --- official documents: aggregate ("document", id) ------------------------------------------------


def document_changed(document, action, from_status, actor=None) -> None:
    """An incoming document registered, an outgoing one released, any other change of status (a second
    review step or a re-assignment changes none and is not published). A secret document's subject is
    never sent; recipients are listed by their codes."""
    if action == "register":
        kind = "document.incoming_registered"
    elif action == "release":
        kind = "document.released"
    elif from_status != document.status:
        kind = "document.status_changed"
    else:
        return
    payload = {
        "document": document.pk,
        "direction": document.direction,
        "action": action,
        "from_status": from_status,
        "status": document.status,
        "agency": _agency_code(document.agency),
        "doc_type": document.doc_type.name if document.doc_type_id else None,
        "number": document.number,
        "symbol": document.symbol,
        "issued_on": document.issued_on,
        "urgency": document.urgency,
        "secret": document.is_secret,
        "subject": "" if document.is_secret else document.subject,
        "at": timezone.now(),
    }
    if action == "register":
        payload.update(
            source=document.source,
            arrival_number=document.arrival_number,
            arrived_at=document.arrived_at,
            issuing_organ=document.issuing_organ,
            origin=document.origin_id,
        )
    elif action == "release":
        payload.update(
            released_at=document.released_at,
            recipients=[
                {"organ_id": r.organ_id, "state": r.state}
                for r in document.recipients.order_by("pk").only("organ_id", "state")
            ],
        )
    elif document.direction == "in":
        payload.update(handling_deadline=document.handling_deadline, done_at=document.done_at)
    publish(kind, "document", document.pk, payload)
