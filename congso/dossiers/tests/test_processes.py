"""Process templates are data that agency administrators edit without code."""

from decimal import Decimal
from pathlib import Path

import pytest

from congso.accounts.models import User
from congso.catalog.importer import import_paths
from congso.catalog.models import Offering, Procedure
from congso.core.errors import ServiceError
from congso.directory.models import Agency, Membership, Role
from congso.directory.testing import login_verified
from congso.dossiers import services
from congso.dossiers.admin import ProcessStepInline
from congso.dossiers.models import Channel, ProcessStep, ProcessTemplate
from congso.dossiers.processes import (
    DEFAULT_STEPS,
    current_steps,
    replace_steps,
    resolve_agency,
    template_for,
    validate_steps,
)
from congso.dossiers.testing import advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(agencies, staff):
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
    d = advance(d.pk, actor=staff["officer"])  # it keeps to the version it entered (issue 14)
    assert d.current_step.retired and d.current_step.version == old_step.version
    assert d.current_step.name == "Lãnh đạo phòng xem xét, trình ký"


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


def _step(name, kind, role, **kw):
    return {"name": name, "kind": kind, "role": role, "share_percent": kw.pop("share", 10), **kw}


HANDLE = _step("Công chức tư pháp - hộ tịch thẩm định", "handle", "officer")
SIGN = _step("Chủ tịch UBND phường ký", "approve", "leader")
ISSUE = _step("Văn thư phát hành", "issue", "clerical")


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([ISSUE], "Bước đầu tiên không được là bước phát hành kết quả"),
        ([ISSUE, HANDLE, ISSUE], "Bước đầu tiên không được là bước phát hành kết quả"),
        ([HANDLE, SIGN], "cần một bước văn thư vào sổ, phát hành kết quả"),
        ([HANDLE, dict(ISSUE, role="officer")], "phải do văn thư thực hiện"),
        ([HANDLE, dict(ISSUE, kind="approve"), ISSUE], "do văn thư thực hiện nên phải là bước"),
        ([dict(HANDLE, role="agency_admin"), ISSUE], "không xử lý hồ sơ"),
        ([dict(HANDLE, role="ioc_viewer"), ISSUE], "không xử lý hồ sơ"),
        # handling may go to the issue step or to a review from which nothing follows: trapped there
        (
            [dict(HANDLE, next=[2, 3]), ISSUE, SIGN],
            "Từ bước 3 “Chủ tịch UBND phường ký” hồ sơ không thể đi tới",
        ),
        # a loop between two steps that never reaches văn thư
        (
            [dict(HANDLE, next=[2]), dict(SIGN, next=[1]), ISSUE],
            "Bước 3 “Văn thư phát hành” không thể tới được",
        ),
        ([HANDLE, dict(ISSUE, share_percent="NaN")], "từ 0 đến 100"),
    ],
)
def test_templates_that_would_trap_dossiers_are_refused(
    admin_user, agencies, procedure_version, steps, message
):
    template = template_for(agencies["ward"], procedure_version.procedure)
    before = list(template.steps.values_list("pk", "name", "position", "retired"))
    with pytest.raises(ServiceError, match=message):
        replace_steps(admin_user, template, steps)
    assert list(template.steps.values_list("pk", "name", "position", "retired")) == before


def test_trapping_template_is_a_400_over_the_api(client, admin_user, agencies, procedure_version):
    login_verified(client, admin_user)
    response = client.put(
        "/api/v1/dossiers/processes/H21.23575/1.001193", [ISSUE], content_type="application/json"
    )
    assert response.status_code == 400
    assert "Bước đầu tiên không được là bước phát hành" in response.json()["detail"]


def test_the_default_template_is_valid(agencies, procedure_version):
    """handle → review → approve and sign → issue, by officer, leader, leader, văn thư, at the receiving
    agency, with 60/15/10/10 % of the time limit (5 % left for returning the result): ADR 0082."""
    template = template_for(agencies["ward"], procedure_version.procedure)
    assert template.agency == agencies["ward"] and template.procedure == procedure_version.procedure
    assert template.is_active and template.name == "Quy trình mặc định: Thủ tục đăng ký khai sinh"
    steps = current_steps(template)
    Kind = ProcessStep.Kind
    assert [
        (s.position, s.kind, s.role, s.share_percent, s.agency_id, list(s.next_steps.all())) for s in steps
    ] == [
        (1, Kind.HANDLE, Role.OFFICER, Decimal("60"), None, []),
        (2, Kind.REVIEW, Role.LEADER, Decimal("15"), None, []),
        (3, Kind.APPROVE, Role.LEADER, Decimal("10"), None, []),
        (4, Kind.ISSUE, Role.CLERICAL, Decimal("10"), None, []),
    ]
    assert [s.name for s in steps] == [name for _kind, name, _role, _share in DEFAULT_STEPS]
    assert sum(s.share_percent for s in steps) == Decimal("95")
    as_edited = [
        {"name": s.name, "kind": s.kind, "role": s.role, "share_percent": s.share_percent} for s in steps
    ]
    assert validate_steps(as_edited) == {}  # valid as a whole, no agency named
    assert template_for(agencies["ward"], procedure_version.procedure) == template  # created once


def test_many_edits_keep_positions_small_and_distinct(
    admin_user, staff, agencies, procedure_version, applicant
):
    """Retired steps once moved by 1000 + the highest position at every edit: the sixth edit overflowed
    PostgreSQL's smallint. A longer template after retired steps must not collide with them either."""
    template = template_for(agencies["ward"], procedure_version.procedure)
    long = [dict(HANDLE, name=f"Thẩm định lần {i}", share_percent=5) for i in range(1, 9)] + [ISSUE]
    for round_ in range(12):
        d = services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            accept_now=True,
        )  # a dossier stands at the first step, so it is kept (retired) by the next edit
        replace_steps(admin_user, template, STEPS if round_ % 2 else long)
        assert d.current_step.pk in set(template.steps.values_list("pk", flat=True))
    positions = list(template.steps.values_list("position", flat=True))
    assert len(positions) == len(set(positions)) and max(positions) < 200


def test_the_admin_shows_steps_read_only(rf):
    """Steps change only through replace_steps (validated, audited): the admin cannot write them."""
    from django.contrib.admin.sites import site

    inline = ProcessStepInline(ProcessTemplate, site)
    request = rf.get("/")
    assert not inline.has_add_permission(request) and not inline.has_change_permission(request)
    assert not inline.has_delete_permission(request)


# --- the default template from real catalogue records --------------------------------------------

RECORDS = Path(__file__).resolve().parents[2] / "catalog" / "data" / "tthc" / "records" / "bo-tu-phap"


def real_procedure(code):
    """A procedure imported from its real record of the national portal (congso/catalog/data)."""

    report = import_paths([RECORDS / f"{code}.json"])
    assert report.failed == 0, report.failures
    return Procedure.objects.select_related("current_version").get(code=code)


def shape(template):
    return [
        (s.kind, s.role, s.agency.code if s.agency_id else None, s.share_percent)
        for s in template.steps.order_by("position")
    ]


def test_coordinating_agencies_the_directory_knows_become_inter_agency_steps(agencies):
    """2.000513 (đăng ký lại kết hôn có yếu tố nước ngoài, cấp xã): "Cơ quan phối hợp: Công an cấp Xã,
    Sở Tư pháp Thành phố Hà Nội" — the ward's police and Gia Lai's Department of Justice."""

    police = Agency.objects.create(
        code="G01.23575", name="Công an phường Pleiku", kind="other", unit=agencies["ward"].unit
    )
    procedure = real_procedure("2.000513")
    assert "Sở Tư pháp Thành phố Hà Nội" in procedure.current_version.content["coordinating_agency"]
    template = template_for(agencies["ward"], procedure)
    assert shape(template) == [
        ("handle", "officer", None, 40),
        ("handle", "officer", police.code, 10),
        ("handle", "officer", "000.00.12.H21", 10),
        ("review", "leader", None, 15),
        ("approve", "leader", None, 10),
        ("issue", "clerical", None, 10),
    ]
    names = list(template.steps.order_by("position").values_list("name", flat=True))
    assert names[1] == "Lấy ý kiến, phối hợp: Công an phường Pleiku"


def test_a_provincial_procedure_received_at_a_commune_is_handled_by_its_implementing_agency(
    staff, agencies, applicant
):
    """2.002039 (nhập quốc tịch Việt Nam, cấp tỉnh, cơ quan thực hiện: Sở Tư pháp) received at the
    ward's counter: the Department handles, approves and issues; the ward receives and returns."""
    procedure = real_procedure("2.002039")
    template = template_for(agencies["ward"], procedure)
    justice = agencies["justice"].code
    assert shape(template) == [
        ("handle", "officer", justice, 60),
        ("review", "leader", justice, 15),
        ("approve", "leader", justice, 10),
        ("issue", "clerical", justice, 10),
    ]
    # The national record gives the limit without its unit: the ward sets it before receiving (ADR 0143).
    Offering.objects.create(
        agency=agencies["ward"], procedure=procedure, local_time_value=115, local_time_unit="working_days"
    )
    d = services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure.current_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
    )
    assert d.current_agency == agencies["justice"] and d.holder_role == "officer"
    # At the Department itself the procedure is at its own level: the plain default, at home.
    assert shape(template_for(agencies["justice"], procedure)) == [
        ("handle", "officer", None, 60),
        ("review", "leader", None, 15),
        ("approve", "leader", None, 10),
        ("issue", "clerical", None, 10),
    ]


@pytest.mark.parametrize(
    "code",
    [
        "1.000080",  # cấp xã, implemented by the commune: nothing to add
        "2.002516",  # cấp tỉnh và cấp xã; "Cơ quan khác, Cơ quan công an": no agency the directory knows
        # "Ủy ban nhân dân cấp tỉnh, Sở Tư pháp Thành phố Hà Nội": two implementing agencies, no choice
        "2.002193",
    ],
)
def test_records_that_say_nothing_usable_give_the_plain_default(agencies, code):
    Agency.objects.create(
        code="000.00.00.H21",
        name="Ủy ban nhân dân tỉnh Gia Lai",
        kind="peoples_committee",
        unit=agencies["justice"].unit,
    )
    template = template_for(agencies["ward"], real_procedure(code))
    assert shape(template) == [
        ("handle", "officer", None, 60),
        ("review", "leader", None, 15),
        ("approve", "leader", None, 10),
        ("issue", "clerical", None, 10),
    ]


def test_catalogue_phrases_resolve_in_the_receiving_agencys_province(agencies):
    ward = agencies["ward"]
    assert resolve_agency("Sở Tư pháp Thành phố Hà Nội", ward) == agencies["justice"]
    assert resolve_agency("Sở Tư pháp", ward) == agencies["justice"]
    assert resolve_agency("Sở Tư pháp", agencies["justice"]) is None  # not itself
    for phrase in (
        "Bộ Công an",
        "Cục Hành chính tư pháp",
        "Cơ quan khác",
        "Không có thông tin",
        "Sở Xây dựng",
    ):
        assert resolve_agency(phrase, ward) is None
