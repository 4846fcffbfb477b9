import pytest

from congso.signing import official_forms, services
from congso.signing.models import IssuedDocument

pytestmark = pytest.mark.django_db


def test_receipt_and_result(clerk, leader, seal_key, leader_key, receipt_data, one_page_pdf, tmp_path):
    document, pdf = official_forms.issue_receipt(receipt_data, actor=clerk)
    (tmp_path / "receipt.pdf").write_bytes(pdf)
    report, record = services.verify_document(pdf)
    assert report.ok, report.as_dict()
    assert record == document
    result = services.create_document_record(
        kind=IssuedDocument.Kind.RESULT,
        code="123/GP-SXD",
        title="Giấy phép",
        agency=seal_key.agency,
        actor=leader,
    )
    signed = services.issue_pdf(one_page_pdf, result, actor=leader, keys=[leader_key, seal_key])
    (tmp_path / "result.pdf").write_bytes(signed)
    report, record = services.verify_document(signed)
    assert report.ok, report.as_dict()
    assert len(report.signatures) == 2
    import shutil

    shutil.copy(tmp_path / "receipt.pdf", "/tmp/sgn/receipt.pdf")
    shutil.copy(tmp_path / "result.pdf", "/tmp/sgn/result.pdf")
