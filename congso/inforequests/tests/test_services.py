"""Filing and handling requests: the legal fields, bad input (nothing written), the rate limit for
anonymous filing, the state machine (extend once, answer with a checked file, refuse on a legal ground),
notices to the requester, audit, and who may do what."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from congso.core.errors import InvalidFields, NotFound, RateLimited, ServiceError
from congso.core.models import AuditEntry
from congso.core.statemachine import TransitionConflict
from congso.inforequests import selectors, services
from congso.inforequests.models import Event, InfoRequest, Status
from congso.inforequests.testing import request_data
from congso.notifications.models import Notice, Notification

from .conftest import pdf_bytes


def test_a_signed_in_citizen_files_a_request(world):
    citizen = world.users["citizen"]
    req = services.submit(request_data(world), actor=citizen, ip="192.0.2.1")
    assert req.status == Status.RECEIVED and req.requester == citizen
    assert req.agency == world.agencies["pleiku_pc"]
    assert req.id_number == "064090001234" and req.due_at > req.received_at
    assert list(req.events.values_list("action", flat=True)) == ["submit"]
    assert AuditEntry.objects.filter(action="inforequests.submit", object_id=str(req.pk)).exists()
    [notice] = Notification.objects.filter(event="inforequests.received")
    assert notice.address == "nguyen.van.an@example.vn" and req.code in notice.subject
    assert notice.recipient == citizen
    [person_notice] = Notice.objects.filter(recipient=citizen)
    assert person_notice.url == f"/tiep-can-thong-tin/yeu-cau/{req.code}/"


def test_an_anonymous_request_is_notified_by_email_with_its_private_link(world):
    req = services.submit(request_data(world, email="ksor.hbia@example.vn"), ip="192.0.2.2")
    assert req.requester is None
    [notice] = Notification.objects.filter(address="ksor.hbia@example.vn")
    assert f"?ma={req.access_token}" in notice.body
    assert services.for_requester(req.code, token=req.access_token) == req
    with pytest.raises(NotFound):
        services.for_requester(req.code, token="wrong")
    with pytest.raises(NotFound):
        services.for_requester(req.code, actor=world.users["citizen"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("address", ""),
        ("id_number", ""),
        ("id_number", "12345"),
        ("id_number", "999090001234"),  # not a province code
        ("information", ""),
        ("information", "ngắn"),
        ("purpose", ""),
        ("form", "fax"),
        ("means", ""),
        ("agency", "KHONG.CO"),
        ("information", "<script>alert(1)</script> quyết định quy hoạch"),
        ("phone", "12345"),
        ("email", "khong-phai-email"),
    ],
)
def test_bad_or_missing_fields_are_refused_and_nothing_is_written(world, field, value):
    with pytest.raises(InvalidFields) as exc:
        services.submit(request_data(world, **{field: value}), ip="192.0.2.3")
    assert field in exc.value.errors
    assert all(isinstance(m, str) and m for m in exc.value.errors[field])
    assert not InfoRequest.objects.exists() and not Notification.objects.exists()


def test_a_contact_is_required_and_online_delivery_needs_an_email(world):
    with pytest.raises(InvalidFields) as exc:
        services.submit(request_data(world, phone="", email=""), ip="192.0.2.4")
    assert "email" in exc.value.errors
    with pytest.raises(InvalidFields) as exc:
        services.submit(request_data(world, email=""), ip="192.0.2.4")
    assert "thư điện tử" in exc.value.errors["email"][0]
    req = services.submit(request_data(world, email="", means="post"), ip="192.0.2.4")
    assert req.phone == "0905123456"


def test_all_missing_fields_are_listed_at_once(world):
    with pytest.raises(InvalidFields) as exc:
        services.submit({}, ip="192.0.2.5")
    assert {
        "agency",
        "name",
        "address",
        "id_number",
        "email",
        "information",
        "purpose",
        "form",
        "means",
    } <= set(exc.value.errors)


def test_the_honeypot_refuses(world):
    with pytest.raises(ServiceError):
        services.submit(request_data(world, website="http://spam"), ip="192.0.2.6")
    assert not InfoRequest.objects.exists()


@override_settings(CONGSO_INFOREQUESTS_PER_IP=2)
def test_anonymous_filing_is_rate_limited_per_address(world):
    for _ in range(2):
        services.submit(request_data(world), ip="192.0.2.7")
    with pytest.raises(RateLimited) as exc:
        services.submit(request_data(world), ip="192.0.2.7")
    assert exc.value.status == 429 and "phút" in exc.value.message
    services.submit(request_data(world), ip="192.0.2.8")  # another address
    assert InfoRequest.objects.count() == 3


def _filed(world):
    return services.submit(request_data(world), actor=world.users["citizen"], ip="192.0.2.9")


def test_accept_extend_once_then_answer_with_a_pdf(world):
    req = _filed(world)
    officer = world.users["ward_officer"]
    services.act(req.code, "accept", actor=officer)
    first_due = InfoRequest.objects.get(pk=req.pk).due_at
    req = services.act(req.code, "extend", actor=officer, reason="Cần tập hợp hồ sơ từ nhiều bộ phận.")
    assert req.status == Status.EXTENDED and req.due_at > first_due
    assert req.due_at == services.extended_due(first_due, services.limit("extension"), req.agency.unit_id)
    with pytest.raises(TransitionConflict):
        services.act(req.code, "extend", actor=officer, reason="Gia hạn lần nữa.")
    upload = SimpleUploadedFile("quy-hoach.pdf", pdf_bytes(), content_type="application/pdf")
    req = services.act(
        req.code, "answer", actor=officer, note="Gửi Ông/Bà quyết định quy hoạch.", file=upload
    )
    assert req.status == Status.ANSWERED and req.answer_mime == "application/pdf" and req.answer_file
    assert req.on_time is True
    actions = list(Event.objects.filter(request=req).values_list("action", flat=True))
    assert actions == ["submit", "accept", "extend", "answer"]
    events = set(Notification.objects.values_list("event", flat=True))
    assert {
        "inforequests.received",
        "inforequests.accept",
        "inforequests.extend",
        "inforequests.answer",
    } <= events
    audited = set(
        AuditEntry.objects.filter(action__startswith="inforequests.").values_list("action", flat=True)
    )
    assert {"inforequests.accept", "inforequests.extend", "inforequests.answer"} <= audited
    with pytest.raises(TransitionConflict):
        services.act(req.code, "refuse", actor=officer, reason="da-cong-khai", note="Đã công khai trên cổng.")


def test_a_file_that_is_not_what_it_claims_is_refused(world):
    req = _filed(world)
    fake = SimpleUploadedFile("quy-hoach.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ServiceError) as exc:
        services.act(req.code, "answer", actor=world.users["ward_officer"], note="Xem tệp.", file=fake)
    assert exc.value.field == "file"
    assert InfoRequest.objects.get(pk=req.pk).status == Status.RECEIVED


def test_refusal_needs_a_legal_ground_and_an_explanation(world):
    req = _filed(world)
    officer = world.users["ward_officer"]
    with pytest.raises(ServiceError):
        services.act(req.code, "refuse", actor=officer, note="Không cung cấp được.")
    with pytest.raises(ServiceError) as exc:
        services.act(req.code, "refuse", actor=officer, reason="khong-co-can-cu", note="Không cung cấp được.")
    assert exc.value.field == "reason"
    with pytest.raises(ServiceError):
        services.act(req.code, "refuse", actor=officer, reason="bi-mat-cong-tac", note="")
    assert InfoRequest.objects.get(pk=req.pk).status == Status.RECEIVED
    req = services.act(
        req.code,
        "refuse",
        actor=officer,
        reason="khong-thuoc-trach-nhiem",
        note="Thông tin do Sở Xây dựng tỉnh Gia Lai quản lý; đề nghị gửi yêu cầu tới Sở.",
    )
    assert req.status == Status.REFUSED and req.ground.legal_basis == "Điều 28"
    [notice] = Notification.objects.filter(event="inforequests.refuse")
    assert "Điều 28" in notice.body and "Sở Xây dựng" in notice.body


def test_another_agencys_official_and_citizens_cannot_handle_it(world):
    req = _filed(world)
    for actor in (world.users["iagrai_officer"], world.users["citizen"], world.users["elder"], None):
        with pytest.raises(NotFound):
            services.act(req.code, "accept", actor=actor)
        with pytest.raises(NotFound):
            services.for_staff(req.code, actor=actor)
    assert InfoRequest.objects.get(pk=req.pk).status == Status.RECEIVED
    # a leader of the agency may
    services.act(req.code, "accept", actor=world.users["ward_leader"])


def test_another_citizen_cannot_read_it(world):
    req = _filed(world)
    assert services.for_requester(req.code, actor=world.users["citizen"]) == req
    with pytest.raises(NotFound):
        services.for_requester(req.code, actor=world.users["elder"])
    with pytest.raises(NotFound):
        services.for_requester(req.code, actor=world.users["elder"], token=req.access_token)  # an account's


def test_unknown_action_and_request(world):
    with pytest.raises(ServiceError):
        services.act("TTKHONGCO", "delete", actor=world.users["ward_officer"])
    with pytest.raises(NotFound):
        services.act("TTKHONGCO", "accept", actor=world.users["ward_officer"])


def test_statistics_count_on_time_and_refusals_without_requesters(world):
    officer = world.users["ward_officer"]
    a, b, c = (_filed(world) for _ in range(3))
    services.act(a.code, "answer", actor=officer, note="Đây là thông tin.")
    services.act(
        b.code, "refuse", actor=officer, reason="bi-mat-cong-tac", note="Tài liệu nội bộ của cơ quan."
    )
    InfoRequest.objects.filter(pk=c.pk).update(due_at=c.received_at)  # past due
    s = selectors.stats()
    assert (s.total, s.answered, s.answered_on_time, s.refused, s.open, s.overdue_open) == (3, 1, 1, 1, 1, 1)
    assert s.on_time_rate == 100 and s.refusals[0][2] == 1
    assert selectors.stats(world.agencies["iagrai_pc"]).total == 0
    assert selectors.stats(world.agencies["province_pc"]).total == 3  # the province's sub-tree
    rows = selectors.annotate_deadlines(selectors.inbox(officer))
    assert [r.deadline for r in rows] == ["overdue"]


def test_disclosure_list_is_edited_by_the_agencys_admin_only(world):
    item = services.save_disclosure_item(
        actor=world.users["commune_admin"],
        agency=world.agencies["iagrai_pc"].code,
        category="ngan-sach",
        title="Dự toán ngân sách xã năm 2026",
        url="https://iagrai.gialai.gov.vn/ngan-sach",
    )
    groups = selectors.disclosure(world.agencies["iagrai_pc"])
    assert [g.items for g in groups if g.category.code == "ngan-sach"] == [[item]]
    for actor in (world.users["other_admin"], world.users["citizen"], world.users["ward_officer"]):
        with pytest.raises((ServiceError, PermissionDenied)):
            services.save_disclosure_item(
                actor=actor, agency=world.agencies["iagrai_pc"].code, category="ngan-sach", title="Sửa trộm"
            )
    with pytest.raises(ServiceError) as exc:
        services.save_disclosure_item(
            actor=world.users["commune_admin"],
            agency=world.agencies["iagrai_pc"].code,
            category="ngan-sach",
            title="Liên kết lạ",
            url="javascript:alert(1)",
        )
    assert exc.value.field == "url"
