"""Use cases of online filing. Each runs in one transaction with its audit entry and raises a
ServiceError with a Vietnamese message, having changed nothing, when it refuses.

- ``online_offering(procedure, agency)`` — may this procedure be filed online at this agency;
- ``start_draft(actor, *, procedure_code, agency_code, citizen_cccd="")`` — a new draft, prefilled;
- ``get_draft(actor, draft_id)`` / ``drafts_for(user)`` — the owner's drafts only (NotFound otherwise);
- ``update_draft(draft_id, actor, *, applicant=None, fields=None, step=None)`` — save answers, returns
  (draft, errors): what was typed is always kept, the errors say what is not acceptable yet;
- ``stage_upload`` / ``reuse_document`` / ``remove_upload`` — the files of the components;
- ``delete_draft(draft_id, actor)``; ``purge_expired()`` — expired drafts and their files (daily job);
- ``submit_draft(draft_id, actor, idempotency_key="")`` — the dossier; a second call returns the same one;
- ``submit_once(actor, *, procedure_code, agency_code, applicant, fields, files, idempotency_key)`` — file
  in one request without an edited draft (kiosks, apps, other systems), idempotent by key; returns
  (dossier, filed now);
- ``receipt_for(actor, code)`` — the receipt slip of the actor's own dossier, once the agency issued it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.models import CitizenProfile
from congso.accounts.services import ConsentRequired, is_helper, record_assisted_action, require_consent
from congso.accounts.validators import normalise_cccd
from congso.catalog.models import Offering, OnlineLevel, Procedure, ProcedureVersion
from congso.catalog.services import effective_terms, offering_for, require_time_limit
from congso.core import audit, compiled
from congso.core.compiled import CompiledQuery, fields_of, from_row
from congso.core.errors import Conflict, NotFound, ServiceError
from congso.core.locking import lock as lock_rows
from congso.core.permissions import can
from congso.core.text import ascii_digits
from congso.core.uploads import KIND_LABEL, UploadRejected, inspect_upload, sniff
from congso.datastore.services import (
    as_upload,
    documents_for_filing,
    get_for_filing,
    keep_filed,
    record_reuse,
)
from congso.directory.models import AdministrativeUnit, Agency
from congso.dossiers import clock, declared, slips
from congso.dossiers import services as dossier_services
from congso.dossiers.models import Channel, Dossier

from . import definitions, prefill
from .definitions import ComponentSpec, FieldSpec, FormSpec
from .models import Draft, DraftUpload, FieldType

log = logging.getLogger(__name__)

STEPS = ["applicant", "details", "uploads", "review", "declaration"]


class DraftExpired(ServiceError):
    status = 410
    code = "draft_expired"


class ConsentMissing(ServiceError):
    status = 403
    code = "consent_required"


class Incomplete(ServiceError):
    code = "incomplete"

    def __init__(self, message: str, errors: dict):
        super().__init__(message)
        self.errors = errors


def draft_days() -> int:
    return int(getattr(settings, "CONGSO_PORTAL_DRAFT_DAYS", 30))


def _expiry(now=None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(days=draft_days())


# --- whether a procedure can be filed online ---------------------------------------------------


# both read at every filing: compiled once (congso.core.compiled)
_PROCEDURE = CompiledQuery(
    lambda code: (
        Procedure.objects.filter(code=code, is_active=True, current_version__isnull=False)
        .order_by("pk")
        .values_list(*fields_of(Procedure), *fields_of(ProcedureVersion, "current_version__"))[:1]
    ),
    model=Procedure,
)
_AGENCY = CompiledQuery(
    lambda code: (
        Agency.objects.filter(code=code, is_active=True)
        .order_by("pk")
        .values_list(*fields_of(Agency), *fields_of(AdministrativeUnit, "unit__"))[:1]
    ),
    model=Agency,
)


def find_procedure(code: str) -> Procedure:
    rows = _PROCEDURE.rows((code or "")[:40])
    procedure = from_row(Procedure, rows[0], [("current_version", ProcedureVersion)]) if rows else None
    if procedure is not None:
        procedure.current_version.procedure = procedure  # the way back, without a query
    if procedure is None:
        raise NotFound(_("Không tìm thấy thủ tục có mã “%(code)s”.") % {"code": (code or "")[:40]})
    return procedure


def find_agency(code: str) -> Agency:
    rows = _AGENCY.rows((code or "")[:60])
    agency = from_row(Agency, rows[0], [("unit", AdministrativeUnit)]) if rows else None
    if agency is None:
        raise NotFound(_("Không tìm thấy cơ quan có mã “%(code)s”.") % {"code": (code or "")[:60]})
    return agency


def online_offering(procedure: Procedure, agency: Agency) -> Offering:
    """The agency's offering when the procedure may be filed online there; ServiceError otherwise."""
    if procedure.online_level == OnlineLevel.INFO:
        raise ServiceError(
            _(
                "Thủ tục “%(name)s” chỉ cung cấp thông tin trực tuyến, chưa nộp hồ sơ trực tuyến được. "
                "Vui lòng nộp trực tiếp hoặc qua bưu chính."
            )
            % {"name": procedure.name},
            code="online_not_available",
        )
    offering = offering_for(procedure, agency)
    if offering is None or not offering.online_open:
        raise ServiceError(
            _("%(agency)s chưa mở nộp hồ sơ trực tuyến cho thủ tục này. Vui lòng nộp trực tiếp tại cơ quan.")
            % {"agency": agency.name},
            code="online_closed",
        )
    # ADR 0143: no online filing of a procedure whose appointment date cannot be computed
    require_time_limit(effective_terms(procedure, agency, offering=offering), "online")
    return offering


@dataclass
class OnlineTerms:
    """Fully or partially online (Decree 42/2022), as filed: stored in ``Dossier.form_data["online"]``,
    which tracking reads to decide whether the result is delivered online."""

    level: str  # OnlineLevel.FULL | OnlineLevel.PARTIAL
    result: str  # RESULT_ONLINE | RESULT_COUNTER
    in_person: list[str] = field(default_factory=list)  # what the applicant must still do at the agency
    result_place: str = ""  # where a result returned at the counter is collected

    @property
    def full(self) -> bool:
        return self.level == OnlineLevel.FULL

    def as_dict(self) -> dict:
        return asdict(self)


RESULT_ONLINE, RESULT_COUNTER = "online", "counter"


def _place(agency: Agency, offering: Offering | None) -> str:
    counters = ", ".join(
        line.strip() for line in (offering.counters if offering else "").splitlines() if line.strip()
    )
    return f"{agency.name} ({counters})" if counters else agency.name


def online_terms(
    procedure: Procedure, agency: Agency, spec: FormSpec, offering: Offering | None = None, supplied=None
):
    """What filing online covers here. Fully online: everything, the result comes online. Partially
    online: the form's own list of what is still done in person (the form builder), else the originals
    of the papers (``supplied``: those given, once filed) to show when the result is collected; the
    result is collected at the counter."""
    if procedure.online_level == OnlineLevel.FULL:
        return OnlineTerms(level=OnlineLevel.FULL, result=RESULT_ONLINE)
    steps = list(spec.in_person)
    if not steps:
        originals = [
            c.name for c in spec.components if c.originals and (supplied is None or c.name in supplied)
        ]
        if originals:
            steps.append(
                _(
                    "Mang bản chính của các giấy tờ đã tải lên (%(papers)s) để cán bộ đối chiếu khi nhận kết quả."
                )
                % {"papers": "; ".join(originals)}
            )
    return OnlineTerms(
        level=OnlineLevel.PARTIAL,
        result=RESULT_COUNTER,
        in_person=steps,
        result_place=_place(agency, offering),
    )


def terms_of(dossier: Dossier) -> OnlineTerms | None:
    """The terms a dossier was filed under (None: not filed online, or filed before they were kept)."""
    data = dossier.online_terms
    if data is None:
        return None
    return OnlineTerms(
        level=data["level"],
        result=data.get("result", RESULT_ONLINE),
        in_person=list(data.get("in_person") or []),
        result_place=data.get("result_place", ""),
    )


def spec_of(draft: Draft) -> FormSpec:
    return definitions.spec_for(draft.procedure_version.procedure, draft.agency)


# --- the applicant step ------------------------------------------------------------------------


def applicant_spec(procedure=None) -> FormSpec:
    """The applicant step's fields; with the second applicant's (``co_…``) when ``procedure`` is filed by
    two people (catalog ``Procedure.co_applicant_label``: the other spouse of a marriage registration)."""
    spec = FormSpec(
        title=_("Người nộp hồ sơ"),
        fields=[
            FieldSpec("name", _("Họ và tên"), FieldType.TEXT, True, max_length=200),
            FieldSpec(
                "id_number",
                _("Số căn cước công dân"),
                FieldType.CCCD,
                True,
                help_text=_("12 chữ số, in trên thẻ căn cước."),
            ),
            FieldSpec("date_of_birth", _("Ngày sinh"), FieldType.BIRTH_DATE, False),
            FieldSpec(
                "phone",
                _("Số điện thoại"),
                FieldType.PHONE,
                True,
                help_text=_("Cơ quan nhắn tin báo kết quả vào số này."),
            ),
            FieldSpec("email", _("Thư điện tử"), FieldType.EMAIL, False),
            FieldSpec("address", _("Địa chỉ liên hệ"), FieldType.TEXT, True, max_length=300),
        ],
    )
    label = procedure.co_applicant_label if procedure is not None else ""
    if label:
        spec.fields += [
            FieldSpec(
                f"co_{f.key}",
                f"{label} — {str(f.label).lower()}",
                f.type,
                f.required,
                f.help_text,
                max_length=f.max_length,
            )
            for f in spec.fields
            if f.key in CO_APPLICANT_KEYS
        ]
        for f in spec.fields:
            if f.key == "co_phone":
                f.required, f.help_text = False, _("Cơ quan cũng nhắn tin báo kết quả vào số này.")
    return spec


# The applicant step's fields a co-applicant also answers (prefixed "co_").
CO_APPLICANT_KEYS = ("name", "id_number", "date_of_birth", "phone", "email", "address")


def co_applicants_of(applicant: dict) -> list[dict]:
    """The co-applicant's answers of the applicant step, without their "co_" prefix."""
    if not (applicant.get("co_name") or "").strip():
        return []
    return [{key: applicant.get(f"co_{key}", "") for key in CO_APPLICANT_KEYS}]


def person_of(draft: Draft):
    """The person the dossier is for: the citizen of an assisted draft, else its owner."""
    return draft.citizen if draft.citizen_id else draft.owner


def _organisation(draft: Draft, value):
    if value in (None, ""):
        return None
    return next((o for o in prefill.organisations(person_of(draft)) if str(o.pk) == str(value)), None)


def validate_applicant(draft: Draft, data: dict) -> tuple[dict, dict]:
    cleaned, errors = definitions.validate(applicant_spec(draft.procedure_version.procedure), data)
    behalf = data.get("on_behalf_of") or ""
    if behalf:
        if _organisation(draft, behalf) is None:
            errors["on_behalf_of"] = _("Bạn không phải là người đại diện của tổ chức này.")
        else:
            cleaned["on_behalf_of"] = str(behalf)
    return cleaned, errors


def check(draft: Draft, spec: FormSpec | None = None, components: set | None = None) -> dict[str, dict]:
    """Everything still wrong with a draft, by step: {"applicant": {...}, "details": {...}, "uploads": {...}}.

    ``components``: the names of the components supplied (default: the draft's staged uploads)."""
    spec = spec or spec_of(draft)
    _a, applicant_errors = validate_applicant(draft, draft.data.get("applicant") or {})
    _f, field_errors = definitions.validate(spec, draft.data.get("fields") or {})
    staged = {u.component for u in draft.uploads.all()} if components is None else components
    upload_errors = {
        c.name: _("Cần tải lên “%(name)s”.") % {"name": c.name}
        for c in spec.components
        if c.required and c.name not in staged
    }
    labels = {
        f.key: f.label for f in [*applicant_spec(draft.procedure_version.procedure).fields, *spec.fields]
    }
    labels["on_behalf_of"] = _("Nộp hồ sơ với tư cách")
    applicant_errors = {k: f"{labels.get(k, k)}: {m}" for k, m in applicant_errors.items()}
    field_errors = {k: f"{labels.get(k, k)}: {m}" for k, m in field_errors.items()}
    return {
        k: v
        for k, v in (("applicant", applicant_errors), ("details", field_errors), ("uploads", upload_errors))
        if v
    }


# --- drafts ------------------------------------------------------------------------------------


def _citizen_for(helper, cccd: str, procedure: Procedure):
    """The citizen a helper files for, under an active consent covering the procedure."""
    number = normalise_cccd(cccd or "")
    profile = CitizenProfile.objects.filter(cccd=number).select_related("user").first() if number else None
    if not is_helper(helper):
        raise ConsentMissing(_("Chỉ thành viên tổ công nghệ số cộng đồng mới được nộp hồ sơ thay công dân."))
    if profile is None or profile.user_id == helper.pk:
        raise ConsentMissing(
            _("Không tìm thấy công dân có số CCCD này đã đồng ý để bạn nộp hồ sơ thay. Kiểm tra lại số CCCD.")
        )
    try:
        consent = require_consent(helper, profile.user, procedure.code)
    except ConsentRequired as exc:
        raise ConsentMissing(str(exc)) from None
    return profile.user, consent


def start_draft(actor, *, procedure_code: str, agency_code: str, citizen_cccd: str = "") -> Draft:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Bạn cần đăng nhập để nộp hồ sơ trực tuyến."))
    procedure = find_procedure(procedure_code)
    agency = find_agency(agency_code)
    online_offering(procedure, agency)
    citizen = None
    if citizen_cccd:
        citizen, _consent = _citizen_for(actor, citizen_cccd, procedure)
    spec = definitions.spec_for(procedure, agency)
    data = prefill.initial_data(citizen or actor, procedure, spec, actor=actor)  # asks the registry
    with transaction.atomic():
        draft = Draft(
            owner=actor,
            citizen=citizen,
            procedure_version=procedure.current_version,
            agency=agency,
            expires_at=_expiry(),
        )
        draft.data = data
        draft.save()
        audit.record(
            "portal.draft.create",
            obj=draft,
            actor=actor,
            data={"procedure": procedure.code, "agency": agency.code, "for": getattr(citizen, "pk", None)},
        )
    return draft


def drafts_for(user):
    return (
        Draft.objects.filter(owner=user, submitted_at__isnull=True)
        .select_related("procedure_version__procedure", "agency", "citizen")
        .order_by("-updated_at")
    )


def _lookup(actor, draft_id, *, lock: bool) -> Draft:
    if not getattr(actor, "is_authenticated", False):
        raise NotFound(_("Không tìm thấy hồ sơ nháp."))
    qs = Draft.objects.filter(owner=actor)
    try:
        if lock:
            lock_rows(Draft, pk=draft_id, owner=actor)  # the row alone, then read fresh (core.locking)
        return qs.select_related("procedure_version__procedure", "agency", "citizen", "owner").get(
            pk=draft_id
        )
    except (Draft.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound(_("Không tìm thấy hồ sơ nháp.")) from None


def _expired_message(draft: Draft) -> str:
    return _(
        "Hồ sơ nháp này đã hết hạn lưu từ %(date)s (hồ sơ nháp được giữ %(days)s ngày kể từ lần lưu cuối) "
        "nên không thể tiếp tục hay nộp. Vui lòng lập hồ sơ mới."
    ) % {"date": timezone.localtime(draft.expires_at).strftime("%d/%m/%Y"), "days": draft_days()}


def get_draft(actor, draft_id, *, lock: bool = False, editable: bool = True) -> Draft:
    """The actor's own draft (NotFound for anyone else's). ``editable``: refuse submitted or expired ones."""
    import uuid

    try:
        uuid.UUID(str(draft_id))
    except ValueError:
        raise NotFound(_("Không tìm thấy hồ sơ nháp.")) from None
    draft = _lookup(actor, draft_id, lock=lock)
    if editable:
        if draft.submitted_at:
            raise Conflict(
                _("Hồ sơ này đã được nộp (mã hồ sơ %(code)s), không sửa được nữa.")
                % {"code": draft.dossier.code if draft.dossier_id else ""},
                code="already_submitted",
            )
        if draft.expires_at <= timezone.now():
            raise DraftExpired(_expired_message(draft))
    return draft


def _touch(draft: Draft, *fields: str) -> None:
    draft.expires_at = _expiry()
    draft.save(update_fields=[*fields, "expires_at", "updated_at"])


def update_draft(draft_id, actor, *, applicant: dict | None = None, fields: dict | None = None, step=None):
    """Keep what was typed (it is a draft) and report what is not acceptable yet. Returns (draft, errors)."""
    with transaction.atomic():
        draft = get_draft(actor, draft_id, lock=True)
        errors: dict = {}
        data = dict(draft.data or {})
        if applicant is not None:
            raw = {
                k: str(applicant.get(k, "") or "")[:1000]
                for k in [
                    *(f.key for f in applicant_spec(draft.procedure_version.procedure).fields),
                    "on_behalf_of",
                ]
            }
            data["applicant"] = raw
            _cleaned, errors = validate_applicant(draft, raw)
        if fields is not None:
            spec = spec_of(draft)
            raw = {}
            for item in spec.fields:
                value = fields.get(item.key)
                raw[item.key] = value if isinstance(value, bool) else str(value or "")[:5000]
            data["fields"] = raw
            _cleaned, field_errors = definitions.validate(spec, raw)
            errors.update(field_errors)
        draft.data = data
        if step in STEPS and not errors:  # where to resume: the next step once this one is right
            draft.step = step
        _touch(draft, "data", "step")
        audit.record(
            "portal.draft.save",
            obj=draft,
            actor=actor,
            data={"step": draft.step, "errors": sorted(errors)},
        )
        return draft, errors


def _component(draft: Draft, component: str) -> ComponentSpec:
    spec = spec_of(draft)
    item = spec.component((component or "").strip())
    if item is None:
        raise ServiceError(_("Thành phần hồ sơ không thuộc thủ tục này."), field="component")
    return item


def check_kind(item: ComponentSpec, kind: str, name: str = "") -> None:
    """Refuse a file whose kind (by content) the component does not take."""
    if kind not in item.allowed:
        raise UploadRejected(
            _("“%(component)s” chỉ nhận tệp %(kinds)s; tệp “%(name)s” là %(kind)s.")
            % {
                "component": item.name,
                "kinds": _(" hoặc ").join(KIND_LABEL[k] for k in item.allowed),
                "name": name or _("đã chọn"),
                "kind": KIND_LABEL.get(kind, kind),
            }
        )


def stage_upload(draft_id, actor, *, component: str, file) -> DraftUpload:
    """Check (type by content, size, EXIF removed) and keep one component's file in the draft."""
    if file is None:
        raise ServiceError(_("Chọn tệp cần tải lên."), field="file")
    checked = inspect_upload(file)  # UploadRejected: nothing written
    with transaction.atomic():
        draft = get_draft(actor, draft_id, lock=True)
        item = _component(draft, component)
        check_kind(item, checked.kind, checked.original_name or getattr(file, "name", ""))
        name = item.name
        old = list(draft.uploads.filter(component=name))
        upload = DraftUpload(
            draft=draft,
            component=name,
            original_name=(checked.original_name or getattr(file, "name", "") or "")[:255],
            kind=checked.kind,
            extension=checked.extension,
            size=checked.size,
            sha256=checked.sha256,
            pages=checked.pages,
        )
        upload.file.save("f", ContentFile(checked.content), save=False)
        upload.save()
        _drop(old)
        _touch(draft)
        audit.record(
            "portal.draft.upload",
            obj=draft,
            actor=actor,
            data={"component": name, "sha256": checked.sha256, "size": checked.size},
        )
        return upload


def _filing_consent_error(exc) -> ConsentMissing:
    return ConsentMissing(
        _("Không dùng được kho dữ liệu cá nhân của công dân: %(reason)s") % {"reason": str(exc)}
    )


def reusable_documents(draft: Draft, actor):
    """The papers of the person the dossier is for that ``actor`` may reuse: their own, or — for a
    community helper — the citizen's, under the citizen's active consent (re-checked, and audited, on
    every listing: ``datastore.documents_for_filing``). ConsentMissing when the consent is gone."""

    try:
        return documents_for_filing(actor, person_of(draft), draft.procedure.code)
    except ConsentRequired as exc:
        raise _filing_consent_error(exc) from None


def reuse_document(draft_id, actor, *, component: str, document_id) -> DraftUpload:
    """Use a paper from the personal data store (of the person the dossier is for) as a component;
    a helper only under the citizen's active consent (``datastore.get_for_filing``)."""

    with transaction.atomic():
        draft = get_draft(actor, draft_id, lock=True)
        item = _component(draft, component)
        name = item.name
        try:
            document = get_for_filing(actor, person_of(draft), document_id, draft.procedure.code)
        except ConsentRequired as exc:
            raise _filing_consent_error(exc) from None
        check_kind(item, document.kind, document.title)
        old = list(draft.uploads.filter(component=name))
        upload = DraftUpload.objects.create(
            draft=draft,
            component=name,
            document=document,
            original_name=(document.original_name or document.title)[:255],
            kind=document.kind,
            extension=document.extension,
            size=document.size,
            sha256=document.sha256,
        )
        _drop(old)
        _touch(draft)
        audit.record(
            "portal.draft.reuse",
            obj=draft,
            actor=actor,
            data={"component": name, "document": str(document.pk)},
        )
        return upload


def _drop(uploads) -> None:
    paths = [u.file.name for u in uploads if u.file]
    for u in uploads:
        u.delete()
    if paths:
        storage = DraftUpload._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(p) for p in paths])


def remove_upload(draft_id, actor, upload_id) -> None:
    with transaction.atomic():
        draft = get_draft(actor, draft_id, lock=True)
        upload = draft.uploads.filter(pk=upload_id if ascii_digits(str(upload_id)) else None).first()
        if upload is None:
            raise NotFound(_("Không tìm thấy tệp trong hồ sơ nháp."))
        _drop([upload])
        _touch(draft)
        audit.record(
            "portal.draft.remove_upload", obj=draft, actor=actor, data={"component": upload.component}
        )


def delete_draft(draft_id, actor) -> None:
    with transaction.atomic():
        draft = get_draft(actor, draft_id, lock=True, editable=False)
        if draft.submitted_at:
            raise Conflict(_("Hồ sơ đã nộp không xoá được."), code="already_submitted")
        _drop(list(draft.uploads.all()))
        audit.record("portal.draft.delete", obj=draft, actor=actor, data={"procedure": draft.procedure.code})
        draft.delete()


def _delete_staged(names: list[str], directories: list[str]) -> None:
    """Delete staged files, then whatever else is left in each draft's directory (a file written by a
    request that failed before its row was saved) and the directory itself where the storage has them."""
    storage = DraftUpload._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
    for directory in directories:
        try:
            _subdirs, files = storage.listdir(directory)
        except (FileNotFoundError, NotADirectoryError, OSError):
            continue
        for leftover in files:
            storage.delete(f"{directory}/{leftover}")
        try:
            os.rmdir(storage.path(directory))
        except (NotImplementedError, OSError):  # not a local disk, or not empty
            pass


def purge_expired(*, now=None, batch: int = 200) -> int:
    """Delete the unsubmitted drafts whose time ran out (``expires_at`` passed: kept
    ``CONGSO_PORTAL_DRAFT_DAYS`` after their last save) with their staged files. One audit entry
    ``portal.draft.purge`` per draft, in the transaction that deletes it; the files go after commit.
    Drafts another request holds locked are left for the next run. Returns how many were deleted.
    Run daily: ``congso portal purge-drafts``."""
    now = now or timezone.now()
    purged = 0
    while True:
        with transaction.atomic():
            drafts = list(
                Draft.objects.filter(submitted_at__isnull=True, dossier__isnull=True, expires_at__lte=now)
                .order_by("expires_at", "pk")
                .select_for_update(skip_locked=True)[:batch]
            )
            if not drafts:
                return purged
            ids = [d.pk for d in drafts]
            codes = dict(
                Draft.objects.filter(pk__in=ids).values_list("pk", "procedure_version__procedure__code")
            )
            uploads = list(DraftUpload.objects.filter(draft_id__in=ids).only("draft_id", "file"))
            files: dict = {}
            for u in uploads:
                if u.file:
                    files.setdefault(u.draft_id, []).append(u.file.name)
            audit.record_many(
                [
                    {
                        "action": "portal.draft.purge",
                        "obj": d,
                        "data": {
                            "owner": d.owner_id,
                            "for": d.citizen_id,
                            "procedure": codes.get(d.pk),
                            "expired_at": d.expires_at.isoformat(),
                            "last_saved_at": d.updated_at.isoformat(),
                            "files": len(files.get(d.pk, [])),
                        },
                    }
                    for d in drafts
                ]
            )
            Draft.objects.filter(pk__in=ids).delete()  # their DraftUpload rows go with them
            names = [name for group in files.values() for name in group]
            directories = [f"portal/drafts/{pk}" for pk in ids]
            transaction.on_commit(
                lambda names=names, directories=directories: _delete_staged(names, directories)
            )
        purged += len(drafts)


# --- submit ------------------------------------------------------------------------------------


def _incomplete(problems: dict) -> Incomplete:
    messages = [m for step in problems.values() for m in step.values()]
    return Incomplete(
        _("Hồ sơ chưa đầy đủ: %(list)s")
        % {"list": " ".join(m if m.endswith(".") else m + "." for m in messages)},
        problems,
    )


# asked before every filing, and nearly always answers "none": compiled once (congso.core.compiled)
_FILED_UNDER = CompiledQuery(
    lambda owner_id, key: (
        Draft.objects.filter(owner_id=owner_id, idempotency_key=key, dossier__isnull=False)
        .order_by("pk")
        .values_list("pk", "dossier_id", "request_hash")[:1]
    ),
    model=Draft,
)


class KeyReused(ServiceError):
    """An Idempotency-Key sent again with another request: 422, and nothing is filed."""

    status = 422
    code = "idempotency_key_reused"


def request_fingerprint(**parts) -> str:
    """SHA-256 of a submission's normalised parts (JSON with sorted keys; a file counts by its content's
    hash), kept with the idempotency key so a repeat is told apart from another request."""
    digest = hashlib.sha256()
    for name in sorted(parts):
        digest.update(
            json.dumps([name, parts[name]], sort_keys=True, ensure_ascii=False, default=str).encode()
        )
    return digest.hexdigest()


def _file_hash(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 16), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def filed_under(actor, key: str, fingerprint: str = "") -> Dossier | None:
    """The dossier this actor already filed under this idempotency key, if any. With ``fingerprint``
    (request_fingerprint), a filing under the key from another request raises KeyReused."""
    if not key or not getattr(actor, "is_authenticated", False):
        return None
    found = _FILED_UNDER.rows(actor.pk, key)
    if not found:
        return None
    stored = found[0][2]
    if fingerprint and stored and stored != fingerprint:
        raise KeyReused(
            _(
                "Khoá chống nộp trùng (tiêu đề Idempotency-Key) này đã được dùng cho một yêu cầu nộp hồ sơ "
                "khác. Hãy dùng khoá mới cho mỗi hồ sơ; hồ sơ này chưa được nộp."
            ),
        )
    return Dossier.objects.select_related("portal_draft").get(pk=found[0][1])


def declared_layout(spec: FormSpec) -> dict:
    """The self-contained snapshot of the form's layout a dossier keeps (dossiers.declared, ADR 0144):
    its sections, labels, order, types and choices' labels, as they were when it was filed."""
    return declared.snapshot(
        [(spec.title, [declared.field_layout(f.key, f.label, f.type, f.choices) for f in spec.fields])]
    )


def _file(
    draft: Draft,
    actor,
    *,
    key: str,
    declaration: bool,
    staged: list,
    direct: list = (),
    offering: Offering | None = None,
    spec: FormSpec | None = None,
    fingerprint: str = "",
) -> Dossier:
    """File ``draft`` as an online dossier. ``staged``: its DraftUpload rows; ``direct``: (component,
    file) pairs sent in the same request (one-shot submissions); ``offering`` and ``spec``: the online
    offering and form when the caller has just loaded them. Call inside a transaction."""
    if not declaration:
        raise ServiceError(
            _("Cần đánh dấu ô cam đoan trước khi nộp hồ sơ."),
            code="declaration_required",
            field="declaration",
        )
    procedure = draft.procedure_version.procedure
    offering = offering or online_offering(procedure, draft.agency)
    version = procedure.current_version or draft.procedure_version
    spec = spec or spec_of(draft)
    problems = check(draft, spec, components={u.component for u in staged} | {c for c, _f in direct})
    if problems:
        raise _incomplete(problems)
    consent = None
    if draft.citizen_id:
        try:
            consent = require_consent(actor, draft.citizen, procedure.code)
        except ConsentRequired as exc:
            raise ConsentMissing(str(exc)) from None
    person = person_of(draft)
    applicant, _e = validate_applicant(draft, draft.data.get("applicant") or {})
    answers, _e = definitions.validate(spec, draft.data.get("fields") or {})
    organisation = _organisation(draft, applicant.get("on_behalf_of"))

    uploads, reused = [], []
    for item in staged:
        if item.document_id:
            try:
                document = get_for_filing(actor, person, item.document_id, procedure.code)
            except NotFound:
                raise ServiceError(
                    _("Giấy tờ dùng cho “%(name)s” không còn trong kho dữ liệu. Vui lòng chọn lại.")
                    % {"name": item.component},
                    field="uploads",
                ) from None
            uploads.append(as_upload(document, item.component))
            reused.append((document, item.component))
        else:
            with item.file.open("rb") as fh:
                uploads.append(dossier_services.Upload(item.component, fh.read(), item.original_name))
    uploads += [
        dossier_services.Upload(component, file, getattr(file, "name", "") or "")
        for component, file in direct
    ]
    form_data = {
        "fields": answers,
        "labels": {f.key: f.label for f in spec.fields if f.key in answers},
        # the form's layout as filed, kept with the dossier for those who handle it (ADR 0144)
        "declared": declared_layout(spec),
        "form": {"source": spec.source, "definition": spec.definition_id, "version": spec.version},
        "online": online_terms(
            procedure,
            draft.agency,
            spec,
            offering,
            supplied={u.component for u in staged} | {c for c, _f in direct},
        ).as_dict(),
        "date_of_birth": applicant.get("date_of_birth", ""),
    }
    # One audit write for the whole filing (the receipt, papers kept, reuse, consent): core.audit.batched
    with audit.batched():
        dossier = dossier_services.receive(
            actor=actor,
            agency=draft.agency,
            procedure_version=version,
            channel=Channel.ONLINE,
            applicant=dossier_services.Applicant(
                name=applicant["name"],
                id_number=applicant.get("id_number", ""),
                phone=applicant.get("phone", ""),
                email=applicant.get("email", ""),
                address=applicant.get("address", ""),
                on_behalf_of=f"{organisation.name} (MST {organisation.tax_code})" if organisation else "",
                user=person,
            ),
            form_data=form_data,
            co_applicants=[
                dossier_services.Applicant(
                    name=co["name"],
                    id_number=co.get("id_number", ""),
                    phone=co.get("phone", ""),
                    email=co.get("email", ""),
                    address=co.get("address", ""),
                )
                for co in co_applicants_of(applicant)
            ],
            uploads=uploads,
            assisted_by=actor if draft.citizen_id else None,
            offering=offering,
            # the submission is the dossier's receipt: one audit entry says both
            audit_data={
                "portal_draft": str(draft.pk),
                "reused": len(reused),
                "assisted": bool(draft.citizen_id),
                "direct": bool(direct),
            },
        )
        for document, component in reused:
            record_reuse(document, dossier, component, actor)
        # Data once: the papers filed are kept in the applicant's data store for the next dossier (a file
        # already there, reused or not, is not kept twice).
        keep_filed(person, dossier, dossier.received_attachments, actor=actor)
        if consent is not None:
            record_assisted_action(consent, "submit", dossier)
        draft.dossier = dossier
        draft.submitted_at = timezone.now()
        draft.idempotency_key = key
        draft.request_hash = fingerprint if key else ""
        draft.step = "done"
        if draft._state.adding:  # a one-shot filing: its draft row is written once, here (submit_once)
            compiled.insert([draft])
        else:
            draft.save(
                update_fields=[
                    "dossier",
                    "submitted_at",
                    "idempotency_key",
                    "request_hash",
                    "step",
                    "updated_at",
                ]
            )
    dossier.portal_draft = draft  # the reverse side, so the caller reads it without a query
    return dossier


def submit_draft(draft_id, actor, idempotency_key: str = "", *, declaration: bool = True) -> Dossier:
    """File the draft as an online dossier, once. A repeated call (same draft, or the same idempotency
    key of this actor) returns the dossier already created and writes nothing."""
    key = (idempotency_key or "")[:100]
    fingerprint = request_fingerprint(draft=str(draft_id), declaration=bool(declaration))
    try:
        with transaction.atomic():
            earlier = filed_under(actor, key, fingerprint)
            if earlier is not None:
                return earlier
            draft = get_draft(actor, draft_id, lock=True, editable=False)
            if draft.dossier_id:
                return draft.dossier
            if draft.expires_at <= timezone.now():
                raise DraftExpired(_expired_message(draft))
            staged = list(draft.uploads.all().order_by("pk"))
            dossier = _file(
                draft, actor, key=key, declaration=declaration, staged=staged, fingerprint=fingerprint
            )
            _drop([u for u in staged if u.file])
            return dossier
    except IntegrityError:  # the same key used by a concurrent request of this actor
        earlier = filed_under(actor, key, fingerprint)
        if earlier is None:
            raise
        return earlier


def submit_once(
    actor,
    *,
    procedure_code: str,
    agency_code: str,
    applicant: dict,
    fields: dict,
    files: list,
    idempotency_key: str,
    citizen_cccd: str = "",
    declaration: bool = True,
) -> tuple[Dossier, bool]:
    """File a dossier in one request, without a draft the person edits: for kiosks, mobile apps and
    provincial systems that collect everything first. ``files``: (component name or "cN", file) pairs.

    Returns (dossier, filed now). The idempotency key is required: a repeated request with the same key
    returns the dossier already filed (False) and writes nothing (a unique index settles concurrent
    repeats)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Bạn cần đăng nhập để nộp hồ sơ trực tuyến."))
    key = (idempotency_key or "").strip()[:100]
    if not key:
        raise ServiceError(
            _("Cần gửi khoá chống nộp trùng (tiêu đề Idempotency-Key) khi nộp hồ sơ một lần."),
            code="idempotency_key_required",
        )
    fingerprint = request_fingerprint(
        procedure=(procedure_code or "").strip(),
        agency=(agency_code or "").strip().upper(),
        applicant=applicant or {},
        fields=fields or {},
        citizen=(citizen_cccd or "").strip(),
        declaration=bool(declaration),
        files=[[str(component), _file_hash(file)] for component, file in files],
    )
    earlier = filed_under(actor, key, fingerprint)
    if earlier is not None:
        return earlier, False
    procedure = find_procedure(procedure_code)
    agency = find_agency(agency_code)
    offering = online_offering(procedure, agency)
    citizen = _citizen_for(actor, citizen_cccd, procedure)[0] if citizen_cccd else None
    spec = definitions.spec_for(procedure, agency)
    names = {f"c{i}": c.name for i, c in enumerate(spec.components, start=1)}
    names.update({c.name: c.name for c in spec.components})
    direct = []
    for component, file in files:
        if component not in names:
            raise ServiceError(
                _("Thủ tục này không có thành phần hồ sơ “%(name)s”.") % {"name": component[:100]},
                code="unknown_component",
                field="files",
            )
        item = spec.component(names[component])
        if len(item.allowed) < len(KIND_LABEL):  # only some kinds: sniff the head now (receive checks it all)
            file.seek(0)
            kind = sniff(file.read(1024))
            file.seek(0)
            check_kind(item, kind or "", getattr(file, "name", ""))
        direct.append((names[component], file))
    version = procedure.current_version
    draft = Draft(
        owner=actor,
        citizen=citizen,
        procedure_version=version,
        agency=agency,
        expires_at=timezone.now(),
        data={"applicant": applicant or {}, "fields": fields or {}},
        step="declaration",
        idempotency_key=key,
    )
    try:
        with transaction.atomic():
            # The draft row, with its unique (owner, idempotency key), is inserted last by ``_file``: a
            # concurrent repeat of the same key waits there and fails, and this whole filing with it.
            dossier = _file(
                draft,
                actor,
                key=key,
                declaration=declaration,
                staged=[],
                direct=direct,
                offering=offering,
                spec=spec,
                fingerprint=fingerprint,
            )
            return dossier, True
    except IntegrityError:
        earlier = filed_under(actor, key, fingerprint)
        if earlier is None:
            raise
        return earlier, False


# --- after submitting ----------------------------------------------------------------------------


def own_dossier(actor, code: str) -> Dossier:
    dossier = (
        Dossier.objects.select_related("procedure_version__procedure", "receiving_agency")
        .filter(code=(code or "")[:60])
        .first()
    )
    if (
        dossier is None
        or not getattr(actor, "is_authenticated", False)
        or not can(actor, "portal.own_dossier", dossier)
    ):
        raise NotFound(_("Không tìm thấy hồ sơ."))
    return dossier


def appointment_for(dossier: Dossier) -> dt.datetime | None:
    """The appointment date: the dossier's own once received, else the date it would get if received now."""

    try:
        return clock.expected_due(dossier)
    except Exception:  # no calendar configured: the page says the date comes with the receipt
        log.exception("could not compute the expected appointment of %s", dossier.code)
        return None


def receipt_for(actor, code: str):
    """The paper for the actor's own dossier: the submission receipt right after filing online, the
    receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) once the agency accepted it."""

    dossier = own_dossier(actor, code)
    try:
        return slips.citizen_receipt(dossier, actor)
    except (ServiceError, PermissionDenied):
        log.warning("receipt of %s could not be issued for the citizen", dossier.code)
        return None
