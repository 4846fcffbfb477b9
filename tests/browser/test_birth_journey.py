"""Issue 14, done-when: a birth registration from a clean demo, as its users live it.

The demo data set is loaded exactly as ``make demo`` loads it (``congso demo --no-serve``), and every
person signs in through the real login form with the password the demo prints (and TOTP for officials):

1. a citizen on a 390-pixel phone files a birth registration online;
2. the clerk of the ward's service centre sees what was declared, receives the dossier, gets an
   appointment date and prints the receipt slip at once;
3. the specialist attaches the draft birth certificate and passes it on;
4. the leader approves it twice (the division's review, then the approval that signs the draft);
5. văn thư issues the signed draft as the result;
6. the citizen sees the result on "my dossiers", and the SMS carries a real date.

Every page is checked with axe-core.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from pypdf import PdfReader

from congso.directory.testing import blank_pdf
from congso.dossiers.models import Attachment, Dossier, Status
from congso.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "GiaLai-demo-2026"
WARD = "H21.23575"
BIRTH = "1.001193"
# "17 giờ 00 phút, ngày 07/12/2026": the appointment as slips, pages and notices write it
APPOINTMENT = re.compile(r"\d{1,2} giờ \d{2} phút, ngày \d{2}/\d{2}/\d{4}")
SMS_DATE = re.compile(r"hen tra ket qua \d{1,2} gio \d{2} phut, ngay \d{2}/\d{2}/\d{4}")


@pytest.fixture
def demo(settings):
    """The demo's data, as ``make demo`` loads it; the logins it prints."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    return out.getvalue()


def _sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/tai-khoan/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_load_state()
    if "/xac-thuc-hai-lop/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.get_by_label("Mã xác thực").fill(f"{code:0{device.digits}d}")
        page.get_by_role("button", name="Xác thực").click()
        page.wait_for_load_state()
    assert "/dang-nhap/" not in page.url and "/xac-thuc-hai-lop/" not in page.url, f"{username} not signed in"


def _open_from_inbox(page, axe, code: str, who: str) -> None:
    """An official lands on their inbox after signing in, and finds the dossier there."""
    assert "/mot-cua/" in page.url, f"{who} lands on {page.url}, not on an inbox"
    axe(page, f"{who}'s inbox")
    # The demo's inboxes hold a year of dossiers: the official searches by the code on the receipt.
    page.locator("#inbox-q").fill(code)
    page.locator("#inbox-q").press("Enter")
    page.wait_for_load_state()
    page.get_by_role("link", name=code).first.click()
    page.wait_for_url(re.compile(rf"/mot-cua/ho-so/{code}/"))
    axe(page, f"dossier page for {who}")


def _act(page, action: str, **fields) -> None:
    form = page.locator(f'form.action-form[action$="/thao-tac/{action}/"]')
    expect(form).to_have_count(1)
    for name, value in fields.items():
        field = form.locator(f'[name="{name}"]')
        if field.get_attribute("type") == "file":
            field.set_input_files(value)
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _offered(page) -> set[str]:
    actions = page.locator("form.action-form").evaluate_all("fs => fs.map(f => f.getAttribute('action'))")
    return {a.rstrip("/").rsplit("/", 1)[-1] for a in actions}


def test_birth_registration_from_filing_to_result(browser, live_server, axe, demo, tmp_path):
    # --- 1. the citizen files online, on a phone ------------------------------------------------
    phone = browser.new_context(
        locale="vi-VN",
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = phone.new_page()
    page.set_default_timeout(30000)
    _sign_in(page, "congdan.an")
    page.goto(f"/dich-vu-cong/?thu-tuc={BIRTH}&co-quan={WARD}")
    axe(page, "procedure start")
    page.locator("#start-button").click()
    page.wait_for_url(re.compile(r"/nguoi-nop/$"))
    axe(page, "step 1: the applicant, filled in from the account")
    page.locator("#continue").click()
    page.wait_for_url(re.compile(r"/thong-tin/$"))
    page.locator("#id_f_noi_sinh_loai").select_option("co_so_y_te")
    page.get_by_label("Giới tính của trẻ").select_option("nu")
    page.get_by_label("Quan hệ của người đi khai sinh với trẻ").select_option("cha")
    page.get_by_label("Họ, chữ đệm và tên của trẻ").fill("NGUYỄN NGỌC BẢO ANH")
    born = timezone.localdate() - timezone.timedelta(days=12)
    page.get_by_label("Ngày, tháng, năm sinh của trẻ").fill(born.strftime("%d/%m/%Y"))
    page.get_by_label("Tên cơ sở y tế nơi trẻ sinh ra").fill("Bệnh viện Đa khoa tỉnh Gia Lai")
    page.get_by_label("Dân tộc của trẻ").fill("Kinh")
    page.get_by_label("Họ, chữ đệm và tên người mẹ").fill("Trần Thị Mai")
    axe(page, "step 2: the declaration")
    page.locator("#continue").click()
    page.wait_for_url(re.compile(r"/tai-lieu/$"))
    axe(page, "step 3: the papers")
    certificate = blank_pdf(tmp_path, "giay-chung-sinh.pdf")
    for upload in page.locator("input[type=file]").all():
        key = (upload.get_attribute("id") or "").removeprefix("id_file_")
        upload.set_input_files(certificate)
        page.locator(f"#upload-{key}").click()
        page.wait_for_load_state()
    page.locator("#continue").click()
    page.wait_for_url(re.compile(r"/kiem-tra/$"))
    expect(page.locator("main")).to_contain_text("NGUYỄN NGỌC BẢO ANH")
    axe(page, "step 4: check the answers")
    page.locator("#continue").click()
    page.wait_for_url(re.compile(r"/cam-doan/$"))
    page.get_by_label(re.compile("Tôi xin cam đoan")).check()
    axe(page, "step 5: the pledge")
    page.locator("#submit-dossier").click()
    page.wait_for_url(re.compile(r"/da-nop/"))
    code = page.locator("#dossier-code").inner_text().strip()
    axe(page, "filed")
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.NEW and dossier.due_at is None  # the date comes at receipt

    # --- 2. the centre's clerk sees the declaration, receives, prints the slip at once ---------
    desk = browser.new_context(
        locale="vi-VN", base_url=live_server.url, viewport={"width": 1366, "height": 900}
    )
    page = desk.new_page()
    page.set_default_timeout(30000)
    _sign_in(page, "motcua.pleiku")
    _open_from_inbox(page, axe, code, "the clerk")
    declared = page.locator("main")
    expect(declared).to_contain_text("Họ, chữ đệm và tên của trẻ")
    expect(declared).to_contain_text("NGUYỄN NGỌC BẢO ANH")
    expect(declared).to_contain_text(born.strftime("%d/%m/%Y"))
    expect(declared).to_contain_text("Trần Thị Mai")
    assert "forward" not in _offered(page)  # nothing the clerk would then be refused
    _act(page, "accept")
    dossier.refresh_from_db()
    assert dossier.status in (Status.ACCEPTED, Status.PROCESSING), dossier.get_status_display()
    assert dossier.due_at is not None, "received without an appointment date"
    expect(page.locator("main")).to_contain_text(APPOINTMENT)
    axe(page, "received, the receipt ready to print")
    slip = page.request.get(f"/mot-cua/ho-so/{code}/phieu/receipt/")
    assert slip.status == 200 and slip.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(slip.body())).pages)
    assert re.search(r"\d{1,2} giờ \d{2} phút, ngày \d{2}/\d{2}/\d{4}", " ".join(text.split())), text
    control = page.request.get(f"/mot-cua/ho-so/{code}/phieu/control/")
    assert control.status == 200

    # --- 3. the specialist attaches the draft and passes it on ---------------------------------
    _sign_in(page, "tuphap.pleiku")
    _open_from_inbox(page, axe, code, "the specialist")
    expect(page.locator("main")).to_contain_text("NGUYỄN NGỌC BẢO ANH")
    assert "approve" not in _offered(page)
    _act(page, "attach", file=blank_pdf(tmp_path, "du-thao-giay-khai-sinh.pdf"))
    _act(page, "forward")
    axe(page, "forwarded to the leader")

    # --- 4. the leader approves: the review, then the approval that signs ----------------------
    _sign_in(page, "lanhdao.pleiku")
    _open_from_inbox(page, axe, code, "the leader")
    offered = _offered(page)
    assert {"approve", "return_for_revision"} <= offered and "forward" not in offered, offered
    _act(page, "approve")
    page.goto(f"/mot-cua/ho-so/{code}/")
    _act(page, "approve")
    axe(page, "approved and signed")
    signed = Attachment.objects.get(dossier=dossier, purpose=Attachment.Purpose.SIGNED_DRAFT)
    assert signed.file.open("rb").read(5) == b"%PDF-"

    # --- 5. văn thư issues the signed draft --------------------------------------------------
    _sign_in(page, "vanthu.pleiku")
    _open_from_inbox(page, axe, code, "văn thư")
    _act(page, "issue_result", number="215/2026/GKS", title="Giấy khai sinh")
    axe(page, "result issued")
    dossier.refresh_from_db()
    assert dossier.status in (Status.PROCESSED, Status.RETURNED), dossier.get_status_display()
    desk.close()

    # --- 6. the citizen gets the result, and the SMS had a real date ---------------------------
    page = phone.new_page()
    page.goto("/ho-so/")
    axe(page, "my dossiers, with the result")
    page.get_by_role("link", name=code).first.click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Giấy khai sinh")
    expect(page.locator("main")).to_contain_text(APPOINTMENT)
    axe(page, "the dossier, its result ready")
    phone.close()
    texts = list(Notification.objects.filter(dossier=dossier, channel="sms").values_list("body", flat=True))
    assert any(SMS_DATE.search(t) for t in texts), texts
