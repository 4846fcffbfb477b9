"""Results online: the issued result is downloadable by the applicant only, and lands in their
personal data store as a RESULT with its dossier and number."""

import pytest

from congso.datastore.models import PersonalDocument
from congso.directory.testing import login_verified
from congso.dossiers import services as dossier_services
from congso.dossiers.models import Channel, Status
from congso.dossiers.services import Applicant
from congso.dossiers.testing import advance

from .conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def processed(received, staff):
    advance(received.pk, actor=staff["officer"])  # → review (leader)
    d = received
    # Walk the default template to its issue step.
    for actor in ("leader", "leader"):
        d = type(received).objects.get(pk=received.pk)
        if d.holder_role == "clerical":
            break
        advance(d.pk, actor=staff[actor])
    d = type(received).objects.get(pk=received.pk)
    assert d.holder_role == "clerical", d.holder_role
    return dossier_services.issue_result(
        d.pk,
        actor=staff["clerical"],
        number="125/GKS",
        title="Giấy khai sinh",
        upload=dossier_services.Upload("Kết quả giải quyết", pdf(), "giay-khai-sinh.pdf"),
    )


def test_issued_result_is_added_to_the_applicants_data_store(processed, citizen):
    assert processed.status == Status.PROCESSED
    doc = PersonalDocument.objects.get(owner=citizen)
    assert doc.source == PersonalDocument.Source.RESULT
    assert doc.dossier_id == processed.pk
    assert doc.issued_number == "125/GKS"
    assert doc.title == "Giấy khai sinh"
    assert doc.sha256 == processed.result.attachment.sha256


def test_without_an_applicant_account_nothing_is_stored(staff, agencies, procedure_version, components):
    d = dossier_services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=Applicant(name="Ksor H'Bia", phone="0912000111"),
        uploads=components,
        accept_now=True,
    )
    for _ in range(4):
        d = type(d).objects.get(pk=d.pk)
        if d.holder_role == "clerical":
            break
        role = d.holder_role if d.holder_role in ("officer", "leader") else "officer"
        advance(d.pk, actor=staff[role])
    dossier_services.issue_result(
        d.pk,
        actor=staff["clerical"],
        number="7/GKS",
        title="Giấy khai sinh",
        upload=dossier_services.Upload("Kết quả", pdf(), "kq.pdf"),
    )
    assert not PersonalDocument.objects.exists()


def test_applicant_downloads_the_result(client, citizen, processed):
    client.force_login(citizen)
    page = client.get(f"/ho-so/{processed.code}/").content.decode()
    assert "Tải kết quả về" in page
    response = client.get(f"/ho-so/{processed.code}/ket-qua/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")


def test_others_cannot_download_the_result(client, stranger, staff, processed):
    client.force_login(stranger)
    assert client.get(f"/ho-so/{processed.code}/ket-qua/").status_code == 404
    login_verified(client, staff["other_clerk"])
    assert client.get(f"/ho-so/{processed.code}/ket-qua/").status_code == 404


def test_no_result_yet_is_404(client, citizen, received):
    client.force_login(citizen)
    assert client.get(f"/ho-so/{received.code}/ket-qua/").status_code == 404


def test_result_carries_the_verification_qr_when_the_agency_seals(processed):
    """With no seal key at the ward the result is not sealed, but it still carries the QR of its public
    record (congso/dossiers/tests/test_slips.py reads it back). The timeline records the number."""
    entry = processed.timeline.get(action="issue_result")
    assert entry.data["number"] == "125/GKS" and entry.data["issued_document"]
