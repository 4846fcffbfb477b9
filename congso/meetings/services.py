"""Use cases of meetings (ADR 0164). Each runs in one transaction, locks what it changes, checks
permission with ``core.permissions``, writes its audit entry, and raises a ``ServiceError`` with a
Vietnamese message when it refuses (nothing written).

Seams with the apps below: the conclusion notice is an outgoing document of ``documents``
(``create_draft``; its review, signature, number and seal are the documents app's), each conclusion a
``documents.services.create_task``; invitations and reminders go through ``notify_person``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.compiled import CompiledQuery, key
from congso.core.errors import Conflict, NotFound, ServiceError
from congso.core.locking import lock
from congso.core.permissions import can, require
from congso.core.uploads import PDF, inspect_upload
from congso.documents import services as documents_services
from congso.documents.models import Document
from congso.documents.permissions import member_of
from congso.notifications.services import notify_person
from congso.voting import selectors as voting_selectors
from congso.voting import services as voting_services
from congso.voting.models import Ballot
from congso.workcalendars import selectors as calendar_selectors

from . import notice, validation
from .models import (
    AgendaItem,
    Annotation,
    Conclusion,
    Invitee,
    ItemVote,
    Meeting,
    MeetingType,
    Paper,
    Room,
    SpeakRequest,
    room_name,
)
from .permissions import seat_of

M = Meeting.Status
A = Invitee.Answer
CHECK_IN_SALT = "congso.meetings.check-in"
# Check-in and the opening of the session are possible from this long before the meeting's start.
CHECK_IN_WINDOW = dt.timedelta(hours=2)


@dataclasses.dataclass(frozen=True)
class Warning:
    """A conflict flagged when scheduling: the room or a person is busy then."""

    kind: str  # "room" | "person"
    message: str
    user_id: int | None = None


def _now():
    return timezone.now()


def _pk(obj_or_pk):
    return getattr(obj_or_pk, "pk", obj_or_pk)


def _locked(model, pk, message):
    if not lock(model, pk=_pk(pk)):
        raise NotFound(message)
    return model.objects.get(pk=_pk(pk))


def _meeting(pk, *, for_update=True) -> Meeting:
    if for_update:
        return _locked(Meeting, pk, _("Không tìm thấy cuộc họp."))
    m = Meeting.objects.filter(pk=_pk(pk)).first()
    if m is None:
        raise NotFound(_("Không tìm thấy cuộc họp."))
    return m


def _user(value, field):
    User = get_user_model()
    user = value if isinstance(value, User) else User.objects.filter(pk=value, is_active=True).first()
    if user is None or not user.is_active:
        raise ServiceError(_("Không tìm thấy người dùng."), field=field)
    return user


def _not_over(meeting):
    if meeting.status in (M.ENDED, M.CANCELLED):
        raise Conflict(_("Cuộc họp đã kết thúc hoặc đã hủy."))


def notify(user, *, event: str, subject: str, body: str, url: str = "") -> None:
    """A notice to one person, in the caller's transaction (in-app, email; ``notify_person``)."""
    notify_person(user, event=event, subject=subject, body=body, url=url)


# --- scheduling -----------------------------------------------------------------------------------


def _overlapping(start, end, *, exclude=None):
    qs = Meeting.objects.filter(start__lt=end, end__gt=start).exclude(status=M.CANCELLED)
    return qs.exclude(pk=exclude) if exclude else qs


def people_busy(user_ids, start, end, *, exclude=None) -> dict[int, list[str]]:
    """For each user, what else they attend then: other meetings (as invitee, delegate, chair or
    secretary) and the work calendars' entries (``workcalendars.selectors.busy``)."""
    user_ids = set(user_ids)
    busy: dict[int, list[str]] = {}
    for m in (
        _overlapping(start, end, exclude=exclude)
        .filter(
            Q(chair_id__in=user_ids)
            | Q(secretary_id__in=user_ids)
            | Q(invitees__user_id__in=user_ids)
            | Q(invitees__delegate_id__in=user_ids)
        )
        .distinct()
    ):
        people = {m.chair_id, m.secretary_id}
        for inv in m.invitees.all():
            people.add(inv.acting_user_id)
            if inv.answer != A.DELEGATED:
                people.add(inv.user_id)
        for uid in people & user_ids:
            busy.setdefault(uid, []).append(m.title)
    for uid, titles in calendar_busy(user_ids, start, end, exclude=exclude).items():
        busy.setdefault(uid, []).extend(titles)
    return busy


def calendar_busy(user_ids, start, end, *, exclude=None) -> dict[int, list[str]]:
    """The work calendars' entries then (``workcalendars.selectors.busy``), meetings' own left out:
    they are counted above, from the meetings themselves."""
    out: dict[int, list[str]] = {}
    for entry in calendar_selectors.busy(user_ids, start, end):
        if entry.source == "meetings" or entry.user_id is None:
            continue
        out.setdefault(entry.user_id, []).append(entry.title)
    return out


def conflicts(meeting: Meeting) -> list[Warning]:
    """The conflicts to flag for a scheduled meeting: its room, and each person's calendar."""
    out = []
    people = {meeting.chair_id, meeting.secretary_id}
    people |= {inv.acting_user_id for inv in meeting.invitees.all()}
    names = dict(get_user_model().objects.filter(pk__in=people).values_list("pk", "full_name"))
    for uid, titles in sorted(people_busy(people, meeting.start, meeting.end, exclude=meeting.pk).items()):
        out.append(
            Warning(
                "person",
                _("%(name)s bận cùng thời gian: %(what)s.")
                % {"name": names.get(uid) or uid, "what": "; ".join(titles)},
                uid,
            )
        )
    return out


def _check_room(room, start, end, exclude=None):
    if room is not None and _overlapping(start, end, exclude=exclude).filter(room=room).exists():
        raise Conflict(
            _("Phòng %(room)s đã có cuộc họp khác trong thời gian này: chọn phòng hoặc thời gian khác.")
            % {"room": room.name},
            code="room_busy",
        )


def schedule(
    *,
    actor,
    agency,
    meeting_type,
    title,
    chair,
    secretary,
    start,
    end,
    room=None,
    video: bool = False,
) -> Meeting:
    """Schedule a meeting. Refuses a past start, an end not after the start, and a room already taken
    then; people's conflicts are flagged afterwards (``conflicts``)."""
    data = validation.clean_schedule(title=title, start=start, end=end)
    mtype = MeetingType.objects.filter(pk=_pk(meeting_type), is_active=True).first()
    if mtype is None:
        raise ServiceError(_("Chọn loại cuộc họp."), field="meeting_type")
    chair_user = _user(chair, "chair")
    secretary_user = _user(secretary, "secretary")
    room_obj = None
    if room not in (None, ""):
        room_obj = Room.objects.filter(pk=_pk(room), agency=agency, is_active=True).first()
        if room_obj is None:
            raise ServiceError(_("Chọn phòng họp của cơ quan."), field="room")
    if room_obj is None and not video:
        raise ServiceError(_("Chọn phòng họp hoặc họp trực tuyến."), field="room")
    with transaction.atomic():
        require(actor, "meetings.schedule", agency, _("Bạn không tổ chức cuộc họp cho cơ quan này."))
        for user, field in ((chair_user, "chair"), (secretary_user, "secretary")):
            if not member_of(user, agency):
                raise ServiceError(_("Chủ trì và thư ký phải là cán bộ của cơ quan."), field=field)
        if room_obj is not None:
            lock(Room, pk=room_obj.pk)  # two schedulers of one room wait for each other
        _check_room(room_obj, data["start"], data["end"])
        meeting = Meeting.objects.create(
            agency=agency,
            meeting_type=mtype,
            title=data["title"],
            chair=chair_user,
            secretary=secretary_user,
            room=room_obj,
            video_room=room_name() if video else "",
            start=data["start"],
            end=data["end"],
            created_by=actor,
        )
        audit.record(
            "meetings.schedule",
            obj=meeting,
            actor=actor,
            data={
                "start": data["start"].isoformat(),
                "room": room_obj.pk if room_obj else None,
                "video": video,
            },
        )
        return meeting


def reschedule(meeting_id, *, actor, start, end) -> Meeting:
    with transaction.atomic():
        meeting = _meeting(meeting_id)
        require(actor, "meetings.organise", meeting)
        if meeting.status != M.SCHEDULED:
            raise Conflict(_("Chỉ đổi thời gian cuộc họp chưa bắt đầu."))
        data = validation.clean_schedule(title=meeting.title, start=start, end=end)
        if meeting.room_id:
            lock(Room, pk=meeting.room_id)
        _check_room(meeting.room, data["start"], data["end"], exclude=meeting.pk)
        meeting.start, meeting.end = data["start"], data["end"]
        meeting.save(update_fields=["start", "end"])
        audit.record(
            "meetings.reschedule", obj=meeting, actor=actor, data={"start": meeting.start.isoformat()}
        )
        for inv in meeting.invitees.exclude(answer=A.DECLINED):
            notify(
                _user(inv.acting_user_id, "user"),
                event="meetings.rescheduled",
                subject=_("Cuộc họp đổi thời gian: %(t)s") % {"t": meeting.title},
                body=_("Thời gian mới: %(s)s.")
                % {"s": timezone.localtime(meeting.start).strftime("%H:%M %d/%m/%Y")},
                url=reverse("meetings:detail", args=[meeting.pk]),
            )
        return meeting


def cancel(meeting_id, *, actor, reason: str) -> Meeting:
    reason = validation.clean_text(reason, "reason", _("Nhập lý do hủy cuộc họp."), 500)
    with transaction.atomic():
        meeting = _meeting(meeting_id)
        require(actor, "meetings.organise", meeting)
        if meeting.status != M.SCHEDULED:
            raise Conflict(_("Chỉ hủy cuộc họp chưa bắt đầu."))
        meeting.status = M.CANCELLED
        meeting.save(update_fields=["status"])
        audit.record("meetings.cancel", obj=meeting, actor=actor, data={"reason": reason})
        return meeting


# --- invitees ---------------------------------------------------------------------------------------


def invite(meeting_id, *, actor, users, role=Invitee.Role.MEMBER) -> list[Invitee]:
    """Invite people in a role; each gets a notice. Someone already invited is left as they are."""
    if role not in Invitee.Role.values:
        raise ServiceError(_("Vai trò người được mời không hợp lệ."), field="role")
    people = [_user(u, "users") for u in users]
    if not people:
        raise ServiceError(_("Chọn người được mời."), field="users")
    with transaction.atomic():
        meeting = _meeting(meeting_id)
        require(actor, "meetings.organise", meeting)
        _not_over(meeting)
        out = []
        for user in people:
            inv, created = Invitee.objects.get_or_create(meeting=meeting, user=user, defaults={"role": role})
            if not created:
                continue
            out.append(inv)
            notify(
                user,
                event="meetings.invited",
                subject=_("Giấy mời họp: %(t)s") % {"t": meeting.title},
                body=_("%(t)s, lúc %(s)s. Vui lòng xác nhận dự họp, báo vắng hoặc cử người dự thay.")
                % {"t": meeting.title, "s": timezone.localtime(meeting.start).strftime("%H:%M %d/%m/%Y")},
                url=reverse("meetings:detail", args=[meeting.pk]),
            )
        audit.record(
            "meetings.invite",
            obj=meeting,
            actor=actor,
            data={"users": [i.user_id for i in out], "role": role},
        )
        return out


def _own_invitation(meeting_id, user) -> tuple[Meeting, Invitee]:
    meeting = _meeting(meeting_id)
    inv = Invitee.objects.filter(meeting=meeting, user_id=user.pk).first()
    if inv is None:
        raise PermissionDenied(_("Bạn không được mời dự cuộc họp này."))
    lock(Invitee, pk=inv.pk)
    inv.refresh_from_db()
    return meeting, inv


def respond(meeting_id, *, user, answer: str, reason: str = "", delegate=None) -> Invitee:
    """The invitee confirms, declines with a reason, or sends a delegate who then acts in their place."""
    if answer not in (A.CONFIRMED, A.DECLINED, A.DELEGATED):
        raise ServiceError(_("Chọn xác nhận dự họp, báo vắng hoặc cử người dự thay."), field="answer")
    reason = (reason or "").strip()
    if answer == A.DECLINED and not reason:
        raise ServiceError(_("Nhập lý do vắng mặt."), field="reason")
    delegate_user = _user(delegate, "delegate") if answer == A.DELEGATED else None
    with transaction.atomic():
        meeting, inv = _own_invitation(meeting_id, user)
        _not_over(meeting)
        if inv.checked_in_at:
            raise Conflict(_("Đã điểm danh: không đổi trả lời được nữa."))
        if delegate_user is not None:
            if delegate_user.pk == user.pk:
                raise ServiceError(_("Người dự thay phải là người khác."), field="delegate")
            if (
                Invitee.objects.filter(meeting=meeting, user=delegate_user).exists()
                or Invitee.objects.filter(meeting=meeting, delegate=delegate_user, answer=A.DELEGATED)
                .exclude(pk=inv.pk)
                .exists()
            ):
                raise ServiceError(_("Người này đã dự họp với tư cách khác."), field="delegate")
            if not member_of(delegate_user, meeting.agency) and not _same_agency(user, delegate_user):
                raise ServiceError(_("Người dự thay phải là cán bộ cùng cơ quan."), field="delegate")
        inv.answer = answer
        inv.decline_reason = reason[:500] if answer == A.DECLINED else ""
        inv.delegate = delegate_user
        inv.answered_at = _now()
        inv.save(update_fields=["answer", "decline_reason", "delegate", "answered_at"])
        audit.record(
            "meetings.respond",
            obj=meeting,
            actor=user,
            data={"answer": answer, "delegate": delegate_user.pk if delegate_user else None},
        )
        if delegate_user is not None:
            notify(
                delegate_user,
                event="meetings.delegated",
                subject=_("Được cử dự họp thay: %(t)s") % {"t": meeting.title},
                body=_("%(name)s cử bạn dự họp thay.") % {"name": user.full_name or user.username},
                url=reverse("meetings:detail", args=[meeting.pk]),
            )
        return inv


def _same_agency(a, b) -> bool:
    agencies = set(a.memberships.values_list("agency_id", flat=True))
    return b.memberships.filter(agency_id__in=agencies).exists()


def revoke_delegation(meeting_id, *, user) -> Invitee:
    """The invitee takes their seat back: the delegate is stopped at once (the next check-in or vote
    reads the invitation under its lock)."""
    with transaction.atomic():
        meeting, inv = _own_invitation(meeting_id, user)
        if inv.answer != A.DELEGATED:
            raise Conflict(_("Bạn chưa cử người dự thay."))
        former = inv.delegate_id
        inv.answer = A.CONFIRMED
        inv.delegate = None
        inv.answered_at = _now()
        if inv.checked_in_by_id == former:
            inv.checked_in_at = None
            inv.checked_in_by = None
            inv.check_in_method = ""
        inv.save(
            update_fields=[
                "answer",
                "delegate",
                "answered_at",
                "checked_in_at",
                "checked_in_by",
                "check_in_method",
            ]
        )
        audit.record("meetings.revoke_delegation", obj=meeting, actor=user, data={"delegate": former})
        return inv


# --- agenda and papers ------------------------------------------------------------------------------


def add_item(
    meeting_id, *, actor, title, reporting_agency="", minutes_allotted=15, closed=False
) -> AgendaItem:
    title = validation.clean_text(title, "title", _("Nhập nội dung chương trình."), 500)
    minutes = validation.clean_minutes_allotted(minutes_allotted)
    with transaction.atomic():
        meeting = _meeting(meeting_id)
        require(actor, "meetings.organise", meeting)
        _not_over(meeting)
        last = meeting.items.aggregate(n=Max("position"))["n"] or 0
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=last + 1,
            title=title,
            reporting_agency=" ".join(str(reporting_agency or "").split())[:255],
            minutes_allotted=minutes,
            closed=bool(closed),
        )
        audit.record(
            "meetings.add_item", obj=meeting, actor=actor, data={"item": item.pk, "closed": item.closed}
        )
        return item


def move_item(item_id, *, actor, up: bool) -> AgendaItem:
    with transaction.atomic():
        item = AgendaItem.objects.filter(pk=_pk(item_id)).first()
        if item is None:
            raise NotFound(_("Không tìm thấy nội dung."))
        meeting = _meeting(item.meeting_id)
        require(actor, "meetings.organise", meeting)
        _not_over(meeting)
        items = list(meeting.items.order_by("position"))
        i = next(n for n, it in enumerate(items) if it.pk == item.pk)
        j = i - 1 if up else i + 1
        if not 0 <= j < len(items):
            return item
        items[i], items[j] = items[j], items[i]
        AgendaItem.objects.filter(meeting=meeting).update(
            position=F("position") + 1000
        )  # out of the unique constraint's way
        for n, it in enumerate(items, start=1):
            AgendaItem.objects.filter(pk=it.pk).update(position=n)
        audit.record("meetings.move_item", obj=meeting, actor=actor, data={"item": item.pk, "up": up})
        item.refresh_from_db()
        return item


def attach_paper(item_id, *, actor, title="", document=None, upload=None) -> Paper:
    """A paper for an agenda item: a document of the documents app the actor may see, or a PDF."""
    if (document in (None, "")) == (upload is None):
        raise ServiceError(_("Chọn một văn bản trong hệ thống hoặc tải lên một tệp PDF."), field="file")
    checked = inspect_upload(upload, allowed=(PDF,)) if upload is not None else None
    with transaction.atomic():
        item = AgendaItem.objects.select_related("meeting").filter(pk=_pk(item_id)).first()
        if item is None:
            raise NotFound(_("Không tìm thấy nội dung."))
        meeting = _meeting(item.meeting_id)
        require(actor, "meetings.organise", meeting)
        _not_over(meeting)
        doc = None
        if checked is None:
            doc = Document.objects.filter(pk=_pk(document)).first()
            if doc is None or not can(actor, "documents.view", doc):
                raise ServiceError(_("Không tìm thấy văn bản bạn được xem."), field="document")
            if doc.is_secret:
                raise ServiceError(_("Không đưa văn bản mật vào tài liệu họp."), field="document")
        title = " ".join(str(title or "").split())[:300] or (
            doc.subject[:300] if doc else checked.original_name[:300]
        )
        if not title:
            raise ServiceError(_("Nhập tên tài liệu."), field="title")
        paper = Paper(item=item, title=title, document=doc, added_by=actor)
        if checked is not None:
            paper.sha256 = checked.sha256
            paper.file.save(
                f"tai-lieu-{item.pk}{checked.extension}", ContentFile(checked.content), save=False
            )
        paper.save()
        audit.record(
            "meetings.attach_paper", obj=meeting, actor=actor, data={"item": item.pk, "paper": paper.pk}
        )
        return paper


def papers_visible(user, paper: Paper) -> bool:
    """The user may read the paper: the item's visibility, and members only once it is published
    (the organisers see papers as they prepare them)."""
    item = paper.item
    if not can(user, "meetings.view_papers", item):
        return False
    # read afresh: a cached meeting may predate the publication
    published = Meeting.objects.filter(pk=item.meeting_id, papers_published_at__isnull=False).exists()
    return published or can(user, "meetings.organise", item.meeting)


def publish_papers(meeting_id, *, actor=None) -> Meeting:
    """Publish the papers to the members (with a notice each). ``actor`` None: the scheduled job."""
    with transaction.atomic():
        meeting = _meeting(meeting_id)
        if actor is not None:
            require(actor, "meetings.organise", meeting)
        _not_over(meeting)
        if meeting.papers_published_at:
            raise Conflict(_("Tài liệu đã được gửi."))
        meeting.papers_published_at = _now()
        meeting.save(update_fields=["papers_published_at"])
        for inv in meeting.invitees.exclude(answer=A.DECLINED):
            notify(
                _user(inv.acting_user_id, "user"),
                event="meetings.papers",
                subject=_("Tài liệu họp: %(t)s") % {"t": meeting.title},
                body=_("Tài liệu cuộc họp lúc %(s)s đã được gửi; mời nghiên cứu trước.")
                % {"s": timezone.localtime(meeting.start).strftime("%H:%M %d/%m/%Y")},
                url=reverse("meetings:detail", args=[meeting.pk]),
            )
        audit.record("meetings.publish_papers", obj=meeting, actor=actor, data={"scheduled": actor is None})
        return meeting


def remind(now=None) -> dict:
    """The scheduled job (``congso meetings remind``): publish the papers of meetings whose day has
    come (N days before, per type), and remind the invitees who have not answered of tomorrow's meetings."""
    now = now or _now()
    published = reminded = 0
    due = Meeting.objects.filter(status=M.SCHEDULED, papers_published_at__isnull=True, start__gt=now)
    for meeting in due.select_related("meeting_type"):
        if meeting.papers_due <= now and meeting.items.filter(papers__isnull=False).exists():
            try:
                publish_papers(meeting.pk)
                published += 1
            except Conflict:
                pass
    soon = Meeting.objects.filter(
        status=M.SCHEDULED, reminded_at__isnull=True, start__gt=now, start__lte=now + dt.timedelta(days=1)
    )
    for pk in soon.values_list("pk", flat=True):
        with transaction.atomic():
            meeting = _meeting(pk)
            if meeting.reminded_at:
                continue
            meeting.reminded_at = now
            meeting.save(update_fields=["reminded_at"])
            for inv in meeting.invitees.exclude(answer=A.DECLINED):
                notify(
                    _user(inv.acting_user_id, "user"),
                    event="meetings.reminder",
                    subject=_("Nhắc lịch họp: %(t)s") % {"t": meeting.title},
                    body=_("Cuộc họp bắt đầu lúc %(s)s.")
                    % {"s": timezone.localtime(meeting.start).strftime("%H:%M %d/%m/%Y")},
                    url=reverse("meetings:detail", args=[meeting.pk]),
                )
            audit.record("meetings.remind", obj=meeting, actor=None)
            reminded += 1
    return {"published": published, "reminded": reminded}


def annotate(paper_id, *, user, text: str) -> Annotation:
    text = validation.clean_text(text, "text", _("Nhập nội dung ghi chú."))
    with transaction.atomic():
        paper = Paper.objects.select_related("item__meeting").filter(pk=_pk(paper_id)).first()
        if paper is None or not papers_visible(user, paper):
            raise NotFound(_("Không tìm thấy tài liệu."))
        note = Annotation.objects.create(paper=paper, author=user, text=text)
        audit.record("meetings.annotate", obj=paper.item.meeting, actor=user, data={"paper": paper.pk})
        return note


# --- during the meeting -----------------------------------------------------------------------------


def start_meeting(meeting_id, *, actor) -> Meeting:
    with transaction.atomic():
        meeting = _meeting(meeting_id)
        require(actor, "meetings.chair", meeting, _("Chỉ người chủ trì khai mạc cuộc họp."))
        if meeting.status != M.SCHEDULED:
            raise Conflict(_("Cuộc họp không ở trạng thái chờ khai mạc."))
        if not room_open(meeting):
            raise Conflict(_("Chưa đến giờ khai mạc (mở trước giờ họp 2 tiếng)."))
        meeting.status = M.IN_PROGRESS
        meeting.started_at = _now()
        meeting.save(update_fields=["status", "started_at"])
        audit.record("meetings.start", obj=meeting, actor=actor)
        return meeting


def end_meeting(meeting_id, *, actor) -> Meeting:
    with transaction.atomic():
        meeting = _meeting(meeting_id)
        require(actor, "meetings.chair", meeting, _("Chỉ người chủ trì bế mạc cuộc họp."))
        if meeting.status != M.IN_PROGRESS:
            raise Conflict(_("Cuộc họp chưa khai mạc."))
        meeting.status = M.ENDED
        meeting.ended_at = _now()
        meeting.save(update_fields=["status", "ended_at"])
        SpeakRequest.objects.filter(meeting=meeting, state__in=["waiting", "speaking"]).update(
            state=SpeakRequest.State.DONE, ended_at=meeting.ended_at
        )
        audit.record("meetings.end", obj=meeting, actor=actor)
        return meeting


def room_open(meeting: Meeting) -> bool:
    """Whether check-in and the opening are possible yet (``CHECK_IN_WINDOW`` before the start)."""
    return _now() >= meeting.start - CHECK_IN_WINDOW


def check_in_token(meeting: Meeting) -> str:
    """The signed token printed as a QR code in the room: it names the meeting, nothing else."""
    return signing.dumps({"m": meeting.pk}, salt=CHECK_IN_SALT, compress=True)


def meeting_for_token(token: str) -> int:
    try:
        data = signing.loads(token, salt=CHECK_IN_SALT, max_age=7 * 24 * 3600)
        return int(data["m"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise NotFound(_("Mã điểm danh không hợp lệ hoặc đã hết hạn.")) from None


def check_in(meeting_id, *, user, method: str = "click", token: str | None = None) -> Invitee:
    """Check in for one's seat (or the seat of the invitee one stands in for). Once per seat."""
    if token is not None and meeting_for_token(token) != _pk(meeting_id):
        raise ServiceError(_("Mã điểm danh không thuộc cuộc họp này."), code="bad_token")
    with transaction.atomic():
        meeting = _meeting(meeting_id, for_update=False)
        if meeting.status not in (M.SCHEDULED, M.IN_PROGRESS):
            raise Conflict(_("Cuộc họp đã kết thúc hoặc đã hủy."))
        if not room_open(meeting):
            raise Conflict(_("Chưa đến giờ điểm danh (mở trước giờ họp 2 tiếng)."))
        seat = seat_of(user, meeting, for_update=True)  # a delegation revoked a moment before is seen
        if seat is None:
            raise PermissionDenied(_("Bạn không có chỗ trong cuộc họp này (hoặc đã cử người dự thay)."))
        if seat.checked_in_at:
            raise Conflict(_("Đã điểm danh rồi."), code="already_checked_in")
        if seat.answer in (A.PENDING, A.DECLINED):
            seat.answer = A.CONFIRMED
        seat.checked_in_at = _now()
        seat.checked_in_by = user
        seat.check_in_method = "qr" if token else "click"
        seat.save(update_fields=["answer", "checked_in_at", "checked_in_by", "check_in_method"])
        audit.record(
            "meetings.check_in",
            obj=meeting,
            actor=user,
            data={"seat": seat.pk, "method": seat.check_in_method},
        )
        return seat


def request_floor(meeting_id, *, user, item=None) -> SpeakRequest:
    with transaction.atomic():
        meeting = _meeting(meeting_id)
        if meeting.status != M.IN_PROGRESS:
            raise Conflict(_("Cuộc họp chưa khai mạc hoặc đã kết thúc."))
        seat = seat_of(user, meeting)
        if seat is None or not seat.checked_in_at:
            raise PermissionDenied(_("Điểm danh trước khi đăng ký phát biểu."))
        if SpeakRequest.objects.filter(
            meeting=meeting, user=user, state__in=["waiting", "speaking"]
        ).exists():
            raise Conflict(_("Bạn đã đăng ký phát biểu, đang chờ đến lượt."))
        item_obj = meeting.items.filter(pk=_pk(item)).first() if item else None
        last = meeting.speak_requests.aggregate(n=Max("order"))["n"] or 0
        req = SpeakRequest.objects.create(
            meeting=meeting, invitee=seat, user=user, item=item_obj, order=last + 1
        )
        audit.record("meetings.request_floor", obj=meeting, actor=user)
        return req


def _speak_request(request_id):
    req = SpeakRequest.objects.filter(pk=_pk(request_id)).first()
    if req is None:
        raise NotFound(_("Không tìm thấy lượt đăng ký phát biểu."))
    return req


def manage_floor(request_id, *, actor, action: str) -> SpeakRequest:
    """The chair gives the floor, ends a speech, moves a request up or down; a speaker withdraws."""
    with transaction.atomic():
        req = _speak_request(request_id)
        meeting = _meeting(req.meeting_id)
        lock(SpeakRequest, pk=req.pk)
        req.refresh_from_db()
        S = SpeakRequest.State
        if action == "withdraw":
            if req.user_id != actor.pk:
                raise PermissionDenied(_("Chỉ người đăng ký được rút lượt phát biểu."))
            if req.state != S.WAITING:
                raise Conflict(_("Lượt phát biểu không còn chờ."))
            req.state = S.WITHDRAWN
            req.ended_at = _now()
        else:
            require(actor, "meetings.chair", meeting, _("Chỉ người chủ trì điều hành phát biểu."))
            if meeting.status != M.IN_PROGRESS:
                raise Conflict(_("Cuộc họp chưa khai mạc hoặc đã kết thúc."))
            if action == "give":
                if req.state != S.WAITING:
                    raise Conflict(_("Lượt phát biểu không còn chờ."))
                SpeakRequest.objects.filter(meeting=meeting, state=S.SPEAKING).update(
                    state=S.DONE, ended_at=_now()
                )
                req.state = S.SPEAKING
                req.started_at = _now()
            elif action == "end":
                if req.state != S.SPEAKING:
                    raise Conflict(_("Người này không đang phát biểu."))
                req.state = S.DONE
                req.ended_at = _now()
            elif action in ("up", "down"):
                waiting = list(meeting.speak_requests.filter(state=S.WAITING).order_by("order", "id"))
                i = next((n for n, r in enumerate(waiting) if r.pk == req.pk), None)
                if i is None:
                    raise Conflict(_("Lượt phát biểu không còn chờ."))
                j = i - 1 if action == "up" else i + 1
                if 0 <= j < len(waiting):
                    waiting[i], waiting[j] = waiting[j], waiting[i]
                    for n, r in enumerate(waiting, start=1):
                        SpeakRequest.objects.filter(pk=r.pk).update(order=n)
                req.refresh_from_db()
                audit.record(
                    "meetings.floor", obj=meeting, actor=actor, data={"request": req.pk, "action": action}
                )
                return req
            else:
                raise ServiceError(_("Thao tác không hợp lệ."), field="action")
        req.save(update_fields=["state", "started_at", "ended_at"])
        audit.record("meetings.floor", obj=meeting, actor=actor, data={"request": req.pk, "action": action})
        return req


def record_minutes(item_id, *, actor, text: str) -> AgendaItem:
    text = validation.clean_text(text, "text", _("Nhập nội dung biên bản."), 20000)
    with transaction.atomic():
        item = AgendaItem.objects.filter(pk=_pk(item_id)).first()
        if item is None:
            raise NotFound(_("Không tìm thấy nội dung."))
        meeting = _meeting(item.meeting_id)
        require(actor, "meetings.minutes", meeting, _("Chỉ thư ký cuộc họp ghi biên bản."))
        if meeting.status == M.SCHEDULED or meeting.status == M.CANCELLED:
            raise Conflict(_("Ghi biên bản khi cuộc họp đã khai mạc."))
        if meeting.conclusion_document_id:
            raise Conflict(_("Đã dự thảo thông báo kết luận: biên bản không sửa được nữa."))
        lock(AgendaItem, pk=item.pk)
        item.minutes = text
        item.minutes_by = actor
        item.minutes_at = _now()
        item.save(update_fields=["minutes", "minutes_by", "minutes_at"])
        audit.record("meetings.minutes", obj=meeting, actor=actor, data={"item": item.pk})
        return item


# --- votes (through the voting app) ------------------------------------------------------------------

SUBJECT = "meetings.item"


def _item_pk(ballot) -> int | None:
    prefix, _sep, pk = ballot.subject.partition(":")
    return key(pk) if prefix == SUBJECT and pk.isdigit() else None


def item_of_ballot(ballot) -> AgendaItem | None:
    pk = _item_pk(ballot)
    return None if pk is None else AgendaItem.objects.select_related("meeting").filter(pk=pk).first()


# a vote's two reads of the meeting's side, compiled once (``core.compiled``): 200 members at once
_MEETING_OF_ITEM = CompiledQuery(lambda pk: AgendaItem.objects.filter(pk=pk).values_list("meeting_id"))
_BALLOT_IN_MEETING = CompiledQuery(
    lambda meeting_id, ballot_id: ItemVote.objects.filter(
        item__meeting_id=meeting_id, ballot_id=ballot_id
    ).values_list("pk")[:1]
)


def voter_for(ballot, user) -> int | str:
    """``voting.hooks.voter_check`` for an item's ballot: the invitee the user's vote counts for (their
    own seat, or the seat they stand in for while the delegation stands), after checking in; otherwise
    a refusal. The seats are read under their lock, in the vote's transaction (one statement): a
    delegation revoked a moment before is seen."""
    pk = _item_pk(ballot)
    meeting = _MEETING_OF_ITEM.rows(pk) if pk else []
    if not meeting:
        return _("Không tìm thấy nội dung biểu quyết.")
    seat = seat_of(user, meeting[0][0], for_update=True)
    if seat is None:
        return _("Bạn không có quyền biểu quyết trong cuộc họp này (hoặc đã cử người dự thay).")
    if not seat.checked_in_at:
        return _("Điểm danh trước khi biểu quyết.")
    return seat.user_id


def may_follow(ballot, user) -> bool:
    """``voting.hooks.viewer_check``: the meeting's participants follow its ballots' results live."""
    item = item_of_ballot(ballot)
    return item is not None and can(user, "meetings.view", item.meeting)


def open_vote(item_id, *, actor, title: str = "", secret: bool = False) -> ItemVote:
    """The chair puts an item to the vote (open or secret) under the meeting type's rule; the electorate
    is the meeting's members, the present count its checked-in members."""
    with transaction.atomic():
        item = AgendaItem.objects.filter(pk=_pk(item_id)).first()
        if item is None:
            raise NotFound(_("Không tìm thấy nội dung."))
        meeting = _meeting(item.meeting_id)
        require(actor, "meetings.chair", meeting, _("Chỉ người chủ trì đưa nội dung ra biểu quyết."))
        if meeting.status != M.IN_PROGRESS:
            raise Conflict(_("Biểu quyết khi cuộc họp đang diễn ra."))
        open_ids = ItemVote.objects.filter(item__meeting=meeting).values_list("ballot_id", flat=True)
        if Ballot.objects.filter(pk__in=open_ids, status=Ballot.Status.OPEN).exists():
            raise Conflict(_("Đang có một nội dung biểu quyết chưa kết thúc."))
        rule = (meeting.body.rule if meeting.body_id else None) or meeting.meeting_type.rule
        if rule is None:
            raise ServiceError(_("Loại cuộc họp chưa có quy tắc biểu quyết."), code="no_rule")
        members = list(
            meeting.invitees.filter(role=Invitee.Role.MEMBER).values_list("user_id", "checked_in_at")
        )
        ballot = voting_services.open_ballot(
            subject=f"{SUBJECT}:{item.pk}",
            title=(" ".join(str(title or "").split()) or item.title)[:500],
            electorate=[uid for uid, _at in members],
            rule=rule,
            secret=bool(secret),
            by=actor,
            present=sum(1 for _uid, at in members if at),
        )
        vote = ItemVote.objects.create(item=item, ballot=ballot)
        audit.record(
            "meetings.open_vote", obj=meeting, actor=actor, data={"item": item.pk, "ballot": ballot.pk}
        )
        return vote


def _vote_of_meeting(meeting, ballot_id) -> ItemVote:
    vote = (
        ItemVote.objects.select_related("ballot")
        .filter(item__meeting=meeting, ballot_id=_pk(ballot_id))
        .first()
    )
    if vote is None:
        raise NotFound(_("Không tìm thấy phiếu biểu quyết."))
    return vote


def cast_vote(meeting_id, *, ballot_id, user, choice: str):
    """Vote on an item's ballot: the voting app refuses twice, after closing, and — through
    ``voter_for`` — without checking in or after a delegation was revoked."""
    meeting_pk, ballot_pk = key(meeting_id), key(ballot_id)
    if not (meeting_pk and ballot_pk and _BALLOT_IN_MEETING.rows(meeting_pk, ballot_pk)):
        raise NotFound(_("Không tìm thấy phiếu biểu quyết."))
    return voting_services.cast(ballot_pk, user=user, choice=choice)


def close_vote(meeting_id, *, ballot_id, actor):
    """The chair closes the vote; the tally counts the members present (checked in) for the quorum."""
    with transaction.atomic():
        meeting = _meeting(meeting_id)
        require(actor, "meetings.chair", meeting, _("Chỉ người chủ trì kết thúc biểu quyết."))
        vote = _vote_of_meeting(meeting, ballot_id)
        present = meeting.invitees.filter(role=Invitee.Role.MEMBER, checked_in_at__isnull=False).count()
        tally = voting_services.close(vote.ballot_id, by=actor, present=present)
        audit.record("meetings.close_vote", obj=meeting, actor=actor, data={"ballot": vote.ballot_id})
        return tally


def votes_for(meeting, user) -> list[dict]:
    """Each ballot of the meeting with its live state (``voting.selectors.live``: a secret ballot's
    counts only once closed) and whether the user's seat has voted."""
    seat = seat_of(user, meeting)
    out = []
    for v in ItemVote.objects.filter(item__meeting=meeting).select_related("item", "ballot").order_by("-id"):
        out.append(
            {
                "id": v.ballot_id,
                "item": v.item,
                "ballot": v.ballot,
                "live": voting_selectors.live(v.ballot_id),
                "voted": bool(seat) and voting_selectors.has_voted(v.ballot, seat.user_id),
                "tally": voting_selectors.tally(v.ballot) if not v.ballot.is_open else None,
            }
        )
    return out


# --- after the meeting ------------------------------------------------------------------------------


def add_conclusion(meeting_id, *, actor, text, owner, deadline, item=None) -> Conclusion:
    text = validation.clean_text(text, "text", _("Nhập nội dung kết luận."), 2000)
    due = validation.clean_deadline(deadline)
    owner_user = _user(owner, "owner")
    with transaction.atomic():
        meeting = _meeting(meeting_id)
        require(actor, "meetings.minutes", meeting, _("Chỉ chủ trì hoặc thư ký ghi kết luận."))
        if meeting.status not in (M.IN_PROGRESS, M.ENDED):
            raise Conflict(_("Ghi kết luận khi cuộc họp đã khai mạc."))
        if meeting.conclusion_document_id:
            raise Conflict(_("Đã dự thảo thông báo kết luận: không thêm kết luận được nữa."))
        if not member_of(owner_user, meeting.agency):
            raise ServiceError(_("Người thực hiện phải là cán bộ của cơ quan."), field="owner")
        if due < timezone.localdate():
            raise ServiceError(_("Hạn hoàn thành đã qua."), field="deadline")
        item_obj = meeting.items.filter(pk=_pk(item)).first() if item else None
        c = Conclusion.objects.create(
            meeting=meeting, item=item_obj, text=text, owner=owner_user, deadline=due, created_by=actor
        )
        audit.record("meetings.add_conclusion", obj=meeting, actor=actor, data={"conclusion": c.pk})
        return c


def draft_conclusion_notice(meeting_id, *, actor) -> Document:
    """The conclusion notice (thông báo kết luận) drafted from the minutes and conclusions as an outgoing
    document of the documents app: from there it goes through the agency's review chain, the leader's
    signature, văn thư's number and seal (documents' services; nothing re-implemented here)."""
    with transaction.atomic():
        meeting = _meeting(meeting_id)
        require(actor, "meetings.minutes", meeting, _("Chỉ chủ trì hoặc thư ký dự thảo thông báo kết luận."))
        if meeting.status != M.ENDED:
            raise Conflict(_("Dự thảo thông báo kết luận sau khi bế mạc cuộc họp."))
        if meeting.conclusion_document_id:
            raise Conflict(_("Thông báo kết luận đã được dự thảo."))
        if not meeting.conclusions.exists():
            raise ServiceError(_("Chưa có kết luận nào."), field="conclusions")
        pdf = notice.render(meeting)
        doc = documents_services.create_draft(
            actor=actor,
            agency=meeting.agency,
            metadata={
                "doc_type": notice.doc_type_id(),
                "subject": (
                    _("Kết luận của %(chair)s tại %(title)s")
                    % {
                        "chair": meeting.chair.full_name or meeting.chair.username,
                        "title": meeting.title,
                    }
                )[:1000],
                "recipients_text": "\n".join(
                    sorted(
                        {
                            c.owner.full_name or c.owner.username
                            for c in meeting.conclusions.select_related("owner")
                        }
                    )
                ),
            },
            upload=pdf,
        )
        meeting.conclusion_document = doc
        meeting.save(update_fields=["conclusion_document"])
        audit.record("meetings.draft_notice", obj=meeting, actor=actor, data={"document": doc.pk})
        return doc


def create_tasks(meeting_id, *, actor) -> list:
    """Once the conclusion notice is issued, each conclusion becomes a documents Task (owner, deadline)
    with the notice as its directive, followed on the tasks dashboard. Given by a leader of the agency."""
    with transaction.atomic():
        meeting = _meeting(meeting_id)
        require(actor, "meetings.view", meeting)
        doc = meeting.conclusion_document
        if doc is None or doc.status not in (Document.Status.ISSUED, Document.Status.RELEASED):
            raise Conflict(_("Giao việc sau khi thông báo kết luận đã được cấp số, ban hành."))
        out = []
        for c in meeting.conclusions.filter(task__isnull=True).select_related("owner"):
            task = documents_services.create_task(
                actor=actor,
                agency=meeting.agency,
                title=c.text[:500],
                owner=c.owner,
                deadline=c.deadline,
                directive=doc,
            )
            c.task = task
            c.save(update_fields=["task"])
            out.append(task)
        if not out:
            raise Conflict(_("Các kết luận đã được giao việc."))
        audit.record("meetings.create_tasks", obj=meeting, actor=actor, data={"tasks": [t.pk for t in out]})
        return out
