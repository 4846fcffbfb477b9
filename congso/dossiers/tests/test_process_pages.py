"""Agency administrators edit process templates without code: a page per agency listing its offered
procedures and a table form saved through processes.replace_steps (validated, audited)."""

import pytest

from congso.accounts.models import User
from congso.catalog.models import Offering
from congso.core.models import AuditEntry
from congso.directory.models import Membership
from congso.directory.testing import login_verified
from congso.dossiers.models import ProcessStep, ProcessTemplate
from congso.dossiers.processes import template_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_official(agencies):
    user = User.objects.create_user("qt.pleiku", full_name="Nguyễn Văn Hùng", kind="official")
    Membership.objects.create(user=user, agency=agencies["ward"], role="agency_admin")
    return user


@pytest.fixture
def offering(agencies, procedure_version):
    return Offering.objects.create(agency=agencies["ward"], procedure=procedure_version.procedure)


def _row(i, order, name, kind, role, share, agency="", nxt=""):
    p = f"steps-{i}-"
    return {
        p + "order": order,
        p + "name": name,
        p + "kind": kind,
        p + "role": role,
        p + "agency": agency,
        p + "share_percent": share,
        p + "next": nxt,
    }


def _post(rows, initial=4):
    data = {
        "steps-TOTAL_FORMS": str(len(rows)),
        "steps-INITIAL_FORMS": str(initial),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "30",
    }
    for i, row in enumerate(rows):
        data.update(_row(i, *row))
    return data


def test_agency_admin_sees_procedures_and_the_default_steps(client, admin_official, agencies, offering):
    login_verified(client, admin_official)
    catalogue = client.get("/thu-tuc/quan-ly/H21.23575/").content.decode()
    assert 'href="/mot-cua/quy-trinh/H21.23575/"' in catalogue
    html = client.get("/mot-cua/quy-trinh/H21.23575/").content.decode()
    assert "1.001193" in html and "Quy trình mặc định" in html
    edit = client.get("/mot-cua/quy-trinh/H21.23575/1.001193/").content.decode()
    assert 'value="Thụ lý, thẩm định hồ sơ"' in edit and 'value="Văn thư vào sổ, đóng dấu, phát hành"' in edit
    assert "Sở Tư pháp tỉnh Gia Lai (000.00.12.H21)" in edit  # a liên thông choice in the province
    assert not ProcessTemplate.objects.exists()  # looking writes nothing


def test_agency_admin_reorders_adds_an_inter_agency_step_and_a_branch(
    client, admin_official, agencies, offering
):
    login_verified(client, admin_official)
    rows = [
        (1, "Công chức tư pháp – hộ tịch thẩm tra", "handle", "officer", "40", "", "2, 3"),
        (3, "Lãnh đạo phê duyệt", "approve", "leader", "15"),
        (2, "Xác minh thực địa", "handle", "officer", "10"),
        (4, "Văn thư phát hành", "issue", "clerical", "10"),
        (5, "Sở Tư pháp xác minh (liên thông)", "handle", "officer", "20", "000.00.12.H21"),
        ("", "", "", "", ""),
    ]
    # Move the department step before approval by its order number.
    rows[4] = (2.5, *rows[4][1:])
    rows[4] = (3, *rows[4][1:])
    rows[1] = (4, *rows[1][1:])
    rows[3] = (5, *rows[3][1:])
    rows[2] = (2, *rows[2][1:])
    response = client.post("/mot-cua/quy-trinh/H21.23575/1.001193/", _post(rows), follow=True)
    assert "Đã lưu quy trình xử lý thủ tục 1.001193." in response.content.decode()
    template = ProcessTemplate.objects.get()
    steps = list(template.steps.filter(retired=False).order_by("position"))
    assert [s.name for s in steps] == [
        "Công chức tư pháp – hộ tịch thẩm tra",
        "Xác minh thực địa",
        "Sở Tư pháp xác minh (liên thông)",
        "Lãnh đạo phê duyệt",
        "Văn thư phát hành",
    ]
    assert steps[2].agency == agencies["justice"]
    assert [s.position for s in steps[0].next_steps.order_by("position")] == [2, 3]
    assert AuditEntry.objects.filter(action="dossier.process.replace").count() == 1
    # The list shows the new steps.
    assert "Sở Tư pháp xác minh (liên thông)" in client.get("/mot-cua/quy-trinh/H21.23575/").content.decode()


def test_invalid_template_is_refused_with_a_message_and_nothing_changes(client, admin_official, offering):
    login_verified(client, admin_official)
    rows = [
        (1, "Thụ lý", "handle", "officer", "60"),
        (2, "Phê duyệt", "approve", "leader", "50"),
    ]
    response = client.post("/mot-cua/quy-trinh/H21.23575/1.001193/", _post(rows, initial=2))
    html = response.content.decode()
    assert response.status_code == 200 and "Tổng tỷ lệ thời gian các bước vượt quá 100%." in html
    rows = [(1, "Thụ lý", "handle", "officer", "60", "", "7"), (2, "Văn thư", "issue", "clerical", "10")]
    html = client.post("/mot-cua/quy-trinh/H21.23575/1.001193/", _post(rows, initial=2)).content.decode()
    assert "không có trong quy trình" in html
    rows = [(1, "Thụ lý", "handle", "officer", "60"), (1, "Văn thư", "issue", "clerical", "10")]
    html = client.post("/mot-cua/quy-trinh/H21.23575/1.001193/", _post(rows, initial=2)).content.decode()
    assert "Hai bước không được trùng thứ tự." in html
    assert not ProcessStep.objects.exists()
    assert not AuditEntry.objects.filter(action="dossier.process.replace").exists()


def test_deleting_a_step(client, admin_official, offering):
    login_verified(client, admin_official)
    rows = [
        (1, "Thụ lý", "handle", "officer", "60"),
        (2, "Lãnh đạo phòng xem xét", "review", "leader", "15"),
        (3, "Phê duyệt", "approve", "leader", "10"),
        (4, "Văn thư", "issue", "clerical", "10"),
    ]
    data = _post(rows)
    data["steps-1-DELETE"] = "on"
    client.post("/mot-cua/quy-trinh/H21.23575/1.001193/", data)
    names = list(
        ProcessStep.objects.filter(retired=False).order_by("position").values_list("name", flat=True)
    )
    assert names == ["Thụ lý", "Phê duyệt", "Văn thư"]


def test_other_officials_are_refused(client, staff, agencies, offering):
    login_verified(client, staff["officer"])
    assert client.get("/mot-cua/quy-trinh/H21.23575/").status_code == 403
    assert client.get("/mot-cua/quy-trinh/H21.23575/1.001193/").status_code == 403
    response = client.post(
        "/mot-cua/quy-trinh/H21.23575/1.001193/",
        _post([(1, "Văn thư", "issue", "clerical", "10")], initial=0),
    )
    assert response.status_code == 403 and not ProcessTemplate.objects.exists()
    other_admin = User.objects.create_user("qt.iagrai", full_name="Rah Lan Hiếu", kind="official")
    Membership.objects.create(user=other_admin, agency=agencies["other"], role="agency_admin")
    login_verified(client, other_admin)
    assert client.get("/mot-cua/quy-trinh/H21.23575/").status_code == 403


def test_admin_inline_is_read_only(admin_client, agencies, procedure_version, admin_official, offering):
    template = template_for(agencies["ward"], procedure_version.procedure)
    html = admin_client.get(
        f"/quan-tri-he-thong/dossiers/processtemplate/{template.pk}/change/"
    ).content.decode()
    assert "Thụ lý, thẩm định hồ sơ" in html
    assert 'name="steps-0-name"' not in html and 'name="steps-0-share_percent"' not in html
