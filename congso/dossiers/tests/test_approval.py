"""Issue 14: a leader's step offers approval (phê duyệt) and return for revision (trả lại để xử lý
lại, with a reason, back to the specialist who handled it); where the process step says so, approval
signs the draft result with the leader's personal key (PAdES), and văn thư issues that signed draft."""

import pytest

from congso.accounts.models import User
from congso.catalog.models import Offering
from congso.core.errors import ServiceError
from congso.core.models import AuditEntry
from congso.directory.models import Membership, Role
from congso.directory.testing import login_verified
from congso.dossiers import services
from congso.dossiers.models import Attachment, Channel, Dossier, ProcessStep, Status
from congso.dossiers.processes import template_for
from congso.dossiers.services import Upload
from congso.signing import demo as signing_demo
from congso.signing.verify import verify_pdf

from .conftest import pdf

pytestmark = pytest.mark.django_db

REASON = "Tờ khai ghi sai ngày sinh của trẻ, đề nghị kiểm tra lại"


@pytest.fixture
def signing_step(agencies, procedure_version):
    template = template_for(agencies["ward"], procedure_version.procedure)
    template.steps.filter(kind=ProcessStep.Kind.APPROVE).update(signs=True)
    return template


@pytest.fixture
def keys(staff, agencies):
    signing_demo.ensure_ca()
    leader = signing_demo.demo_key(
        label="personal-ld.tuan",
        kind="personal",
        common_name="Nguyễn Minh Tuấn",
        user=staff["leader"],
        agency=agencies["ward"],
        position="Chủ tịch UBND phường",
    )
    seal = signing_demo.demo_key(
        label="seal-ward", kind="seal", common_name=agencies["ward"].name, agency=agencies["ward"]
    )
    return leader, seal


@pytest.fixture
def at_review(staff, agencies, procedure_version, applicant, signing_step):
    d = services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
    )
    services.forward(d.pk, actor=staff["officer"], note="Hồ sơ hợp lệ, trình lãnh đạo")
    return Dossier.objects.get(pk=d.pk)


def _names(user, d):
    return {t.name for t in services.available_transitions(user, Dossier.objects.get(pk=d.pk))}


def test_a_leader_returns_the_dossier_to_the_specialist_with_a_reason(staff, at_review):
    d = at_review
    assert {"approve", "return_for_revision"} <= _names(staff["leader"], d)
    assert "forward" not in _names(staff["leader"], d)
    with pytest.raises(ServiceError, match="lý do"):
        services.return_for_revision(d.pk, actor=staff["leader"], reason="  ")
    with pytest.raises(ServiceError):
        services.return_for_revision(d.pk, actor=staff["officer"], reason=REASON)  # not the step's holder
    d = services.return_for_revision(d.pk, actor=staff["leader"], reason=REASON)
    assert d.status == Status.PROCESSING
    assert d.current_step.role == "officer" and d.current_step.kind == ProcessStep.Kind.HANDLE
    assert d.assignee == staff["officer"]  # back to the specialist who handled it
    entry = d.timeline.latest("id")
    assert entry.action == "return_for_revision" and entry.note == REASON
    assert AuditEntry.objects.filter(action="dossier.return_for_revision", object_id=str(d.pk)).exists()
    # the specialist handles it again and it goes back up
    d = services.forward(d.pk, actor=staff["officer"], note="Đã sửa ngày sinh")
    assert d.current_step.role == "leader"


def test_approval_signs_the_draft_and_vanthu_issues_the_signed_draft(staff, at_review, keys):
    d = services.approve(at_review.pk, actor=staff["leader"], note="Đồng ý, trình Chủ tịch")  # review
    assert d.current_step.signs and d.current_step.kind == ProcessStep.Kind.APPROVE
    # No draft yet: approval (which signs) is not offered and is refused; returning is.
    assert "approve" not in _names(staff["leader"], d)
    assert "return_for_revision" in _names(staff["leader"], d)
    with pytest.raises(ServiceError, match="dự thảo"):
        services.approve(d.pk, actor=staff["leader"])
    services.attach(
        d.pk, actor=staff["leader"], uploads=[Upload("Dự thảo Giấy khai sinh", pdf(), "du-thao-gks.pdf")]
    )
    assert "approve" in _names(staff["leader"], d)

    d = services.approve(d.pk, actor=staff["leader"])
    assert d.current_step.role == "clerical"
    signed = d.attachments.get(purpose=Attachment.Purpose.SIGNED_DRAFT)
    report = verify_pdf(signed.file.read())
    assert report.ok, report.summary
    assert [s.signer_name for s in report.signatures] == ["Nguyễn Minh Tuấn"]
    entry = d.timeline.latest("id")
    assert entry.action == "approve" and entry.data["signed"] is True
    assert AuditEntry.objects.filter(action="signing.sign", actor_id=staff["leader"].pk).exists()

    # Văn thư issues the signed draft without uploading anything: the leader's signature stays valid
    # and the agency's seal is added.
    d = services.issue_result(
        d.pk, actor=staff["clerical"], number="125/GKS", title="Giấy khai sinh", upload=None
    )
    assert d.status == Status.PROCESSED
    result = verify_pdf(d.result.attachment.file.read())
    assert result.ok, result.summary
    assert len(result.signatures) == 2 and result.signatures[0].signer_name == "Nguyễn Minh Tuấn"


def test_without_a_personal_key_signing_approval_is_not_offered(staff, at_review):
    d = services.approve(at_review.pk, actor=staff["leader"])  # review: this step does not sign
    services.attach(d.pk, actor=staff["leader"], uploads=[Upload("Dự thảo", pdf(), "du-thao.pdf")])
    assert "approve" not in _names(staff["leader"], d)
    with pytest.raises(ServiceError, match="khoá ký số"):
        services.approve(d.pk, actor=staff["leader"])
    assert Dossier.objects.get(pk=d.pk).current_step.kind == ProcessStep.Kind.APPROVE


def test_approve_and_return_through_the_api(client, staff, at_review):
    login_verified(client, staff["leader"])
    body = client.get(f"/api/v1/dossiers/{at_review.code}").json()
    names = [a["name"] for a in body["actions"]]
    assert "approve" in names and "return_for_revision" in names and "forward" not in names
    refused = client.post(
        f"/api/v1/dossiers/{at_review.code}/actions/return_for_revision",
        {"expected_version": body["version"], "reason": ""},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "lý do" in refused.json()["detail"]
    done = client.post(
        f"/api/v1/dossiers/{at_review.code}/actions/approve",
        {"expected_version": body["version"], "note": "Đồng ý"},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["timeline"][-1]["action"] == "approve"


def test_the_signing_flag_is_in_the_process_editor_and_the_api(client, agencies, procedure_version, staff):
    admin = User.objects.create_user("qt.phuong", password="Mat-khau-dai-2026!", kind="official")
    Membership.objects.create(user=admin, agency=agencies["ward"], role=Role.AGENCY_ADMIN)
    login_verified(client, admin)
    url = f"/api/v1/dossiers/processes/{agencies['ward'].code}/{procedure_version.procedure.code}"
    steps = client.get(url).json()["steps"]
    assert all(s["signs"] is False for s in steps)
    steps[2]["signs"] = True  # the leader's approval step
    saved = client.put(url, steps, content_type="application/json")
    assert saved.status_code == 200 and [s["signs"] for s in saved.json()["steps"]] == [
        False,
        False,
        True,
        False,
    ]
    steps[0]["signs"] = True  # the specialist's step cannot sign
    bad = client.put(url, steps, content_type="application/json")
    assert bad.status_code == 400 and "lãnh đạo" in bad.json()["detail"]
    Offering.objects.create(agency=agencies["ward"], procedure=procedure_version.procedure)
    page = client.get(f"/mot-cua/quy-trinh/{agencies['ward'].code}/{procedure_version.procedure.code}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Lãnh đạo ký số dự thảo kết quả khi phê duyệt" in html
    assert 'id="id_steps-2-signs" checked' in html
