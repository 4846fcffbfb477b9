"""Public documents: a released outgoing document marked public by văn thư or a leader (audited),
listed by ``selectors.public_documents`` for the agencies' portals, its signed PDF downloadable without
login; secret documents and documents not released never are."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from congso.core.errors import ServiceError
from congso.core.models import AuditEntry
from congso.directory.testing import login_verified
from congso.documents import selectors, services
from congso.documents.models import Document
from congso.documents.testing import pdf_bytes

pytestmark = pytest.mark.django_db

META = {"doc_type": "QĐ", "subject": "Quyết định công bố thủ tục hành chính lĩnh vực hộ tịch", "pages": 1}


def released(world, *, meta=META, public=False):
    u = world.users
    doc = services.create_draft(
        actor=u["leader"],
        agency=world.agencies["justice"],
        metadata=meta,
        upload=None if meta.get("secrecy") else pdf_bytes(),
    )
    services.submit(doc, actor=u["leader"])
    services.approve(doc, actor=u["leader"])
    services.approve(doc, actor=u["leader"])
    services.sign(doc, actor=u["leader"])
    services.issue(doc, actor=u["clerical"])
    agencies = [] if meta.get("secrecy") else [world.agencies["construction"]]
    return services.release(doc, actor=u["clerical"], agencies=agencies, public=public)


def test_clerical_publishes_a_released_document_and_anyone_downloads_its_signed_pdf(world, keys, client):
    u = world.users
    doc = released(world)
    assert not doc.is_public and selectors.public_documents() == []
    services.set_public(doc, actor=u["clerical"])
    doc.refresh_from_db()
    assert doc.is_public and doc.published_at
    assert AuditEntry.objects.filter(action="documents.publish", object_id=str(doc.pk)).exists()
    (row,) = selectors.public_documents()
    assert row.number == doc.symbol == "01/QĐ-STP" and row.doc_type == "Quyết định"
    assert row.subject == META["subject"] and row.signer_name == "Nguyễn Quang Vinh"
    assert row.agency_id == world.agencies["justice"].pk and row.issued_on == doc.issued_on
    assert selectors.public_documents([world.agencies["justice"].pk], query="ho tich") == [row]
    assert selectors.public_documents([world.agencies["construction"].pk]) == []
    assert selectors.public_documents(query="xay dung nha o") == []
    assert selectors.public_documents(since=doc.issued_on) == [row]
    answer = client.get(row.pdf_url)  # anonymous
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    with doc.file.open("rb") as fh:
        assert b"".join(answer.streaming_content) == fh.read()
    page = client.get("/van-ban/cong-khai/?q=ho%20tich").content.decode()
    assert "01/QĐ-STP" in page and row.pdf_url in page
    api = client.get("/api/v1/documents/public?q=quyet%20dinh").json()
    assert [d["number"] for d in api] == ["01/QĐ-STP"] and api[0]["pdf_url"].endswith(row.pdf_url)
    # withdrawn: gone from the list, the file is 404 again
    services.set_public(doc, actor=u["leader"], public=False)
    assert selectors.public_documents() == [] and client.get(row.pdf_url).status_code == 404
    assert AuditEntry.objects.filter(action="documents.unpublish").exists()


def test_release_can_publish_at_once(world, keys):
    doc = released(world, public=True)
    assert doc.is_public and [d.id for d in selectors.public_documents()] == [doc.pk]
    # the copy the other agency received is an incoming document: never public
    assert not Document.objects.get(direction="in").is_public


def test_secret_documents_and_unreleased_ones_are_never_public(world, keys, client):
    u = world.users
    secret = released(world, meta={**META, "secrecy": "mat"})
    with pytest.raises(ServiceError) as exc:
        services.set_public(secret, actor=u["leader"])
    assert "mật" in exc.value.message
    draft = services.create_draft(
        actor=u["officer"], agency=world.agencies["justice"], metadata=META, upload=pdf_bytes()
    )
    with pytest.raises(ServiceError) as exc:
        services.set_public(draft, actor=u["clerical"])
    assert "phát hành" in exc.value.message
    assert client.get(f"/van-ban/cong-khai/{draft.pk}/tep/").status_code == 404
    assert not Document.objects.filter(is_public=True).exists()
    # the database refuses it too
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=secret.pk).update(is_public=True)


def test_release_asked_public_for_a_secret_document_releases_nothing(world, keys):
    u = world.users
    doc = services.create_draft(
        actor=u["leader"], agency=world.agencies["justice"], metadata={**META, "secrecy": "mat"}
    )
    services.submit(doc, actor=u["leader"])
    services.approve(doc, actor=u["leader"])
    services.approve(doc, actor=u["leader"])
    services.sign(doc, actor=u["leader"])
    services.issue(doc, actor=u["clerical"])
    with pytest.raises(ServiceError):
        services.release(doc, actor=u["clerical"], public=True)
    doc.refresh_from_db()
    assert doc.status == Document.Status.ISSUED and not doc.is_public


def test_only_clerical_or_leader_of_the_agency_publishes(world, keys, client):
    u = world.users
    doc = released(world)
    for who in ("officer", "cx_clerical", "citizen"):
        with pytest.raises(PermissionDenied):
            services.set_public(doc, actor=u[who])
    login_verified(client, u["officer"])
    answer = client.post(
        f"/api/v1/documents/{doc.pk}/public", {"public": True}, content_type="application/json"
    )
    assert answer.status_code == 403
    login_verified(client, u["clerical"])
    detail = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert "Công khai trên cổng thông tin" in detail
    client.post(f"/van-ban/{doc.pk}/thao-tac/", {"action": "publish"})
    doc.refresh_from_db()
    assert doc.is_public
    again = client.post(
        f"/api/v1/documents/{doc.pk}/public", {"public": True}, content_type="application/json"
    )
    assert again.status_code == 409
    answer = client.post(
        f"/api/v1/documents/{doc.pk}/public", {"public": False}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["is_public"] is False
