"""Issue 5, done-when: a full dossier in the browser. A clerk receives it at a commune centre, a
specialist handles it, it goes to the provincial Department of Justice and back, a leader reviews and
approves it, văn thư issues the result, and the counter returns it. The timeline and the clock are
checked at every step, and every page passes axe-core."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from pypdf import PdfWriter

from congso.catalog.models import Offering
from congso.directory.models import Agency, Membership
from congso.directory.testing import login_verified
from congso.dossiers.models import Dossier, Status
from congso.dossiers.processes import replace_steps, template_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pdf(tmp_path, name):
    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    path = tmp_path / name
    with open(path, "wb") as fh:
        writer.write(fh)
    return str(path)


def _as(page, live_server, user):
    client = Client()
    login_verified(client, user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def world(agencies, staff, procedure_version):
    from congso.accounts.models import User

    ward = agencies["ward"]
    centre = Agency.objects.create(
        code="H21.23575.01",
        name="Trung tâm Phục vụ hành chính công phường Pleiku",
        kind="service_centre",
        unit=ward.unit,
        parent=ward,
    )
    counter_clerk = User.objects.create_user("motcua.pleiku", full_name="Đinh Thị Hoa", kind="official")
    Membership.objects.create(user=counter_clerk, agency=centre, role="clerk")
    admin = User.objects.create_user("quantri.pleiku", full_name="Nguyễn Văn Hùng", kind="official")
    Membership.objects.create(user=admin, agency=ward, role="agency_admin")
    offering = Offering.objects.create(agency=ward, procedure=procedure_version.procedure)
    replace_steps(
        admin,
        template_for(ward, procedure_version.procedure),
        [
            {
                "name": "Công chức tư pháp – hộ tịch thẩm tra",
                "kind": "handle",
                "role": "officer",
                "share_percent": 40,
            },
            {
                "name": "Sở Tư pháp xác minh (liên thông)",
                "kind": "handle",
                "role": "officer",
                "agency": "000.00.12.H21",
                "share_percent": 20,
            },
            {"name": "Lãnh đạo phòng xem xét", "kind": "review", "role": "leader", "share_percent": 15},
            {"name": "Chủ tịch UBND phường ký", "kind": "approve", "role": "leader", "share_percent": 10},
            {"name": "Văn thư phát hành", "kind": "issue", "role": "clerical", "share_percent": 10},
        ],
    )
    return {"clerk": counter_clerk, "offering": offering, **staff}


def _forward(page, note=""):
    form = page.locator("form[action$='/thao-tac/forward/']")
    if note:
        form.get_by_label("Ghi chú").fill(note)
    form.get_by_role("button", name="Chuyển bước xử lý").click()
    assert "Đã thực hiện: Chuyển bước xử lý." in page.locator(".messages").inner_text()


def _facts(page):
    return page.locator("#clock-title + dl").inner_text()


def test_full_dossier_walk(page, live_server, axe, world, tmp_path):
    # 1. The counter at the commune centre receives the dossier.
    _as(page, live_server, world["clerk"])
    page.goto("/mot-cua/tiep-nhan/")
    axe(page, "intake: choose procedure")
    page.get_by_label("Thủ tục hành chính").select_option(str(world["offering"].pk))
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Họ tên người nộp hoặc tên tổ chức").fill("Nguyễn Văn An")
    page.get_by_label("Số CCCD hoặc mã số thuế").fill("052095001234")
    page.get_by_label("Số điện thoại").fill("0905123456")
    page.get_by_label("Tờ khai đăng ký khai sinh", exact=True).set_input_files(_pdf(tmp_path, "to-khai.pdf"))
    page.get_by_label("Giấy chứng sinh", exact=True).set_input_files(_pdf(tmp_path, "giay-chung-sinh.pdf"))
    axe(page, "intake: form")
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    dossier = Dossier.objects.get()
    assert dossier.code.startswith("H21.23575-")
    assert page.get_by_role("heading", level=1).inner_text() == f"Hồ sơ {dossier.code}"
    due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
    assert "Đã tiếp nhận" in _facts(page) and due in _facts(page)
    axe(page, "dossier page (clerk)")

    def visit(user):
        _as(page, live_server, user)
        page.goto(f"/mot-cua/ho-so/{dossier.code}/")

    # 2. The ward's specialist handles it and sends it to the Department of Justice.
    visit(world["officer"])
    _forward(page, "Hồ sơ hợp lệ, đề nghị Sở Tư pháp xác minh")
    assert "Sở Tư pháp tỉnh Gia Lai" in _facts(page)
    # 3. The department's specialist verifies and sends it back.
    visit(world["justice_officer"])
    axe(page, "dossier page (department)")
    _forward(page, "Đã xác minh")
    assert "Ủy ban nhân dân phường Pleiku — Lãnh đạo phòng xem xét" in _facts(page)
    # 4. The leader reviews and approves.
    visit(world["leader"])
    _forward(page)
    _forward(page)
    # 5. Văn thư issues the result.
    visit(world["clerical"])
    form = page.locator("form[action$='/thao-tac/issue_result/']")
    form.get_by_label("Số, ký hiệu kết quả").fill("125/GKS")
    form.get_by_label("Tên kết quả").fill("Giấy khai sinh")
    form.get_by_label("Tệp kết quả (PDF)").set_input_files(_pdf(tmp_path, "giay-khai-sinh.pdf"))
    form.get_by_role("button", name="Phát hành kết quả").click()
    assert "Đã xử lý xong" in _facts(page)
    # 6. The counter returns it.
    visit(world["clerk"])
    page.locator("form[action$='/thao-tac/return_result/']").get_by_role("button", name="Trả kết quả").click()
    assert "Đã trả kết quả" in _facts(page)

    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and not dossier.is_late
    expected = [
        "receive",
        "accept",
        "forward",
        "forward",
        "forward",
        "forward",
        "issue_result",
        "return_result",
    ]
    assert list(dossier.timeline.values_list("action", flat=True)) == expected
    assert page.locator(".timeline li").count() == len(expected)
    assert due == timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")  # one clock throughout
    agencies_seen = list(dossier.step_runs.values_list("agency__code", flat=True))
    assert agencies_seen == ["H21.23575", "000.00.12.H21", "H21.23575", "H21.23575", "H21.23575"]
