"""Issue 6, done when:

1. A citizen on a phone-sized screen searches without diacritics, opens the procedure and files online
   with uploads. The clerk asks for a supplement, the citizen supplies it, a fee is asked for and paid
   through the sandbox gateway (a separate process speaking the VNPAY protocol), the result is issued,
   and the citizen downloads it and rates the service.
2. A member of a community digital technology team files for a citizen who consented.

The officials' steps (supplement request with the missing papers ticked, acceptance, the fee request,
forwarding, issuing the result) are taken on the officials' own dossier page in a desktop browser of
their own; every page the citizen and the officials see passes axe-core with no serious or critical
violation.
"""

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from congso.accounts.models import CommunityHelper, CommunityTeam, User
from congso.accounts.services import grant_consent
from congso.catalog.importer import import_paths
from congso.catalog.models import Offering, OnlineLevel, Procedure
from congso.datastore.models import PersonalDocument
from congso.directory.testing import login_verified
from congso.dossiers.models import Dossier, Status
from congso.payments.tests.conftest import sandbox, vnpay_settings  # noqa: F401 — fixtures
from congso.portal import definitions
from congso.portal.demo import ensure_birth_form
from congso.ratings.models import Rating

from .conftest import PASSWORD, pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).resolve().parents[2] / "catalog" / "tests" / "samples"


@pytest.fixture
def catalogue(tmp_path, agencies):
    """The real national record of birth registration, imported, offered fully online at Pleiku."""

    shutil.copytree(SAMPLES, tmp_path / "records")
    assert import_paths([tmp_path / "records"]).failed == 0
    procedure = Procedure.objects.get(code="1.001193")
    procedure.online_level = OnlineLevel.FULL
    procedure.save()
    # The record gives its limit without a unit; the ward sets it (Law on Civil Status: the same day).
    Offering.objects.create(
        agency=agencies["ward"],
        procedure=procedure,
        online_open=True,
        local_fee_amount=8000,
        local_time_unit="same_day",
        local_time_value=0,
    )
    ensure_birth_form(procedure)
    return procedure


def _index(procedure, agency, name) -> int:
    names = [c.name for c in definitions.spec_for(procedure, agency).components]
    return names.index(name) + 1


def _log_in(page, username):
    page.goto("/tai-khoan/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_load_state()


def _fill_birth_details(page):
    page.get_by_label("Họ, chữ đệm và tên của trẻ").fill("NGUYỄN MINH KHANG")
    page.get_by_label("Giới tính của trẻ").select_option("nam")
    page.get_by_label("Ngày, tháng, năm sinh của trẻ").fill("2026-11-02")
    page.locator("#id_f_noi_sinh_loai").select_option("co_so_y_te")
    page.get_by_label("Tên cơ sở y tế nơi trẻ sinh ra").fill("Bệnh viện Đa khoa tỉnh Gia Lai")
    page.get_by_label("Dân tộc của trẻ").fill("Kinh")
    page.get_by_label("Họ, chữ đệm và tên người mẹ").fill("Trần Thị Mai")
    page.get_by_label("Quan hệ của người đi khai sinh với trẻ").select_option("cha")


def _upload_and_submit(page, axe, tmp_path, index, label):
    page.wait_for_url(re.compile(r"/tai-lieu/$"))
    axe(page, f"{label}: tải giấy tờ")
    certificate = tmp_path / "giay-chung-sinh.pdf"
    certificate.write_bytes(pdf())
    page.locator(f"#id_file_c{index}").set_input_files(str(certificate))
    page.locator(f"#upload-c{index}").click()
    page.wait_for_load_state()
    expect(page.locator(f"#staged-c{index}")).to_be_visible()
    page.locator("#continue").click()
    page.wait_for_url(re.compile(r"/kiem-tra/$"))
    assert "NGUYỄN MINH KHANG" in page.content()
    axe(page, f"{label}: kiểm tra")
    page.locator("#continue").click()
    page.wait_for_url(re.compile(r"/cam-doan/$"))
    axe(page, f"{label}: cam đoan")
    page.get_by_label(re.compile("Tôi xin cam đoan")).check()
    page.locator("#submit-dossier").click()
    page.wait_for_url(re.compile(r"/da-nop/"))
    axe(page, f"{label}: đã nộp")
    return page.locator("#dossier-code").inner_text().strip()


def _sign_in_official(page, base_url, user):
    """An official's session (password + TOTP verified) in this browser context."""
    client = Client()
    login_verified(client, user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def test_citizen_files_pays_receives_and_rates_on_a_phone(
    phone_page,
    page,
    live_server,
    axe,
    tmp_path,
    catalogue,
    agencies,
    staff,
    citizen,
    profile,
    sandbox,  # noqa: F811
):
    office, page = page, phone_page  # the officials at their desks, the citizen on a phone
    ward = agencies["ward"]
    _log_in(page, citizen.username)

    # 1. Search without diacritics, open the procedure, start online filing at the ward.
    page.goto("/thu-tuc/")
    page.get_by_role("searchbox").first.fill("dang ky khai sinh")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_load_state()
    axe(page, "tìm thủ tục")
    page.get_by_role("link", name=re.compile("^Thủ tục đăng ký khai sinh$")).first.click()
    page.wait_for_url(re.compile(r"/thu-tuc/1\.001193/"))
    axe(page, "trang thủ tục")
    page.get_by_role("link", name=re.compile("Nộp trực tuyến")).first.click()
    page.wait_for_url(re.compile(r"/dich-vu-cong/\?"))
    page.locator("#start-button").click()

    # 2. The steps: applicant (prefilled from the profile), details, uploads, check, declaration.
    page.wait_for_url(re.compile(r"/nguoi-nop/$"))
    assert page.locator("#id_id_number").input_value() == profile.cccd
    axe(page, "người nộp")
    page.locator("#continue").click()
    page.wait_for_url(re.compile(r"/thong-tin/$"))
    _fill_birth_details(page)
    axe(page, "thông tin tờ khai")
    page.locator("#continue").click()
    code = _upload_and_submit(page, axe, tmp_path, _index(catalogue, ward, "Giấy chứng sinh"), "công dân")
    dossier = Dossier.objects.get(code=code)
    assert dossier.channel == 2 and dossier.status == Status.NEW and dossier.applicant == citizen
    with page.expect_download() as receipt:
        page.locator("#receipt-link").click()
    assert Path(receipt.value.path()).read_bytes().startswith(b"%PDF")

    # 3. The ward's clerk asks for a supplement on the officials' dossier page (a desktop browser of
    #    their own); the citizen sees exactly what is missing, supplies it, the clock resumes.
    def at_dossier(user, context):
        _sign_in_official(office, live_server.url, user)
        office.goto(f"/mot-cua/ho-so/{code}/")
        axe(office, f"trang hồ sơ của cán bộ: {context}")

    def act(name, button, fill=None):
        form = office.locator(f"form[action$='/thao-tac/{name}/']")
        if fill:
            fill(form)
        form.get_by_role("button", name=button, exact=True).click()
        office.wait_for_load_state()
        assert "Đã thực hiện" in office.locator(".messages").inner_text(), office.locator(
            ".messages"
        ).inner_text()

    at_dossier(staff["clerk"], "yêu cầu bổ sung")

    def missing(form):
        form.get_by_label(re.compile(r"^Giấy chứng sinh; trường hợp không có")).check()
        form.get_by_label("Lý do").fill("Giấy chứng sinh bị mờ, không đọc được tên người mẹ.")

    act("request_supplement", "Yêu cầu bổ sung, hoàn thiện hồ sơ", missing)
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT
    page.goto(f"/ho-so/{code}/")
    expect(page.get_by_text("Giấy chứng sinh bị mờ").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Giấy chứng sinh; trường hợp không có")).first).to_be_visible()
    axe(page, "hồ sơ cần bổ sung")
    clearer = tmp_path / "giay-chung-sinh-ro.pdf"
    clearer.write_bytes(pdf(2))
    page.locator("#id_file_0").set_input_files(str(clearer))
    page.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    page.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.status == Status.NEW
    axe(page, "đã bổ sung")

    # 4. The clerk accepts it and asks for the fee (pre-filled from the catalogue and the ward's local
    #    fee); the citizen pays through the sandbox gateway.
    at_dossier(staff["clerk"], "tiếp nhận")
    act("accept", "Tiếp nhận hồ sơ")
    form = office.locator("form[action$='/thao-tac/request_payment/']")
    assert form.get_by_label("Số tiền (đồng)").input_value() == "8000"
    act(
        "request_payment",
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        lambda f: f.get_by_label("Ghi chú").fill("Lệ phí đăng ký khai sinh"),
    )
    page.goto(f"/ho-so/{code}/")
    axe(page, "hồ sơ chờ nộp phí")
    page.get_by_role("link", name="Nộp phí trực tuyến").click()
    page.wait_for_url(f"**/thanh-toan/{code}/")
    axe(page, "trang thanh toán")
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url(f"{sandbox.url}/paymentv2/vpcpay.html*")
    axe(page, "cổng thanh toán thử nghiệm")
    page.get_by_label("Ngân hàng thanh toán").select_option("VCB")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.wait_for_url("**/thanh-toan/ket-qua/vnpay/*")
    expect(page.get_by_text("Thanh toán thành công.")).to_be_visible()
    axe(page, "kết quả thanh toán")
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED
    assert dossier.obligations.get().payment_channel.startswith("gateway:")
    assert dossier.obligations.get().amount == 8000

    # 5. Handled, approved and issued by văn thư, each on their own page.
    at_dossier(staff["officer"], "chuyển bước (officer)")
    act("forward", "Chuyển bước xử lý")
    for _ in range(2):  # the review, then the approval: a leader's step offers approve, not forward
        at_dossier(staff["leader"], "phê duyệt (leader)")
        act("approve", "Phê duyệt")
    at_dossier(staff["clerical"], "phát hành kết quả")
    result_pdf = tmp_path / "giay-khai-sinh.pdf"
    result_pdf.write_bytes(pdf(3))

    def result(form):
        form.get_by_label("Số, ký hiệu kết quả").fill("125/GKS")
        form.get_by_label("Tên kết quả").fill("Giấy khai sinh")
        form.get_by_label("Tệp kết quả (PDF)").set_input_files(str(result_pdf))

    act("issue_result", "Phát hành kết quả", result)
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSED

    # 6. The citizen downloads the result (also kept in the personal data store) and rates the service.
    page.goto(f"/ho-so/{code}/")
    axe(page, "hồ sơ có kết quả")
    with page.expect_download() as result:
        page.get_by_role("link", name="Tải kết quả về").click()
    assert Path(result.value.path()).read_bytes().startswith(b"%PDF")
    assert PersonalDocument.objects.filter(
        owner=citizen, source=PersonalDocument.Source.RESULT, issued_number="125/GKS"
    ).exists()
    page.goto("/kho-du-lieu/")
    expect(page.get_by_text("Giấy khai sinh").first).to_be_visible()
    axe(page, "kho dữ liệu")
    page.goto(f"/ho-so/{code}/")
    page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    axe(page, "đánh giá")
    for name in dict.fromkeys(page.locator("input[type=radio]").evaluate_all("els => els.map(e => e.name)")):
        page.locator(f"input[type=radio][name='{name}']").first.check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_load_state()
    axe(page, "đã đánh giá")
    rating = Rating.objects.get(dossier=dossier)
    assert rating.receiving_agency_id == ward.pk and rating.rater == citizen

    # Anyone can look the dossier up by its code and the last digits of the phone: no personal data.
    page.goto("/ho-so/tra-cuu/")
    page.get_by_label(re.compile("Mã hồ sơ")).fill(code)
    page.get_by_label(re.compile("4 số cuối")).fill(dossier.applicant_phone[-4:])
    page.get_by_role("button", name=re.compile("Tra cứu")).click()
    page.wait_for_load_state()
    found = page.locator("#ket-qua").inner_text()  # (the header names the signed-in citizen, not this)
    assert "Đã xử lý" in found or "Đã" in found
    assert (
        citizen.full_name not in found and dossier.applicant_phone not in found and profile.cccd not in found
    )
    axe(page, "tra cứu công khai")


def test_community_helper_files_for_a_consenting_citizen(
    phone_page, axe, tmp_path, catalogue, agencies, units, citizen, profile
):
    helper = User.objects.create_user(
        "tocns.xuan", password=PASSWORD, full_name="Nguyễn Thị Thanh Xuân", kind="citizen"
    )
    team = CommunityTeam.objects.create(
        name="Tổ CNS phường Pleiku", commune=units[1], agency=agencies["ward"]
    )
    CommunityHelper.objects.create(team=team, user=helper, valid_from=dt.date(2025, 7, 1))
    grant_consent(citizen, citizen=citizen, helper=helper, purpose="Nộp hồ sơ khai sinh", days=30)

    page = phone_page
    _log_in(page, helper.username)
    page.goto("/dich-vu-cong/?thu-tuc=1.001193&co-quan=H21.23575")
    axe(page, "nộp thay: thủ tục")
    page.locator("#id_cccd").fill(profile.cccd)
    page.locator("#assisted-button").click()
    page.wait_for_url(re.compile(r"/nguoi-nop/$"))
    assert page.locator("#id_id_number").input_value() == profile.cccd  # the citizen's data, not the helper's
    axe(page, "nộp thay: người nộp")
    page.locator("#continue").click()
    page.wait_for_url(re.compile(r"/thong-tin/$"))
    _fill_birth_details(page)
    page.locator("#continue").click()
    index = _index(catalogue, agencies["ward"], "Giấy chứng sinh")
    code = _upload_and_submit(page, axe, tmp_path, index, "nộp thay")
    dossier = Dossier.objects.get(code=code)
    assert dossier.applicant == citizen and dossier.assisted_by == helper

    # The citizen follows it in their own account.
    client = Client()
    client.force_login(citizen)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": page.url.split("/dich-vu-cong")[0],
            }
        ]
    )
    page.goto("/ho-so/")
    expect(page.get_by_text(code)).to_be_visible()
    page.goto(f"/ho-so/{code}/")
    expect(page.locator("#assisted-by")).to_contain_text(helper.full_name)
    axe(page, "công dân theo dõi hồ sơ được nộp thay")
