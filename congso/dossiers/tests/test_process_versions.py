"""Issue 14: saving a process template never retires the steps that dossiers in progress stand on, nor
misroutes them. Every save is a version; a dossier keeps moving along the steps (and branches) of the
version it entered, while dossiers accepted afterwards follow the new one."""

import pytest

from congso.accounts.models import User
from congso.directory.models import Membership, Role
from congso.directory.testing import login_verified
from congso.dossiers import services
from congso.dossiers.models import Channel, Dossier, ProcessStep, Status
from congso.dossiers.processes import replace_steps, template_for
from congso.dossiers.services import Upload

from .conftest import pdf

pytestmark = pytest.mark.django_db

# The new process: the specialist, the Department of Justice (liên thông), the chairman, văn thư.
NEW = [
    {"name": "Công chức tư pháp thẩm định (mới)", "kind": "handle", "role": "officer", "share_percent": 40},
    {
        "name": "Sở Tư pháp xác minh (liên thông)",
        "kind": "handle",
        "role": "officer",
        "agency": "000.00.12.H21",
        "share_percent": 30,
    },
    {"name": "Chủ tịch UBND phường ký", "kind": "approve", "role": "leader", "share_percent": 20},
    {"name": "Văn thư phát hành (mới)", "kind": "issue", "role": "clerical", "share_percent": 5},
]
SHORT = [
    {"name": "Thẩm định rút gọn", "kind": "handle", "role": "officer", "share_percent": 60},
    {"name": "Văn thư phát hành (rút gọn)", "kind": "issue", "role": "clerical", "share_percent": 10},
]


@pytest.fixture
def admin(agencies):
    user = User.objects.create_user(
        "qt.phuong", password="Mat-khau-dai-2026!", full_name="Trịnh Thu Phương", kind="official"
    )
    Membership.objects.create(user=user, agency=agencies["ward"], role=Role.AGENCY_ADMIN)
    return user


@pytest.fixture
def receive(staff, agencies, procedure_version, applicant):
    template_for(agencies["ward"], procedure_version.procedure)

    def make():
        d = services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            accept_now=True,
        )
        return Dossier.objects.select_related("current_step").get(pk=d.pk)

    return make


def _walk_to_the_end(d, staff):
    """The holders move it on until văn thư issues it; returns the step names it went through."""
    names = [d.current_step.name]
    for _ in range(10):
        d = Dossier.objects.select_related("current_step").get(pk=d.pk)
        step = d.current_step
        if step.role == Role.CLERICAL:
            services.issue_result(
                d.pk, actor=staff["clerical"], number="1/GKS", title="GKS", upload=Upload("KQ", pdf())
            )
            return names
        actor = staff["justice_officer"] if step.agency_id else staff[step.role]
        d = (services.approve if step.role == Role.LEADER else services.forward)(d.pk, actor=actor)
        names.append(d.current_step.name)
    raise AssertionError(names)


def test_a_dossier_in_progress_keeps_its_version_while_new_ones_follow_the_edit(admin, staff, receive):
    old = receive()
    v1 = [s.name for s in old.template.steps.order_by("position")]
    replace_steps(admin, old.template, NEW)
    old.refresh_from_db()
    assert old.current_step.retired and old.current_step.version == 1 and old.template.version == 2
    # the steps still ahead of it are kept, even though no dossier has been there yet
    assert ProcessStep.objects.filter(template=old.template, version=1).count() == 4

    new = receive()
    assert new.current_step.name == NEW[0]["name"] and new.current_step.version == 2

    assert _walk_to_the_end(old, staff) == v1  # never sent into the new steps
    assert Dossier.objects.get(pk=old.pk).status == Status.PROCESSED
    assert _walk_to_the_end(new, staff) == [s["name"] for s in NEW]


def test_two_edits_keep_each_versions_order(admin, staff, receive):
    d = receive()
    template = d.template
    replace_steps(admin, template, SHORT)
    replace_steps(admin, template, NEW)  # longer than the last: positions of older steps must not mix
    v1 = ["Thụ lý, thẩm định hồ sơ", "Lãnh đạo phòng xem xét, trình ký", "Lãnh đạo cơ quan phê duyệt, ký"]
    assert _walk_to_the_end(d, staff)[:3] == v1
    template.refresh_from_db()
    assert template.version == 3
    current = list(template.steps.filter(retired=False).order_by("position").values_list("name", flat=True))
    assert current == [s["name"] for s in NEW]


def test_a_version_nobody_stands_on_is_cleared(admin, receive, agencies, procedure_version):
    template = template_for(agencies["ward"], procedure_version.procedure)
    replace_steps(admin, template, SHORT)
    assert not ProcessStep.objects.filter(template=template, version=1).exists()  # no dossier ever used it


def test_the_api_shows_the_version(client, admin, agencies, procedure_version):
    login_verified(client, admin)
    url = f"/api/v1/dossiers/processes/{agencies['ward'].code}/{procedure_version.procedure.code}"
    assert client.get(url).json()["version"] == 1
    assert client.put(url, SHORT, content_type="application/json").json()["version"] == 2
