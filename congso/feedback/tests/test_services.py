"""Reporting, routing, the handling state machine, merging, rating, reopening and the audit trail."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from PIL import Image

from congso.core.errors import Forbidden, InvalidFields, NotFound, RateLimited, ServiceError
from congso.core.models import AuditEntry
from congso.core.statemachine import TransitionConflict

from .. import selectors, services
from ..models import Event, Media, Notice, Report, Status
from .conftest import jpeg_with_gps, pothole

pytestmark = pytest.mark.django_db
VN = dt.timezone(dt.timedelta(hours=7))


def test_submit_routes_to_the_ward_and_strips_photo_metadata(world):
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=VN), tick=False):
        report = services.submit(
            pothole(world), [jpeg_with_gps()], actor=world.users["citizen"], ip="10.0.0.1"
        )
    assert report.agency == world.agencies["pleiku_pc"]
    assert report.status == Status.RECEIVED and report.reporter == world.users["citizen"]
    # giao thông answers within 15 working days: Mon 1 March 2027 → Mon 22 March
    assert report.due_at.astimezone(VN).date() == dt.date(2027, 3, 22)
    (media,) = Media.objects.filter(report=report)
    with media.file.open("rb") as f, Image.open(f) as img:
        assert not img.getexif()
    assert AuditEntry.objects.filter(action="feedback.submit").count() == 1
    assert Notice.objects.filter(report=report, kind="received").exists()


def test_routing_falls_back_to_the_province_and_climbs_the_category_tree(world):
    data = pothole(world, unit=world.units["iagrai"].code, category="ha-tang-duong", lat="", lon="")
    report = services.submit(data, actor=world.users["citizen"], ip="10.0.0.2")
    assert report.agency == world.agencies["construction"]  # parent's province fallback
    assert report.category.answer_days == 7


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"title": "<script>alert(1)</script> ổ gà"}, "title"),
        ({"description": "Xem <a href='http://x'>đây</a> nhé các bạn"}, "description"),
        ({"lat": "21.0285", "lon": "105.8542"}, "lat"),  # Hà Nội: outside Gia Lai
        ({"lat": "13.9", "lon": ""}, "lat"),
        ({"phone": "12345"}, "phone"),
        ({"unit": "99999"}, "unit"),
        ({"title": "ab"}, "title"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(world, extra, field):
    with pytest.raises(InvalidFields) as exc:
        services.submit(pothole(world, **extra), actor=None, ip="10.0.0.3")
    assert field in exc.value.errors
    assert not Report.objects.exists() and not AuditEntry.objects.filter(action="feedback.submit").exists()


def test_unknown_category_fake_photo_and_honeypot(world):
    with pytest.raises(NotFound):
        services.submit(pothole(world, category="khong-co"), ip="10.0.0.4")
    fake = jpeg_with_gps()
    fake.file.seek(0)
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(InvalidFields) as exc:
        services.submit(
            pothole(world), [SimpleUploadedFile("anh.jpg", b"<html>not an image</html>")], ip="10.0.0.4"
        )
    assert "photos" in exc.value.errors
    with pytest.raises(InvalidFields):
        services.submit(pothole(world), [jpeg_with_gps() for _ in range(6)], ip="10.0.0.4")
    with pytest.raises(ServiceError) as exc:
        services.submit(pothole(world, website="http://spam.example"), ip="10.0.0.4")
    assert exc.value.code == "honeypot"
    assert not Report.objects.exists() and not Media.objects.exists()


def test_rate_limits_per_ip_and_per_account(world, settings):
    settings.CONGSO_FEEDBACK_PER_IP = 2
    settings.CONGSO_FEEDBACK_PER_ACCOUNT = 1
    services.submit(pothole(world), ip="10.0.0.5")
    services.submit(pothole(world), ip="10.0.0.5")
    with pytest.raises(RateLimited):
        services.submit(pothole(world), ip="10.0.0.5")
    services.submit(pothole(world), actor=world.users["citizen"], ip="10.0.0.6")
    with pytest.raises(RateLimited):
        services.submit(pothole(world), actor=world.users["citizen"], ip="10.0.0.7")
    assert Report.objects.count() == 3


def test_staff_entry_records_the_channel(world):
    data = pothole(world, channel="hotline", name="Bà Hoa", phone="0912345678", email="")
    with pytest.raises(PermissionDenied):
        services.submit(data, actor=world.users["citizen"], staff=True)
    report = services.submit(data, actor=world.users["ward_officer"], staff=True)
    assert report.channel == "hotline" and report.entered_by == world.users["ward_officer"]
    assert report.reporter is None and report.reporter_phone == "0912345678"
    with pytest.raises(InvalidFields):
        services.submit(pothole(world, channel="web"), actor=world.users["ward_officer"], staff=True)


def test_full_handling_with_transfer_reopen_and_second_answer(world):
    u = world.users
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=VN), tick=True):
        r = services.submit(pothole(world), [jpeg_with_gps()], actor=u["citizen"], ip="10.0.0.8")
        # nobody outside the ward handles it
        with pytest.raises(NotFound):
            services.act(r.code, "accept", actor=u["dept_officer"])
        services.act(r.code, "accept", actor=u["ward_officer"])
        r = services.act(
            r.code,
            "transfer",
            actor=u["ward_officer"],
            agency=world.agencies["construction"].code,
            reason="Đường Hùng Vương là quốc lộ do Sở Xây dựng quản lý",
        )
        assert r.agency == world.agencies["construction"]
        # the ward no longer handles it but still sees who reported it (it handled it)
        with pytest.raises(PermissionDenied):
            services.act(r.code, "draft", actor=u["ward_officer"], note="x" * 20)
        services.act(r.code, "draft", actor=u["dept_officer"], note="Đã vá ổ gà ngày 05/03/2027.")
        with pytest.raises(PermissionDenied):
            services.act(r.code, "approve", actor=u["dept_officer"])
        r = services.act(r.code, "approve", actor=u["dept_leader"])
        assert r.status == Status.ANSWERED and r.answered_at
        with pytest.raises(Forbidden):
            services.rate(r.code, actor=u["elder"], rating="unsatisfied")
        r = services.rate(r.code, actor=u["citizen"], rating="unsatisfied", comment="Vá xong lại bong")
        assert r.status == Status.PROCESSING and r.reopened
        assert Notice.objects.filter(kind="reopened", user=u["dept_leader"]).exists()
        services.act(r.code, "draft", actor=u["dept_officer"], note="Đã thảm lại toàn bộ đoạn đường.")
        services.act(r.code, "approve", actor=u["dept_leader"])
        # reopened once only: unsatisfied again closes it
        r = services.rate(r.code, actor=u["citizen"], rating="unsatisfied")
        assert r.status == Status.CLOSED and r.rating == "unsatisfied"
    public = [e["label"] for e in selectors.public_timeline(r)]
    assert any("Sở Xây dựng" in label for label in public)
    assert not any("phối hợp" in label for label in public)
    assert Notice.objects.filter(report=r, user=u["citizen"]).count() >= 5


def test_wrong_state_is_a_conflict_and_changes_nothing(world):
    r = services.submit(pothole(world), ip="10.0.0.9")
    with pytest.raises(TransitionConflict):
        services.act(r.code, "approve", actor=world.users["ward_leader"])
    with pytest.raises(ServiceError):
        services.act(r.code, "reject", actor=world.users["ward_officer"], reason="vi pham")
    assert (
        Report.objects.get().status == Status.RECEIVED and not Event.objects.exclude(action="submit").exists()
    )
    services.act(r.code, "reject", actor=world.users["ward_officer"], reason="not_enough_info")
    assert Report.objects.get().status == Status.REJECTED


def test_merge_gives_the_duplicate_the_kept_answer(world):
    u = world.users
    kept = services.submit(pothole(world), actor=u["citizen"], ip="10.0.1.1")
    dup = services.submit(
        pothole(world, title="Ổ gà trước nhà 120 Hùng Vương"), actor=u["elder"], ip="10.0.1.2"
    )
    assert kept in services.duplicates(world.units["pleiku"], "o ga truoc 120 hung vuong")
    services.act(kept.code, "accept", actor=u["ward_officer"])
    services.act(dup.code, "merge", actor=u["ward_officer"], target=kept.code, note=kept.code)
    services.act(kept.code, "draft", actor=u["ward_officer"], note="Phường đã vá ổ gà.")
    services.act(kept.code, "approve", actor=u["ward_leader"])
    dup.refresh_from_db()
    assert dup.status == Status.MERGED and dup.answer == "Phường đã vá ổ gà."
    assert Notice.objects.filter(report=kept, user=u["elder"], kind="approve").exists()


def test_help_request_lets_the_other_agency_see_the_report(world):
    u = world.users
    r = services.submit(pothole(world), actor=u["citizen"], ip="10.0.1.3")
    services.act(r.code, "accept", actor=u["ward_officer"])
    assert r not in selectors.inbox(u["dept_officer"])
    services.act(
        r.code,
        "ask_help",
        actor=u["ward_officer"],
        agency=world.agencies["construction"].code,
        note="Đề nghị Sở cho ý kiến về tải trọng mặt đường",
    )
    assert r in selectors.inbox(u["dept_officer"])
    from congso.core.permissions import can

    r.refresh_from_db()
    assert can(u["dept_officer"], "feedback.view_identity", r)
    assert not can(u["officer"], "feedback.view_identity", r)  # Sở Tư pháp is not involved
    assert not can(u["elder"], "feedback.view_identity", r)


def test_escalation_across_a_holiday_with_a_moving_clock(world):
    """Reported Thu 22 April 2027; 30 April, 1 May and the day in lieu Mon 3 May are days off, so 7
    working days end on Wed 5 May. The province leader (the level above the ward) is alerted when due
    soon, then overdue; nothing moves on the holidays."""
    u = world.users
    data = pothole(world, category="ha-tang-duong", unit=world.units["pleiku"].code)
    with time_machine.travel(dt.datetime(2027, 4, 22, 9, 0, tzinfo=VN), tick=False):
        r = services.submit(data, actor=u["citizen"], ip="10.0.1.4")
    assert r.agency == world.agencies["pleiku_pc"]  # giao-thong's ward rule, reached through the parent
    due = r.due_at.astimezone(VN)
    # 7 working days from Thu 22/4: 23, 26, 27, 28, 29 April, (30/4, 1/5, 2/5 Sunday, 3/5 in lieu), 4, 5 May
    assert due.date() == dt.date(2027, 5, 5)
    with time_machine.travel(dt.datetime(2027, 4, 30, 9, 0, tzinfo=VN), tick=False):
        assert services.escalate() == []  # a holiday: 2 working days left after it
    with time_machine.travel(dt.datetime(2027, 5, 3, 16, 0, tzinfo=VN), tick=False):
        assert services.escalate() == []  # the day in lieu counts for nothing either
    with time_machine.travel(dt.datetime(2027, 5, 5, 9, 0, tzinfo=VN), tick=False):
        assert services.escalate() == [(r.code, "due_soon")]
        assert services.escalate() == []  # once per level
    with time_machine.travel(dt.datetime(2027, 5, 6, 9, 0, tzinfo=VN), tick=False):
        assert services.escalate() == [(r.code, "overdue")]
    leader_notices = Notice.objects.filter(user=u["province_leader"]).values_list("kind", flat=True)
    assert sorted(leader_notices) == ["due_soon", "overdue"]
    assert not Notice.objects.filter(user=u["ward_leader"], kind__in=["due_soon", "overdue"]).exists()


def test_stats_answered_on_time_and_satisfaction(world):
    u = world.users
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=VN), tick=True):
        a = services.submit(pothole(world), actor=u["citizen"], ip="10.0.2.1")
        services.submit(pothole(world, title="Đèn đường hỏng ở ngã tư"), actor=u["elder"], ip="10.0.2.2")
        services.act(a.code, "accept", actor=u["ward_officer"])
        services.act(a.code, "draft", actor=u["ward_officer"], note="Đã xử lý xong.")
        services.act(a.code, "approve", actor=u["ward_leader"])
        services.rate(a.code, actor=u["citizen"], rating="satisfied")
    with time_machine.travel(dt.datetime(2027, 3, 10, 9, 0, tzinfo=VN), tick=False):
        s = selectors.stats(world.units["province"], dt.date(2027, 3, 1), dt.date(2027, 3, 31))
    assert s["total"] == 2 and s["answered"] == 1 and s["on_time"] == 1
    assert s["answered_on_time_rate"] == 100  # the other is not due yet
    assert s["satisfaction_rate"] == 100
    with time_machine.travel(dt.datetime(2027, 4, 30, 9, 0, tzinfo=VN), tick=False):
        s = selectors.stats(world.units["pleiku"], dt.date(2027, 3, 1), dt.date(2027, 3, 31))
    assert s["overdue"] == 1 and s["satisfaction_rate"] == 50


def test_public_board_masks_identity(world):
    r = services.submit(
        pothole(world, description="Gọi tôi 0905123456 hoặc an@example.vn nếu cần thêm thông tin."),
        actor=world.users["citizen"],
        ip="10.0.2.3",
    )
    assert selectors.public_report(r.code) is None  # not before acceptance
    services.act(r.code, "accept", actor=world.users["ward_officer"])
    p = selectors.public_report(r.code)
    assert selectors.public_name(p) == "Nguyễn V. A."
    masked = selectors.mask_text(p.description)
    assert "0905123456" not in masked and "an@example.vn" not in masked
    assert list(selectors.public_reports(q="o ga hung vuong")) == [p]


def test_escalate_command(world):
    import io

    from django.core.management import call_command

    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=VN), tick=False):
        services.submit(pothole(world), actor=world.users["citizen"], ip="10.0.3.1")
    out = io.StringIO()
    with time_machine.travel(dt.datetime(2027, 4, 1, 9, 0, tzinfo=VN), tick=False):
        call_command("feedback", "escalate", stdout=out)
    assert "overdue" in out.getvalue() and "Đã nhắc 1 phản ánh." in out.getvalue()
    out = io.StringIO()
    call_command("feedback", "notices", stdout=out)
    assert Notice.objects.filter(sent_at__isnull=True).count() == 0


def test_ask_for_information_and_the_reporter_adds_it(world):
    u = world.users
    r = services.submit(pothole(world), actor=u["citizen"], ip="10.0.4.1")
    services.act(r.code, "ask_info", actor=u["ward_officer"], note="Ổ gà ở làn đường bên nào?")
    assert Notice.objects.filter(report=r, kind="ask_info", user=u["citizen"]).exists()
    with pytest.raises(NotFound):
        services.add_info(r.code, actor=u["elder"], text="Không phải của tôi")
    with pytest.raises(ServiceError):
        services.add_info(r.code, actor=u["citizen"], text="<script>x</script> làn phải")
    services.add_info(r.code, actor=u["citizen"], text="Làn bên phải theo hướng về Quy Nhơn.")
    assert Event.objects.filter(report=r, action="add_info", note__contains="Quy Nhơn").exists()
