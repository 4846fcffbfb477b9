"""Use cases of access to information (ADR 0167). Each runs in one transaction, locks the request row,
checks the permission rule of its transition (``transitions.REQUESTS``), writes the timeline and the
audit entry and notifies the requester in the same transaction; otherwise raises a
``core.errors.ServiceError`` with a Vietnamese message and writes nothing."""

from __future__ import annotations

import datetime as dt
import hmac

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.calendar import engine
from congso.core import audit
from congso.core.errors import Forbidden, NotFound, RateLimited, ServiceError
from congso.core.locking import lock
from congso.core.permissions import can
from congso.core.ratelimit import Window, retry_minutes
from congso.notifications.models import Notification
from congso.notifications.services import enqueue, notify_person

from . import validation
from .models import DisclosureCategory, DisclosureItem, Event, InfoRequest, RefusalGround, TimeLimit
from .transitions import REQUESTS, STAFF_ACTIONS

PER_IP = Window(
    "inforequests-ip", limit=("CONGSO_INFOREQUESTS_PER_IP", 10), seconds=("CONGSO_INFOREQUESTS_WINDOW", 3600)
)
PER_ACCOUNT = Window(
    "inforequests-account",
    limit=("CONGSO_INFOREQUESTS_PER_ACCOUNT", 20),
    seconds=("CONGSO_INFOREQUESTS_WINDOW", 3600),
)
HONEYPOT_FIELD = "website"
# the law's limits when an administrator has not (yet) recorded them as data (Luật TCTT Điều 29–30)
DEFAULT_LIMITS = {
    TimeLimit.ANSWER: (10, True, "Luật Tiếp cận thông tin, Điều 29–30"),
    TimeLimit.EXTENSION: (15, True, "Luật Tiếp cận thông tin, Điều 29–30"),
    TimeLimit.NOTICE: (3, True, "Luật Tiếp cận thông tin, Điều 29–30"),
}


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- deadlines -------------------------------------------------------------------------------------


def limit(code: str) -> TimeLimit:
    found = TimeLimit.objects.filter(code=code).first()
    if found is None:
        days, working, basis = DEFAULT_LIMITS[code]
        found = TimeLimit(code=code, name=code, days=days, working_days=working, legal_basis=basis)
    return found


def due_after(start: dt.datetime, time_limit: TimeLimit, unit=None) -> dt.datetime:
    """The due moment ``time_limit`` after ``start``: in working days, the close of the N-th working day
    on the platform's calendar (holidays, weekends, make-up days, office hours of the province);
    in calendar days, the end of the N-th day."""
    if time_limit.working_days:
        return engine.due_at(start, engine.days(time_limit.days), unit=unit)
    local = timezone.localtime(start)
    last = local.date() + dt.timedelta(days=time_limit.days)
    return timezone.make_aware(dt.datetime.combine(last, dt.time(23, 59, 59)))


def extended_due(due: dt.datetime, time_limit: TimeLimit, unit=None) -> dt.datetime:
    """The due moment after an extension: ``time_limit`` more, counted from the day the first period
    ends (that day is not counted again: the first working day of the extension is the next one)."""
    if not time_limit.working_days:
        return due_after(due, time_limit, unit)
    day_start = timezone.make_aware(dt.datetime.combine(timezone.localtime(due).date(), dt.time(0, 0)))
    return due_after(day_start, time_limit, unit)


def deadline_status(req: InfoRequest, now: dt.datetime | None = None) -> str:
    """ "on_time", "due_soon" or "overdue" for an open request; "on_time"/"late" once closed."""
    if req.closed_at is not None:
        return "on_time" if req.closed_at <= req.due_at else "late"
    return str(engine.status_at(req.due_at, now or timezone.now(), unit=req.agency.unit_id))


# --- notices to the requester ----------------------------------------------------------------------


def request_url(req: InfoRequest, *, with_token: bool) -> str:
    url = reverse("inforequests:request", args=[req.code])
    return f"{url}?ma={req.access_token}" if with_token else url


def _tell(req: InfoRequest, event: str, subject: str, body: str) -> list:
    """Notify the requester in the caller's transaction: a signed-in requester through
    ``notifications.notify_person`` (their notices list, and an e-mail); an anonymous one by e-mail to
    the address given, through the same outbox (sent after commit, retried on failure), with the
    request's private link."""
    user = req.requester
    if user is not None:
        return notify_person(
            user,
            event=f"inforequests.{event}",
            subject=subject,
            body=body,
            url=request_url(req, with_token=False),
        )
    if not req.email:
        return []
    link = f"{settings.SITE_URL.rstrip('/')}{request_url(req, with_token=True)}"
    row = Notification.objects.create(
        channel=Notification.Channel.EMAIL,
        address=req.email,
        event=f"inforequests.{event}"[:40],
        subject=" ".join(subject.split())[:300],
        body=f"{body}\n\n{link}",
    )
    transaction.on_commit(lambda: enqueue([row.pk]))
    return [row]


# --- filing ----------------------------------------------------------------------------------------


def check_rate_limits(ip: str | None, actor) -> None:
    keys = [] if _user(actor) else ([(PER_IP, ip)] if ip else [])
    if _user(actor):
        keys.append((PER_ACCOUNT, str(actor.pk)))
    for window, key in keys:
        if window.exceeded(key):
            seconds = window.retry_after()
            raise RateLimited(
                _("Ông/Bà đã gửi quá nhiều yêu cầu trong thời gian ngắn; vui lòng thử lại sau %(m)s phút.")
                % {"m": retry_minutes(seconds)},
                retry_after=seconds,
            )


def _count(ip, actor):
    if _user(actor):
        PER_ACCOUNT.hit(str(actor.pk))
    elif ip:
        PER_IP.hit(ip)


def _event(req, action, label, *, actor=None, note="", now=None) -> Event:
    return Event.objects.create(
        request=req, at=now or timezone.now(), action=action, label=str(label), actor=_user(actor), note=note
    )


def submit(data: dict, *, actor=None, ip: str | None = None) -> InfoRequest:
    """A citizen, signed in or not, files a request (phiếu yêu cầu) with the legal fields. Anonymous
    filing is rate-limited per address, signed-in filing per account. The answer deadline runs from now
    on the asked agency's working calendar."""
    if str(data.get(HONEYPOT_FIELD) or "").strip():
        raise ServiceError(_("Không gửi được yêu cầu: ô “Để trống ô này” phải để trống."), code="honeypot")
    check_rate_limits(ip, actor)
    cleaned = validation.clean(data)
    user = _user(actor)
    now = timezone.now()
    with transaction.atomic():
        req = InfoRequest(
            agency=cleaned.agency,
            requester=user,
            name=cleaned.name,
            address=cleaned.address,
            id_number=cleaned.id_number,
            phone=cleaned.phone,
            email=cleaned.email,
            information=cleaned.information,
            purpose=cleaned.purpose,
            form=cleaned.form,
            means=cleaned.means,
            copies=cleaned.copies,
            received_at=now,
            due_at=due_after(now, limit(TimeLimit.ANSWER), unit=cleaned.agency.unit_id),
        )
        req.save()
        _event(
            req,
            "submit",
            _("Tiếp nhận yêu cầu, chuyển %(agency)s") % {"agency": cleaned.agency.name},
            actor=actor,
            now=now,
        )
        _tell(
            req,
            "received",
            _("Yêu cầu cung cấp thông tin %(code)s đã được tiếp nhận") % {"code": req.code},
            _("%(agency)s đã nhận yêu cầu %(code)s; hạn cung cấp thông tin: %(due)s.")
            % {"agency": cleaned.agency.name, "code": req.code, "due": _fmt(req.due_at)},
        )
        audit.record(
            "inforequests.submit",
            obj=req,
            actor=user,
            data={"agency": cleaned.agency.code, "form": req.form, "means": req.means},
        )
    _count(ip, actor)
    return req


def _fmt(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


# --- handling --------------------------------------------------------------------------------------


def _locked(code: str) -> InfoRequest:
    if not lock(InfoRequest, code=str(code or "")):
        raise NotFound(_("Không tìm thấy yêu cầu cung cấp thông tin."))
    return InfoRequest.objects.select_related("agency", "agency__unit", "requester", "ground").get(code=code)


def act(
    code: str,
    action: str,
    *,
    actor,
    note: str = "",
    reason: str = "",
    ground: str = "",
    file=None,
) -> InfoRequest:
    """An official of the asked agency takes ``action`` (accept, extend, answer, refuse).

    - extend: ``reason`` (required); the due moment moves by the extension limit, once;
    - answer: ``note`` (the information or where/how it is provided) and optionally a ``file``
      (PDF, JPEG, PNG checked by content);
    - refuse: ``reason`` = a ``RefusalGround`` code and ``note`` = the explanation to the requester
      (for a request the agency is not responsible for: which agency holds the information)."""
    if action not in STAFF_ACTIONS:
        raise ServiceError(_("Thao tác không hợp lệ."), field="action")
    note = (note or "").strip()
    reason = (reason or ground or "").strip()
    if note:
        note = validation.check_text(note, "note", _("Nội dung"), 1, validation.ANSWER_MAX)
    if reason and action == "extend":
        reason = validation.check_text(reason, "reason", _("Lý do gia hạn"), 5, validation.REASON_MAX)
    checked = validation.answer_file(file) if action == "answer" else None
    with transaction.atomic():
        req = _locked(code)
        if not can(actor, "inforequests.handle", req):
            raise NotFound(_("Không tìm thấy yêu cầu cung cấp thông tin."))
        REQUESTS.check(
            action, state=req.status, provided={"note": note, "reason": reason}, actor=actor, obj=req
        )
        now = timezone.now()
        before = req.status
        fields = REQUESTS.apply(req, action, now=now)
        label, event_note = REQUESTS.get(action).label, note
        subject = body = ""
        if action == "accept":
            label = _("Đang giải quyết yêu cầu")
            subject = _("Yêu cầu %(code)s đang được giải quyết") % {"code": req.code}
            body = _("%(agency)s đang giải quyết yêu cầu %(code)s; hạn cung cấp thông tin: %(due)s.") % {
                "agency": req.agency.name,
                "code": req.code,
                "due": _fmt(req.due_at),
            }
        elif action == "extend":
            req.due_at = extended_due(req.due_at, limit(TimeLimit.EXTENSION), unit=req.agency.unit_id)
            req.extension_reason = reason
            fields += ["due_at", "extension_reason"]
            label = _("Gia hạn đến %(due)s") % {"due": _fmt(req.due_at)}
            event_note = reason
            subject = _("Yêu cầu %(code)s được gia hạn") % {"code": req.code}
            body = _("%(agency)s gia hạn giải quyết yêu cầu %(code)s đến %(due)s. Lý do: %(reason)s") % {
                "agency": req.agency.name,
                "code": req.code,
                "due": _fmt(req.due_at),
                "reason": reason,
            }
        elif action == "answer":
            req.answer = note
            fields.append("answer")
            if checked is not None:
                req.answer_file.save(
                    f"{req.code}-{checked.sha256[:12]}{checked.extension}",
                    ContentFile(checked.content),
                    save=False,
                )
                req.answer_mime, req.answer_sha256 = checked.mime, checked.sha256
                fields += ["answer_file", "answer_mime", "answer_sha256"]
            label = _("Cung cấp thông tin")
            subject = _("Yêu cầu %(code)s đã được cung cấp thông tin") % {"code": req.code}
            body = _("%(agency)s đã cung cấp thông tin theo yêu cầu %(code)s:\n\n%(answer)s") % {
                "agency": req.agency.name,
                "code": req.code,
                "answer": note,
            }
        elif action == "refuse":
            found = RefusalGround.objects.filter(code=reason, is_active=True).first()
            if found is None:
                raise ServiceError(_("Vui lòng chọn căn cứ từ chối theo quy định."), field="reason")
            if len(note) < 10:
                raise ServiceError(
                    _("Vui lòng giải thích lý do từ chối cho người yêu cầu (ít nhất 10 ký tự)."), field="note"
                )
            req.ground, req.refusal_note = found, note
            fields += ["ground", "refusal_note"]
            label = _("Từ chối cung cấp: %(ground)s") % {"ground": found.label}
            subject = _("Yêu cầu %(code)s bị từ chối") % {"code": req.code}
            body = _(
                "%(agency)s từ chối cung cấp thông tin theo yêu cầu %(code)s.\nCăn cứ: %(ground)s (%(basis)s).\n%(note)s"
            ) % {
                "agency": req.agency.name,
                "code": req.code,
                "ground": found.label,
                "basis": found.legal_basis,
                "note": note,
            }
        req.handled_by = _user(actor)
        fields.append("handled_by")
        req.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
        _event(req, action, label, actor=actor, note=event_note, now=now)
        if subject:
            _tell(req, action, subject, body)
        audit.record(
            f"inforequests.{action}",
            obj=req,
            actor=actor,
            data={"from": before, "to": req.status, "ground": req.ground.code if req.ground_id else ""},
        )
        return req


# --- reading one request ---------------------------------------------------------------------------


def for_requester(code: str, *, actor=None, token: str = "") -> InfoRequest:
    """The request as its requester sees it: their account, or the link's token (anonymous filing)."""
    req = InfoRequest.objects.select_related("agency", "ground").filter(code=str(code or "")).first()
    if req is None:
        raise NotFound(_("Không tìm thấy yêu cầu cung cấp thông tin."))
    if _user(actor) and can(actor, "inforequests.view_own", req):
        return req
    if token and req.requester_id is None and _same(token, req.access_token):
        return req
    raise NotFound(_("Không tìm thấy yêu cầu cung cấp thông tin."))


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(str(a).encode(), str(b).encode())


def for_staff(code: str, *, actor) -> InfoRequest:
    req = (
        InfoRequest.objects.select_related("agency", "agency__unit", "requester", "ground", "handled_by")
        .filter(code=str(code or ""))
        .first()
    )
    if req is None or not can(actor, "inforequests.handle", req):
        raise NotFound(_("Không tìm thấy yêu cầu cung cấp thông tin."))
    return req


# --- the disclosure list ---------------------------------------------------------------------------


def save_disclosure_item(
    *,
    actor,
    agency: str,
    category: str,
    title: str,
    url: str = "",
    how: str = "",
    published_on=None,
    pk: int | None = None,
    is_active: bool = True,
) -> DisclosureItem:
    """Add or change an entry of the agency's list of information it must publish (Điều 17)."""
    target = validation.agency(agency)
    if not can(actor, "inforequests.manage_disclosure", target):
        raise Forbidden(_("Chỉ quản trị hoặc lãnh đạo của cơ quan mới sửa danh mục thông tin công khai."))
    cat = DisclosureCategory.objects.filter(code=str(category or "").strip()).first()
    if cat is None:
        raise ServiceError(_("Vui lòng chọn nhóm thông tin theo Điều 17."), field="category")
    title = validation.check_text(title, "title", _("Tên thông tin"), 3, 300)
    url = (url or "").strip()
    if url and not (url.startswith("/") or url.startswith("https://") or url.startswith("http://")):
        raise ServiceError(_("Đường dẫn phải bắt đầu bằng https://, http:// hoặc /."), field="url")
    if len(url) > 500:
        raise ServiceError(_("Đường dẫn dài tối đa 500 ký tự."), field="url")
    how = validation.check_text(how, "how", _("Hình thức công khai"), 0, 300) if how else ""
    if published_on and not isinstance(published_on, dt.date):
        try:
            published_on = dt.date.fromisoformat(str(published_on))
        except ValueError:
            raise ServiceError(
                _("Ngày công khai không đúng (ngày/tháng/năm)."), field="published_on"
            ) from None
    with transaction.atomic():
        if pk:
            item = DisclosureItem.objects.select_for_update().filter(pk=pk, agency=target).first()
            if item is None:
                raise NotFound(_("Không tìm thấy mục thông tin công khai."))
        else:
            item = DisclosureItem(agency=target)
        item.category, item.title, item.url, item.how = cat, title, url, how
        item.published_on = published_on or None
        item.is_active = is_active
        item.save()
        audit.record(
            "inforequests.save_disclosure_item",
            obj=item,
            actor=actor,
            data={"agency": target.code, "category": cat.code, "active": is_active},
        )
    return item
