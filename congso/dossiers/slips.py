"""The one-stop slips of a dossier (Circular 03/2025 templates) as signed PDFs, issued on demand.

Each slip is rendered by ``congso.signing.official_forms`` from the dossier's own data, signed with
the agency's seal key when it has one (an unsigned printout otherwise, which the page says), recorded
as an ``IssuedDocument`` whose QR code opens its public verification record, and reused until the
event it reports changes. Rendering happens when a clerk asks to print, never inside a receipt.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.core.errors import Conflict, NotFound
from congso.core.permissions import require
from congso.directory.models import Role
from congso.signing import official_forms as forms
from congso.signing.models import IssuedDocument, SigningKey

from . import checklist, clock, hooks
from .declared import declared_sections
from .models import Attachment, Channel, Status

K = IssuedDocument.Kind
# slip -> (title, issue function, statuses where it exists, timeline action it reports)
SLIPS = {
    "receipt": (_("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), forms.issue_receipt, K.RECEIPT, None, "accept"),
    # Online and postal dossiers: what the system received, before the counter's check and receipt.
    "submission": (
        _("Biên nhận hồ sơ nộp trực tuyến"),
        forms.issue_submission_receipt,
        K.SUBMISSION,
        None,
        "receive",
    ),
    "supplement": (
        _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        forms.issue_supplement_request,
        K.SUPPLEMENT_REQUEST,
        None,
        "request_supplement",
    ),
    "refusal": (
        _("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        forms.issue_refusal,
        K.REFUSAL,
        {Status.NOT_ACCEPTED},
        "refuse",
    ),
    "apology": (
        _("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
        forms.issue_apology,
        K.APOLOGY,
        None,
        "extend",
    ),
    "stop": (
        _("Thông báo dừng giải quyết hồ sơ"),
        forms.issue_stop_notice,
        K.STOP_NOTICE,
        {Status.STOPPED},
        "stop",
    ),
    "control": (
        _("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        forms.issue_control_sheet,
        K.CONTROL_SHEET,
        None,
        "accept",
    ),
}

#: What the clerk prints at once on receiving a dossier: the receipt for the applicant, the control sheet
#: that follows the dossier.
PRINT_AT_RECEIPT = ("receipt", "control")


def available(dossier) -> list[tuple[str, str]]:
    actions = set(dossier.timeline.values_list("action", flat=True))
    return [
        (key, title)
        for key, (title, _f, _k, statuses, event) in SLIPS.items()
        if event in actions
        and (statuses is None or dossier.status in statuses)
        and (key != "submission" or dossier.channel == Channel.ONLINE)
    ]


def citizen_receipt(dossier, user):
    """The paper a citizen downloads for their dossier: the receipt once the agency accepted it, before
    that (online dossiers) the submission receipt. Issued by the platform on the citizen's request."""
    slips = dict(available(dossier))
    key = "receipt" if "receipt" in slips else "submission" if "submission" in slips else None
    if key is None:
        return None
    return get_or_issue(dossier, key, user, as_system=True)


def _form_data(dossier, event) -> forms.FormData:
    terms = dossier.online_terms or {}
    agency = dossier.receiving_agency
    parent = agency.parent.name if agency.parent_id else ""
    content = dossier.procedure_version.content or {}
    extension = dossier.extensions.last()
    reasons = [event.note] if event and event.note else []
    if event and event.action == "request_supplement":
        reasons = list(event.data.get("missing") or []) or reasons
    return forms.FormData(
        dossier_code=dossier.code,
        agency=forms.AgencyInfo(
            name=agency.name, code=agency.code, parent_name=parent, address=agency.address, phone=agency.phone
        ),
        procedure_name=dossier.procedure_version.procedure.name,
        applicant=forms.ApplicantInfo(
            name=dossier.applicant_name,
            id_number=dossier.applicant_id_number,
            address=dossier.applicant_address,
            phone=dossier.applicant_phone,
            email=dossier.applicant_email,
        ),
        co_applicants=[
            forms.ApplicantInfo(
                name=co.get("name", ""),
                id_number=co.get("id_number", ""),
                address=co.get("address", ""),
                phone=co.get("phone", ""),
                email=co.get("email", ""),
                label=co.get("label", ""),
            )
            for co in dossier.co_applicants or []
        ],
        received_at=dossier.received_at or dossier.submitted_at,
        appointment_at=(
            extension.previous_due_at
            if extension
            else (dossier.due_at if dossier.received_at else clock.expected_due(dossier))
        ),
        new_appointment_at=extension.new_due_at if extension else None,
        components=_components(dossier, content),
        declared=[
            forms.DeclaredBlock(section.title, [(r.label, r.value) for r in section.rows])
            for section in declared_sections(dossier)
        ]
        if dossier.channel == Channel.ONLINE
        else [],
        channel=dossier.get_channel_display(),
        staff_name=event.actor_name if event else "",
        place=agency.unit.name if agency.unit_id else "",
        reasons=reasons,
        steps=[
            forms.ControlStep(
                handed_by=str(run.agency),
                received_by=str(run.assignee or Role(run.step.role).label),
                at=run.started_at,
                deadline=run.due_at,
                note=run.step.name,
            )
            for run in dossier.step_runs.select_related("agency", "assignee", "step")
        ],
        issued_at=timezone.now(),
        lookup_url=_lookup_url(dossier) if event is None or event.action == "accept" else "",
        # partially online: what is still done in person, and where the result is collected
        in_person=list(terms.get("in_person") or []),
        result_place=terms.get("result_place", "") if dossier.result_collected_at_counter else "",
    )


def _components(dossier, content: dict) -> list[forms.Component]:
    """The papers the slip lists. Online: what was actually uploaded, one row per component with its
    number of files (never the procedure's legal text). At the counter or by post: the catalogue's
    papers (checklist.build: notes and explanatory sentences are not papers) with their quantities."""
    if dossier.channel == Channel.ONLINE:
        files: dict[str, int] = {}
        # the papers filed with it (supplements are kept apart: Attachment.Purpose.SUPPLEMENT)
        received = dossier.attachments.filter(purpose=Attachment.Purpose.COMPONENT)
        for name, original in received.order_by("uploaded_at", "id").values_list(
            "component", "original_name"
        ):
            key = name or original
            files[key] = files.get(key, 0) + 1
        return [forms.Component(name, 0, 0, files=count) for name, count in files.items()]
    rows = content.get("components", [])
    papers = {item.key for item in checklist.build(rows).items}
    return [
        forms.Component(
            checklist.clean_name(row.get("name", "")),
            1 if row.get("originals") is None else row["originals"],  # unknown quantity: one original
            row.get("copies") or 0,
        )
        for index, row in enumerate(rows)
        if index in papers
    ]


def _lookup_url(dossier) -> str:
    """The signed public-lookup link (tracking app) printed on the receipt; the QR stays the
    verification record of the signed slip. No provider, or no page to link to, is an error: a
    receipt is never printed without its link."""
    return hooks.public_lookup_url(dossier)


def get_or_issue(dossier, key: str, actor, *, as_system: bool = False) -> IssuedDocument:
    """The slip ``key`` of ``dossier``, issued now if needed. An official must pass
    ``dossiers.print_slip`` (the receiving clerk, also a service centre's, at once; see its rule);
    the slip is then sealed with the receiving agency's seal by the platform on the agency's behalf,
    the official recorded as the actor. ``as_system``: the platform issues it on a citizen's request
    (their receipt downloaded online), the rule being the caller's."""
    if key not in SLIPS:
        raise NotFound(_("Không có loại phiếu này."))
    if not as_system:
        require(actor, "dossiers.print_slip", (dossier, key), _("Bạn không được in phiếu này của hồ sơ."))
    if key not in dict(available(dossier)):
        raise Conflict(_("Hồ sơ chưa có phiếu này."), code="no_slip")
    title, issue, kind, _statuses, event_name = SLIPS[key]
    event = dossier.timeline.filter(action=event_name).last()
    existing = (
        IssuedDocument.objects.filter(code=dossier.code, kind=kind)
        .exclude(file="")
        .order_by("-issued_at")
        .first()
    )
    if (
        existing
        and (key == "receipt" or event is None or existing.issued_at >= event.at)
        and key != "control"
    ):
        return existing
    electronic = SigningKey.objects.filter(
        agency=dossier.receiving_agency, kind=SigningKey.Kind.SEAL, is_active=True
    ).exists()
    document, _pdf = issue(_form_data(dossier, event), actor=actor, electronic=electronic, as_system=True)
    return document
