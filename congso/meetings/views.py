"""Pages of meetings: my meetings, scheduling, a meeting's page (invitation, agenda and papers, the live
panel, minutes, conclusions), the live fragment the page polls, the room's QR check-in, papers. Thin:
every decision is in ``services``/``selectors``."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congso.core.errors import ServiceError
from congso.core.permissions import can
from congso.directory.scope import agencies_for

from . import selectors, services
from .models import AgendaItem, Invitee, Meeting, MeetingType, Paper, Room, SpeakRequest
from .permissions import SCHEDULE_ROLES, seat_of


def _meeting(request, pk) -> Meeting:
    meeting = (
        Meeting.objects.select_related("agency", "meeting_type", "chair", "secretary", "room")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not can(request.user, "meetings.view", meeting):
        raise Http404
    return meeting


def _officials():
    User = get_user_model()
    return User.objects.filter(is_active=True, kind=User.Kind.OFFICIAL).order_by("full_name", "username")[
        :500
    ]


def _user(pk):
    User = get_user_model()
    return User.objects.filter(pk=pk).first() if str(pk or "").isdigit() else None


@login_required
def index(request):
    return render(
        request,
        "meetings/index.html",
        {
            "upcoming": selectors.my_meetings(request.user, upcoming=True).select_related(
                "room", "meeting_type"
            )[:100],
            "past": selectors.my_meetings(request.user, upcoming=False).select_related(
                "room", "meeting_type"
            )[:50],
            "may_schedule": agencies_for(request.user, SCHEDULE_ROLES).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    agencies = list(agencies_for(request.user, SCHEDULE_ROLES).order_by("name"))
    if not agencies:
        raise PermissionDenied(_("Bạn không tổ chức cuộc họp cho cơ quan nào."))
    values = request.POST if request.method == "POST" else {}
    agency = next(
        (a for a in agencies if str(a.pk) == (request.POST.get("agency") or request.GET.get("agency"))),
        agencies[0],
    )
    error = None
    if request.method == "POST":
        try:
            meeting = services.schedule(
                actor=request.user,
                agency=agency,
                meeting_type=request.POST.get("meeting_type") or None,
                title=request.POST.get("title", ""),
                chair=_user(request.POST.get("chair")),
                secretary=_user(request.POST.get("secretary")),
                room=request.POST.get("room") or None,
                video=request.POST.get("video") == "1",
                start=request.POST.get("start", ""),
                end=request.POST.get("end", ""),
            )
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, _("Đã lên lịch cuộc họp. Mời thêm thành viên và chương trình họp."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/new.html",
        {
            "agencies": agencies,
            "agency": agency,
            "types": MeetingType.objects.filter(is_active=True),
            "rooms": Room.objects.filter(agency=agency, is_active=True),
            "officials": _officials(),
            "staff": get_user_model()
            .objects.filter(is_active=True, memberships__agency__path__startswith=agency.path)
            .distinct()
            .order_by("full_name", "username"),
            "values": values,
            "error": error,
            "jitsi": bool(settings.CONGSO_JITSI_URL),
        },
    )


def _live_context(request, meeting) -> dict:
    seat = seat_of(request.user, meeting)
    return {
        "m": meeting,
        "attendance": selectors.attendance(meeting),
        "queue": selectors.queue(meeting),
        "seat": seat,
        "is_chair": can(request.user, "meetings.chair", meeting),
        "room_open": services.room_open(meeting),
        "room_opens_at": meeting.start - services.CHECK_IN_WINDOW,
        "mine_waiting": SpeakRequest.objects.filter(
            meeting=meeting, user=request.user, state__in=["waiting", "speaking"]
        ).first(),
        "poll": settings.CONGSO_MEETINGS_POLL_SECONDS,
        "votes": services.votes_for(meeting, request.user),
    }


@login_required
def detail(request, pk):
    meeting = _meeting(request, pk)
    user = request.user
    organise = can(user, "meetings.organise", meeting)
    items = list(meeting.items.prefetch_related("papers"))
    for it in items:
        it.may_see = can(user, "meetings.view_papers", it) and (
            meeting.papers_published_at is not None or organise
        )
        it.paper_list = list(it.papers.all()) if it.may_see else []
    own = Invitee.objects.filter(meeting=meeting, user=user).select_related("delegate").first()
    ctx = {
        "m": meeting,
        "items": items,
        "invitees": meeting.invitees.select_related("user", "delegate", "checked_in_by"),
        "own": own,
        "organise": organise,
        "minutes": can(user, "meetings.minutes", meeting),
        "conclusions": meeting.conclusions.select_related("owner", "item", "task"),
        "conclusions_without_task": meeting.conclusions.filter(task__isnull=True).exists(),
        "officials": _officials() if (organise or own) else [],
        "warnings": services.conflicts(meeting) if organise and meeting.status == "scheduled" else [],
        "items_for_vote": items if meeting.status == "in_progress" else [],
        "check_in_url": request.build_absolute_uri(
            reverse("meetings:check_in", args=[meeting.pk, services.check_in_token(meeting)])
        )
        if organise
        else "",
        **_live_context(request, meeting),
    }
    return render(request, "meetings/detail.html", ctx)


@login_required
def live(request, pk):
    """The live panel (attendance against the quorum, the speaking queue, votes), polled by htmx."""
    meeting = _meeting(request, pk)
    return render(request, "meetings/_live.html", _live_context(request, meeting))


@login_required
def qr(request, pk):
    meeting = _meeting(request, pk)
    if not can(request.user, "meetings.organise", meeting):
        raise Http404
    url = request.build_absolute_uri(
        reverse("meetings:check_in", args=[meeting.pk, services.check_in_token(meeting)])
    )
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2, title=_("Mã QR điểm danh"))
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request, pk, token):
    """The room's QR code opens this page on the member's phone or tablet: one button checks in."""
    try:
        if services.meeting_for_token(token) != pk:
            raise Http404
    except ServiceError:
        raise Http404 from None
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404
    if request.method == "POST":
        try:
            services.check_in(meeting, user=request.user, token=token)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã điểm danh."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/check_in.html", {"m": meeting, "seat": seat_of(request.user, meeting)})


@login_required
def paper(request, pk):
    p = Paper.objects.select_related("item__meeting", "document").filter(pk=pk).first()
    if p is None or not services.papers_visible(request.user, p):
        raise Http404
    if request.GET.get("tai") == "1":
        f = p.file if p.file else (p.document.file if p.document else None)
        if not f:
            raise Http404
        return FileResponse(f.open("rb"), as_attachment=True, filename=f"tai-lieu-hop-{p.pk}.pdf")
    return render(
        request,
        "meetings/paper.html",
        {"p": p, "m": p.item.meeting, "notes": selectors.annotations(request.user, p)},
    )


def _int(value) -> int:
    return int(value) if str(value or "").isdigit() else 0


def _item(meeting, pk):
    item = AgendaItem.objects.filter(meeting=meeting, pk=pk).first() if str(pk or "").isdigit() else None
    if item is None:
        raise ServiceError(_("Không tìm thấy nội dung."), field="item")
    return item


@login_required
@require_POST
def act(request, pk):
    meeting = _meeting(request, pk)
    p = request.POST
    user = request.user
    action = p.get("action", "")
    target = redirect("meetings:detail", pk=meeting.pk)
    try:
        if action == "respond":
            services.respond(
                meeting,
                user=user,
                answer=p.get("answer", ""),
                reason=p.get("reason", ""),
                delegate=_user(p.get("delegate")),
            )
        elif action == "revoke":
            services.revoke_delegation(meeting, user=user)
        elif action == "invite":
            services.invite(
                meeting,
                actor=user,
                users=[u for u in (_user(x) for x in p.getlist("users")) if u],
                role=p.get("role", "member"),
            )
        elif action == "add_item":
            services.add_item(
                meeting,
                actor=user,
                title=p.get("title", ""),
                reporting_agency=p.get("reporting_agency", ""),
                minutes_allotted=p.get("minutes_allotted") or 15,
                closed=p.get("closed") == "1",
            )
        elif action == "move_item":
            services.move_item(_item(meeting, p.get("item")), actor=user, up=p.get("dir") == "up")
        elif action == "attach_paper":
            services.attach_paper(
                _item(meeting, p.get("item")),
                actor=user,
                title=p.get("title", ""),
                document=p.get("document") or None,
                upload=request.FILES.get("file"),
            )
        elif action == "publish":
            services.publish_papers(meeting, actor=user)
        elif action == "start":
            services.start_meeting(meeting, actor=user)
        elif action == "end":
            services.end_meeting(meeting, actor=user)
        elif action == "cancel":
            services.cancel(meeting, actor=user, reason=p.get("reason", ""))
        elif action == "check_in":
            services.check_in(meeting, user=user)
        elif action == "request_floor":
            services.request_floor(meeting, user=user, item=p.get("item") or None)
        elif action == "floor":
            req = SpeakRequest.objects.filter(
                meeting=meeting, pk=p.get("request") if str(p.get("request") or "").isdigit() else None
            ).first()
            if req is None:
                raise ServiceError(_("Không tìm thấy lượt đăng ký phát biểu."))
            services.manage_floor(req, actor=user, action=p.get("op", ""))
        elif action == "minutes":
            services.record_minutes(_item(meeting, p.get("item")), actor=user, text=p.get("text", ""))
        elif action == "conclusion":
            services.add_conclusion(
                meeting,
                actor=user,
                text=p.get("text", ""),
                owner=_user(p.get("owner")),
                deadline=p.get("deadline", ""),
                item=p.get("item") or None,
            )
        elif action == "open_vote":
            services.open_vote(
                _item(meeting, p.get("item")),
                actor=user,
                title=p.get("title", ""),
                secret=p.get("secret") == "1",
            )
        elif action == "vote":
            services.cast_vote(
                meeting, ballot_id=_int(p.get("ballot")), user=user, choice=p.get("choice", "")
            )
        elif action == "close_vote":
            services.close_vote(meeting, ballot_id=_int(p.get("ballot")), actor=user)
        elif action == "draft_notice":
            services.draft_conclusion_notice(meeting, actor=user)
        elif action == "create_tasks":
            services.create_tasks(meeting, actor=user)
        else:
            raise ServiceError(_("Thao tác không hợp lệ."))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    except (TypeError, ValueError):
        messages.error(request, _("Dữ liệu gửi lên không hợp lệ."))
    else:
        messages.success(request, _("Đã cập nhật cuộc họp."))
    return target


@login_required
@require_POST
def annotate(request, pk):
    p = Paper.objects.select_related("item__meeting").filter(pk=pk).first()
    if p is None:
        raise Http404
    try:
        services.annotate(p, user=request.user, text=request.POST.get("text", ""))
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã lưu ghi chú riêng."))
    return redirect("meetings:paper", pk=p.pk)
