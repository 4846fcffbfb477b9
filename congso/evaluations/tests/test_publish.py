"""Publishing a closed round: the annex signed with the province's seal (PAdES) and the Excel file."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from congso.core.errors import Conflict, ServiceError
from congso.evaluations import exports, services
from congso.evaluations.models import Round
from congso.evaluations.testing import build_evaluation_world, leaf, pdf_bytes
from congso.signing import demo as signing_demo
from congso.signing.models import IssuedDocument, SigningKey
from congso.signing.services import verify_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed():
    ew = build_evaluation_world()
    a, u = ew.agencies, ew.users
    ew.source.values[a["justice"].code] = "100"
    round_ = services.open_round(u["evaluator"], ew.framework, year=2025)
    entry = services.submit_value(
        u["agency_admin"],
        round_,
        a["justice"],
        leaf(ew.framework, "1.1"),
        value="9",
        note="Bồi dưỡng 40 cán bộ",
        evidence=SimpleUploadedFile("kq.pdf", pdf_bytes()),
    )
    services.start_review(u["evaluator"], round_)
    services.review_value(
        u["evaluator"], entry, action="correct", value="7", reason="Chỉ 30 người có chứng chỉ"
    )
    services.close_round(u["evaluator"], round_)
    round_.refresh_from_db()
    return ew, round_


def test_publish_signs_the_annex_with_the_owners_seal(closed):
    ew, round_ = closed
    with pytest.raises(PermissionDenied):
        services.publish_round(ew.users["evaluator"], round_, decision_number="318/QĐ-UBND")
    with pytest.raises(ServiceError) as exc:  # no seal key yet: a clear refusal, nothing published
        services.publish_round(ew.users["province_leader"], round_, decision_number="318/QĐ-UBND")
    assert "khoá ký số" in exc.value.message
    round_.refresh_from_db()
    assert round_.state == Round.State.CLOSED and not IssuedDocument.objects.exists()
    with pytest.raises(ServiceError) as exc:
        services.publish_round(ew.users["province_leader"], round_, decision_number=" ")
    assert exc.value.field == "decision_number"

    signing_demo.ensure_ca()
    pc = ew.agencies["province_pc"]
    signing_demo.demo_key(
        label="con-dau-ubnd-tinh",
        kind=SigningKey.Kind.SEAL,
        common_name=pc.name,
        organisation=pc.code,
        agency=pc,
    )
    published = services.publish_round(ew.users["province_leader"], round_, decision_number="318/QĐ-UBND")
    assert published.state == Round.State.PUBLISHED and published.published_at
    annex = published.annex
    assert annex.kind == IssuedDocument.Kind.ATTACHMENT and annex.code == "318/QĐ-UBND"
    data = annex.file.read()
    report, record = verify_document(data)
    assert record == annex
    assert report.ok, report.summary
    with pytest.raises(Conflict):
        services.publish_round(ew.users["province_leader"], published, decision_number="319/QĐ-UBND")


def test_the_workbook_lists_the_ranking_and_the_met_table(closed):
    ew, round_ = closed
    wb = load_workbook(io.BytesIO(exports.workbook(round_)))
    rows = list(wb["Xep hang"].iter_rows(values_only=True))
    header = rows.index(
        ("Xếp hạng", "Mã định danh", "Đơn vị", "Tổng điểm", "Mức", "Số chỉ số đạt", "Số chỉ số chưa đạt")
    )
    first = rows[header + 1]
    # Justice: 7 (corrected) + 0 (1.2 not entered) + 20 (metric 100 %) = 27 → level III (20–30)
    assert first[:5] == (1, ew.agencies["justice"].code, "Sở Tư pháp tỉnh Gia Lai", 27.0, "Mức III")
    met = list(wb["Dat - chua dat"].iter_rows(values_only=True))
    assert met[0][1].startswith("1.1.") and ("Sở Tư pháp tỉnh Gia Lai", "Chưa đạt", "Chưa đạt", "Đạt") in met


def test_the_annex_pdf_renders_every_unit(closed):
    _ew, round_ = closed
    pdf = exports.render_annex(round_)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 2000
