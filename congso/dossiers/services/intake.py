"""Receiving a dossier: online, at the counter or by post, accepting it (the clock starts), and the
counter's intake with its decision in one transaction. Also the time limit that applies (``terms_for``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.catalog.services import effective_terms, require_time_limit
from congso.core import audit, compiled, validation
from congso.core.errors import Forbidden, InvalidFields, ServiceError
from congso.core.text import MAX_REASON, fold, too_long_message
from congso.core.uploads import Upload
from congso.directory import hooks as directory_hooks
from congso.directory.models import Agency, Role

from .. import hooks
from ..models import Attachment, Channel, Dossier, Status
from ..notifications import notify_applicant
from ..processes import current_steps, steps_for
from ..workflow import DOSSIER
from .closing import refuse
from .kernel import (
    _apply_accept,
    _discard_files,
    _event,
    _insert_attachments,
    _inspect_all,
    _lock,
    _save,
    _timeline,
    _write_files,
    next_code,
)
from .pauses import request_supplement
from .roles import counter_roles, roles_for

# the characters a code given by another system may use (letters, digits, ".", "-", "_")
_CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_")


@dataclass
class Applicant:
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    on_behalf_of: str = ""
    user: object = None


@dataclass
class Terms:
    """The time limit that applies to a dossier, from the agency's offering or the procedure."""

    value: Decimal | None
    unit: str = ""
    notes: list[str] = field(default_factory=list)


def terms_for(procedure_version, agency: Agency, channel: int, **known) -> Terms:
    """The time limit for a dossier: the catalogue's effective terms (the agency's shorter local time,
    else the procedure's) for the dossier's channel, else for a channel that states one (ADR 0143).
    A limit that does not resolve (a number without a unit, or no time at all) is refused with a
    Vietnamese message: a dossier is never received without an appointment date.
    ``known``: ``offering=`` when the caller has already loaded the agency's offering."""
    wanted = {Channel.IN_PERSON: "in_person", Channel.ONLINE: "online", Channel.POST: "post"}[
        Channel(channel)
    ]
    terms = effective_terms(procedure_version.procedure, agency, version=procedure_version, **known)
    limit = require_time_limit(terms, wanted)
    return Terms(limit.value, limit.unit, ["local" if limit.is_local else wanted])


# The applicant's texts and their columns: refused when longer (PostgreSQL would fail with a 500).
_APPLICANT_COLUMNS = (
    ("name", "applicant_name"),
    ("id_number", "applicant_id_number"),
    ("phone", "applicant_phone"),
    ("email", "applicant_email"),
    ("address", "applicant_address"),
    ("on_behalf_of", "on_behalf_of"),
)
_APPLICANT_LIMITS = tuple(
    (attr, column, Dossier._meta.get_field(column).max_length) for attr, column in _APPLICANT_COLUMNS
)


def _check_lengths(applicant: Applicant, note: str, prefix: str = "") -> None:
    for attr, column, limit in _APPLICANT_LIMITS:
        value = (getattr(applicant, attr, "") or "").strip()
        if len(value) > limit:
            raise ServiceError(
                too_long_message(limit, len(value)), field=prefix + column if prefix else column
            )
    if len(note or "") > MAX_REASON:
        raise ServiceError(too_long_message(MAX_REASON, len(note)), field="note")


# The applicant's data checked by the rules of ``core.validation`` (the same as the online form's, the
# API's and the profile's, ADR 0147): identity number, phone, e-mail. Normalised in place.
_APPLICANT_RULES = (
    ("id_number", validation.validate_identity_number),
    ("phone", validation.validate_phone),
    ("email", validation.validate_email_address),
)


def clean_applicant(applicant: Applicant, prefix: str = "applicant_", *, id_required: bool = False) -> dict:
    """The applicant's data checked and normalised in place; returns {field: [messages]} of what is
    wrong, with the fields named ``prefix`` + attribute (``applicant_phone``, ``co_applicant_phone``)."""
    errors: dict[str, list[str]] = {}
    if not (applicant.name or "").strip():
        errors[prefix + "name"] = [_("Cần nhập họ tên người nộp hoặc tên tổ chức.")]
    for attr, rule in _APPLICANT_RULES:
        value = (getattr(applicant, attr) or "").strip()
        if not value:
            if attr == "id_number" and id_required:
                errors[prefix + attr] = [_("Cần nhập số CCCD (hoặc số hộ chiếu).")]
            continue
        try:
            setattr(applicant, attr, rule(value))
        except ValidationError as exc:
            errors[prefix + attr] = exc.messages
    return errors


def _co_applicants(procedure_version, co_applicants) -> list[dict]:
    """The second applicant the procedure declares (catalog ``co_applicant_label``), checked by the same
    rules as the first; refused when missing, or when the procedure has one applicant only."""
    label = procedure_version.procedure.co_applicant_label
    given = [
        c for c in co_applicants or () if any((getattr(c, a) or "").strip() for a, _c in _APPLICANT_COLUMNS)
    ]
    if not label:
        if given:
            raise ServiceError(
                _("Thủ tục này chỉ có một người nộp hồ sơ; không nhập người cùng nộp."),
                field="co_applicant_name",
            )
        return []
    if not given:
        raise InvalidFields(
            {
                "co_applicant_name": [
                    _("Thủ tục này cần thông tin của %(label)s.") % {"label": label.lower()}
                ],
            }
        )
    rows = []
    for person in given[:1]:
        _check_lengths(person, "", prefix="co_")
        errors = clean_applicant(person, "co_applicant_", id_required=True)
        if errors:
            raise InvalidFields(errors)
        rows.append(
            {
                "label": label,
                "name": person.name.strip(),
                "id_number": person.id_number,
                "phone": person.phone,
                "email": person.email.strip(),
                "address": person.address.strip(),
            }
        )
    return rows


def receive(
    *,
    actor,
    agency: Agency,
    procedure_version,
    channel: int,
    applicant: Applicant,
    form_data: dict | None = None,
    uploads: list[Upload] = (),
    accept_now: bool = False,
    assisted_by=None,
    note: str = "",
    audit_data: dict | None = None,
    co_applicants: list[Applicant] = (),
    queue_ticket=None,
    code: str = "",
    **known,
) -> Dossier:
    """Register a dossier: at the counter or by post (the clerk may accept at once), or online (status 1).

    One transaction, written once in its final state: the dossier row, its timeline ("receive", and
    "accept" when accepted at once) with one audit entry each, its files and its first step run.
    Inside a caller's transaction (online filing) it joins it without a savepoint: any error rolls the
    whole back. ``audit_data``: more facts for the receipt's audit entry (e.g. the portal's draft).
    ``known``: ``offering=`` when the caller has already loaded the agency's offering. The dossier
    returned carries ``received_attachments``, the rows of its component files.
    ``co_applicants``: the second applicant of a procedure filed by two (marriage); ``queue_ticket``:
    the id of the queue ticket the clerk called for this intake (marked served, kept on the dossier).
    ``code``: the code another system already gave the dossier (one filed on the National Public Service
    Portal keeps its code, ADR 0168); empty: the agency's next code."""
    if not applicant.name.strip():
        raise ServiceError(_("Cần nhập họ tên người nộp hoặc tên tổ chức."), field="applicant_name")
    _check_lengths(applicant, note)
    errors = clean_applicant(applicant)
    if errors:
        raise InvalidFields(errors)
    joint = _co_applicants(procedure_version, co_applicants)
    if channel not in Channel.values:
        raise ServiceError(_("Hình thức nộp hồ sơ không hợp lệ."), field="channel")
    code = (code or "").strip()
    if code and (len(code) > Dossier._meta.get_field("code").max_length or not _CODE_CHARS.issuperset(code)):
        raise ServiceError(_("Mã hồ sơ “%(code)s” không hợp lệ.") % {"code": code[:60]}, field="code")
    if code and Dossier.objects.filter(code=code).exists():
        raise ServiceError(
            _("Đã có hồ sơ mang mã “%(code)s”.") % {"code": code}, field="code", code="code_taken"
        )
    # Filing online needs no role at the agency (the applicant files); the counter's role is looked up
    # only when a clerk receives (in person, by post) or accepts at once.
    actor_roles = counter_roles(actor, agency) if channel != Channel.ONLINE or accept_now else set()
    if channel != Channel.ONLINE or accept_now:
        if Role.CLERK not in actor_roles:
            raise Forbidden(_("Chỉ cán bộ một cửa của cơ quan mới tiếp nhận hồ sơ tại quầy."))
    accept_t = DOSSIER.check("accept", state=Status.NEW, roles=actor_roles) if accept_now else None
    checked = _inspect_all(uploads)
    terms = terms_for(procedure_version, agency, channel, **known)
    template, steps = steps_for(agency, procedure_version.procedure)
    # Everything is prepared before the transaction — the dossier in its final state, its timeline and
    # audit records, its step run and its files (written to storage now) — so that the transaction only
    # inserts rows, and holds the agency's code counter (locked until commit) for as short as possible.
    now = timezone.now()
    dossier = Dossier(
        procedure_version=procedure_version,
        receiving_agency=agency,
        current_agency=agency,
        channel=channel,
        status=Status.NEW,
        applicant=applicant.user,
        applicant_name=applicant.name.strip(),
        applicant_folded=fold(applicant.name),
        applicant_id_number=applicant.id_number.strip(),
        applicant_phone=applicant.phone.strip(),
        applicant_email=applicant.email.strip(),
        applicant_address=applicant.address.strip(),
        on_behalf_of=applicant.on_behalf_of.strip(),
        assisted_by=assisted_by,
        form_data=form_data or {},
        co_applicants=joint,
        submitted_at=now,
        allowance_value=terms.value,
        allowance_unit=terms.unit,
        template=template,
        holder_role=Role.CLERK,
    )
    events = [
        _event(
            dossier,
            actor,
            "receive",
            _("Nộp hồ sơ"),
            None,
            note=note,
            data={"channel": channel, "assisted_by": getattr(assisted_by, "pk", None)},
        )
    ]
    events[0][1]["data"].update(audit_data or {})
    run = None
    if accept_t is not None:
        # Accepted at once: the same state change as ``accept`` (one more version); its timeline and
        # audit entries follow the receipt's.
        run = _apply_accept(dossier, steps)
        dossier.version += 1
        events.append(
            _event(
                dossier,
                actor,
                "accept",
                accept_t.label,
                Status.NEW,
                data={"due_at": dossier.due_at.isoformat() if dossier.due_at else None},
            )
        )
    if queue_ticket not in (None, ""):
        if channel != Channel.IN_PERSON:
            raise ServiceError(
                _("Phiếu số thứ tự chỉ dùng khi tiếp nhận trực tiếp tại quầy."), field="ticket"
            )
    attachments = _write_files(dossier, checked, actor, Attachment.Purpose.COMPONENT)
    try:
        with transaction.atomic(savepoint=False):
            if queue_ticket not in (None, ""):
                # The called ticket is served by this intake (counters, through the directory's hook).
                ticket = directory_hooks.queue_ticket(actor, queue_ticket, serve=True)
                dossier.queue_ticket_id, dossier.queue_ticket_code = ticket["id"], ticket["code"]
                events[0][1]["data"]["queue_ticket"] = ticket["code"]
            reserved = _reserve_dossier_id()
            if reserved is not None:
                # PostgreSQL: the rows that point at the dossier go first (foreign keys are checked at
                # commit), so the code counter is locked only for the last few statements.
                dossier.pk = reserved
                entries = _insert_children(events, attachments, run)
            dossier.code = code or next_code(agency, now)
            compiled.insert([dossier])
            if reserved is None:
                entries = _insert_children(events, attachments, run)
            audit.record_many([record for _entry, record in events])
            dossier.received_attachments = attachments  # its component files, for subscribers (no query)
            hooks.dossier_changed.fire(entries=entries)
            # Messages to the applicant about this receipt (and its acceptance), in this transaction.
            if accept_t is not None:
                notify_applicant(dossier, "received")
            notify_applicant(dossier, "submitted")
    except BaseException:
        _discard_files(attachments)
        raise
    dossier.received_attachments = attachments  # its component files, for the caller (no query)
    return dossier


def _reserve_dossier_id() -> int | None:
    """The next dossier id from PostgreSQL's sequence (no lock); None on other databases."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Dossier._meta.db_table])
        return cursor.fetchone()[0]


def _insert_children(events, attachments, run) -> list:
    entries = compiled.insert([entry for entry, _record in events])
    _insert_attachments(attachments, entries[0])
    if run is not None:
        compiled.insert([run])
    return entries


def _accept(dossier: Dossier, actor, note: str, roles: set[str] | None = None) -> None:
    roles = roles_for(actor, dossier) if roles is None else roles
    DOSSIER.check("accept", state=dossier.status, roles=roles)
    before = dossier.status
    run = _apply_accept(dossier, current_steps(dossier.template))
    if run is not None:
        run.save(force_insert=True)
    _save(
        dossier,
        "status",
        "received_at",
        "due_at",
        "legal_due_at",
        "current_step",
        "holder_role",
        "current_agency",
        "assignee",
    )
    _timeline(
        dossier,
        actor,
        "accept",
        DOSSIER.get("accept").label,
        before,
        note=note,
        data={"due_at": dossier.due_at.isoformat() if dossier.due_at else None},
    )
    notify_applicant(dossier, "received")


def accept(dossier_id, *, actor, expected_version=None, note="") -> Dossier:
    with transaction.atomic():
        dossier = _lock(dossier_id, expected_version)
        _accept(dossier, actor, note)
        return dossier


INTAKE_DECISIONS = ("accept", "supplement", "refuse")


def receive_at_counter(
    *,
    actor,
    agency: Agency,
    procedure_version,
    channel: int,
    applicant: Applicant,
    uploads: list[Upload] = (),
    decision: str = "accept",
    missing: list[str] = (),
    note: str = "",
    co_applicants: list[Applicant] = (),
    queue_ticket=None,
    **known,
) -> tuple[Dossier, str]:
    """A clerk's intake at the counter (or of a dossier received by post), in ONE transaction: the
    receipt and the clerk's decision — accept at once, ask for a supplement (also when components are
    ``missing``), or refuse with a reason. Returns (dossier, outcome) with outcome "accepted",
    "supplement" or "refused". A refusal without a reason is refused before anything is written; any
    later failure rolls the receipt back too (no half-written dossier, no orphan code) and removes the
    files written for it."""
    note = (note or "").strip()
    missing = [m for m in missing if m]
    if decision not in INTAKE_DECISIONS:
        raise ServiceError(_("Quyết định tiếp nhận không hợp lệ."), field="decision")
    if decision == "refuse" and not note:
        raise ServiceError(
            _("Từ chối tiếp nhận phải ghi rõ lý do trong ô ghi chú của cán bộ tiếp nhận."), field="note"
        )
    accept_now = decision == "accept" and not missing
    attachments = []
    try:
        with transaction.atomic():
            dossier = receive(
                actor=actor,
                agency=agency,
                procedure_version=procedure_version,
                channel=channel,
                applicant=applicant,
                uploads=uploads,
                accept_now=accept_now,
                note=note if decision == "accept" else "",
                co_applicants=co_applicants,
                queue_ticket=queue_ticket,
                **known,
            )
            if accept_now:
                return dossier, "accepted"
            attachments = list(dossier.attachments.all())
            if decision == "refuse":
                dossier = refuse(dossier.pk, actor=actor, reason=note)
                return dossier, "refused"
            if decision == "accept":
                reason = _("Hồ sơ thiếu: %(list)s") % {"list": "; ".join(missing)}
            else:
                reason = note or _("Hồ sơ cần bổ sung, hoàn thiện.")
            dossier = request_supplement(dossier.pk, actor=actor, missing=missing, reason=reason)
            return dossier, "supplement"
    except BaseException:
        _discard_files(attachments)
        raise
