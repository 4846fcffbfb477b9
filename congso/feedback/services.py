"""Use cases of citizen feedback. Each runs in one transaction, locks the report row, checks the
permission rule of its transition (``transitions.REPORTS``), writes the timeline and the audit entry,
and raises a ``core.errors.ServiceError`` with a Vietnamese message (nothing written) otherwise."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from congso.calendar import engine
from congso.core import audit
from congso.core.errors import Conflict, Forbidden, NotFound, RateLimited, ServiceError
from congso.core.permissions import can, require
from congso.core.ratelimit import Window, retry_minutes
from congso.core.text import fold
from congso.directory.models import Agency, Membership, Role
from congso.directory.scope import ancestor_paths
from congso.notifications.services import notify_person

from . import hooks, validation
from .models import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    ApiKey,
    Category,
    Event,
    Follow,
    HelpRequest,
    Media,
    Notice,
    Rating,
    RejectReason,
    Report,
    RoutingRule,
    Status,
)
from .transitions import REPORTS

PER_IP = Window("feedback-ip", limit=("CONGSO_FEEDBACK_PER_IP", 20), seconds=("CONGSO_FEEDBACK_WINDOW", 3600))
PER_ACCOUNT = Window(
    "feedback-account", limit=("CONGSO_FEEDBACK_PER_ACCOUNT", 10), seconds=("CONGSO_FEEDBACK_WINDOW", 3600)
)
HONEYPOT_FIELD = "website"
DUPLICATE_SCORE = 70
DUPLICATE_WINDOW_DAYS = 90


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- routing and clock ----------------------------------------------------------------------------


def route(category: Category, unit) -> Agency:
    """The agency for ``category`` in ``unit``: the commune's rule, else the province's fallback, looked up
    for the category and then each of its ancestors."""
    node = category
    while node is not None:
        rules = {
            r.unit_id: r
            for r in RoutingRule.objects.filter(category=node, province=unit.parent_id).select_related(
                "agency"
            )
        }
        rule = rules.get(unit.pk) or rules.get(None)
        if rule is not None:
            return rule.agency
        node = node.parent
    raise ServiceError(
        _("Chưa có cơ quan tiếp nhận lĩnh vực “%(cat)s” tại %(unit)s; vui lòng chọn lĩnh vực khác.")
        % {"cat": category.name, "unit": unit.name},
        field="category",
        code="no_route",
    )


def due_for(report: Report, start: dt.datetime) -> dt.datetime:
    return engine.due_at(start, engine.days(report.category.answer_days), unit=report.unit)


# --- notices ---------------------------------------------------------------------------------------


def _notice(report: Report, kind: str, text: str, *, user=None, email: str = "", staff: bool = False) -> None:
    """Tell one person of a step of ``report``, in the caller's transaction.

    An account is told through the platform's notifications (``notifications.services.notify_person``:
    their "Thông báo của tôi" list and an e-mail; an SMS too when the answer is published), with a link
    to the report's public page, or its staff page for a leader (``staff``). Someone who reported
    without an account and left only an e-mail address has no person to notify there: the notice waits
    in the report's own list for ``congso feedback notices``. Either way the report keeps a ``Notice``
    row of what was told (ADR 0170)."""
    if user is not None:
        url = reverse("feedback:staff_report" if staff else "feedback:report", args=[report.code])
        notify_person(
            user,
            event=f"feedback.{kind}"[:40],
            subject=_("Phản ánh, kiến nghị %(code)s") % {"code": report.code},
            body=text,
            url=url,
            sms=kind == "approve" and not staff,
        )
    Notice.objects.create(
        report=report,
        user=user,
        email="" if user is not None else email,
        kind=kind,
        text=text,
        sent_at=timezone.now() if user is not None else None,
    )


def notify_reporter(report: Report, kind: str, text: str) -> None:
    """A notice to the reporter (account or e-mail given) and to those who follow the report."""
    if report.reporter_id or report.reporter_email:
        _notice(report, kind, text, user=report.reporter, email=report.reporter_email)
    for follow in report.follows.select_related("user"):
        _notice(report, kind, text, user=follow.user)


def leaders_of(agency: Agency | None) -> list:
    if agency is None:
        return []
    today = timezone.localdate()
    return [
        m.user
        for m in Membership.objects.filter(role=Role.LEADER, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .filter(Q(agency=agency) | Q(include_subtree=True, agency__path__in=ancestor_paths(agency)))
        .select_related("user")
    ]


_UNCHANGED = object()


def _event(
    report,
    action,
    label,
    *,
    actor=None,
    note="",
    public=False,
    to_agency=None,
    now=None,
    from_status=_UNCHANGED,
    agency=None,
):
    """A timeline entry; the apps above are told (``hooks.report_changed``) in the same transaction."""
    event = Event.objects.create(
        report=report,
        at=now or timezone.now(),
        action=action,
        label=str(label),
        actor=_user(actor),
        agency=agency or report.agency,
        to_agency=to_agency,
        note=note,
        public=public,
    )
    before = report.status if from_status is _UNCHANGED else from_status
    hooks.report_changed.fire(report=report, event=event, from_status=before)
    return event


# --- reporting -------------------------------------------------------------------------------------


def check_rate_limits(ip: str | None, actor) -> None:
    keys = [(PER_IP, ip)] if ip else []
    if _user(actor):
        keys.append((PER_ACCOUNT, str(actor.pk)))
    for window, key in keys:
        if window.exceeded(key):
            seconds = window.retry_after()
            raise RateLimited(
                _("Ông/Bà đã gửi quá nhiều phản ánh trong thời gian ngắn; vui lòng thử lại sau %(m)s phút.")
                % {"m": retry_minutes(seconds)},
                retry_after=seconds,
            )


def _count(ip, actor):
    if ip:
        PER_IP.hit(ip)
    if _user(actor):
        PER_ACCOUNT.hit(str(actor.pk))


def duplicates(unit, text: str, *, category=None, exclude=None, limit: int = 5) -> list[Report]:
    """Likely duplicates: open or answered public reports in the same commune in the last 90 days whose
    unaccented text is similar (rapidfuzz's token set ratio on ``core.text.fold``)."""
    folded = fold(text)
    if not folded or unit is None:
        return []
    since = timezone.now() - dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
    qs = Report.objects.filter(
        unit=unit,
        is_public=True,
        received_at__gte=since,
        status__in=(Status.RECEIVED, Status.PROCESSING, Status.DRAFTED, Status.ANSWERED),
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    scored = []
    for r in qs.only("pk", "code", "title", "text_folded", "status", "received_at", "category_id", "address")[
        :300
    ]:
        score = fuzz.token_set_ratio(folded, r.text_folded)
        if category is not None and r.category_id == category.pk:
            score += 5
        if score >= DUPLICATE_SCORE:
            scored.append((score, r))
    scored.sort(key=lambda s: -s[0])
    return [r for _s, r in scored[:limit]]


def submit(
    data: dict, files=(), *, actor=None, ip: str | None = None, staff: bool = False, video=None
) -> Report:
    """A citizen (signed in or not) or a staff member (``staff``: from a hotline, e-mail, social media or
    in person) files a report. Routed at once to the handling agency; its answer clock starts."""
    if str(data.get(HONEYPOT_FIELD) or "").strip():
        raise ServiceError(_("Không gửi được phản ánh: ô “Để trống ô này” phải để trống."), code="honeypot")
    if staff:
        require(actor, "feedback.enter")
    else:
        check_rate_limits(ip, actor)
    cleaned = validation.clean(data, files, staff=staff, actor=_user(actor), video_file=video)
    agency = route(cleaned.category, cleaned.unit)
    user = _user(actor)
    now = timezone.now()
    if not staff and user is not None:
        name = cleaned.name or getattr(user, "full_name", "") or ""
        email = cleaned.email or getattr(user, "email", "") or ""
        phone = cleaned.phone or getattr(user, "phone", "") or ""
    else:
        name, email, phone = cleaned.name, cleaned.email, cleaned.phone
    with transaction.atomic():
        report = Report(
            category=cleaned.category,
            title=cleaned.title,
            description=cleaned.description,
            province=cleaned.unit.parent,
            unit=cleaned.unit,
            address=cleaned.address,
            lat=cleaned.lat,
            lon=cleaned.lon,
            is_public=cleaned.is_public,
            show_name=cleaned.show_name,
            reporter=None if staff else user,
            reporter_name=name,
            reporter_phone=phone,
            reporter_email=email,
            channel=cleaned.channel,
            entered_by=user if staff else None,
            procedure=cleaned.procedure,
            dossier=cleaned.dossier,
            agency=agency,
            received_at=now,
            clock_start=now,
        )
        report.due_at = due_for(report, now)
        report.save()
        for checked in [*cleaned.photos, *([cleaned.video] if cleaned.video else [])]:
            media = Media(
                report=report,
                mime=checked.mime,
                size=checked.size,
                sha256=checked.sha256,
                width=checked.width,
                height=checked.height,
            )
            media.file.save(
                f"{report.code}-{checked.sha256[:12]}{checked.extension}",
                ContentFile(checked.content),
                save=False,
            )
            media.save()
        _event(
            report,
            "submit",
            _("Tiếp nhận phản ánh, chuyển %(agency)s") % {"agency": agency.name},
            actor=actor,
            public=True,
            to_agency=agency,
            now=now,
            from_status=None,
        )
        notify_reporter(
            report,
            "received",
            _("Phản ánh %(code)s đã được tiếp nhận và chuyển %(agency)s xử lý.")
            % {"code": report.code, "agency": agency.name},
        )
        audit.record(
            "feedback.submit",
            obj=report,
            actor=user,
            data={
                "channel": report.channel,
                "agency": agency.code,
                "category": report.category.code,
                "procedure": getattr(report.procedure, "code", ""),
                "dossier": getattr(report.dossier, "code", ""),
            },
        )
    if not staff:
        _count(ip, actor)
    return report


def follow(code: str, *, actor) -> Follow:
    """Follow an existing report instead of filing a duplicate: its public steps are notified too."""
    if not _user(actor):
        raise Forbidden(_("Vui lòng đăng nhập để theo dõi phản ánh."), code="unauthenticated")
    with transaction.atomic():
        report = _public_report(code)
        follow_row, created = Follow.objects.get_or_create(report=report, user=actor)
        if created:
            audit.record("feedback.follow", obj=report, actor=actor)
        return follow_row


def _publicly_visible(report: Report) -> bool:
    return report.is_public and report.status in PUBLIC_STATUSES


def _public_report(code: str) -> Report:
    report = Report.objects.filter(code=code, is_public=True, status__in=PUBLIC_STATUSES).first()
    if report is None:
        raise NotFound(_("Không tìm thấy phản ánh."))
    return report


# --- handling --------------------------------------------------------------------------------------


def _locked(code: str) -> Report:
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("category", "agency", "unit", "reporter")
        .filter(code=code)
        .first()
    )
    if report is None:
        raise NotFound(_("Không tìm thấy phản ánh."))
    return report


def _agency(code) -> Agency:
    agency = Agency.objects.filter(code=str(code or "").strip().upper(), is_active=True).first()
    if agency is None:
        raise ServiceError(_("Không tìm thấy cơ quan nhận."), field="agency")
    return agency


def act(
    code: str, action: str, *, actor, reason: str = "", note: str = "", agency: str = "", target: str = ""
) -> Report:
    """A staff member takes ``action`` (one of ``transitions.STAFF_ACTIONS``) on the report."""
    reason, note = (reason or "").strip(), (note or "").strip()
    for value, name in ((note, "note"), (reason, "reason")):
        if value:
            validation.check_text(value, name, _("Nội dung"), 1, 8000)
    with transaction.atomic():
        report = _locked(code)
        if not (can(actor, "feedback.view_staff", report) or can(actor, "feedback.dispatch", report)):
            raise NotFound(_("Không tìm thấy phản ánh."))
        provided = {"reason": reason, "note": note or (target if action == "merge" else ""), "agency": agency}
        t = REPORTS.check(action, state=report.status, provided=provided, actor=actor, obj=report)
        now = timezone.now()
        previous, before = report.agency, report.status
        fields = REPORTS.apply(report, action, now=now)
        public, label, to_agency, text = False, t.label, None, ""
        if action == "accept":
            public = True
            label = _("Tiếp nhận xử lý")
            text = _("Phản ánh %(code)s đã được tiếp nhận xử lý.") % {"code": report.code}
        elif action == "reject":
            if reason not in RejectReason.values:
                raise ServiceError(_("Vui lòng chọn lý do không tiếp nhận."), field="reason")
            report.reject_reason = reason
            fields.append("reject_reason")
            public = True
            label = _("Không tiếp nhận: %(why)s") % {"why": RejectReason(reason).label}
            text = _("Phản ánh %(code)s không được tiếp nhận: %(why)s.") % {
                "code": report.code,
                "why": RejectReason(reason).label,
            }
            note = note or str(RejectReason(reason).label)
        elif action in ("dispatch", "transfer"):
            to_agency = _agency(agency)
            if to_agency.pk == report.agency_id:
                raise ServiceError(_("Phản ánh đang ở chính cơ quan này."), field="agency")
            report.agency = to_agency
            fields.append("agency")
            if action == "transfer":
                report.clock_start = now
                report.due_at = due_for(report, now)
                report.escalated = ""
                fields += ["clock_start", "due_at", "escalated"]
                note = reason
            public = True
            label = _("Chuyển %(agency)s xử lý") % {"agency": to_agency.name}
            text = _("Phản ánh %(code)s được chuyển %(agency)s xử lý.") % {
                "code": report.code,
                "agency": to_agency.name,
            }
        elif action == "ask_help":
            to_agency = _agency(agency)
            HelpRequest.objects.create(report=report, agency=to_agency, note=note, asked_at=now)
            label = _("Đề nghị %(agency)s phối hợp") % {"agency": to_agency.name}
        elif action == "ask_info":
            public = True
            text = _("Phản ánh %(code)s: cơ quan xử lý đề nghị Ông/Bà bổ sung thông tin: %(note)s") % {
                "code": report.code,
                "note": note,
            }
        elif action == "draft":
            report.answer = note
            report.answer_agency = report.agency
            fields += ["answer", "answer_agency"]
        elif action == "approve":
            public = True
            label = _("Công bố trả lời")
            note = report.answer
            text = _("Phản ánh %(code)s đã có trả lời: %(answer)s") % {
                "code": report.code,
                "answer": report.answer,
            }
            _answer_duplicates(report, now)
        elif action == "return_draft":
            note = reason
        elif action == "merge":
            kept = Report.objects.filter(code=target or note).first()
            if kept is None or kept.pk == report.pk or kept.status in (Status.MERGED, Status.REJECTED):
                raise ServiceError(_("Không tìm thấy phản ánh được giữ lại để gộp."), field="note")
            report.merged_into = kept
            fields.append("merged_into")
            for f in Follow.objects.filter(report=report).select_related("user"):
                Follow.objects.get_or_create(report=kept, user=f.user)
            if report.reporter_id:
                Follow.objects.get_or_create(report=kept, user=report.reporter)
            public = True
            label = _("Gộp vào phản ánh %(code)s") % {"code": kept.code}
            note = ""
            text = _(
                "Phản ánh %(code)s trùng nội dung và được gộp vào phản ánh %(kept)s; Ông/Bà sẽ nhận trả lời của phản ánh đó."
            ) % {"code": report.code, "kept": kept.code}
            if kept.status in (Status.ANSWERED, Status.CLOSED):
                report.answer, report.answer_agency = kept.answer, kept.answer_agency
                fields += ["answer", "answer_agency"]
        elif action == "close":
            label = _("Kết thúc xử lý")
            public = True
        report.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
        _event(
            report,
            action,
            label,
            actor=actor,
            note=note,
            public=public,
            to_agency=to_agency,
            now=now,
            from_status=before,
            # a forward is the sending agency's entry
            agency=previous if action in ("dispatch", "transfer") else None,
        )
        if text:
            notify_reporter(report, action, text)
        audit.record(
            f"feedback.{action}",
            obj=report,
            actor=actor,
            data={"reason": reason, "agency": agency, "from": previous.code},
        )
        return report


def _answer_duplicates(report: Report, now) -> None:
    """Reports merged into this one get its answer (and their reporters a notice)."""
    for dup in report.duplicates.all():
        dup.answer, dup.answer_agency, dup.answered_at = report.answer, report.agency, now
        dup.save(update_fields=["answer", "answer_agency", "answered_at", "updated_at"])
        _event(
            dup,
            "merged_answer",
            _("Trả lời theo phản ánh %(code)s") % {"code": report.code},
            note=report.answer,
            public=True,
            now=now,
        )


def add_info(code: str, *, actor, text: str) -> Report:
    """The reporter adds information to an open report (after the agency asked, or of their own accord);
    the handling agency's staff see it in the timeline, the public only that it was added."""
    text = validation.check_text(text, "text", _("Thông tin bổ sung"), 5, validation.DESCRIPTION_MAX)
    with transaction.atomic():
        report = _locked(code)
        if not can(actor, "feedback.rate", report):
            if _publicly_visible(report) or can(actor, "feedback.view_staff", report):
                raise Forbidden(_("Chỉ người gửi phản ánh mới được bổ sung thông tin."), code="not_reporter")
            raise NotFound(_("Không tìm thấy phản ánh."))
        if not report.is_open:
            raise Conflict(_("Phản ánh đã được trả lời hoặc kết thúc; không bổ sung thông tin được nữa."))
        _event(report, "add_info", _("Người phản ánh bổ sung thông tin"), actor=actor, note=text, public=True)
        audit.record("feedback.add_info", obj=report, actor=actor, data={"length": len(text)})
        return report


def rate(code: str, *, actor, rating: str, comment: str = "") -> Report:
    """The reporter rates the published answer: satisfied closes it; unsatisfied within 7 days reopens it
    once (the leader of the handling agency is alerted); unsatisfied later closes it as rated."""
    if rating not in Rating.values:
        raise ServiceError(_("Vui lòng chọn hài lòng hoặc không hài lòng."), field="rating")
    comment = validation.check_text(comment, "comment", _("Góp ý"), 0, 1000) if comment else ""
    with transaction.atomic():
        report = _locked(code)
        if not can(actor, "feedback.rate", report):
            if _publicly_visible(report) or can(actor, "feedback.view_staff", report):
                raise Forbidden(
                    _("Chỉ người gửi phản ánh mới được đánh giá kết quả xử lý."), code="not_reporter"
                )
            raise NotFound(_("Không tìm thấy phản ánh."))
        now = timezone.now()
        reopen = rating == Rating.UNSATISFIED and can(actor, "feedback.reopen", report)
        name = "reopen" if reopen else "rate"
        REPORTS.check(name, state=report.status, actor=actor, obj=report)
        before = report.status
        fields = REPORTS.apply(report, name, now=now)
        report.rating, report.rated_at = rating, now
        fields += ["rating", "rated_at"]
        if reopen:
            report.reopened = True
            report.clock_start = now
            report.due_at = due_for(report, now)
            report.escalated = ""
            fields += ["reopened", "clock_start", "due_at", "escalated"]
            label = _("Người phản ánh không hài lòng; mở lại để xử lý lần nữa")
            for leader in leaders_of(report.agency):
                _notice(
                    report,
                    "reopened",
                    _("Phản ánh %(code)s bị đánh giá không hài lòng và được mở lại; hạn trả lời mới %(due)s.")
                    % {
                        "code": report.code,
                        "due": timezone.localtime(report.due_at).strftime("%d/%m/%Y %H:%M"),
                    },
                    user=leader,
                    staff=True,
                )
        else:
            label = _("Người phản ánh đánh giá: %(r)s") % {"r": Rating(rating).label}
        report.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
        _event(report, name, label, actor=actor, note=comment, public=True, now=now, from_status=before)
        audit.record(f"feedback.{name}", obj=report, actor=actor, data={"rating": rating})
        return report


# --- escalation ------------------------------------------------------------------------------------


def escalate(now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """Alert the leaders of the level above the handling agency about reports due soon or overdue, once
    per level of urgency (``congso feedback escalate``, run by the scheduler). Returns (code, level)."""
    now = now or timezone.now()
    done = []
    for pk in (
        Report.objects.filter(status__in=OPEN_STATUSES, due_at__isnull=False)
        .exclude(escalated="overdue")
        .values_list("pk", flat=True)
    ):
        with transaction.atomic():
            report = (
                Report.objects.select_for_update(of=("self",)).select_related("agency", "unit").get(pk=pk)
            )
            status = engine.status_at(report.due_at, now, unit=report.unit)
            level = {
                engine.DeadlineStatus.DUE_SOON: "due_soon",
                engine.DeadlineStatus.OVERDUE: "overdue",
            }.get(status)
            if level is None or level == report.escalated:
                continue
            above = report.agency.parent or report.agency
            text = (
                _("Phản ánh %(code)s (%(agency)s) đã quá hạn trả lời (hạn %(due)s).")
                if level == "overdue"
                else _("Phản ánh %(code)s (%(agency)s) sắp đến hạn trả lời (hạn %(due)s).")
            )
            text = text % {
                "code": report.code,
                "agency": report.agency.name,
                "due": timezone.localtime(report.due_at).strftime("%d/%m/%Y %H:%M"),
            }
            for leader in leaders_of(above):
                _notice(report, level, text, user=leader, staff=True)
            report.escalated = level
            report.save(update_fields=["escalated"])
            Event.objects.create(
                report=report, at=now, action="escalate", label=text, agency=report.agency, to_agency=above
            )
            audit.record("feedback.escalate", obj=report, data={"level": level, "to": above.code})
            done.append((report.code, level))
    return done


# --- administration --------------------------------------------------------------------------------


def save_category(
    *,
    actor,
    code: str,
    name: str,
    parent: str = "",
    answer_days: int = 15,
    description: str = "",
    keywords: str = "",
    is_active: bool = True,
) -> Category:
    require(actor, "feedback.manage")
    code = (code or "").strip().lower()
    if not code or not code.replace("-", "").replace("_", "").isalnum() or len(code) > 40:
        raise ServiceError(_("Mã lĩnh vực chỉ gồm chữ không dấu, chữ số và dấu gạch ngang."), field="code")
    name = validation.check_text(name, "name", _("Tên lĩnh vực"), 2, 150)
    try:
        answer_days = int(answer_days)
    except (TypeError, ValueError):
        answer_days = -1
    if not 1 <= answer_days <= 60:
        raise ServiceError(_("Thời hạn trả lời từ 1 đến 60 ngày làm việc."), field="answer_days")
    with transaction.atomic():
        cat = Category.objects.select_for_update().filter(code=code).first() or Category(code=code)
        parent_cat = None
        if parent:
            parent_cat = Category.objects.filter(code=parent).first()
            node = parent_cat
            while node is not None:
                if node.pk == cat.pk:
                    raise ServiceError(_("Lĩnh vực không thể là lĩnh vực cha của chính nó."), field="parent")
                node = node.parent
            if parent_cat is None:
                raise ServiceError(_("Không tìm thấy lĩnh vực cha."), field="parent")
        cat.name, cat.parent, cat.answer_days = name, parent_cat, answer_days
        cat.description, cat.keywords, cat.is_active = (
            description.strip()[:1000],
            keywords.strip()[:300],
            is_active,
        )
        cat.save()
        audit.record(
            "feedback.save_category", obj=cat, actor=actor, data={"code": code, "answer_days": answer_days}
        )
        return cat


def save_rule(*, actor, category: str, agency: str, unit: str = "", province: str = "") -> RoutingRule:
    require(actor, "feedback.manage")
    cat = Category.objects.filter(code=category).first()
    if cat is None:
        raise NotFound(_("Lĩnh vực phản ánh không tồn tại hoặc đã ngừng sử dụng."))
    target = _agency(agency)
    with transaction.atomic():
        if unit:
            commune = validation.commune(unit)
            prov = commune.parent
        else:
            commune = None
            prov = target.unit if target.unit.level == 1 else target.unit.parent
        rule, _created = RoutingRule.objects.update_or_create(
            category=cat, province=prov, unit=commune, defaults={"agency": target}
        )
        audit.record(
            "feedback.save_rule",
            obj=rule,
            actor=actor,
            data={"category": cat.code, "unit": unit, "agency": target.code},
        )
        return rule


def issue_api_key(*, actor, name: str) -> tuple[ApiKey, str]:
    """A new Open311 ``api_key`` for an application; the key itself is shown once."""
    require(actor, "feedback.manage")
    name = validation.check_text(name, "name", _("Tên ứng dụng"), 2, 150)
    raw = secrets.token_urlsafe(24)
    with transaction.atomic():
        key = ApiKey.objects.create(
            name=name, digest=hashlib.sha256(raw.encode()).hexdigest(), prefix=raw[:8], created_by=actor
        )
        audit.record("feedback.issue_api_key", obj=key, actor=actor, data={"name": name})
    return key, raw


def api_key(raw: str) -> ApiKey | None:
    if not raw:
        return None
    return ApiKey.objects.filter(digest=hashlib.sha256(raw.encode()).hexdigest(), is_active=True).first()


def send_pending_notices() -> int:
    """E-mail the notices waiting for a reporter without an account (an e-mail address only); those to
    accounts went through the platform's notifications when they were written."""
    sent = 0
    for notice in Notice.objects.filter(sent_at__isnull=True).select_related("user")[:500]:
        address = notice.email or getattr(notice.user, "email", "")
        if address:
            send_mail(_("Phản ánh, kiến nghị"), notice.text, settings.DEFAULT_FROM_EMAIL, [address])
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
        sent += 1
    return sent
