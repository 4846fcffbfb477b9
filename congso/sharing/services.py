"""Use cases of data-sharing agreements (ADR 0155).

    create_agreement(actor, application, agency, number, scopes, purpose, legal_basis, valid_from,
                     valid_until)                          -> Agreement   (system administrators)
    revoke_agreement(actor, agreement_id, reason)          -> Agreement   (system administrators)
    check_read(request, category, subject, identifier, object_type, object_id, grants)
        the subscriber of accounts.hooks.personal_data_read: records every read of personal data an
        agreement-bound API client makes, and refuses (Forbidden, 403) one beyond its agreements.

Each runs in one transaction with its audit entry.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import get_application_model

from congso.accounts.hooks import PERSONAL_DATA, Grant
from congso.accounts.models import CitizenProfile
from congso.core import audit
from congso.core.errors import Forbidden, InvalidFields, NotFound
from congso.core.permissions import require
from congso.directory.selectors import agency_by_code

from .models import Agreement, DataRead
from .transitions import AGREEMENTS
from .validation import agreement_errors

Application = get_application_model()
Outcome = DataRead.Outcome


def _application(value):
    if isinstance(value, Application):
        return value
    app = Application.objects.filter(client_id=str(value or "").strip()).select_related("user").first()
    if app is None and str(value or "").isdigit():
        app = Application.objects.filter(pk=int(value)).select_related("user").first()
    return app


def sharing_applications():
    """OAuth clients that may be bound by an agreement: client credentials, acting as a service account."""
    return Application.objects.filter(
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS, user__isnull=False
    ).order_by("name")


def create_agreement(
    actor,
    *,
    application,
    agency,
    number: str,
    scopes: list[str],
    purpose: str,
    legal_basis: str,
    valid_from,
    valid_until,
) -> Agreement:
    require(actor, "sharing.manage_agreements")
    scopes = list(dict.fromkeys(scopes or []))
    errors = agreement_errors(
        number=number,
        scopes=scopes,
        purpose=purpose,
        legal_basis=legal_basis,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    app = _application(application) if application else None
    if not application:
        errors["application"] = [_("Chọn ứng dụng (API client) của cơ quan đề nghị.")]
    elif app is None:
        errors["application"] = [_("Không tìm thấy ứng dụng (client_id) này.")]
    elif not sharing_applications().filter(pk=app.pk).exists():
        errors["application"] = [
            _(
                "Chỉ ứng dụng dùng cấp quyền client credentials, gắn với một tài khoản dịch vụ, được ký thỏa thuận."
            )
        ]
    agency_obj = agency if hasattr(agency, "pk") else agency_by_code(agency or "")
    if not agency:
        errors["agency"] = [_("Chọn cơ quan đề nghị.")]
    elif agency_obj is None:
        errors["agency"] = [_("Không tìm thấy cơ quan đề nghị theo mã định danh này.")]
    elif number and Agreement.objects.filter(agency=agency_obj, number=number.strip()).exists():
        errors["number"] = [_("Cơ quan này đã có thỏa thuận số %(n)s.") % {"n": number.strip()}]
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic():
        agreement = Agreement.objects.create(
            application=app,
            agency=agency_obj,
            number=number.strip(),
            scopes=scopes,
            purpose=purpose.strip(),
            legal_basis=legal_basis.strip(),
            valid_from=valid_from,
            valid_until=valid_until,
            created_by=actor,
        )
        audit.record(
            "sharing.agreement_created",
            obj=agreement,
            actor=actor,
            data={
                "application": app.client_id,
                "agency": agency_obj.code,
                "scopes": scopes,
                "valid_from": valid_from.isoformat(),
                "valid_until": valid_until.isoformat(),
            },
        )
    return agreement


def revoke_agreement(actor, agreement_id, *, reason: str) -> Agreement:
    AGREEMENTS.authorize("revoke", actor)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise InvalidFields({"reason": [_("Nêu lý do thu hồi (ít nhất 5 ký tự).")]})
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().filter(pk=agreement_id).first()
        if agreement is None:
            raise NotFound(_("Không tìm thấy thỏa thuận."))
        AGREEMENTS.check("revoke", state=agreement.state, actor=actor, obj=agreement)
        changed = AGREEMENTS.apply(agreement, "revoke")
        agreement.revoked_by = actor
        agreement.revocation_reason = reason[:500]
        agreement.save(update_fields=[*changed, "revoked_by", "revocation_reason"])
        audit.record("sharing.agreement_revoked", obj=agreement, actor=actor, data={"reason": reason[:500]})
    return agreement


# --- the gate on personal data served through the API ---------------------------------------------


def _decide(agreements: list[Agreement], category: str, day) -> tuple[Agreement | None, str]:
    """The agreement that covers ``category`` on ``day`` (ALLOWED), else the closest reason to refuse."""
    covering = [a for a in agreements if category in (a.scopes or [])]
    for a in covering:
        if a.in_force(day):
            return a, Outcome.ALLOWED
    if not covering:
        in_force = [a for a in agreements if a.in_force(day)]
        return (in_force[0] if in_force else agreements[0]), Outcome.NO_SCOPE
    a = covering[0]  # the newest agreement that names this kind of data
    if a.state == Agreement.State.REVOKED:
        return a, Outcome.REVOKED
    if day < a.valid_from:
        return a, Outcome.NOT_YET
    return a, Outcome.EXPIRED


REFUSALS = {
    Outcome.NO_SCOPE: _(
        "Thỏa thuận chia sẻ dữ liệu của ứng dụng này không cho phép đọc loại dữ liệu “%(category)s”."
    ),
    Outcome.EXPIRED: _("Thỏa thuận chia sẻ dữ liệu số %(number)s đã hết hạn ngày %(until)s."),
    Outcome.NOT_YET: _("Thỏa thuận chia sẻ dữ liệu số %(number)s chỉ có hiệu lực từ ngày %(since)s."),
    Outcome.REVOKED: _("Thỏa thuận chia sẻ dữ liệu số %(number)s đã bị thu hồi."),
}


def _subject_of(subject, category: str, identifier: str):
    if subject is not None:
        return subject
    if category == "registry.population" and identifier:
        profile = CitizenProfile.objects.select_related("user").filter(cccd=identifier).first()
        return profile.user if profile else None
    return None


def check_read(
    *, request, category: str, subject=None, identifier: str = "", object_type="", object_id="", grants=None
) -> None:
    """Subscriber of ``accounts.hooks.personal_data_read``.

    Only requests of an OAuth client bound by an agreement are concerned (a browser session, a citizen's
    own app or a CI token passes untouched). Their read is recorded, with the agreement that allowed it;
    a read beyond every agreement is recorded as refused, then refused with 403."""
    token = getattr(request, "oauth_token", None)
    application_id = getattr(token, "application_id", None)
    if application_id is None:
        return
    agreements = list(
        Agreement.objects.filter(application_id=application_id)
        .select_related("agency")
        .order_by("-valid_from", "-pk")
    )
    if not agreements:
        return
    today = timezone.localdate()
    agreement, outcome = _decide(agreements, category, today)
    who = _subject_of(subject, category, identifier)
    actor = getattr(request, "auth", None) or getattr(request, "user", None)
    with transaction.atomic():
        read = DataRead.objects.create(
            application_id=application_id,
            agreement=agreement,
            agency=agreement.agency,
            category=category,
            subject=who,
            identifier=(identifier or "")[:20],
            object_type=object_type[:60],
            object_id=str(object_id)[:64],
            outcome=outcome,
            path=request.path[:300],
            request_id=str(getattr(request, "request_id", "") or "")[:64],
        )
        audit.record(
            "sharing.data_read" if outcome == Outcome.ALLOWED else "sharing.read_refused",
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            object_type=object_type or category,
            object_id=str(object_id),
            object_repr=str(PERSONAL_DATA[category]),
            data={
                "read": read.pk,
                "agreement": agreement.pk,
                "agency": agreement.agency.code,
                "category": category,
                "outcome": outcome,
                "subject": getattr(who, "pk", None),
            },
        )
    if outcome != Outcome.ALLOWED:
        raise Forbidden(
            REFUSALS[outcome]
            % {
                "category": PERSONAL_DATA[category],
                "number": agreement.number,
                "until": agreement.valid_until.strftime("%d/%m/%Y"),
                "since": agreement.valid_from.strftime("%d/%m/%Y"),
            },
            code=f"agreement_{outcome}",
        )
    if grants is not None:
        grants.append(
            Grant(
                agreement_id=agreement.pk,
                agency_code=agreement.agency.code,
                agency_name=agreement.agency.name,
                purpose=agreement.purpose,
                legal_basis=agreement.legal_basis,
            )
        )
