"""Filing a birth registration online on a phone-sized screen, every step checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from congso.catalog.models import OnlineLevel
from congso.core.errors import ServiceError
from congso.dossiers import slips
from congso.dossiers.models import Dossier
from congso.portal import services
from congso.portal.models import Draft

from .conftest import BIRTH_ANSWERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_files_online_on_a_phone(phone_page, axe, citizen, profile, birth_form, pdf_bytes, tmp_path):
    page = phone_page
    page.goto("/tai-khoan/dang-nhap/")
    page.locator("#id_username").fill(citizen.username)
    page.locator("#id_password").fill("Mat-khau-dai-2026!")
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_load_state()

    page.goto("/dich-vu-cong/?thu-tuc=1.001193&co-quan=H21.23575")
    axe(page, "procedure start")
    page.locator("#start-button").click()
    page.wait_for_url(re.compile(r"/nguoi-nop/$"))
    expect(page.locator("#progress")).to_contain_text("Bước 1/5")
    assert page.get_by_label("Số căn cước công dân").input_value() == "052095001234"
    axe(page, "step 1 applicant")
    page.locator("#continue").click()

    page.wait_for_url(re.compile(r"/thong-tin/$"))
    page.locator("#continue").click()  # nothing filled in: the error summary
    expect(page.locator("#error-summary")).to_be_visible()
    axe(page, "step 2 details with errors")
    page.get_by_label("Họ, chữ đệm và tên của trẻ").fill("NGUYỄN MINH KHANG")
    page.get_by_label("Giới tính của trẻ").select_option("nam")
    page.get_by_label("Ngày, tháng, năm sinh của trẻ").fill("2026-11-02")
    page.locator("#id_f_noi_sinh_loai").select_option("co_so_y_te")
    expect(
        page.locator("#id_f_dia_chi_noi_sinh")
    ).to_be_hidden()  # conditional field, shown only when relevant
    page.get_by_label("Tên cơ sở y tế nơi trẻ sinh ra").fill("Bệnh viện Đa khoa tỉnh Gia Lai")
    page.get_by_label("Dân tộc của trẻ").fill("Kinh")
    page.get_by_label("Họ, chữ đệm và tên người mẹ").fill("Trần Thị Mai")
    page.get_by_label("Quan hệ của người đi khai sinh với trẻ").select_option("cha")
    axe(page, "step 2 details filled")
    page.locator("#continue").click()

    page.wait_for_url(re.compile(r"/tai-lieu/$"))
    axe(page, "step 3 uploads")
    certificate = tmp_path / "giay-chung-sinh.pdf"
    certificate.write_bytes(pdf_bytes)
    page.locator("#id_file_c1").set_input_files(str(certificate))
    page.locator("#upload-c1").click()
    page.wait_for_load_state()
    expect(page.locator("#staged-c1")).to_be_visible()
    axe(page, "step 3 uploads done")
    page.locator("#continue").click()

    page.wait_for_url(re.compile(r"/kiem-tra/$"))
    assert "NGUYỄN MINH KHANG" in page.content()
    axe(page, "step 4 review")
    page.locator("#continue").click()

    page.wait_for_url(re.compile(r"/cam-doan/$"))
    axe(page, "step 5 declaration")
    page.get_by_label(re.compile("Tôi xin cam đoan")).check()
    page.locator("#submit-dossier").click()

    page.wait_for_url(re.compile(r"/da-nop/"))
    dossier = Dossier.objects.get()
    expect(page.locator("#dossier-code")).to_have_text(dossier.code)
    assert page.locator("#appointment").inner_text().strip()
    axe(page, "filed")

    page.goto("/dich-vu-cong/")
    axe(page, "start page with drafts")
    page.goto("/dich-vu-cong/ho-so-nhap/")
    axe(page, "drafts page")


def _signed_in(page, live_server, user):
    from django.conf import settings as django_settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_delete_and_expired_draft_pages(phone_page, live_server, axe, citizen, profile, birth_form):
    import datetime as dt

    from django.utils import timezone

    page = phone_page
    _signed_in(page, live_server, citizen)
    kept = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    page.goto(f"/dich-vu-cong/ho-so-nhap/{kept.pk}/xoa/")
    page.get_by_role("heading", name="Xoá hồ sơ nháp?").wait_for()
    axe(page, "delete draft page")

    expired = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    Draft.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    response = page.goto(f"/dich-vu-cong/ho-so-nhap/{expired.pk}/")
    assert response.status == 410
    expect(page.locator("#problem")).to_contain_text("đã hết hạn lưu")
    axe(page, "expired draft page")
    page.goto("/dich-vu-cong/ho-so-nhap/")
    expect(page.get_by_text("Đã hết hạn.").first).to_be_visible()
    axe(page, "drafts with an expired one")

    page.goto(f"/dich-vu-cong/ho-so-nhap/{kept.pk}/xoa/")
    page.locator("#confirm-delete").click()
    page.get_by_text("Đã xoá hồ sơ nháp.").wait_for()
    assert not Draft.objects.filter(pk=kept.pk).exists()


def test_receipt_pending_page(
    phone_page, live_server, axe, citizen, profile, birth_form, online, pdf_bytes, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    procedure = online.procedure
    procedure.online_level = OnlineLevel.PARTIAL  # its panel of what is done in person is on the page too
    procedure.save()
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    services.update_draft(draft.pk, citizen, fields=dict(BIRTH_ANSWERS))
    services.stage_upload(
        draft.pk, citizen, component="Giấy chứng sinh", file=SimpleUploadedFile("a.pdf", pdf_bytes)
    )
    dossier = services.submit_draft(draft.pk, citizen)

    def no_seal(*args, **kwargs):  # the receipt cannot be issued right now (e.g. the seal key is away)
        raise ServiceError("Chưa cấp được giấy biên nhận.")

    monkeypatch.setattr(slips, "get_or_issue", no_seal)
    page = phone_page
    _signed_in(page, live_server, citizen)
    page.goto(f"/dich-vu-cong/da-nop/{dossier.code}/giay-tiep-nhan/")
    page.locator("#receipt-pending").wait_for()
    expect(page.locator("#in-person-steps")).to_be_visible()
    axe(page, "receipt pending page")
