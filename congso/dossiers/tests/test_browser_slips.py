"""Issue 14 in the browser: the clerk of a commune's service centre receives a dossier with "Tiếp nhận
và in giấy hẹn" and the sealed receipt opens on the dossier page at once, with the control slip next to
it; the ward's specialist prints the control slip too. The pages pass axe-core."""

import pytest
from playwright.sync_api import expect

from congso.accounts.models import User
from congso.catalog.models import Offering
from congso.directory.models import Agency, Membership
from congso.directory.testing import blank_pdf, sign_in_browser
from congso.dossiers.models import Dossier, Status
from congso.signing import demo as signing_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    centre.serves.add(ward)
    clerk = User.objects.create_user("motcua.pleiku", full_name="Đinh Thị Hoa", kind="official")
    Membership.objects.create(user=clerk, agency=centre, role="clerk")
    signing_demo.ensure_ca()
    signing_demo.demo_key(label="seal-ward", kind="seal", common_name=ward.name, agency=ward)
    offering = Offering.objects.create(agency=ward, procedure=procedure_version.procedure)
    return {**staff, "centre_clerk": clerk, "offering": offering}


def test_the_clerk_prints_the_slip_right_after_intake(page, live_server, world, axe, tmp_path):
    sign_in_browser(page, live_server.url, world["centre_clerk"])
    page.goto(f"/mot-cua/tiep-nhan/?offering={world['offering'].pk}")
    page.get_by_label("Họ tên người nộp hoặc tên tổ chức").fill("Nguyễn Văn An")
    page.get_by_label("Số CCCD hoặc mã số thuế").fill("052095001234")
    page.get_by_label("Số điện thoại").fill("0905123456")
    page.get_by_label("Tờ khai đăng ký khai sinh", exact=True).set_input_files(
        blank_pdf(tmp_path, "to-khai.pdf")
    )
    page.get_by_label("Giấy chứng sinh", exact=True).set_input_files(
        blank_pdf(tmp_path, "giay-chung-sinh.pdf")
    )
    with page.expect_response(lambda r: "/phieu/receipt/" in r.url) as slip:
        page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    d = Dossier.objects.get()
    assert d.status == Status.ACCEPTED
    # the receipt is produced at once, sealed, and shown on the dossier page to print
    assert slip.value.status == 200
    assert slip.value.headers["content-type"] == "application/pdf"
    expect(page.get_by_role("heading", name="In giấy hẹn cho người nộp")).to_be_visible()
    frame = page.locator("iframe.print-now__frame")
    expect(frame).to_have_attribute("src", f"/mot-cua/ho-so/{d.code}/phieu/receipt/")
    axe(page, "dossier page right after intake")
    # the control slip, opened from its button, is a PDF too
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="In phiếu kiểm soát quá trình giải quyết hồ sơ").click()
    control = page.context.request.get(opened.value.url)
    assert control.status == 200 and control.headers["content-type"] == "application/pdf"
    assert control.body().startswith(b"%PDF")
    opened.value.close()

    # the ward's specialist prints the control slip from the dossier page
    sign_in_browser(page, live_server.url, world["officer"])
    page.goto(f"/mot-cua/ho-so/{d.code}/")
    expect(page.get_by_role("link", name="Phiếu kiểm soát quá trình giải quyết hồ sơ")).to_be_visible()
    expect(page.get_by_role("link", name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả")).to_have_count(0)
    response = page.request.get(f"/mot-cua/ho-so/{d.code}/phieu/control/")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
