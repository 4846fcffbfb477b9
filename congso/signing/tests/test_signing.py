"""PAdES signing and verification: PKCS#12 and demo keys, multiple signatures, bad input of every kind."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader, PdfWriter

from congso.core.models import AuditEntry
from congso.directory.models import Membership, Role
from congso.signing import demo, pdfsign, services
from congso.signing.keystore import SigningError
from congso.signing.models import IssuedDocument, SignatureRecord
from congso.signing.pdfsign import PdfInputError
from congso.signing.verify import verify_pdf

from . import helpers

pytestmark = pytest.mark.django_db


def test_a_signed_pdf_verifies_with_signer_time_and_chain(leader, leader_key, one_page_pdf):
    result = services.sign_pdf(one_page_pdf, leader_key, actor=leader)
    report = verify_pdf(result.data)
    assert report.ok, report.as_dict()
    [sig] = report.signatures
    assert sig.signer_name == "Nguyễn Văn Hùng"
    assert sig.intact and sig.valid and sig.trusted and not sig.modified_after
    assert sig.chain[-1].startswith("congso Demo Root CA")
    assert sig.signing_time_iso.endswith("+07:00")
    assert sig.level == "PAdES-B-B"
    assert "nguyên vẹn" in sig.integrity_text


def test_each_signature_is_recorded_and_audited_in_one_go(leader, leader_key, one_page_pdf):
    result = services.sign_pdf(one_page_pdf, leader_key, actor=leader)
    record = SignatureRecord.objects.get()
    assert record == result.record
    assert record.document_sha256 == pdfsign_sha(result.data)
    assert record.certificate_fingerprint == leader_key.fingerprint
    assert record.actor == leader
    entry = AuditEntry.objects.get(action="signing.sign")
    assert entry.object_id == str(record.pk)
    assert entry.data["sha256"] == record.document_sha256


def pdfsign_sha(data):
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_leader_then_seal_both_stay_valid(leader, leader_key, seal_key, one_page_pdf):
    document = services.create_document_record(
        kind=IssuedDocument.Kind.RESULT,
        code="125/QĐ-TTPVHCC",
        title="Quyết định cấp giấy phép",
        agency=seal_key.agency,
        actor=leader,
    )
    signed = services.issue_pdf(one_page_pdf, document, actor=leader, keys=[leader_key, seal_key])
    report = verify_pdf(signed)
    assert report.ok, report.as_dict()
    first, second = report.signatures
    assert first.later_signatures_only and not first.modified_after
    assert second.signer_organisation.startswith("congso DEMO")
    document.refresh_from_db()
    assert document.sha256 == report.sha256
    assert document.signatures.count() == 2
    # the first revision is still exactly what the leader signed
    assert signed.startswith(one_page_pdf[:100])


def test_three_signatures_official_leader_seal(
    clerk, leader, leader_key, seal_key, one_page_pdf, django_user_model
):
    officer_key = demo.demo_key(
        label="chu-ky-tiep-nhan",
        kind="personal",
        common_name="Trần Thị Lan",
        user=clerk,
        agency=seal_key.agency,
    )
    data = services.sign_pdf(one_page_pdf, officer_key, actor=clerk, box=(40, 40, 240, 110)).data
    data = services.sign_pdf(data, leader_key, actor=leader, box=(300, 40, 520, 110)).data
    data = services.sign_pdf(data, seal_key, actor=clerk, box=(250, 120, 400, 200)).data
    report = verify_pdf(data)
    assert [s.ok for s in report.signatures] == [True, True, True]


def test_a_byte_changed_after_signing_is_reported_as_modified(leader, leader_key, one_page_pdf):
    signed = services.sign_pdf(one_page_pdf, leader_key, actor=leader).data
    report = verify_pdf(helpers.flip_byte_in_signed_content(signed))
    assert not report.ok
    [sig] = report.signatures
    assert not sig.intact
    assert "bị sửa" in sig.integrity_text
    assert "KHÔNG hợp lệ" in report.summary


def test_content_appended_after_signing_is_reported(leader, leader_key, one_page_pdf):
    signed = services.sign_pdf(one_page_pdf, leader_key, actor=leader).data
    # an incremental update that adds a page after the signature
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue())
    assert not report.ok
    [sig] = report.signatures
    assert sig.intact  # the signed revision itself is untouched…
    assert sig.modified_after  # …but the document was changed afterwards
    assert "thay đổi sau khi ký" in sig.integrity_text


def test_a_certificate_from_an_untrusted_ca_is_not_valid(one_page_pdf, demo_ca):
    ca_cert, ca_key = helpers.make_ca()
    signer = helpers.make_signer(ca_cert, ca_key, "Người ký giả mạo")
    signed, *_ = pdfsign.sign_bytes(one_page_pdf, signer, appearance=pdfsign.Appearance(visible=False))
    report = verify_pdf(signed)
    assert not report.ok
    [sig] = report.signatures
    assert sig.intact and not sig.trusted
    assert "không thuộc chuỗi tin cậy" in sig.trust_text


def test_an_expired_certificate_is_reported(one_page_pdf, demo_ca):
    ca_cert, ca_key = demo_ca
    start, end = helpers.expired_window()
    signer = helpers.make_signer(ca_cert, ca_key, "Cán bộ đã nghỉ hưu", not_before=start, not_after=end)
    signed, *_ = pdfsign.sign_bytes(one_page_pdf, signer, appearance=pdfsign.Appearance(visible=False))
    report = verify_pdf(signed)
    assert not report.ok
    [sig] = report.signatures
    assert sig.expired and not sig.trusted
    assert "hết hạn" in sig.trust_text


def test_signing_with_an_expired_key_is_refused(leader, centre, demo_ca, one_page_pdf):
    start, end = helpers.expired_window()
    data = demo.issue_pkcs12("Nguyễn Văn Hùng", passphrase="cu-2024", not_before=start, not_after=end)
    key = services.import_pkcs12(
        data,
        "cu-2024",
        label="khoa-het-han",
        kind="personal",
        actor=None,
        user=leader,
        agency=centre,
        as_system=True,
    )
    with pytest.raises(SigningError, match="không còn hiệu lực"):
        services.sign_pdf(one_page_pdf, key, actor=leader)
    assert not SignatureRecord.objects.exists()


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"", "Tệp rỗng"),
        (b"PK\x03\x04 this is a zip file, not a pdf", "không phải là tài liệu PDF"),
        ("Đơn đề nghị cấp phép.docx".encode() * 20, "không phải là tài liệu PDF"),
        (b"%PDF-1.7\n garbage without any structure", "bị hỏng"),
    ],
)
def test_non_pdf_input_gets_a_clear_message(payload, message, leader, leader_key):
    report = verify_pdf(payload)
    assert not report.ok and message in report.error
    with pytest.raises(PdfInputError, match=message):
        services.sign_pdf(payload, leader_key, actor=leader)
    assert not SignatureRecord.objects.exists()


def _encrypted(pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_pdf_is_refused_with_a_reason(leader, leader_key, one_page_pdf):
    encrypted = _encrypted(one_page_pdf)
    report = verify_pdf(encrypted)
    assert not report.ok and "mã hoá" in report.error
    with pytest.raises(PdfInputError, match="mã hoá"):
        services.sign_pdf(encrypted, leader_key, actor=leader)


def test_an_unsigned_pdf_is_never_valid(one_page_pdf, demo_ca):
    report = verify_pdf(one_page_pdf)
    assert not report.ok
    assert "không có chữ ký" in report.summary


def test_a_truncated_signed_pdf_is_not_valid(leader, leader_key, one_page_pdf):
    signed = services.sign_pdf(one_page_pdf, leader_key, actor=leader).data
    report = verify_pdf(signed[: len(signed) // 2])
    assert not report.ok


# --- permissions --------------------------------------------------------------------------


def test_only_the_owner_may_use_a_personal_key(clerk, leader_key, one_page_pdf):
    with pytest.raises(PermissionDenied):
        services.sign_pdf(one_page_pdf, leader_key, actor=clerk)
    assert not SignatureRecord.objects.exists()


def test_staff_of_another_agency_may_not_apply_the_seal(django_user_model, justice, seal_key, one_page_pdf):
    outsider = django_user_model.objects.create_user(username="vanthu.so", password="x", kind="official")
    Membership.objects.create(user=outsider, agency=justice, role=Role.CLERICAL)
    with pytest.raises(PermissionDenied):
        services.sign_pdf(one_page_pdf, seal_key, actor=outsider)


def test_citizens_and_anonymous_visitors_may_not_sign(citizen, seal_key, one_page_pdf):
    from django.contrib.auth.models import AnonymousUser

    for actor in (citizen, AnonymousUser(), None):
        with pytest.raises(PermissionDenied):
            services.sign_pdf(one_page_pdf, seal_key, actor=actor)


def test_clerks_of_the_agency_may_apply_its_seal(clerk, seal_key, one_page_pdf):
    assert verify_pdf(services.sign_pdf(one_page_pdf, seal_key, actor=clerk).data).ok


def test_a_retired_key_cannot_sign(leader, leader_key, one_page_pdf):
    leader_key.is_active = False
    leader_key.save()
    with pytest.raises(PermissionDenied):
        services.sign_pdf(one_page_pdf, leader_key, actor=leader)


# --- PAdES-B-T with a real local timestamp authority -------------------------------------


def test_b_t_signature_with_a_local_rfc3161_server(settings, leader, leader_key, one_page_pdf, demo_ca):
    with helpers.TimestampServer(*demo_ca) as tsa:
        settings.CONGSO_SIGNING_TSA_URL = tsa.url
        result = services.sign_pdf(one_page_pdf, leader_key, actor=leader)
        assert tsa.requests == 1
    assert result.record.level == "PAdES-B-T"
    report = verify_pdf(result.data)
    assert report.ok, report.as_dict()
    [sig] = report.signatures
    assert sig.has_timestamp and sig.timestamp_ok and sig.level == "PAdES-B-T"


def test_an_unreachable_tsa_gives_a_clear_error(settings, leader, leader_key, one_page_pdf):
    settings.CONGSO_SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"
    settings.CONGSO_SIGNING_TSA_TIMEOUT = 2
    with pytest.raises(SigningError, match="dấu thời gian"):
        services.sign_pdf(one_page_pdf, leader_key, actor=leader)
    assert not SignatureRecord.objects.exists()


# --- appearance ---------------------------------------------------------------------------


def test_attachment_seal_goes_to_the_top_right_corner_of_the_first_page(clerk, seal_key, one_page_pdf):
    document = services.create_document_record(
        kind=IssuedDocument.Kind.ATTACHMENT,
        code="PL-01",
        title="Phụ lục bản vẽ",
        agency=seal_key.agency,
    )
    signed = services.issue_pdf(
        one_page_pdf, document, actor=clerk, keys=[seal_key], attachment_number="125/QĐ-UBND"
    )
    reader = PdfReader(io.BytesIO(signed))
    page = reader.pages[0]
    [widget] = [a.get_object() for a in page["/Annots"] if a.get_object().get("/FT") == "/Sig"]
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert x2 > width * 0.6 and y2 > height * 0.85
    assert verify_pdf(signed).ok
