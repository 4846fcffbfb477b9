"""Electronic copies (Decree 30/2020, Articles 25-27): sao y keeps the signed original and adds the
copying agency's seal with the copy marks; trích sao takes the pages named; sao lục is made from a sao
y copy; each copy has its own number in the copy register, with no gap."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from congso.core.errors import ServiceError
from congso.core.models import AuditEntry
from congso.directory.testing import login_verified
from congso.documents import services
from congso.documents.models import Copy, Document, NumberEntry
from congso.documents.testing import pdf_bytes
from congso.signing.verify import verify_pdf

pytestmark = pytest.mark.django_db

META = {"doc_type": "QĐ", "subject": "Quyết định kiện toàn Hội đồng phối hợp phổ biến pháp luật", "pages": 3}


@pytest.fixture
def copy_register(world):
    return services.create_register(
        actor=world.users["clerical"],
        agency=world.agencies["justice"],
        name="Sổ bản sao văn bản",
        direction="copy",
        notation="STP",
    )


def released(world):
    u = world.users
    doc = services.create_draft(
        actor=u["leader"], agency=world.agencies["justice"], metadata=META, upload=pdf_bytes(pages=3)
    )
    services.submit(doc, actor=u["leader"])
    services.approve(doc, actor=u["leader"])
    services.approve(doc, actor=u["leader"])
    services.sign(doc, actor=u["leader"])
    services.issue(doc, actor=u["clerical"])
    return services.release(doc, actor=u["clerical"], agencies=[world.agencies["construction"]])


def read(f) -> bytes:
    with f.open("rb") as fh:
        return fh.read()


def test_sao_y_keeps_the_original_signatures_and_adds_the_seal_with_the_marks(world, keys, copy_register):
    u = world.users
    doc = released(world)
    copy = services.make_copy(doc, actor=u["clerical"], form="sao_y", recipients_text="Phòng Tư pháp")
    assert copy.symbol == "01/SY-STP" and copy.register == copy_register
    data = read(copy.file)
    report = verify_pdf(data)
    assert report.ok, report.as_dict()
    assert len(report.signatures) == 4  # leader, seal over it, number stamp, and the copy's seal
    original = read(doc.file)
    assert data.startswith(original)  # an incremental revision: the original bytes are untouched
    # the copy's seal shows in the top-right corner of the first page, with the copy form's marks
    first = PdfReader(io.BytesIO(data)).pages[0]
    widgets = [a.get_object() for a in first.get("/Annots", [])]
    x1, y1, x2, y2 = (float(v) for v in widgets[-1]["/Rect"])
    assert x2 > float(first.mediabox.width) - 40 and y2 > float(first.mediabox.height) - 40
    marks = services.copy_appearance(
        keys[0], form="sao_y", symbol=copy.symbol, at=copy.created_at, width=595, height=842
    )
    assert marks.lines[0] == "SAO Y" and marks.lines[1] == "Sở Tư pháp tỉnh Gia Lai"
    assert marks.lines[2] == "Số: 01/SY-STP"
    entry = NumberEntry.objects.get(register=copy_register)
    assert entry.symbol == "01/SY-STP" and entry.copy == copy
    assert AuditEntry.objects.filter(action="documents.copy", object_id=str(doc.pk)).exists()
    # sao lục from the sao y, trích sao of page 2 and 3: the next numbers, their own abbreviations
    luc = services.make_copy(doc, actor=u["clerical"], form="sao_luc", source_copy=copy.pk)
    extract = services.make_copy(doc, actor=u["clerical"], form="trich_sao", pages="2-3")
    assert (luc.symbol, extract.symbol) == ("02/SL-STP", "03/TS-STP")
    assert verify_pdf(read(luc.file)).ok and len(verify_pdf(read(luc.file)).signatures) == 5
    assert len(PdfReader(io.BytesIO(read(extract.file))).pages) == 2
    assert verify_pdf(read(extract.file)).ok


def test_an_incoming_scan_is_copied_by_the_receiving_clerical(world, keys, copy_register, client):
    u = world.users
    incoming = services.register_incoming(
        actor=u["clerical"],
        agency=world.agencies["justice"],
        metadata={**META, "symbol": "12/QĐ-UBND", "issued_on": "02/12/2026", "issuing_organ": "UBND tỉnh"},
        upload=pdf_bytes(pages=2),
    )
    login_verified(client, u["clerical"])
    page = client.get(f"/van-ban/{incoming.pk}/").content.decode()
    assert "Sao và ký số" in page
    client.post(f"/van-ban/{incoming.pk}/thao-tac/", {"action": "copy", "form": "trich_sao", "pages": "2"})
    copy = Copy.objects.get()
    assert copy.symbol == "01/TS-STP" and copy.pages == "2"
    answer = client.get(f"/van-ban/{incoming.pk}/tep/?sao={copy.pk}")
    assert answer.status_code == 200
    api = client.post(
        f"/api/v1/documents/{incoming.pk}/copies", {"form": "sao_y"}, content_type="application/json"
    )
    assert api.status_code == 201 and api.json()["symbol"] == "02/SY-STP"
    assert [c["symbol"] for c in client.get(f"/api/v1/documents/{incoming.pk}/copies").json()] == [
        "02/SY-STP",
        "01/TS-STP",
    ]


def test_copies_refused_clearly_and_nothing_numbered(world, keys, copy_register, client):
    u = world.users
    doc = released(world)
    for who in ("leader", "officer", "cx_clerical"):
        with pytest.raises(PermissionDenied):
            services.make_copy(doc, actor=u[who], form="sao_y")
    for kwargs, words in (
        ({"form": "ban_chup"}, "Hình thức sao"),
        ({"form": "trich_sao", "pages": ""}, "trang"),
        ({"form": "trich_sao", "pages": "2-9"}, "3 trang"),
        ({"form": "trich_sao", "pages": "hai"}, "1-2, 4"),
        ({"form": "sao_luc"}, "sao y"),
    ):
        with pytest.raises(ServiceError) as exc:
            services.make_copy(doc, actor=u["clerical"], **kwargs)
        assert words in exc.value.message
    draft = services.create_draft(
        actor=u["officer"], agency=world.agencies["justice"], metadata=META, upload=pdf_bytes()
    )
    with pytest.raises(ServiceError):
        services.make_copy(draft, actor=u["clerical"], form="sao_y")
    secret = services.register_incoming(
        actor=u["clerical"],
        agency=world.agencies["justice"],
        metadata={
            **META,
            "secrecy": "mat",
            "symbol": "1/QĐ",
            "issued_on": "02/12/2026",
            "issuing_organ": "X",
        },
    )
    with pytest.raises(ServiceError) as exc:
        services.make_copy(secret, actor=u["clerical"], form="sao_y")  # metadata only: nothing to copy
    assert "mật" in exc.value.message
    assert not NumberEntry.objects.filter(register=copy_register).exists() and not Copy.objects.exists()
    login_verified(client, u["cx_clerical"])
    answer = client.post(
        f"/api/v1/documents/{doc.pk}/copies", {"form": "sao_y"}, content_type="application/json"
    )
    assert answer.status_code == 403


def test_without_a_copy_register_the_agency_is_told_to_create_one(world, keys):
    doc = released(world)
    with pytest.raises(ServiceError) as exc:
        services.make_copy(doc, actor=world.users["clerical"], form="sao_y")
    assert "sổ đăng ký bản sao" in exc.value.message
    assert Document.objects.get(pk=doc.pk).copies.count() == 0
