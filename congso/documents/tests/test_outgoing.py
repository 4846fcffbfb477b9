"""Outgoing documents: draft, review chain with return, leader's signature, văn thư's number and seal
(incremental PAdES that pdfsig validates), release to an agency of the platform and to the exchange."""

import io
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pypdf import PdfReader

from congso.core.errors import ServiceError
from congso.core.permissions import can
from congso.core.statemachine import TransitionError
from congso.documents import selectors, services
from congso.documents.models import Document, Recipient
from congso.documents.testing import pdf_bytes
from congso.signing import crypto
from congso.signing.verify import verify_pdf

pytestmark = pytest.mark.django_db
S = Document.Status

META = {
    "doc_type": "QĐ",
    "subject": "Quyết định ban hành Quy chế công tác văn thư của Sở Tư pháp",
    "pages": 1,
}


@pytest.fixture
def nss_db(tmp_path, keys):
    if not shutil.which("certutil") or not shutil.which("pdfsig"):
        pytest.skip("certutil (libnss3-tools) and pdfsig (poppler-utils) are needed")
    from congso.signing import demo as signing_demo

    ca_cert, _key = signing_demo.ensure_ca()
    anchor = tmp_path / "ca.pem"
    anchor.write_text(crypto.to_pem(ca_cert))
    db = tmp_path / "nss"
    db.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{db}", "-n", "ca", "-t", "CT,C,C", "-i", str(anchor)], check=True
    )
    return f"sql:{db}"


def test_decision_goes_through_review_signature_number_seal_and_release(world, keys, nss_db, tmp_path):
    u = world.users
    justice = world.agencies["justice"]
    doc = services.create_draft(actor=u["officer"], agency=justice, metadata=META, upload=pdf_bytes())
    services.comment(doc, actor=u["head_civil"], text="Bổ sung căn cứ Nghị định 30/2020/NĐ-CP.")
    services.submit(doc, actor=u["officer"])
    doc.refresh_from_db()
    assert doc.status == S.IN_REVIEW and doc.review_step.position == 1
    assert [d.pk for d in selectors.review_inbox(u["head_civil"])] == [doc.pk]
    with pytest.raises(PermissionDenied):
        services.approve(doc, actor=u["clerical"])
    services.return_for_revision(doc, actor=u["head_civil"], reason="Sửa trích yếu cho đúng thể thức.")
    doc.refresh_from_db()
    assert doc.status == S.RETURNED
    services.add_version(doc, actor=u["officer"], upload=pdf_bytes(), note="Đã sửa theo góp ý")
    services.submit(doc, actor=u["officer"])
    services.approve(doc, actor=u["head_civil"])
    doc.refresh_from_db()
    assert doc.status == S.IN_REVIEW and doc.review_step.position == 2
    services.approve(doc, actor=u["leader"])
    doc.refresh_from_db()
    assert doc.status == S.TO_SIGN
    with pytest.raises(PermissionDenied):
        services.sign(doc, actor=u["head_civil"])
    with pytest.raises(TransitionError):
        services.issue(doc, actor=u["clerical"])  # no number before the signature
    services.sign(doc, actor=u["leader"])
    doc.refresh_from_db()
    assert doc.status == S.SIGNED and doc.signer_name == "Nguyễn Quang Vinh" and doc.number == ""
    services.issue(doc, actor=u["clerical"])
    doc.refresh_from_db()
    assert doc.status == S.ISSUED and doc.symbol == "01/QĐ-STP"
    with doc.file.open("rb") as fh:
        signed = fh.read()
    report = verify_pdf(signed)
    assert report.ok, report.as_dict()
    assert doc.pages == len(PdfReader(io.BytesIO(signed)).pages) >= 1  # counted from the issued file
    assert len(report.signatures) == 3  # leader, seal over the signature, number and date stamp
    path = tmp_path / "quyet-dinh.pdf"
    path.write_bytes(signed)
    run = subprocess.run(["pdfsig", "-nssdir", nss_db, str(path)], capture_output=True, text=True)
    assert run.stdout.count("Signature is Valid.") == 3, run.stdout + run.stderr
    assert "Invalid" not in run.stdout

    services.release(
        doc,
        actor=u["clerical"],
        agencies=[world.agencies["construction"]],
        external=[{"organ_id": "000.00.12.H41", "name": "Sở Tư pháp tỉnh Nghệ An"}],
    )
    doc.refresh_from_db()
    assert doc.status == S.RELEASED
    internal = doc.recipients.get(agency=world.agencies["construction"])
    external = doc.recipients.get(organ_id="000.00.12.H41")
    assert external.state == Recipient.State.WAITING and list(selectors.waiting_to_send()) == [external]
    incoming = internal.incoming
    assert incoming.direction == "in" and incoming.symbol == "01/QĐ-STP" and incoming.arrival_number == 1
    assert incoming.file_sha256 == crypto.sha256_hex(signed)
    # there, văn thư routes, the leader assigns, the handler finishes; the sender sees it done
    services.route(incoming, actor=u["cx_clerical"])
    services.assign(incoming, actor=u["cx_leader"], lead=u["cx_officer"], working_days=3)
    services.finish(incoming, actor=u["cx_officer"], result="Đã triển khai tại Sở Xây dựng.")
    internal.refresh_from_db()
    assert internal.status_code == services.STATUS_DONE
    assert not can(u["cx_officer"], "documents.view", doc)
    services.mark_sent(external, ok=True)
    day = timezone.localdate(doc.released_at)  # a Vietnam day: after 17:00 UTC it is the next one
    stats = selectors.stats(world.agencies["justice"], day, day)
    assert stats["outgoing_released"] == 1 and stats["signed_electronic_share"] == 100


def test_a_release_never_happens_without_signatures(world, keys):
    u = world.users
    doc = services.create_draft(
        actor=u["officer"], agency=world.agencies["justice"], metadata=META, upload=pdf_bytes()
    )
    with pytest.raises(TransitionError):
        services.release(doc, actor=u["clerical"], agencies=[world.agencies["construction"]])


def test_drafts_must_be_pdf_and_secret_drafts_have_no_content(world):
    u = world.users
    justice = world.agencies["justice"]
    with pytest.raises(ServiceError):
        services.create_draft(
            actor=u["officer"], agency=justice, metadata=META, upload=b"\x89PNG\r\n\x1a\nxx"
        )
    with pytest.raises(ServiceError) as exc:
        services.create_draft(
            actor=u["officer"], agency=justice, metadata={**META, "secrecy": "toi_mat"}, upload=pdf_bytes()
        )
    assert "mật" in exc.value.message
    doc = services.create_draft(actor=u["officer"], agency=justice, metadata={**META, "secrecy": "toi_mat"})
    assert not doc.versions.exists()
    with pytest.raises(PermissionDenied):
        services.create_draft(actor=u["citizen"], agency=justice, metadata=META, upload=pdf_bytes())


def test_cancelling_an_issued_number_sends_the_document_back_to_be_numbered(world, keys):
    u = world.users
    doc = services.create_draft(
        actor=u["leader"], agency=world.agencies["justice"], metadata=META, upload=pdf_bytes()
    )
    services.submit(doc, actor=u["leader"])
    services.approve(doc, actor=u["leader"])
    services.approve(doc, actor=u["leader"])
    services.sign(doc, actor=u["leader"])
    services.issue(doc, actor=u["clerical"])
    entry = doc.number_entries.get()
    services.cancel_number(entry, actor=u["clerical"], reason="Cấp nhầm sổ")
    doc.refresh_from_db()
    assert doc.status == S.SIGNED and doc.symbol == ""
    services.issue(doc, actor=u["clerical"])
    doc.refresh_from_db()
    assert doc.symbol == "02/QĐ-STP"
