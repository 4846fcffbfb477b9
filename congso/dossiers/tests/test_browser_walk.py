"""Issue 5, done-when, in the issue's order: a clerk receives the dossier at a commune centre, a
specialist handles it, a leader approves it, it goes to the provincial Department of Justice and back,
văn thư issues it, and it is returned. After EVERY step the dossier page's newest timeline entry and
its clock (due date, flag, the current step's due and flag) are checked, and every page — inboxes
included — passes axe-core."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from congso.accounts.models import User
from congso.catalog.models import Offering
from congso.core.text import moment_text
from congso.directory.models import Agency, Membership
from congso.directory.testing import blank_pdf, sign_in_browser
from congso.dossiers.models import Dossier, Status
from congso.dossiers.processes import replace_steps, template_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


STEPS = [
    {
        "name": "Công chức tư pháp – hộ tịch thẩm tra",
        "kind": "handle",
        "role": "officer",
        "share_percent": 40,
    },
    {"name": "Chủ tịch UBND phường phê duyệt", "kind": "approve", "role": "leader", "share_percent": 20},
    {
        "name": "Sở Tư pháp xác minh, cho ý kiến (liên thông)",
        "kind": "handle",
        "role": "officer",
        "agency": "000.00.12.H21",
        "share_percent": 25,
    },
    {"name": "Văn thư phát hành", "kind": "issue", "role": "clerical", "share_percent": 10},
]


@pytest.fixture
def world(agencies, staff, procedure_version):
    ward = agencies["ward"]
    centre = Agency.objects.create(
        code="H21.23575.01",
        name="Trung tâm Phục vụ hành chính công phường Pleiku",
        kind="service_centre",
        unit=ward.unit,
        parent=ward,
    )
    centre.serves.add(ward)  # a commune centre receives for its commune's committee
    counter_clerk = User.objects.create_user("motcua.pleiku", full_name="Đinh Thị Hoa", kind="official")
    Membership.objects.create(user=counter_clerk, agency=centre, role="clerk")
    admin = User.objects.create_user("quantri.pleiku", full_name="Nguyễn Văn Hùng", kind="official")
    Membership.objects.create(user=admin, agency=ward, role="agency_admin")
    offering = Offering.objects.create(agency=ward, procedure=procedure_version.procedure)
    replace_steps(admin, template_for(ward, procedure_version.procedure), STEPS)
    return {**staff, "clerk": counter_clerk, "offering": offering}  # the centre's clerk, not the ward's


def _facts(page):
    return page.locator("#clock-title + dl").inner_text()


def _fmt(moment):
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def test_full_dossier_walk(page, live_server, axe, world, tmp_path):
    dossier = None

    def check(context, *, action, status, actor, where=None, step_flag="Trong hạn"):
        """The dossier page after a step: newest timeline entry, the clock, the current step's clock."""
        dossier.refresh_from_db()
        newest = page.locator("ol.timeline > li").last.inner_text()
        assert f"{action} — {status}" in newest and actor in newest, (context, newest)
        assert page.locator("ol.timeline > li").count() == dossier.timeline.count()
        facts = _facts(page)
        assert status in facts and moment_text(dossier.due_at) in facts, (context, facts)
        assert due == _fmt(dossier.due_at)  # one clock, under one code, across agencies
        assert "Trong hạn" in facts and "Quá hạn" not in facts, (context, facts)
        if where:
            assert where in facts, (context, facts)
        runs = list(dossier.step_runs.order_by("started_at", "id"))
        if runs and runs[-1].finished_at is None:
            last = page.locator("table.step-runs tbody tr").last.inner_text()
            assert runs[-1].step.name in last and _fmt(runs[-1].due_at) in last and step_flag in last, last
        axe(page, f"dossier page after: {context}")

    def open_from_inbox(user, box, label):
        sign_in_browser(page, live_server.url, user)
        page.goto(f"/mot-cua/?box={box}")
        assert page.get_by_role("heading", level=2).first.inner_text().startswith(label)
        axe(page, f"inbox {box} of {user}")
        page.get_by_role("link", name=dossier.code).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {dossier.code}")

    def forward(note="", action="forward", label="Chuyển bước xử lý"):
        form = page.locator(f"form[action$='/thao-tac/{action}/']")
        if note:
            form.get_by_label("Ghi chú").fill(note)
        form.get_by_role("button", name=label).click()
        expect(page.locator(".messages")).to_contain_text(f"Đã thực hiện: {label}.")

    # 1. A clerk receives it at the commune's Public Administration Service Centre.
    sign_in_browser(page, live_server.url, world["clerk"])
    page.goto("/mot-cua/tiep-nhan/")
    axe(page, "intake: choose procedure")
    page.get_by_label("Tìm thủ tục hành chính").fill("dang ky khai sinh")
    page.locator(f"a[href^='?offering={world['offering'].pk}']").click()
    page.get_by_label("Họ tên người nộp hoặc tên tổ chức").fill("Nguyễn Văn An")
    page.get_by_label("Số CCCD hoặc mã số thuế").fill("052095001234")
    page.get_by_label("Số điện thoại").fill("0905123456")
    page.get_by_label("Tờ khai đăng ký khai sinh", exact=True).set_input_files(
        blank_pdf(tmp_path, "to-khai.pdf")
    )
    page.get_by_label("Giấy chứng sinh", exact=True).set_input_files(
        blank_pdf(tmp_path, "giay-chung-sinh.pdf")
    )
    axe(page, "intake: form")
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    dossier = Dossier.objects.get()
    assert dossier.code.startswith("H21.23575-")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {dossier.code}")
    due = _fmt(dossier.due_at)
    check(
        "receipt",
        action="Tiếp nhận hồ sơ",
        status="Đã tiếp nhận",
        actor="Đinh Thị Hoa",
        where="Ủy ban nhân dân phường Pleiku — Công chức tư pháp – hộ tịch thẩm tra",
    )

    # 2. The ward's specialist handles it.
    open_from_inbox(world["officer"], "handle", "Chờ xử lý")
    forward("Hồ sơ hợp lệ, trình Chủ tịch phê duyệt")
    check(
        "specialist",
        action="Chuyển bước xử lý",
        status="Đang xử lý",
        actor="Phạm Văn Nam",
        where="Ủy ban nhân dân phường Pleiku — Chủ tịch UBND phường phê duyệt",
    )

    # 3. The leader approves it; it goes to the provincial Department of Justice (liên thông).
    open_from_inbox(world["leader"], "sign", "Chờ ký duyệt")
    assert page.locator("form[action$='/thao-tac/forward/']").count() == 0  # a leader decides
    forward("Đồng ý, đề nghị Sở Tư pháp xác minh", action="approve", label="Phê duyệt")
    check(
        "leader approves",
        action="Phê duyệt",
        status="Đang xử lý",
        actor="Nguyễn Minh Tuấn",
        where="Sở Tư pháp tỉnh Gia Lai — Sở Tư pháp xác minh, cho ý kiến (liên thông)",
    )

    # 4. The department verifies and sends it back to the ward.
    open_from_inbox(world["justice_officer"], "handle", "Chờ xử lý")
    forward("Đã xác minh, thông tin khai sinh phù hợp")
    check(
        "back from the department",
        action="Chuyển bước xử lý",
        status="Đang xử lý",
        actor="Võ Quốc Khánh",
        where="Ủy ban nhân dân phường Pleiku — Văn thư phát hành",
    )

    # 5. Văn thư issues the result.
    open_from_inbox(world["clerical"], "issue", "Chờ phát hành")
    form = page.locator("form[action$='/thao-tac/issue_result/']")
    form.get_by_label("Số, ký hiệu kết quả").fill("125/GKS")
    form.get_by_label("Tên kết quả").fill("Giấy khai sinh")
    form.get_by_label("Tệp kết quả (PDF)").set_input_files(blank_pdf(tmp_path, "giay-khai-sinh.pdf"))
    form.get_by_role("button", name="Phát hành kết quả").click()
    check("issued", action="Phát hành kết quả", status="Đã xử lý xong", actor="Đỗ Thị Mai")

    # 6. The commune centre's counter returns it.
    open_from_inbox(world["clerk"], "return", "Chờ trả kết quả")
    page.locator("form[action$='/thao-tac/return_result/']").get_by_role("button", name="Trả kết quả").click()
    check("returned", action="Trả kết quả", status="Đã trả kết quả", actor="Đinh Thị Hoa")

    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and not dossier.is_late
    assert dossier.result.delivery == "counter"
    expected = ["receive", "accept", "forward", "approve", "forward", "issue_result", "return_result"]
    assert list(dossier.timeline.values_list("action", flat=True)) == expected
    agencies_seen = list(dossier.step_runs.values_list("agency__code", flat=True))
    assert agencies_seen == ["H21.23575", "H21.23575", "000.00.12.H21", "H21.23575"]
    assert all(run.finished_at and run.finished_at <= run.due_at for run in dossier.step_runs.all())
