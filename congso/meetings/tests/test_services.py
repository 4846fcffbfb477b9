"""Meetings' use cases: scheduling, invitations and delegates, agenda and papers, check-in, the speaking
queue, minutes, the conclusion notice through the documents app and its tasks — and every refusal."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from congso.core.errors import Conflict, InvalidFields, NotFound, ServiceError
from congso.core.models import AuditEntry
from congso.documents import services as documents_services
from congso.documents import testing as documents_testing
from congso.documents.models import Document, Task
from congso.meetings import selectors, services, testing
from congso.meetings.models import Annotation, Invitee, Meeting, Paper, SpeakRequest

pytestmark = pytest.mark.django_db


def _start_soon(world, **kw):
    """A session starting in an hour (check-in opens two hours before)."""
    return testing.schedule_session(world, start=timezone.now() + dt.timedelta(hours=1), **kw)


# --- scheduling ---------------------------------------------------------------------------------------


def test_schedule_refuses_past_and_inverted_times(world):
    now = timezone.now()
    common = {
        "actor": world.users["secretary"],
        "agency": world.agencies["pleiku_pc"],
        "meeting_type": testing.pc_type(),
        "title": "Họp",
        "chair": world.users["chair"],
        "secretary": world.users["secretary"],
        "room": world.room,
    }
    with pytest.raises(InvalidFields) as exc:
        services.schedule(start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=1), **common)
    assert "start" in exc.value.errors
    with pytest.raises(InvalidFields) as exc:
        services.schedule(start=now + dt.timedelta(days=1), end=now + dt.timedelta(days=1), **common)
    assert "end" in exc.value.errors
    assert not Meeting.objects.exists()


def test_room_double_booking_refused_people_conflicts_flagged(world, session):
    m, *_ = session
    with pytest.raises(Conflict):
        services.schedule(
            actor=world.users["secretary"],
            agency=world.agencies["pleiku_pc"],
            meeting_type=testing.pc_type(),
            title="Họp khác cùng phòng",
            chair=world.users["vice"],
            secretary=world.users["secretary"],
            start=m.start + dt.timedelta(minutes=30),
            end=m.end + dt.timedelta(hours=1),
            room=world.room,
        )
    other = services.schedule(
        actor=world.users["secretary"],
        agency=world.agencies["pleiku_pc"],
        meeting_type=testing.pc_type(),
        title="Họp chuyên đề trực tuyến",
        chair=world.users["vice"],
        secretary=world.users["secretary"],
        start=m.start + dt.timedelta(minutes=30),
        end=m.end + dt.timedelta(hours=1),
        video=True,
    )
    services.invite(other, actor=world.users["secretary"], users=[world.users["police"]])
    names = " ".join(w.message for w in services.conflicts(other))
    assert "Phạm Văn Đức" in names and "Nguyễn Thị Hoa" in names
    assert other.video_room.startswith("congso-") and len(other.video_room) > 25


def test_only_the_agencys_organisers_schedule(world):
    start = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(PermissionDenied):
        services.schedule(
            actor=world.users["police"],  # an officer of the ward
            agency=world.agencies["pleiku_pc"],
            meeting_type=testing.pc_type(),
            title="Họp",
            chair=world.users["chair"],
            secretary=world.users["secretary"],
            start=start,
            end=start + dt.timedelta(hours=1),
            room=world.room,
        )
    assert not Meeting.objects.exists()


# --- invitations and delegates ----------------------------------------------------------------------


def test_decline_needs_reason_and_delegate_acts_until_revoked(world):
    m, *_ = _start_soon(world)
    police, deputy = world.users["police"], world.users["deputy"]
    with pytest.raises(ServiceError):
        services.respond(m, user=police, answer="declined")
    services.respond(m, user=police, answer="delegated", delegate=deputy)
    # the invitee no longer acts for the seat; the delegate does
    with pytest.raises(PermissionDenied):
        services.check_in(m, user=police)
    services.revoke_delegation(m, user=police)
    with pytest.raises(PermissionDenied):  # revoked: the delegate is stopped at once
        services.check_in(m, user=deputy)
    services.respond(m, user=police, answer="delegated", delegate=deputy)
    seat = services.check_in(m, user=deputy)
    assert seat.user == police and seat.checked_in_by == deputy
    # once the delegate checked in, the invitee cannot take the seat back silently
    with pytest.raises(Conflict):
        services.respond(m, user=police, answer="confirmed")


def test_not_invited_cannot_answer_or_check_in(world):
    m, *_ = _start_soon(world)
    with pytest.raises(PermissionDenied):
        services.respond(m, user=world.users["deputy"], answer="confirmed")
    with pytest.raises(PermissionDenied):
        services.check_in(m, user=world.users["officer"])


# --- papers -------------------------------------------------------------------------------------------


def test_closed_item_papers_only_for_invitees(world, session):
    m, open_item, closed_item = session
    services.publish_papers(m, actor=world.users["secretary"])
    open_paper = Paper.objects.get(item=open_item)
    closed_paper = Paper.objects.get(item=closed_item)
    outsider = world.users["deputy"]  # staff of the ward, not invited
    assert services.papers_visible(outsider, open_paper)
    assert not services.papers_visible(outsider, closed_paper)
    assert not services.papers_visible(world.users["leader"], open_paper)  # another agency's leader
    assert services.papers_visible(world.users["police"], closed_paper)
    with pytest.raises(NotFound):
        services.annotate(closed_paper, user=outsider, text="xem trộm")


def test_papers_hidden_from_members_until_published(world, session):
    m, item, _ = session
    paper = Paper.objects.get(item=item)
    assert not services.papers_visible(world.users["police"], paper)
    assert services.papers_visible(world.users["secretary"], paper)
    services.publish_papers(m, actor=world.users["secretary"])
    assert services.papers_visible(world.users["police"], paper)


def test_annotations_are_private(world, session):
    m, item, _ = session
    services.publish_papers(m, actor=world.users["secretary"])
    paper = Paper.objects.get(item=item)
    services.annotate(paper, user=world.users["police"], text="Hỏi thêm số liệu thu ngân sách")
    assert selectors.annotations(world.users["police"], paper)[0].text.startswith("Hỏi")
    assert selectors.annotations(world.users["military"], paper) == []
    assert selectors.annotations(world.users["chair"], paper) == []
    assert Annotation.objects.count() == 1


def test_paper_from_documents_must_be_visible_to_the_organiser(world, session):
    _m, item, _ = session
    doc = documents_services.create_draft(
        actor=world.users["officer"],
        agency=world.agencies["justice"],
        metadata={"doc_type": "KH", "subject": "Kế hoạch của Sở Tư pháp"},
        upload=documents_testing.pdf_bytes(),
    )
    with pytest.raises(ServiceError):
        services.attach_paper(item, actor=world.users["secretary"], document=doc.pk)


def test_scheduled_job_publishes_due_papers_and_reminds(world):
    m, *_ = testing.schedule_session(world, start=timezone.now() + dt.timedelta(hours=20))
    result = services.remind()
    m.refresh_from_db()
    assert result == {"published": 1, "reminded": 1}
    assert m.papers_published_at and m.reminded_at
    assert services.remind() == {"published": 0, "reminded": 0}


# --- during the meeting -------------------------------------------------------------------------------


def test_check_in_once_and_quorum(world):
    m, *_ = _start_soon(world)
    assert not selectors.attendance(m).quorate
    for key in ("chair", "vice"):
        services.check_in(m, user=world.users[key])
    with pytest.raises(Conflict):
        services.check_in(m, user=world.users["vice"])
    assert not selectors.attendance(m).quorate
    services.check_in(m, user=world.users["police"], token=services.check_in_token(m))
    a = selectors.attendance(m)
    assert (a.present_members, a.members, a.quorum_needed, a.quorate) == (3, 4, 3, True)
    assert Invitee.objects.get(meeting=m, user=world.users["police"]).check_in_method == "qr"


def test_check_in_token_of_another_meeting_refused(world):
    m, *_ = _start_soon(world)
    other, *_ = testing.schedule_session(world, start=timezone.now() + dt.timedelta(days=3), title="Khác")
    with pytest.raises(ServiceError):
        services.check_in(m, user=world.users["chair"], token=services.check_in_token(other))
    with pytest.raises(NotFound):
        services.check_in(m, user=world.users["chair"], token="gia-mao")


def test_check_in_not_open_days_before(world, session):
    m, *_ = session
    with pytest.raises(Conflict):
        services.check_in(m, user=world.users["chair"])


def test_opening_refused_days_before_and_nothing_changes(world, session):
    m, *_ = session
    before = AuditEntry.objects.count()
    with pytest.raises(Conflict, match="Chưa đến giờ khai mạc"):
        services.start_meeting(m, actor=world.users["chair"])
    m.refresh_from_db()
    assert m.status == "scheduled" and m.started_at is None
    assert AuditEntry.objects.count() == before
    assert not services.room_open(m)


def test_speaking_queue_run_by_the_chair(world):
    m, *_ = _start_soon(world)
    for key in ("chair", "police", "military"):
        services.check_in(m, user=world.users[key])
    with pytest.raises(Conflict):
        services.request_floor(m, user=world.users["police"])  # not started yet
    services.start_meeting(m, actor=world.users["chair"])
    with pytest.raises(PermissionDenied):
        services.request_floor(m, user=world.users["vice"])  # not checked in
    r1 = services.request_floor(m, user=world.users["police"])
    r2 = services.request_floor(m, user=world.users["military"])
    with pytest.raises(Conflict):
        services.request_floor(m, user=world.users["police"])
    with pytest.raises(PermissionDenied):
        services.manage_floor(r1, actor=world.users["police"], action="give")
    services.manage_floor(r2, actor=world.users["chair"], action="up")
    assert [r.pk for r in selectors.queue(m)] == [r2.pk, r1.pk]
    services.manage_floor(r2, actor=world.users["chair"], action="give")
    assert selectors.queue(m)[0].state == SpeakRequest.State.SPEAKING
    services.manage_floor(r1, actor=world.users["chair"], action="give")  # the previous speaker ends
    r2.refresh_from_db()
    assert r2.state == SpeakRequest.State.DONE
    with pytest.raises(Conflict):
        services.manage_floor(r1, actor=world.users["police"], action="withdraw")


def test_minutes_only_by_the_secretary_once_started(world):
    m, item, _ = _start_soon(world)
    with pytest.raises(Conflict):
        services.record_minutes(item, actor=world.users["secretary"], text="…")
    services.start_meeting(m, actor=world.users["chair"])
    with pytest.raises(PermissionDenied):
        services.record_minutes(item, actor=world.users["police"], text="…")
    services.record_minutes(item, actor=world.users["secretary"], text="Thống nhất báo cáo.")
    item.refresh_from_db()
    assert item.minutes == "Thống nhất báo cáo."


# --- after the meeting --------------------------------------------------------------------------------


def test_conclusion_notice_issued_through_documents_then_tasks(world):
    w = world
    documents_testing.keys_for(w.agencies["pleiku_pc"], w.users["chair"], "Chủ tịch UBND phường")
    m, i1, i2 = _start_soon(world)
    for key in ("chair", "vice", "police"):
        services.check_in(m, user=w.users[key])
    services.start_meeting(m, actor=w.users["chair"])
    services.record_minutes(i1, actor=w.users["secretary"], text="Thống nhất báo cáo kinh tế – xã hội.")
    services.record_minutes(i2, actor=w.users["secretary"], text="Thông qua phương án bồi thường.")
    deadline = timezone.localdate() + dt.timedelta(days=30)
    services.add_conclusion(
        m,
        actor=w.users["chair"],
        text="Hoàn thiện báo cáo",
        owner=w.users["vice"],
        deadline=deadline,
        item=i1.pk,
    )
    services.add_conclusion(
        m,
        actor=w.users["secretary"],
        text="Niêm yết phương án",
        owner=w.users["police"],
        deadline=deadline,
        item=i2.pk,
    )
    with pytest.raises(Conflict):
        services.draft_conclusion_notice(m, actor=w.users["secretary"])  # not ended
    services.end_meeting(m, actor=w.users["chair"])
    doc = services.draft_conclusion_notice(m, actor=w.users["secretary"])
    assert doc.status == Document.Status.DRAFT and doc.doc_type.abbreviation == "TB"
    with pytest.raises(Conflict):
        services.create_tasks(m, actor=w.users["chair"])  # not issued yet
    documents_services.submit(doc, actor=w.users["secretary"])  # no review chain: straight to signature
    documents_services.sign(doc, actor=w.users["chair"])
    documents_services.issue(doc, actor=w.users["secretary"])
    doc.refresh_from_db()
    assert doc.status == Document.Status.ISSUED and doc.symbol.startswith("01/TB-")
    with pytest.raises(PermissionDenied):
        services.create_tasks(m, actor=w.users["police"])  # not a leader
    tasks = services.create_tasks(m, actor=w.users["chair"])
    assert len(tasks) == 2
    assert set(Task.objects.filter(directive=doc).values_list("owner__username", flat=True)) == {
        "phochutich.pleiku",
        "congan.pleiku",
    }
    with pytest.raises(Conflict):
        services.create_tasks(m, actor=w.users["chair"])


def test_stats(world):
    m, *_ = _start_soon(world)
    services.publish_papers(m, actor=world.users["secretary"])
    services.check_in(m, user=world.users["chair"])
    services.start_meeting(m, actor=world.users["chair"])
    services.end_meeting(m, actor=world.users["chair"])
    s = selectors.stats([world.agencies["pleiku_pc"].pk])
    assert s["pc_meetings_held"] == 1 and s["pc_meetings_in_system"] == 1
    assert s["papers_on_time"] == 0  # published an hour before, five days late
