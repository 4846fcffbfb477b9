"""Ending a dossier's processing: results issued (published, sealed, kept for the applicant) and
returned, refusal, withdrawal and stop.
"""

from __future__ import annotations

from dataclasses import replace

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core.errors import ServiceError
from congso.core.uploads import Upload
from congso.directory.models import Role
from congso.signing.official_forms import issue_result as publish_result

from .. import hooks
from ..models import Attachment, Dossier, Result, StepRun
from ..notifications import notify_applicant
from ..workflow import DOSSIER
from .kernel import _inspect_all, _lock, _save, _store_files, _timeline
from .roles import check_transition, roles_for


def _simple(
    dossier_id,
    name,
    *,
    actor,
    expected_version,
    provided=None,
    note="",
    data=None,
    changes=None,
    closes=False,
    notify: str = "",
) -> Dossier:
    """Check and apply a transition whose effect is the status, ``changes`` on the dossier, and — for a
    transition that ends the dossier's processing (``closes``) — closing its pauses, step and inbox place."""
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        t = DOSSIER.check(name, state=dossier.status, roles=roles_for(actor, dossier), provided=provided)
        before = dossier.status
        dossier.status = t.target
        changes = dict(changes or {})
        if closes:
            now = timezone.now()
            dossier.pauses.filter(ended_at__isnull=True).update(ended_at=now)
            StepRun.objects.filter(dossier=dossier, finished_at__isnull=True).update(finished_at=now)
            changes.update(holder_role="", assignee=None)
        fields = ["status"]
        for attr, value in changes.items():
            setattr(dossier, attr, value)
            fields.append(attr)
        _save(dossier, *fields)
        _timeline(dossier, actor, name, t.label, before, note=note, data=data)
        if notify:
            notify_applicant(dossier, notify, reason=note)
        return dossier


def refuse(dossier_id, *, actor, reason: str, expected_version=None) -> Dossier:
    reason = reason.strip()
    return _simple(
        dossier_id,
        "refuse",
        actor=actor,
        expected_version=expected_version,
        provided={"reason": reason},
        note=reason,
        changes={"finished_at": timezone.now()},
        closes=True,
        notify="refused",
    )


def withdraw(dossier_id, *, actor, reason: str, expected_version=None) -> Dossier:
    reason = reason.strip()
    return _simple(
        dossier_id,
        "withdraw",
        actor=actor,
        expected_version=expected_version,
        provided={"reason": reason},
        note=reason,
        closes=True,
        notify="withdrawn",
    )


def stop(dossier_id, *, actor, reason: str, expected_version=None) -> Dossier:
    reason = reason.strip()
    return _simple(
        dossier_id,
        "stop",
        actor=actor,
        expected_version=expected_version,
        provided={"reason": reason},
        note=reason,
        changes={"finished_at": timezone.now()},
        closes=True,
        notify="stopped",
    )


def issue_result(
    dossier_id, *, actor, number: str, title: str, upload: Upload | None, expected_version=None
) -> Dossier:
    """Văn thư numbers and issues the result document; the dossier is processed (status 9).

    Without an uploaded file, the draft result the leader signed on approval (``approve``) is issued:
    it is kept as it is (its signatures intact), gets its QR record and the agency's seal."""
    checked = _inspect_all([upload]) if upload is not None else []
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        if upload is None:
            signed = signed_draft(dossier)
            if signed is not None:
                with signed.file.open("rb") as fh:
                    upload = Upload(_("Kết quả giải quyết"), ContentFile(fh.read()), signed.original_name)
                checked = _inspect_all([upload])
        t = check_transition("issue_result", actor, dossier, provided={"document": upload})
        if not number.strip() or not title.strip():
            raise ServiceError(_("Cần nhập số, ký hiệu và tên của kết quả."), field="number")
        before = dossier.status
        now = timezone.now()
        # The agency whose văn thư issues it (a liên thông issue step may be at another agency): its
        # seal signs the result and the timeline names it, although the dossier then goes back to the
        # receiving counter to be returned.
        issuing_agency, issue_step = dossier.current_agency, dossier.current_step
        dossier.status = t.target
        dossier.finished_at = now
        if dossier.legal_due_at and now > dossier.legal_due_at:
            dossier.is_late = True
        StepRun.objects.filter(dossier=dossier, finished_at__isnull=True).update(finished_at=now)
        # The result goes back to the counter that received the dossier, to be returned.
        dossier.current_agency, dossier.holder_role = dossier.receiving_agency, Role.CLERK
        dossier.current_step, dossier.assignee = None, None
        _save(
            dossier,
            "status",
            "finished_at",
            "is_late",
            "current_agency",
            "holder_role",
            "current_step",
            "assignee",
        )
        entry = _timeline(
            dossier,
            actor,
            "issue_result",
            t.label,
            before,
            data={"number": number.strip(), "issuing_agency": issuing_agency.code},
            step=issue_step,
            agency=issuing_agency,
        )
        # Publish it: its public record, the record's QR stamped on it (an image result is put on an A4
        # PDF page first), and the issuing agency's seal when it has a key. What is stored is exactly
        # the published file, so the record's hash is the attachment's.
        upload, original = checked[0]
        document, content = publish_result(
            original.content,
            kind=original.kind,
            landscape=bool(original.width and original.height and original.width > original.height),
            dossier_code=dossier.code,
            number=number.strip(),
            title=title.strip(),
            agency=issuing_agency,
            actor=actor,
        )
        published = replace(
            original, kind="pdf", content=content, sha256=document.sha256, pages=original.pages or 1
        )
        if original.kind != "pdf":
            name = upload.name or original.original_name
            upload = replace(upload, name=f"{name.rsplit('.', 1)[0] if '.' in name else name}.pdf")
        checked = [(upload, published)]
        entry.data = {**entry.data, "issued_document": str(document.pk)}
        entry.save(update_fields=["data"])
        (attachment,) = _store_files(dossier, checked, actor, Attachment.Purpose.RESULT, entry)
        result = Result.objects.create(
            dossier=dossier,
            number=number.strip(),
            title=title.strip(),
            attachment=attachment,
            issued_by=actor,
            issued_at=now,
        )
        notify_applicant(dossier, "result_ready", result_title=title.strip(), result_number=number.strip())
        # Results online (issue 6): the personal data store keeps the issued (stamped, sealed) file for
        # the applicant's account, in this same transaction (datastore subscribes).
        hooks.result_issued.fire(dossier=dossier, result=result, checked=checked[0][1], actor=actor)
        return dossier


def signed_draft(dossier: Dossier) -> Attachment | None:
    """The draft result a leader signed when approving the dossier (the latest), if any."""
    return (
        dossier.attachments.filter(purpose=Attachment.Purpose.SIGNED_DRAFT)
        .order_by("-uploaded_at", "-id")
        .first()
    )


def return_result(
    dossier_id, *, actor, delivery: str = Result.Delivery.COUNTER, expected_version=None
) -> Dossier:
    if delivery not in Result.Delivery.values:
        raise ServiceError(_("Hình thức trả kết quả không hợp lệ."), field="delivery")
    with transaction.atomic():
        if (
            delivery == Result.Delivery.ONLINE
            and Dossier.objects.get(pk=dossier_id).result_collected_at_counter
        ):
            raise ServiceError(
                _(
                    "Thủ tục này chỉ thực hiện trực tuyến một phần: kết quả được trả trực tiếp tại bộ phận "
                    "một cửa, không trả trực tuyến."
                ),
                field="delivery",
                code="result_at_counter",
            )
        dossier = _simple(
            dossier_id,
            "return_result",
            actor=actor,
            expected_version=expected_version,
            changes={"returned_at": timezone.now()},
            data={"delivery": delivery},
            closes=True,
        )
        Result.objects.filter(dossier=dossier).update(delivery=delivery, returned_by=actor)
        return dossier
