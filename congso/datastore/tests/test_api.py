"""The data store API: the same use cases and refusals as the pages; another person's paper is 404."""

import pytest

from congso.datastore import services
from congso.datastore.models import DocumentReuse, PersonalDocument
from congso.dossiers import services as dossier_services
from congso.dossiers.models import Channel

from .conftest import jpeg_with_exif, pdf, upload_file

pytestmark = pytest.mark.django_db
BASE = "/api/v1/datastore"


@pytest.fixture
def doc(citizen):
    return services.store(citizen, upload_file(pdf(), "cccd.pdf"), title="Căn cước công dân (bản chụp)")


def test_needs_authentication(client, doc):
    assert client.get(f"{BASE}/documents").status_code == 401
    assert client.get(f"{BASE}/documents/{doc.pk}/file").status_code == 401
    assert client.delete(f"{BASE}/documents/{doc.pk}").status_code == 401


def test_list_upload_download_delete(client, citizen):
    client.force_login(citizen)
    response = client.post(
        f"{BASE}/documents",
        {
            "title": "Giấy chứng nhận kết hôn",
            "file": upload_file(pdf(), "ket-hon.pdf"),
            "valid_until": "2031-01-01",
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["title"] == "Giấy chứng nhận kết hôn" and created["kind"] == "pdf"
    assert created["reuse_count"] == 0 and created["is_valid"] is True
    listing = client.get(f"{BASE}/documents").json()
    assert [d["id"] for d in listing] == [created["id"]]
    one = client.get(f"{BASE}/documents/{created['id']}")
    assert one.status_code == 200 and one.json()["source"] == "upload"
    download = client.get(created["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.get(f"{BASE}/documents/{created['id']}/reuses").json() == []
    assert client.delete(f"{BASE}/documents/{created['id']}").status_code == 204
    assert client.get(f"{BASE}/documents").json() == []
    assert client.get(f"{BASE}/documents/{created['id']}").status_code == 404


def test_upload_refusals(client, citizen, settings):
    client.force_login(citizen)
    response = client.post(f"{BASE}/documents", {"title": "Giấy tờ", "file": upload_file(b"hello", "a.pdf")})
    assert response.status_code == 400
    assert response.json()["code"] == "upload_rejected" and "không phải là PDF" in response.json()["detail"]
    response = client.post(f"{BASE}/documents", {"title": " ", "file": upload_file(pdf(), "a.pdf")})
    assert response.status_code == 400 and response.json()["field"] == "title"
    settings.CONGSO_MAX_UPLOAD_BYTES = 64
    response = client.post(f"{BASE}/documents", {"title": "Giấy tờ", "file": upload_file(pdf(), "a.pdf")})
    assert response.status_code == 400 and "vượt quá dung lượng" in response.json()["detail"]
    assert not PersonalDocument.objects.exists()


def test_jpeg_uploaded_over_the_api_loses_its_exif(client, citizen):
    client.force_login(citizen)
    response = client.post(
        f"{BASE}/documents", {"title": "Ảnh CCCD", "file": upload_file(jpeg_with_exif(), "a.jpg")}
    )
    assert response.status_code == 201
    data = b"".join(client.get(response.json()["download_url"]).streaming_content)
    assert b"Exif" not in data and b"Camera-Cua-An" not in data


def test_another_persons_paper_is_404(client, other_citizen, doc):
    client.force_login(other_citizen)
    for path in (f"/documents/{doc.pk}", f"/documents/{doc.pk}/file", f"/documents/{doc.pk}/reuses"):
        response = client.get(BASE + path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    assert client.delete(f"{BASE}/documents/{doc.pk}").status_code == 404
    assert client.get(f"{BASE}/documents/not-a-uuid").status_code == 404
    assert client.get(f"{BASE}/documents").json() == []
    assert services.documents_for(doc.owner).filter(pk=doc.pk).exists()


def test_reuse_history(client, citizen, doc, staff, agencies, procedure_version, applicant):
    dossier = dossier_services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
    )
    services.record_reuse(doc, dossier, "Giấy tờ tùy thân", citizen)
    client.force_login(citizen)
    history = client.get(f"{BASE}/documents/{doc.pk}/reuses").json()
    assert history[0]["dossier"] == dossier.code and history[0]["component"] == "Giấy tờ tùy thân"
    assert history[0]["reused_by"] == "Nguyễn Văn An"
    assert client.get(f"{BASE}/documents").json()[0]["reuse_count"] == 1
    assert client.delete(f"{BASE}/documents/{doc.pk}").status_code == 204
    assert DocumentReuse.objects.filter(document=doc).count() == 1


def test_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/documents",
        "/documents/{document_id}",
        "/documents/{document_id}/file",
        "/documents/{document_id}/reuses",
        "/registries",
        "/registries/me",
        "/registries/population/lookup",
        "/registries/business/lookup",
    ):
        assert f"/api/v1/datastore{path}" in paths, path
