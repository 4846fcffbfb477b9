"""Issue 14: what the citizen filed online reaches those who handle the dossier — the form's layout is
kept with the dossier when it is filed (ADR 0144) — and the online receipt lists what was actually
submitted (the uploaded papers and the declared data), not every paragraph of the procedure's text."""

import html
import io
import re

import pytest
from pypdf import PdfReader

from congso.directory.testing import login_verified
from congso.dossiers import slips
from congso.portal import builder, definitions, services
from congso.portal.models import FormField

from .test_services import ready_draft

pytestmark = pytest.mark.django_db

LEGAL_TEXT = [
    {
        "group": "Lưu ý",
        "name": "Người đi đăng ký khai sinh xuất trình bản chính giấy tờ tùy thân",
        "originals": 0,
    },
    {"group": "", "name": "Trường hợp cán bộ tư pháp không có thông tin cư trú thì yêu cầu", "originals": 0},
    {
        "group": "",
        "name": "Tờ khai đăng ký khai sinh theo mẫu điện tử tương tác",
        "originals": 1,
        "copies": 0,
    },
    {"group": "", "name": "Giấy tờ chứng minh nơi cư trú", "originals": 0, "copies": 1},
]


def _page_text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_form_layout_is_kept_with_the_dossier(citizen, profile, birth_form, pdf_bytes):
    dossier = services.submit_draft(ready_draft(citizen, pdf_bytes).pk, citizen)
    (section,) = dossier.form_data["declared"]["sections"]
    assert section["title"] == "Tờ khai đăng ký khai sinh"
    keys = [f["key"] for f in section["fields"]]
    assert keys[:4] == ["ho_ten_tre", "gioi_tinh", "ngay_sinh_tre", "noi_sinh_loai"]
    gender = section["fields"][1]
    assert gender["label"] == "Giới tính của trẻ" and gender["type"] == "select"
    assert ["nam", "Nam"] in gender["choices"]


def test_officials_see_it_as_filed_even_after_the_form_changes(
    client, citizen, profile, birth_form, pdf_bytes, staff, sysadmin
):
    dossier = services.submit_draft(ready_draft(citizen, pdf_bytes).pk, citizen)
    # the administrator renames a field and republishes: the dossier still reads as it was filed
    FormField.objects.filter(definition=birth_form, key="ho_ten_tre").update(label="Tên khai sinh")
    birth_form.has_changes = True
    birth_form.save()
    assert builder.publish(sysadmin, birth_form.pk).version == 2
    login_verified(client, staff["clerk"])
    text = _page_text(client.get(f"/mot-cua/ho-so/{dossier.code}/"))
    assert "Thông tin người nộp đã khai" in text
    assert "Họ, chữ đệm và tên của trẻ NGUYỄN MINH KHANG" in text
    assert "Giới tính của trẻ Nam" in text  # the choice's label, not "nam"
    assert "Ngày, tháng, năm sinh của trẻ 02/11/2026" in text
    assert "Nơi sinh Cơ sở y tế" in text and "Bệnh viện Đa khoa tỉnh Gia Lai" in text
    assert "Địa chỉ nơi trẻ sinh ra" not in text  # hidden by the form's condition: not asked
    assert "Tên khai sinh" not in text
    # văn thư drafts the result from the printable sheet
    login_verified(client, staff["clerical"])
    sheet = _page_text(client.get(f"/mot-cua/ho-so/{dossier.code}/to-khai/"))
    assert "NGUYỄN MINH KHANG" in sheet and "02/11/2026" in sheet and "Trần Thị Mai" in sheet
    body = client.get(f"/api/v1/dossiers/{dossier.code}").json()
    rows = {r["key"]: r["value"] for s in body["declared"] for r in s["rows"]}
    assert rows["ngay_sinh_tre"] == "02/11/2026" and rows["quan_he"] != "cha"


def test_the_check_your_answers_page_formats_as_the_dossier_does(birth_form):
    spec = definitions.from_snapshot(birth_form.published)
    assert definitions.display_value(spec.field("ngay_sinh_tre"), "2026-11-02") == "02/11/2026"
    assert definitions.display_value(spec.field("gioi_tinh"), "nu") == "Nữ"
    assert definitions.display_value(spec.field("nhan_ban_sao"), False) == "Không"


def test_the_online_receipt_lists_what_was_submitted(
    citizen, profile, birth_form, pdf_bytes, procedure_version
):
    procedure_version.content["components"] += LEGAL_TEXT
    procedure_version.save()
    dossier = services.submit_draft(ready_draft(citizen, pdf_bytes).pk, citizen)
    document = slips.citizen_receipt(dossier, citizen)
    with document.file.open("rb") as fh:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)
    flat = re.sub(r"\s+", " ", text)
    assert "Giấy tờ đã nộp (bản điện tử)" in flat
    assert "Giấy chứng sinh" in flat
    for row in LEGAL_TEXT:
        assert row["name"][:40] not in flat, row["name"]
    assert "Tờ khai đăng ký khai sinh" in flat  # the declared data, under its form's title
    assert "NGUYỄN MINH KHANG" in flat and "02/11/2026" in flat
