"""One-stop slips are issued as signed PDFs from the dossier's own data, on demand."""

import pytest
from pypdf import PdfReader

from congso.accounts.models import User
from congso.core.hooks import HookNotProvided
from congso.core.statemachine import TransitionError
from congso.directory.models import Membership, Role
from congso.directory.testing import login_verified
from congso.dossiers import hooks, services, slips
from congso.dossiers.models import Channel, Status
from congso.dossiers.testing import advance
from congso.dossiers.tests.conftest import pdf
from congso.signing import demo as signing_demo
from congso.signing.models import IssuedDocument
from congso.signing.services import record_url
from congso.signing.verify import verify_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(staff, agencies, procedure_version, applicant):
    return services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
    )


def _text(response) -> str:
    import io

    return "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    )


def test_receipt_slip_printed_once_with_code_and_appointment(client, staff, received):
    login_verified(client, staff["clerk"])
    page = client.get(f"/mot-cua/ho-so/{received.code}/").content.decode()
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    response = client.get(f"/mot-cua/ho-so/{received.code}/phieu/receipt/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response)
    assert received.code in text and "Nguyễn Văn An" in text
    client.get(f"/mot-cua/ho-so/{received.code}/phieu/receipt/")
    assert IssuedDocument.objects.filter(code=received.code, kind="receipt").count() == 1


def test_refusal_slip_only_for_refused_dossiers(client, staff, received):
    login_verified(client, staff["clerk"])
    response = client.get(f"/mot-cua/ho-so/{received.code}/phieu/refusal/", follow=True)
    assert "Hồ sơ chưa có phiếu này." in response.content.decode()
    assert not IssuedDocument.objects.filter(kind="refusal").exists()


def test_slips_are_for_staff_not_other_agencies_or_applicants(client, staff, citizen, received):
    login_verified(client, staff["other_clerk"])
    assert client.get(f"/mot-cua/ho-so/{received.code}/phieu/receipt/").status_code == 404
    client.force_login(citizen)
    assert client.get(f"/mot-cua/ho-so/{received.code}/phieu/receipt/").status_code == 403


def test_supplement_slip_lists_what_is_missing(client, staff, received):
    services.request_supplement(
        received.pk,
        actor=staff["officer"],
        reason="Thiếu giấy tờ",
        missing=["Bản sao Giấy chứng nhận kết hôn của cha mẹ"],
    )
    login_verified(client, staff["clerk"])
    text = _text(client.get(f"/mot-cua/ho-so/{received.code}/phieu/supplement/"))
    assert "Giấy chứng nhận kết hôn" in text


def test_receipt_is_signed_with_the_agency_seal_when_it_has_one(client, staff, agencies, received):
    import io

    signing_demo.ensure_ca()
    signing_demo.demo_key(
        label="seal-ward", kind="seal", common_name=agencies["ward"].name, agency=agencies["ward"]
    )
    login_verified(client, staff["clerk"])
    pdf = b"".join(client.get(f"/mot-cua/ho-so/{received.code}/phieu/receipt/").streaming_content)
    report = verify_pdf(io.BytesIO(pdf).getvalue())
    assert report.ok, report.summary


def test_issued_result_is_stamped_with_its_qr_and_sealed(staff, agencies, received):
    import io

    from pypdf import PdfReader

    signing_demo.ensure_ca()
    signing_demo.demo_key(
        label="seal-ward", kind="seal", common_name=agencies["ward"].name, agency=agencies["ward"]
    )
    for who in ("officer", "leader", "leader"):
        advance(received.pk, actor=staff[who])
    d = services.issue_result(
        received.pk,
        actor=staff["clerical"],
        number="125/GKS",
        title="Giấy khai sinh",
        upload=services.Upload("Giấy khai sinh", pdf(), "gks.pdf"),
    )
    data = d.result.attachment.file.read()
    report = verify_pdf(data)
    assert report.ok, report.summary
    document = IssuedDocument.objects.get(code=d.code, kind="result")
    assert document.sha256 == d.result.attachment.sha256
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert f"/xac-thuc/{document.pk}/" in text.replace("\n", "")


def test_control_sheet_names_roles_in_vietnamese(client, staff, received):
    advance(received.pk, actor=staff["officer"])
    login_verified(client, staff["leader"])
    text = " ".join(_text(client.get(f"/mot-cua/ho-so/{received.code}/phieu/control/")).split())
    assert "Lãnh đạo phê duyệt" in text and "officer" not in text and "leader" not in text


def test_a_result_issued_at_another_agency_carries_that_agencys_seal(staff, agencies, received):
    """A liên thông issue step: the Department of Justice's văn thư issues, with the Department's seal;
    the timeline names the Department; the dossier goes back to the ward's counter to be returned."""

    justice = agencies["justice"]
    received.template.steps.filter(role="clerical").update(agency=justice)
    clerical = User.objects.create_user(
        "vt.sotuphap", password="Mat-khau-dai-2026!", full_name="Trần Thị Thu", kind="official"
    )
    Membership.objects.create(user=clerical, agency=justice, role=Role.CLERICAL)
    signing_demo.ensure_ca()
    for key, agency in (("ward", agencies["ward"]), ("justice", justice)):
        signing_demo.demo_key(label=f"seal-{key}", kind="seal", common_name=agency.name, agency=agency)
    for who in ("officer", "leader", "leader"):
        advance(received.pk, actor=staff[who])
    with pytest.raises(TransitionError):  # the ward's văn thư no longer holds it
        services.issue_result(
            received.pk, actor=staff["clerical"], number="1", title="x", upload=services.Upload("x", pdf())
        )
    d = services.issue_result(
        received.pk,
        actor=clerical,
        number="88/STP",
        title="Giấy khai sinh",
        upload=services.Upload("Giấy khai sinh", pdf(), "gks.pdf"),
    )
    report = verify_pdf(d.result.attachment.file.read())
    assert report.ok, report.summary
    assert [s.signer_name for s in report.signatures] == [justice.name]
    document = IssuedDocument.objects.get(code=d.code, kind="result")
    assert document.agency == justice
    entry = d.timeline.get(action="issue_result")
    assert entry.agency == justice and entry.data["issuing_agency"] == justice.code
    assert entry.step.role == "clerical"
    assert (d.current_agency, d.holder_role) == (agencies["ward"], "clerk")  # returned at the counter
    d = services.return_result(d.pk, actor=staff["clerk"])
    assert d.status == Status.RETURNED


def _issue(staff, received, upload):
    for who in ("officer", "leader", "leader"):
        advance(received.pk, actor=staff[who])
    return services.issue_result(
        received.pk, actor=staff["clerical"], number="125/GKS", title="Giấy khai sinh", upload=upload
    )


def _printed_record_url(data: bytes) -> str:
    """The record's address as printed under the QR (read back from the PDF's text)."""
    import io
    import re

    text = PdfReader(io.BytesIO(data)).pages[0].extract_text().replace("\n", "")
    match = re.search(
        r"Quét mã để xác thực văn bản trên Cổng dịch vụ công: (\S+/xac-thuc/[0-9a-f-]{36}/)", text
    )
    assert match, text
    return match.group(1)


@pytest.mark.parametrize("sealed", [True, False], ids=["with seal key", "without seal key"])
def test_every_pdf_result_carries_the_qr_of_its_public_record(client, staff, agencies, received, sealed):
    if sealed:
        signing_demo.ensure_ca()
        signing_demo.demo_key(
            label="seal-ward", kind="seal", common_name=agencies["ward"].name, agency=agencies["ward"]
        )
    d = _issue(staff, received, services.Upload("Giấy khai sinh", pdf(), "gks.pdf"))
    attachment = d.result.attachment
    data = attachment.file.read()
    document = IssuedDocument.objects.get(code=d.code, kind="result")
    assert _printed_record_url(data) == record_url(document)
    assert d.timeline.get(action="issue_result").data["issued_document"] == str(document.pk)
    # The stored file is the published one: its hash is the record's (so /xac-thuc matches it).
    import hashlib

    assert hashlib.sha256(data).hexdigest() == attachment.sha256 == document.sha256
    assert attachment.size == len(data)
    assert verify_pdf(data).ok is sealed
    page = client.post(
        f"/xac-thuc/{document.pk}/", {"file": _upload("gks.pdf", data, "application/pdf")}
    ).content.decode()
    assert "TRÙNG KHỚP" in page and "KHÔNG TRÙNG KHỚP" not in page


def _upload(name, data, mime):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=mime)


@pytest.mark.parametrize(("fmt", "size"), [("JPEG", (900, 1270)), ("PNG", (1270, 900))])
def test_an_image_result_is_published_as_a_pdf_page_with_the_qr(staff, received, fmt, size):
    import io

    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", size, (240, 235, 220)).save(image, fmt)
    d = _issue(staff, received, services.Upload("Giấy khai sinh", image.getvalue(), f"scan.{fmt.lower()}"))
    attachment = d.result.attachment
    data = attachment.file.read()
    reader = PdfReader(io.BytesIO(data))
    assert (attachment.kind, attachment.extension, attachment.pages, len(reader.pages)) == (
        "pdf",
        ".pdf",
        1,
        1,
    )
    assert attachment.original_name == "scan.pdf"
    box = reader.pages[0].mediabox
    assert (float(box.width) > float(box.height)) == (size[0] > size[1])  # landscape scans stay landscape
    document = IssuedDocument.objects.get(code=d.code, kind="result")
    assert _printed_record_url(data) == record_url(document)
    assert attachment.sha256 == document.sha256


def test_a_receipt_without_the_lookup_link_provider_fails_loudly(staff, received, monkeypatch):
    """The receipt's public-lookup link comes from the tracking app (``hooks.public_lookup_url``): when no
    app provides it, issuing the receipt fails instead of printing it without the link."""
    assert hooks.public_lookup_url.provided
    monkeypatch.setattr(hooks.public_lookup_url, "_impl", None)  # unprovided; monkeypatch restores it
    with pytest.raises(HookNotProvided, match="dossiers.public_lookup_url"):
        slips.get_or_issue(received, "receipt", staff["clerk"])
    assert not IssuedDocument.objects.filter(code=received.code, kind="receipt").exists()
    monkeypatch.undo()
    assert slips.get_or_issue(received, "receipt", staff["clerk"]).kind == "receipt"
