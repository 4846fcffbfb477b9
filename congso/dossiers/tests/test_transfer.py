"""A leader hands a dossier to another agency explicitly (liên thông outside the template): one code,
one clock, a timeline and audit entry, and it comes back to the step it left."""

import pytest
import time_machine

from congso.accounts.models import User
from congso.core.errors import Conflict, ServiceError
from congso.core.models import AuditEntry
from congso.core.statemachine import TransitionConflict, TransitionError
from congso.directory.models import Membership, Role
from congso.directory.testing import login_verified
from congso.dossiers import services
from congso.dossiers.inbox import inbox
from congso.dossiers.models import Channel, Dossier, ProcessStep, Status, TimelineEntry
from congso.dossiers.processes import current_steps, validate_steps
from congso.dossiers.testing import advance

from .conftest import pdf, vn

pytestmark = pytest.mark.django_db
REASON = "Cần Sở Tư pháp thẩm định yếu tố nước ngoài của hồ sơ"


@pytest.fixture
def at_review(staff, agencies, procedure_version, applicant):
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        d = services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            accept_now=True,
        )
        return advance(d.pk, actor=staff["officer"])  # → the division head's review (leader)


def snapshot(d):
    d = Dossier.objects.get(pk=d.pk)
    return (
        d.status,
        d.version,
        d.current_agency_id,
        d.current_step_id,
        TimelineEntry.objects.count(),
        AuditEntry.objects.count(),
        ProcessStep.objects.count(),
        d.step_runs.count(),
    )


def test_leader_transfers_and_the_dossier_comes_back(staff, agencies, at_review, citizen):
    justice, ward = agencies["justice"], agencies["ward"]
    origin, code, due = at_review.current_step, at_review.code, at_review.due_at
    origin_due = at_review.step_runs.get(finished_at__isnull=True).due_at
    with time_machine.travel(vn(2027, 3, 2, 9, 0), tick=False):
        d = services.transfer(at_review.pk, actor=staff["leader"], agency=justice, reason=REASON)
    assert (d.code, d.due_at, d.status) == (code, due, Status.PROCESSING)
    assert (d.current_agency, d.holder_role, d.assignee) == (justice, Role.OFFICER, None)
    step = d.current_step
    assert step.kind == "transfer" and step.retired and step.agency == justice
    assert list(step.next_steps.all()) == [origin]
    assert step not in current_steps(d.template)  # never part of the template
    run = d.step_runs.get(finished_at__isnull=True)
    assert (run.agency, run.due_at) == (justice, origin_due)
    entry = d.timeline.last()
    assert (entry.action, entry.note, entry.agency) == ("transfer", REASON, justice)
    assert entry.data["transfer"] == {"from": ward.code, "to": justice.code}
    assert AuditEntry.objects.filter(action="dossier.transfer", object_id=str(d.pk)).exists()
    # The Department's officer finds it and sends it back; the ward's leader continues.
    officer = staff["justice_officer"]
    assert d in inbox(officer, "handle") and d in inbox(officer, "transferred_in")
    assert d not in inbox(staff["leader"], "review")
    with pytest.raises(TransitionError):  # the ward no longer holds it
        advance(d.pk, actor=staff["leader"])
    with time_machine.travel(vn(2027, 3, 3, 9, 0), tick=False):
        d = advance(d.pk, actor=officer, note="Đủ điều kiện, đề nghị phường giải quyết")
    assert (d.current_step, d.current_agency, d.holder_role) == (origin, ward, Role.LEADER)
    assert d.step_runs.get(finished_at__isnull=True).due_at == origin_due
    for who in ("leader", "leader"):
        d = advance(d.pk, actor=staff[who])
    d = services.issue_result(
        d.pk,
        actor=staff["clerical"],
        number="3/GKS",
        title="Giấy khai sinh",
        upload=services.Upload("KQ", pdf()),
    )
    assert d.status == Status.PROCESSED and d.code == code
    # What the citizen sees of the transfer: congso/tracking/tests/test_transfer_timeline.py


def test_two_transfers_in_one_template_get_distinct_steps(
    staff, agencies, procedure_version, applicant, at_review
):
    other = services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
    )
    a = services.transfer(at_review.pk, actor=staff["leader"], agency=agencies["justice"], reason=REASON)
    b = services.transfer(other.pk, actor=staff["leader"], agency=agencies["justice"], reason=REASON)
    assert a.current_step != b.current_step and a.current_step.position != b.current_step.position
    assert Status(b.status) == Status.PROCESSING  # from accepted (at the first step) too


def _leader_of(agency, username):
    user = User.objects.create_user(
        username, password="Mat-khau-dai-2026!", full_name="Lê Văn Hải", kind="official"
    )
    Membership.objects.create(user=user, agency=agency, role=Role.LEADER)
    return user


@pytest.mark.parametrize(
    ("case", "error", "message"),
    [
        ("officer", TransitionError, "không có vai trò"),  # only a leader transfers
        ("clerical", TransitionError, "không có vai trò"),
        ("other_leader", TransitionError, "không có vai trò"),  # a leader of another agency
        ("no_reason", TransitionError, "Cần nhập lý do"),
        ("no_agency", TransitionError, "Cần nhập cơ quan nhận"),
        ("same_agency", ServiceError, "chính cơ quan này"),
        ("inactive", ServiceError, "ngừng hoạt động"),
        ("unstaffed", ServiceError, "chưa có ai giữ vai trò Chuyên viên xử lý"),
        ("bad_role", ServiceError, "chuyên viên xử lý hoặc lãnh đạo"),
        ("paused", TransitionConflict, "Yêu cầu bổ sung"),
        ("stale", Conflict, "vừa được người khác cập nhật"),
    ],
)
def test_refused_transfers_change_nothing(staff, agencies, at_review, case, error, message):
    actor = staff["leader"]
    kwargs = {"agency": agencies["justice"], "reason": REASON}
    if case in ("officer", "clerical"):
        actor = staff[case]
    elif case == "other_leader":
        actor = _leader_of(agencies["justice"], "ld.sotuphap")
    elif case == "no_reason":
        kwargs["reason"] = "  "
    elif case == "no_agency":
        kwargs["agency"] = None
    elif case == "same_agency":
        kwargs["agency"] = agencies["ward"]
    elif case == "inactive":
        agencies["justice"].is_active = False
        agencies["justice"].save()
    elif case == "unstaffed":
        kwargs["agency"] = agencies["other"]  # Ia Grai has a clerk, no officer
    elif case == "bad_role":
        kwargs["role"] = Role.CLERICAL
    elif case == "paused":
        services.request_supplement(at_review.pk, actor=staff["officer"], reason="Thiếu giấy chứng sinh")
    elif case == "stale":
        kwargs["expected_version"] = at_review.version - 1
    before = snapshot(at_review)
    with pytest.raises(error, match=message):
        services.transfer(at_review.pk, actor=actor, **kwargs)
    assert snapshot(at_review) == before


def test_transfer_over_the_api(client, staff, agencies, at_review):
    url = f"/api/v1/dossiers/{at_review.code}/actions/transfer"
    with time_machine.travel(vn(2027, 3, 2, 9, 0), tick=False):  # after the receipt: timeline order
        login_verified(client, staff["leader"])
        actions = [a["name"] for a in client.get(f"/api/v1/dossiers/{at_review.code}").json()["actions"]]
        assert "transfer" in actions
        unknown = client.post(
            url,
            {"agency": "KHONG.CO", "reason": REASON, "expected_version": at_review.version},
            content_type="application/json",
        )
        assert unknown.status_code == 400 and unknown.json()["field"] == "agency"
        ok = client.post(
            url,
            {"agency": "000.00.12.H21", "reason": REASON, "expected_version": at_review.version},
            content_type="application/json",
        )
        assert ok.status_code == 200, ok.content
        body = ok.json()
        assert body["current_agency"] == "000.00.12.H21" and body["timeline"][-1]["action"] == "transfer"
        # The leader keeps read access (the dossier passed through the ward) but can no longer act.
        assert "transfer" not in [a["name"] for a in body["actions"]]
        again = client.post(
            url,
            {"agency": "H21.23764", "reason": REASON, "expected_version": body["version"]},
            content_type="application/json",
        )
        assert again.status_code == 403 and again.json()["code"] == "forbidden_role"
        login_verified(client, staff["officer"])
        refused = client.post(
            f"/api/v1/dossiers/{at_review.code}/actions/transfer",
            {"agency": "000.00.12.H21", "reason": REASON, "expected_version": body["version"]},
            content_type="application/json",
        )
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden_role"


def test_templates_cannot_declare_transfer_steps(agencies, procedure_version):
    with pytest.raises(ServiceError, match="loại bước không hợp lệ"):
        validate_steps(
            [
                {"name": "Liên thông", "kind": "transfer", "role": "officer"},
                {"name": "Văn thư phát hành", "kind": "issue", "role": "clerical"},
            ]
        )


def test_leader_transfers_from_the_dossier_page(client, staff, agencies, at_review):
    """The page offers the transfer with the province's agencies as suggestions; a code that names no
    agency, or no reason, changes nothing."""
    justice = agencies["justice"]
    login_verified(client, staff["leader"])
    page = client.get(f"/mot-cua/ho-so/{at_review.code}/").content.decode()
    url = f"/mot-cua/ho-so/{at_review.code}/thao-tac/transfer/"
    assert f'action="{url}"' in page
    assert f'<option value="{justice.code}">' in page
    before = snapshot(at_review)[:5]
    bad = client.post(
        url,
        {"expected_version": at_review.version, "agency_code": "H21.KHONGCO", "reason": REASON},
        follow=True,
    )
    assert "Không tìm thấy cơ quan" in bad.content.decode()
    assert snapshot(at_review)[:5] == before  # (the page read after the redirect is audited)
    before = snapshot(at_review)
    client.post(url, {"expected_version": at_review.version, "agency_code": justice.code, "reason": ""})
    assert snapshot(at_review) == before
    done = client.post(
        url,
        {"expected_version": at_review.version, "agency_code": justice.code.lower(), "reason": REASON},
        follow=True,
    )
    assert "Đã thực hiện" in done.content.decode()
    d = Dossier.objects.get(pk=at_review.pk)
    assert d.current_agency == justice and d.timeline.filter(action="transfer", note=REASON).exists()
