"""Dossiers filed on the National Public Service Portal, received into the local one-stop (ADR 0168).

``receive_message`` takes one signed message from the portal: a bad signature is refused (401), a
message id already taken is refused as a replay (409), and anything else is kept as an
``InboundDossier`` row before it is filed through the one-stop's own intake service
(``dossiers.services.receive``, online channel, keeping the national code). A dossier that cannot be
filed (unknown procedure or agency, a code already used, a procedure without a time limit) is parked
with the reason, never dropped: a person maps its codes and retries (``resolve``)."""

from __future__ import annotations

import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.errors import NotFound, ServiceError
from congso.core.permissions import require
from congso.dossiers import services as dossier_services
from congso.dossiers.models import Channel
from congso.portal.services import find_agency, find_procedure

from ..models import InboundDossier, Subscriber
from ..services import FORBIDDEN
from . import messages

IB = InboundDossier.Status
PORTAL_ACTOR = "national_portal"


def national_subscriber() -> Subscriber | None:
    """The active connection to the national portal (a subscriber of kind ``national``), if any."""
    return Subscriber.objects.filter(kind=Subscriber.Kind.NATIONAL, active=True).order_by("id").first()


class Refused(ServiceError):
    """An inbound message refused before anything is kept: bad signature, replay, malformed."""


def receive_message(headers, body: bytes) -> tuple[int, dict]:
    """(HTTP status, answer) for one message from the national portal."""
    subscriber = national_subscriber()
    if subscriber is None:
        return 503, {"error": _("Chưa kết nối với Cổng Dịch vụ công quốc gia.")}
    problem = messages.verify(subscriber.secret, headers, body)
    if problem is not None:
        audit.record(
            "integration.national.refused",
            object_type="integration.inbound",
            data={"reason": problem, "message_id": str(headers.get("Ngsp-Message-Id") or "")[:100]},
        )
        return 401, {"error": problem}
    try:
        message = json.loads(body)
        dossier = message["dossier"]
        message_id = str(message["message_id"])[:100]
        code = str(dossier["code"]).strip()
    except (ValueError, KeyError, TypeError):
        return 400, {"error": _("Thông điệp không đúng cấu trúc (cần message_id, dossier.code).")}
    if message_id != str(headers.get("Ngsp-Message-Id") or "") or not code or len(code) > 60:
        return 400, {"error": _("Mã thông điệp hoặc mã hồ sơ không hợp lệ.")}
    earlier = InboundDossier.objects.filter(message_id=message_id).first()
    if earlier is not None:
        return 409, _replayed(earlier)
    try:
        with transaction.atomic():
            row = InboundDossier.objects.create(
                message_id=message_id,
                code=code,
                procedure_code=str(dossier.get("procedure") or "")[:40],
                agency_code=str(dossier.get("agency") or "")[:60],
                payload=message,
                status=IB.PARKED,
                received_at=timezone.now(),
            )
            _try(row)
            audit.record(
                "integration.national.inbound",
                obj=row,
                data={"code": code, "status": row.status, "problem": row.problem},
            )
    except IntegrityError:  # the same message id, at the same moment
        earlier = InboundDossier.objects.filter(message_id=message_id).first()
        if earlier is None:
            raise
        return 409, _replayed(earlier)
    return 202, _answer(row)


def _replayed(row: InboundDossier) -> dict:
    return {"error": _("Thông điệp này đã được nhận (gửi lại trùng mã)."), "replayed": True} | _answer(row)


def _answer(row: InboundDossier) -> dict:
    return {"code": row.code, "status": row.status, "problem": row.problem}


def _try(row: InboundDossier) -> None:
    """File the row's dossier in a savepoint; received, or parked with the reason. Call in a transaction."""
    row.attempts += 1
    try:
        with transaction.atomic():
            dossier = _file(row)
    except (ServiceError, NotFound) as exc:
        row.status, row.problem = IB.PARKED, str(getattr(exc, "message", exc))
    else:
        row.status, row.problem, row.dossier = IB.RECEIVED, "", dossier
    row.save()


def _file(row: InboundDossier):
    data = row.payload.get("dossier") or {}
    procedure = find_procedure(row.procedure_code)
    agency = find_agency(row.agency_code)
    person = data.get("applicant") or {}
    applicant = dossier_services.Applicant(
        name=str(person.get("name") or "")[:200],
        id_number=str(person.get("id_number") or "")[:20],
        phone=str(person.get("phone") or "")[:20],
        email=str(person.get("email") or "")[:254],
        address=str(person.get("address") or "")[:500],
    )
    form = data.get("form") if isinstance(data.get("form"), dict) else {}
    return dossier_services.receive(
        actor=dossier_services.SystemActor(PORTAL_ACTOR, _("Cổng Dịch vụ công quốc gia")),
        agency=agency,
        procedure_version=procedure.current_version,
        channel=Channel.ONLINE,
        applicant=applicant,
        form_data={
            "fields": {str(k)[:100]: str(v)[:2000] for k, v in list(form.items())[:100]},
            "national": {
                "code": row.code,
                "message_id": row.message_id,
                "submitted_at": data.get("submitted_at"),
                "procedure": data.get("procedure"),
                "agency": data.get("agency"),
            },
        },
        code=row.code,
        audit_data={"national_message": row.message_id},
    )


def resolve(
    actor, pk, *, procedure_code: str | None = None, agency_code: str | None = None
) -> InboundDossier:
    """Map a parked dossier's procedure or agency to local codes (or keep them) and file it again.
    Returns the row: received, or still parked with the new reason."""
    with transaction.atomic():
        require(actor, "integration.manage", message=str(FORBIDDEN))
        row = InboundDossier.objects.select_for_update().filter(pk=pk).first()
        if row is None:
            raise NotFound(_("Không tìm thấy hồ sơ nhận từ Cổng quốc gia."))
        if row.status != IB.PARKED:
            raise ServiceError(_("Hồ sơ này đã được tiếp nhận vào một cửa."), code="not_parked")
        before = {"procedure": row.procedure_code, "agency": row.agency_code}
        if procedure_code is not None and procedure_code.strip():
            row.procedure_code = procedure_code.strip()[:40]
        if agency_code is not None and agency_code.strip():
            row.agency_code = agency_code.strip()[:60]
        _try(row)
        if row.status == IB.RECEIVED:
            row.resolved_at, row.resolved_by = timezone.now(), actor
            row.save(update_fields=["resolved_at", "resolved_by"])
        audit.record(
            "integration.national.resolve",
            obj=row,
            actor=actor,
            data={
                "before": before,
                "after": {"procedure": row.procedure_code, "agency": row.agency_code},
                "status": row.status,
                "problem": row.problem,
            },
        )
        return row


def parked():
    return InboundDossier.objects.filter(status=IB.PARKED).order_by("-received_at", "-id")
