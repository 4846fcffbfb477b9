"""Pages of the personal data store: login required, the owner's papers only (404 for anyone else),
clear messages for bad uploads, removal with confirmation."""

import pytest
from django.urls import reverse

from congso.datastore import services
from congso.datastore.models import PersonalDocument
from congso.dossiers import services as dossier_services
from congso.dossiers.models import Channel

from .conftest import jpeg_with_exif, pdf, upload_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(citizen):
    return services.store(
        citizen, upload_file(pdf(), "ket-hon.pdf"), title="Giấy chứng nhận kết hôn", issued_number="45/2019"
    )


def test_pages_need_login(client, doc):
    for name, args in (
        ("datastore:index", []),
        ("datastore:upload", []),
        ("datastore:detail", [doc.pk]),
        ("datastore:download", [doc.pk]),
        ("datastore:remove", [doc.pk]),
        ("datastore:registries", []),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "dang-nhap" in response["Location"], name


def test_index_lists_own_papers_only(client, citizen, other_citizen, doc):
    services.store(other_citizen, pdf(2), title="Bằng tốt nghiệp đại học của Bình")
    client.force_login(citizen)
    response = client.get(reverse("datastore:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("datastore:index") == "/kho-du-lieu/"
    assert "Giấy chứng nhận kết hôn" in body and "Công dân tải lên" in body
    assert "Không ghi thời hạn" in body and "0 lần" in body
    assert "Bằng tốt nghiệp" not in body


def test_upload_a_paper(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("datastore:upload"),
        {
            "title": "Căn cước công dân (bản chụp)",
            "file": upload_file(pdf(), "cccd.pdf"),
            "valid_until": "2030-05-12",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("datastore:index")
    doc = services.documents_for(citizen).get()
    assert doc.title == "Căn cước công dân (bản chụp)" and str(doc.valid_until) == "2030-05-12"
    body = client.get(reverse("datastore:index")).content.decode()
    assert "Còn giá trị đến 12/05/2030" in body


def test_upload_wrong_type_or_oversize_gets_a_clear_message(client, citizen, settings):
    client.force_login(citizen)
    response = client.post(
        reverse("datastore:upload"),
        {"title": "Giấy tờ", "file": upload_file(b"PK\x03\x04 zip", "giay-to.pdf")},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Có lỗi cần sửa" in body and "không phải là PDF" in body
    settings.CONGSO_MAX_UPLOAD_BYTES = 50
    response = client.post(
        reverse("datastore:upload"), {"title": "Giấy tờ", "file": upload_file(pdf(), "to.pdf")}
    )
    assert response.status_code == 400 and "vượt quá dung lượng" in response.content.decode()
    response = client.post(reverse("datastore:upload"), {"title": ""})
    assert response.status_code == 400
    assert "Vui lòng nhập tên giấy tờ" in response.content.decode()
    assert not PersonalDocument.objects.exists()


def test_upload_jpeg_is_stored_without_exif(client, citizen):
    client.force_login(citizen)
    client.post(
        reverse("datastore:upload"), {"title": "Ảnh CCCD", "file": upload_file(jpeg_with_exif(), "anh.jpg")}
    )
    doc = services.documents_for(citizen).get()
    response = client.get(reverse("datastore:download", args=[doc.pk]))
    data = b"".join(response.streaming_content)
    assert response["Content-Type"] == "image/jpeg"
    assert b"Exif" not in data and b"Camera-Cua-An" not in data


def test_owner_views_and_downloads(client, citizen, doc):
    client.force_login(citizen)
    response = client.get(reverse("datastore:detail", args=[doc.pk]))
    assert response.status_code == 200
    assert "45/2019" in response.content.decode()
    assert "chưa được dùng lại" in response.content.decode()
    response = client.get(reverse("datastore:download", args=[doc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "giay-chung-nhan-ket-hon.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_person_gets_404_everywhere(client, other_citizen, doc):
    client.force_login(other_citizen)
    for name in ("datastore:detail", "datastore:download", "datastore:remove"):
        assert client.get(reverse(name, args=[doc.pk])).status_code == 404, name
    assert client.post(reverse("datastore:remove", args=[doc.pk])).status_code == 404
    assert services.documents_for(doc.owner).filter(pk=doc.pk).exists()


def test_remove_asks_first_then_removes(client, citizen, doc):
    client.force_login(citizen)
    response = client.get(reverse("datastore:remove", args=[doc.pk]))
    assert response.status_code == 200 and "Bạn có chắc" in response.content.decode()
    assert services.documents_for(citizen).exists()
    response = client.post(reverse("datastore:remove", args=[doc.pk]))
    assert response.status_code == 302
    assert not services.documents_for(citizen).exists()
    assert client.get(reverse("datastore:detail", args=[doc.pk])).status_code == 404


def test_reuse_history_on_the_detail_page(
    client, citizen, doc, staff, agencies, procedure_version, applicant
):
    dossier = dossier_services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
    )
    services.record_reuse(doc, dossier, "Giấy chứng nhận kết hôn", citizen)
    client.force_login(citizen)
    body = client.get(reverse("datastore:detail", args=[doc.pk])).content.decode()
    assert dossier.code in body and "Bạn" in body
    assert "1 lần" in client.get(reverse("datastore:index")).content.decode()
    body = client.get(reverse("datastore:remove", args=[doc.pk])).content.decode()
    assert "vẫn giữ bản đã nộp" in body
