"""Process templates are data that agency administrators edit without code."""

import pytest

from congso.core.errors import ServiceError
from congso.directory.models import Membership, Role
from congso.directory.testing import login_verified
from congso.dossiers import services
from congso.dossiers.models import Channel
from congso.dossiers.processes import replace_steps, template_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(agencies, staff):
    from congso.accounts.models import User

    user = User.objects.create_user(
        "qt.phuong", password="Mat-khau-dai-2026!", full_name="Trịnh Thu Phương", kind="official"
    )
    Membership.objects.create(user=user, agency=agencies["ward"], role=Role.AGENCY_ADMIN)
    return user


STEPS = [
    {
        "name": "Công chức tư pháp - hộ tịch thẩm định",
        "kind": "handle",
        "role": "officer",
        "share_percent": 50,
        "next": [2, 3],
    },
    {
        "name": "Sở Tư pháp xác minh (liên thông)",
        "kind": "handle",
        "role": "officer",
        "agency": "000.00.12.H21",
        "share_percent": 20,
        "next": [3],
    },
    {"name": "Chủ tịch UBND phường ký", "kind": "approve", "role": "leader", "share_percent": 20},
    {"name": "Văn thư phát hành", "kind": "issue", "role": "clerical", "share_percent": 5},
]


def test_default_template_comes_from_the_catalogue(agencies, procedure_version):
    template = template_for(agencies["ward"], procedure_version.procedure)
    assert [s.role for s in template.steps.order_by("position")] == [
        "officer",
        "leader",
        "leader",
        "clerical",
    ]
    assert "Thủ tục đăng ký khai sinh" in template.name


def test_agency_admin_replaces_steps_with_branch_and_inter_agency_step(
    admin_user, agencies, procedure_version
):
    template = template_for(agencies["ward"], procedure_version.procedure)
    replace_steps(admin_user, template, STEPS)
    steps = list(template.steps.filter(retired=False).order_by("position"))
    assert [s.name for s in steps] == [s["name"] for s in STEPS]
    assert steps[1].agency == agencies["justice"]
    assert [n.position for n in steps[0].next_steps.order_by("position")] == [2, 3]


def test_dossier_at_a_replaced_step_keeps_its_history(
    admin_user, staff, agencies, procedure_version, applicant
):
    d = services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
    )
    old_step = d.current_step
    replace_steps(admin_user, d.template, STEPS)
    old_step.refresh_from_db()
    assert old_step.retired
    d = services.forward(d.pk, actor=staff["officer"])  # the handler picks up the new process
    assert not d.current_step.retired


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"role": "hacker"}, "vai trò không hợp lệ"),
        ({"kind": "magic"}, "loại bước không hợp lệ"),
        ({"share_percent": 150}, "từ 0 đến 100"),
        ({"agency": "KHONG.TON.TAI"}, "không tìm thấy cơ quan"),
        ({"next": [9]}, "bước không tồn tại"),
        ({"name": " "}, "chưa có tên"),
    ],
)
def test_invalid_templates_are_refused_and_change_nothing(
    admin_user, agencies, procedure_version, change, message
):
    template = template_for(agencies["ward"], procedure_version.procedure)
    before = list(template.steps.values_list("pk", "name"))
    steps = [dict(STEPS[0], **change), *STEPS[1:]]
    with pytest.raises(ServiceError, match=message):
        replace_steps(admin_user, template, steps)
    assert list(template.steps.values_list("pk", "name")) == before


def test_shares_over_100_percent_refused(admin_user, agencies, procedure_version):
    template = template_for(agencies["ward"], procedure_version.procedure)
    with pytest.raises(ServiceError, match="vượt quá 100%"):
        replace_steps(admin_user, template, [dict(s, share_percent=40) for s in STEPS])


def test_only_agency_admins_edit(staff, agencies, procedure_version, client, admin_user):
    from django.core.exceptions import PermissionDenied

    template = template_for(agencies["ward"], procedure_version.procedure)
    with pytest.raises(PermissionDenied):
        replace_steps(staff["leader"], template, STEPS)
    login_verified(client, staff["leader"])
    assert client.get("/api/v1/dossiers/processes/H21.23575/1.001193").status_code == 403
    login_verified(client, admin_user)
    response = client.put(
        "/api/v1/dossiers/processes/H21.23575/1.001193", STEPS, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert [s["name"] for s in response.json()["steps"]] == [s["name"] for s in STEPS]
