"""The dossier lifecycle: receipt, every transition allowed and refused, the clock, late handling."""

import datetime as dt

import pytest
import time_machine

from congso.accounts.models import User
from congso.core import audit
from congso.core.errors import Conflict, ServiceError
from congso.core.models import AuditEntry
from congso.core.statemachine import TransitionConflict, TransitionError
from congso.core.uploads import Upload, UploadRejected
from congso.directory.models import Agency, Membership
from congso.dossiers import services
from congso.dossiers.inbox import Box, boxes_for, inbox
from congso.dossiers.models import Channel, Dossier, Status, TimelineEntry
from congso.dossiers.processes import template_for
from congso.dossiers.testing import advance

from .conftest import pdf, vn

pytestmark = pytest.mark.django_db


def receive(staff, agencies, procedure_version, applicant, components, **kw):
    kw.setdefault("accept_now", True)
    return services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        uploads=components,
        **kw,
    )


def fresh(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def test_counter_receipt_gets_code_due_date_and_timeline(
    staff, agencies, procedure_version, applicant, components
):
    with time_machine.travel(vn(2027, 2, 3, 9, 0), tick=False):
        dossier = receive(staff, agencies, procedure_version, applicant, components)
    assert dossier.code == "H21.23575-270203-0001"
    assert dossier.status == Status.ACCEPTED
    # 3 working days from Wednesday 3 February 2027: Tết closes offices 4–10 February.
    assert dossier.due_at == vn(2027, 2, 15, 17, 0)
    assert dossier.legal_due_at == dossier.due_at
    assert [e.action for e in dossier.timeline.all()] == ["receive", "accept"]
    assert dossier.attachments.count() == 2
    assert {a.component for a in dossier.attachments.all()} == {
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    }
    assert dossier.current_step.name == "Thụ lý, thẩm định hồ sơ"
    assert audit.verify().ok


def test_codes_are_consecutive_per_agency_and_day(staff, agencies, procedure_version, applicant, components):
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        codes = [receive(staff, agencies, procedure_version, applicant, []).code for _ in range(3)]
    with time_machine.travel(vn(2027, 3, 2, 8, 0), tick=False):
        codes.append(receive(staff, agencies, procedure_version, applicant, []).code)
    assert codes == [
        "H21.23575-270301-0001",
        "H21.23575-270301-0002",
        "H21.23575-270301-0003",
        "H21.23575-270302-0001",
    ]


def test_code_pattern_is_configurable(settings, staff, agencies, procedure_version, applicant):
    settings.CONGSO_DOSSIER_CODE_PATTERN = "{agency}-{date:%Y%m%d}-{seq:05d}"
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        assert receive(staff, agencies, procedure_version, applicant, []).code == "H21.23575-20270301-00001"


def test_full_walk_to_returned(staff, agencies, procedure_version, applicant, components):
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        d = receive(staff, agencies, procedure_version, applicant, components)
        d = advance(d.pk, actor=staff["officer"], note="Hồ sơ đủ điều kiện")
        assert d.status == Status.PROCESSING and d.current_step.name == "Lãnh đạo phòng xem xét, trình ký"
        d = advance(d.pk, actor=staff["leader"])
        d = advance(d.pk, actor=staff["leader"])
        assert d.current_step.role == "clerical"
        d = services.issue_result(
            d.pk,
            actor=staff["clerical"],
            number="125/GKS",
            title="Giấy khai sinh",
            upload=Upload("Kết quả", pdf(), "giay-khai-sinh.pdf"),
        )
        assert d.status == Status.PROCESSED and d.result.number == "125/GKS" and not d.is_late
        d = services.return_result(d.pk, actor=staff["clerk"])
    assert d.status == Status.RETURNED and d.returned_at
    actions = list(d.timeline.values_list("action", "to_status"))
    assert actions == [
        ("receive", Status.NEW),
        ("accept", Status.ACCEPTED),
        ("forward", Status.PROCESSING),
        ("approve", Status.PROCESSING),
        ("approve", Status.PROCESSING),
        ("issue_result", Status.PROCESSED),
        ("return_result", Status.RETURNED),
    ]
    assert d.step_runs.count() == 4 and not d.step_runs.filter(finished_at__isnull=True).exists()
    assert audit.verify().ok


def test_online_dossier_waits_for_clerk_check(
    staff, agencies, procedure_version, applicant, citizen, components
):
    d = services.receive(
        actor=citizen,
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.ONLINE,
        applicant=applicant,
        uploads=components,
    )
    assert d.status == Status.NEW and d.due_at is None
    d = services.accept(d.pk, actor=staff["clerk"])
    assert d.status == Status.ACCEPTED and d.due_at


def test_refusal_needs_a_reason_and_changes_nothing_without_one(
    staff, agencies, procedure_version, applicant, citizen
):
    d = services.receive(
        actor=citizen,
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.ONLINE,
        applicant=applicant,
    )
    with pytest.raises(TransitionError, match="Cần nhập lý do"):
        services.refuse(d.pk, actor=staff["clerk"], reason="   ")
    assert fresh(d).status == Status.NEW and fresh(d).version == d.version
    d = services.refuse(d.pk, actor=staff["clerk"], reason="Thủ tục không thuộc thẩm quyền của phường")
    assert d.status == Status.NOT_ACCEPTED and d.portal_status == 11


@pytest.mark.parametrize(
    ("action", "actor_key", "error"),
    [
        ("accept", "officer", TransitionError),  # wrong role
        ("accept", "other_clerk", TransitionError),  # clerk of another agency
        ("accept", "clerk", TransitionConflict),  # already accepted
        ("return_result", "clerk", TransitionConflict),  # nothing issued yet
        ("stop", "officer", TransitionError),  # only a leader stops
        ("withdraw", "officer", TransitionError),  # only the applicant (or the counter for them)
    ],
)
def test_refused_transitions_change_nothing(
    action, actor_key, error, staff, agencies, procedure_version, applicant
):
    d = receive(staff, agencies, procedure_version, applicant, [])
    before = (fresh(d).status, fresh(d).version, TimelineEntry.objects.count())
    kwargs = {"reason": "Lý do thử"} if action in ("stop", "withdraw") else {}
    with pytest.raises(error):
        getattr(services, action)(d.pk, actor=staff[actor_key], **kwargs)
    assert (fresh(d).status, fresh(d).version, TimelineEntry.objects.count()) == before


def test_forward_requires_the_step_role(staff, agencies, procedure_version, applicant):
    d = receive(staff, agencies, procedure_version, applicant, [])
    with pytest.raises(ServiceError, match="Chuyên viên xử lý"):
        advance(d.pk, actor=staff["leader"])  # the handling step belongs to the officer


def test_stale_version_is_refused(staff, agencies, procedure_version, applicant):
    d = receive(staff, agencies, procedure_version, applicant, [])
    advance(d.pk, actor=staff["officer"], expected_version=d.version)
    with pytest.raises(Conflict, match="vừa được người khác cập nhật"):
        advance(d.pk, actor=staff["officer"], expected_version=d.version)


def test_bad_attachment_refuses_the_whole_receipt(staff, agencies, procedure_version, applicant):
    bad = [
        Upload("Tờ khai", pdf(), "to-khai.pdf"),
        Upload("Giấy chứng sinh", b"GIF89a not allowed", "anh.gif"),
    ]
    with pytest.raises(UploadRejected):
        receive(staff, agencies, procedure_version, applicant, bad)
    assert Dossier.objects.count() == 0 and TimelineEntry.objects.count() == 0


def test_supplement_pauses_the_clock(staff, agencies, procedure_version, applicant, citizen):
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):  # Monday
        d = receive(staff, agencies, procedure_version, applicant, [])
    assert d.due_at == vn(2027, 3, 4, 17, 0)
    with time_machine.travel(vn(2027, 3, 2, 8, 0), tick=False):  # Tuesday opening: asks for more
        d = services.request_supplement(
            d.pk,
            actor=staff["officer"],
            reason="Thiếu bản sao giấy chứng hôn",
            missing=["Giấy chứng nhận kết hôn"],
        )
    assert d.status == Status.SUPPLEMENT and d.pauses.get().ended_at is None
    with time_machine.travel(vn(2027, 3, 4, 8, 0), tick=False):  # Thursday opening: the citizen answers
        d = services.submit_supplement(
            d.pk, actor=citizen, uploads=[Upload("Giấy chứng nhận kết hôn", pdf(), "gcnkh.pdf")]
        )
    assert d.status == Status.ACCEPTED  # back where it was
    assert d.due_at == vn(2027, 3, 8, 17, 0)  # two working days later (Tue, Wed were paused)
    assert d.attachments.filter(purpose="supplement").count() == 1


def test_payment_request_and_record(staff, agencies, procedure_version, applicant):
    d = receive(staff, agencies, procedure_version, applicant, [])
    with pytest.raises(ServiceError, match="số nguyên dương"):
        services.request_payment(d.pk, actor=staff["officer"], amount="-5000", description="Lệ phí")
    with pytest.raises(TransitionError, match="số tiền"):
        services.request_payment(d.pk, actor=staff["officer"], amount=None, description="Lệ phí")
    d = services.request_payment(
        d.pk, actor=staff["officer"], amount=8000, description="Lệ phí đăng ký khai sinh"
    )
    assert d.status == Status.FINANCIAL and d.obligations.get().amount == 8000
    d = services.record_payment(d.pk, actor=staff["clerk"], channel="counter", reference="BL-0001")
    assert d.status == Status.ACCEPTED and d.obligations.get().paid_at


def test_apology_extension_before_deadline_counts_as_late(staff, agencies, procedure_version, applicant):
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        d = receive(staff, agencies, procedure_version, applicant, [])
    with time_machine.travel(vn(2027, 3, 4, 10, 0), tick=False):
        with pytest.raises(TransitionError, match="ngày hẹn mới"):
            services.extend(d.pk, actor=staff["officer"], reason="Cần xác minh thêm", new_due=None)
        with pytest.raises(ServiceError, match="phải sau ngày hẹn hiện tại"):
            services.extend(
                d.pk, actor=staff["officer"], reason="Cần xác minh", new_due=vn(2027, 3, 3, 17, 0)
            )
        d = services.extend(
            d.pk,
            actor=staff["officer"],
            reason="Cần xác minh thông tin người cha",
            new_due=vn(2027, 3, 9, 17, 0),
        )
    assert d.is_late and d.due_at == vn(2027, 3, 9, 17, 0) and d.legal_due_at == vn(2027, 3, 4, 17, 0)
    assert d.extensions.get().previous_due_at == vn(2027, 3, 4, 17, 0)


def test_apology_after_deadline_is_refused(staff, agencies, procedure_version, applicant):
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        d = receive(staff, agencies, procedure_version, applicant, [])
    with (
        time_machine.travel(vn(2027, 3, 5, 9, 0), tick=False),
        pytest.raises(ServiceError, match="trước thời hạn"),
    ):
        services.extend(d.pk, actor=staff["officer"], reason="Xin lỗi", new_due=vn(2027, 3, 10, 17, 0))


def test_finishing_after_the_deadline_marks_late(staff, agencies, procedure_version, applicant):
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        d = receive(staff, agencies, procedure_version, applicant, [])
        for who in ("officer", "leader", "leader"):
            d = advance(d.pk, actor=staff[who])
    with time_machine.travel(vn(2027, 3, 8, 9, 0), tick=False):
        d = services.issue_result(
            d.pk,
            actor=staff["clerical"],
            number="7/GKS",
            title="Giấy khai sinh",
            upload=Upload("Kết quả", pdf()),
        )
    assert d.is_late


def test_withdraw_by_applicant(staff, agencies, procedure_version, applicant, citizen):
    d = receive(staff, agencies, procedure_version, applicant, [])
    d = services.withdraw(d.pk, actor=citizen, reason="Tôi nộp nhầm thủ tục")
    assert d.status == Status.WITHDRAWN


def test_inter_agency_step_keeps_code_and_clock(staff, agencies, procedure_version, applicant):
    template = template_for(agencies["ward"], procedure_version.procedure)
    steps = list(template.steps.order_by("position"))
    # Insert a step at the provincial Department of Justice between handling and review.
    for s in reversed(steps[1:]):
        s.position += 1
        s.save()
    template.steps.create(
        position=2,
        name="Sở Tư pháp thẩm định",
        role="officer",
        agency=agencies["justice"],
        share_percent=20,
        kind="handle",
    )
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        d = receive(staff, agencies, procedure_version, applicant, [])
        code, due = d.code, d.due_at
        d = advance(d.pk, actor=staff["officer"])
        assert d.current_agency == agencies["justice"]
        entry = d.timeline.last()
        assert entry.data["transfer"] == {"from": "H21.23575", "to": "000.00.12.H21"}
        with pytest.raises(TransitionError):  # the ward officer no longer holds it
            advance(d.pk, actor=staff["officer"])
        d = advance(d.pk, actor=staff["justice_officer"], note="Đủ điều kiện")
        assert d.current_agency == agencies["ward"] and d.current_step.role == "leader"
    assert (d.code, d.due_at) == (code, due)


def test_branching_step_lets_handler_choose(staff, agencies, procedure_version, applicant):
    template = template_for(agencies["ward"], procedure_version.procedure)
    handle, review = template.steps.order_by("position")[:2]
    inspect = template.steps.create(
        position=9, name="Kiểm tra thực địa", role="officer", share_percent=0, kind="handle"
    )
    inspect.next_steps.add(review)
    handle.next_steps.add(review, inspect)
    d = receive(staff, agencies, procedure_version, applicant, [])
    d = advance(d.pk, actor=staff["officer"], to_step_id=inspect.pk)
    assert d.current_step == inspect
    with pytest.raises(ServiceError, match="Không được chuyển"):
        advance(d.pk, actor=staff["officer"], to_step_id=handle.pk)
    d = advance(d.pk, actor=staff["officer"])
    assert d.current_step == review


def test_assign_within_agency(staff, agencies, procedure_version, applicant):
    d = receive(staff, agencies, procedure_version, applicant, [])
    d = services.assign(d.pk, actor=staff["leader"], assignee=staff["officer"])
    assert d.assignee == staff["officer"]
    with pytest.raises(ServiceError, match="vai trò phù hợp"):
        services.assign(d.pk, actor=staff["leader"], assignee=staff["justice_officer"])
    with pytest.raises(ServiceError, match="không được phân công"):
        services.assign(d.pk, actor=staff["clerical"], assignee=staff["officer"])


def test_status_dates_are_in_vietnam_time(staff, agencies, procedure_version, applicant):
    with time_machine.travel(vn(2027, 3, 1, 16, 30), tick=False):
        d = receive(staff, agencies, procedure_version, applicant, [])
    assert d.received_at.astimezone(dt.UTC).hour == 9


def test_apology_emails_the_applicant(
    staff, agencies, procedure_version, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        d = receive(staff, agencies, procedure_version, applicant, [])
    with (
        time_machine.travel(vn(2027, 3, 3, 10, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.extend(
            d.pk,
            actor=staff["leader"],
            reason="Chờ kết quả xác minh của công an",
            new_due=vn(2027, 3, 10, 17, 0),
        )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["an.nguyen@example.vn"] and d.code in mail.subject
    assert "17 giờ 00 phút, ngày 10/03/2027" in mail.body and "Chờ kết quả xác minh của công an" in mail.body


def test_overdue_without_apology_is_flagged_to_leaders(staff, agencies, procedure_version, applicant):
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        late = receive(staff, agencies, procedure_version, applicant, [])
        apologised = receive(staff, agencies, procedure_version, applicant, [])
    with time_machine.travel(vn(2027, 3, 4, 9, 0), tick=False):
        services.extend(
            apologised.pk, actor=staff["officer"], reason="Xác minh", new_due=vn(2027, 3, 5, 17, 0)
        )
    now = vn(2027, 3, 8, 9, 0)
    assert Box.LATE_NO_APOLOGY in boxes_for(staff["leader"])
    assert Box.LATE_NO_APOLOGY not in boxes_for(staff["officer"])
    assert list(inbox(staff["leader"], Box.LATE_NO_APOLOGY, now=now)) == [late]
    assert set(inbox(staff["leader"], Box.OVERDUE, now=now)) == {late, apologised}


def test_attach_working_document(staff, agencies, procedure_version, applicant, citizen):
    d = receive(staff, agencies, procedure_version, applicant, [])
    d = services.attach(
        d.pk,
        actor=staff["officer"],
        uploads=[Upload("Biên bản xác minh", pdf(), "bien-ban.pdf")],
        note="Biên bản xác minh tại tổ dân phố",
    )
    assert d.attachments.get().purpose == "working" and d.timeline.last().action == "attach"
    with pytest.raises(TransitionError):
        services.attach(d.pk, actor=citizen, uploads=[Upload("Ảnh", pdf())])
    with pytest.raises(TransitionError, match="văn bản"):
        services.attach(d.pk, actor=staff["officer"], uploads=[])


def test_service_centre_clerk_receives_for_the_agencies_it_serves(
    staff, agencies, procedure_version, applicant
):
    centre = Agency.objects.create(
        code="H21.23575.01",
        name="Trung tâm Phục vụ hành chính công phường Pleiku",
        kind="service_centre",
        unit=agencies["ward"].unit,
        parent=agencies["ward"],
    )
    clerk = User.objects.create_user("motcua.ttpv", full_name="Ksor H'Bia", kind="official")
    centre.serves.add(agencies["ward"])  # what this counter receives for (Agency.serves)
    Membership.objects.create(user=clerk, agency=centre, role="clerk")
    d = services.receive(
        actor=clerk,
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
    )
    assert d.status == Status.ACCEPTED and d.receiving_agency == agencies["ward"]
    # …but not for an agency it does not serve.
    with pytest.raises(ServiceError, match="Chỉ cán bộ một cửa"):
        services.receive(
            actor=clerk,
            agency=agencies["justice"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            accept_now=True,
        )


def test_result_is_issued_only_at_the_issue_step(staff, agencies, procedure_version, applicant):
    d = receive(staff, agencies, procedure_version, applicant, [])
    d = advance(d.pk, actor=staff["officer"])  # status 4, at the division head's review
    assert d.status == Status.PROCESSING and d.current_step.kind == "review"
    # Văn thư holds its role at the agency, but the dossier is not at its step yet.
    assert "issue_result" not in [t.name for t in services.available_transitions(staff["clerical"], d)]
    for _ in range(2):
        before = (
            fresh(d).status,
            fresh(d).version,
            TimelineEntry.objects.count(),
            AuditEntry.objects.count(),
        )
        with pytest.raises(TransitionConflict, match="đang ở bước “Vào sổ, phát hành kết quả”") as exc:
            services.issue_result(
                d.pk,
                actor=staff["clerical"],
                number="1/GKS",
                title="Giấy khai sinh",
                upload=Upload("KQ", pdf()),
            )
        assert exc.value.code == "wrong_step"
        assert "Lãnh đạo" in exc.value.message  # names the step the dossier is at
        after = (fresh(d).status, fresh(d).version, TimelineEntry.objects.count(), AuditEntry.objects.count())
        assert after == before and not fresh(d).attachments.exists()
        d = advance(d.pk, actor=staff["leader"])  # review → approve, still not văn thư's
    d = fresh(d)
    assert d.current_step.kind == "issue"
    assert "issue_result" in [t.name for t in services.available_transitions(staff["clerical"], d)]
    d = services.issue_result(
        d.pk, actor=staff["clerical"], number="1/GKS", title="Giấy khai sinh", upload=Upload("KQ", pdf())
    )
    assert d.status == Status.PROCESSED


def test_a_clerical_step_saved_with_another_kind_is_still_the_issue_step(
    staff, agencies, procedure_version, applicant
):
    template = template_for(agencies["ward"], procedure_version.procedure)
    template.steps.filter(role="clerical").update(kind="handle")  # saved before kinds were checked
    d = receive(staff, agencies, procedure_version, applicant, [])
    for who in ("officer", "leader", "leader"):
        d = advance(d.pk, actor=staff[who])
    d = services.issue_result(
        d.pk, actor=staff["clerical"], number="2/GKS", title="Giấy khai sinh", upload=Upload("KQ", pdf())
    )
    assert d.status == Status.PROCESSED
