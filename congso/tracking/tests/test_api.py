"""The citizen's API: the same actions as the pages, the same refusals, and no leaks."""

import pytest

from congso.dossiers import services as dossier_services
from congso.dossiers.models import Dossier, Status
from congso.dossiers.testing import advance

from .conftest import pdf

pytestmark = pytest.mark.django_db


def test_mine_lists_only_my_dossiers(client, citizen, stranger, received):
    client.force_login(citizen)
    body = client.get("/api/v1/dossiers/mine").json()
    assert [r["code"] for r in body["items"]] == [received.code]
    assert body["items"][0]["status_label"] == "Đã tiếp nhận"
    assert client.get("/api/v1/dossiers/mine?status=5").json()["items"] == []
    client.force_login(stranger)
    assert client.get("/api/v1/dossiers/mine").json()["items"] == []


def test_mine_needs_login(client, received):
    assert client.get("/api/v1/dossiers/mine").status_code == 401
    assert client.get(f"/api/v1/dossiers/mine/{received.code}").status_code == 401


def test_detail_is_404_for_others(client, stranger, received):
    client.force_login(stranger)
    response = client.get(f"/api/v1/dossiers/mine/{received.code}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    # The back-office endpoint agrees.
    assert client.get(f"/api/v1/dossiers/{received.code}").status_code == 404


def test_detail_has_next_step_and_hides_internal_entries(client, citizen, staff, received):
    advance(received.pk, actor=staff["officer"], note="Nội bộ: chờ ý kiến phòng")
    client.force_login(citizen)
    body = client.get(f"/api/v1/dossiers/mine/{received.code}").json()
    assert body["next_step"] == "Đang xử lý tại Ủy ban nhân dân phường Pleiku"
    assert "withdraw" in body["actions"]
    assert body["timeline"], "the citizen's timeline shows the receipt"
    assert all("Nội bộ" not in item["note"] for item in body["timeline"])
    assert "forward" not in [item["action"] for item in body["timeline"]]


def test_supplement_over_api(client, citizen, in_supplement):
    client.force_login(citizen)
    body = client.get(f"/api/v1/dossiers/mine/{in_supplement.code}").json()
    assert body["missing"] == ["Giấy chứng sinh (bản rõ nét)"]
    assert body["next_step"] == "Chờ bạn bổ sung hồ sơ"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/api/v1/dossiers/mine/{in_supplement.code}/supplement",
        {
            "components": ["Giấy chứng sinh (bản rõ nét)"],
            "expected_version": str(body["version"]),
            "files": [SimpleUploadedFile("gcs.pdf", pdf(), "application/pdf")],
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.ACCEPTED
    again = client.post(
        f"/api/v1/dossiers/mine/{in_supplement.code}/supplement",
        {
            "expected_version": str(body["version"]),
            "files": [SimpleUploadedFile("gcs.pdf", pdf(), "application/pdf")],
        },
    )
    assert again.status_code == 409
    assert Dossier.objects.get(pk=in_supplement.pk).attachments.filter(purpose="supplement").count() == 1


def test_withdraw_over_api_with_stale_version(client, citizen, staff, received):
    client.force_login(citizen)
    dossier_services.assign(received.pk, actor=staff["leader"], assignee=staff["officer"])
    stale = client.post(
        f"/api/v1/dossiers/mine/{received.code}/withdraw",
        {"reason": "Nộp nhầm", "expected_version": received.version},
        content_type="application/json",
    )
    assert stale.status_code == 409
    ok = client.post(
        f"/api/v1/dossiers/mine/{received.code}/withdraw",
        {"reason": "Nộp nhầm", "expected_version": Dossier.objects.get(pk=received.pk).version},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == Status.WITHDRAWN
    empty = client.post(
        f"/api/v1/dossiers/mine/{received.code}/withdraw",
        {"reason": " ", "expected_version": Dossier.objects.get(pk=received.pk).version},
        content_type="application/json",
    )
    assert empty.status_code == 400


def test_stranger_cannot_withdraw_over_api(client, stranger, received):
    client.force_login(stranger)
    response = client.post(
        f"/api/v1/dossiers/mine/{received.code}/withdraw",
        {"reason": "x", "expected_version": received.version},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Dossier.objects.get(pk=received.pk).status == Status.ACCEPTED


def test_result_download_over_api(client, citizen, stranger, received, staff):
    d = received
    for _ in range(4):
        d = Dossier.objects.get(pk=d.pk)
        if d.holder_role == "clerical":
            break
        advance(d.pk, actor=staff[d.holder_role if d.holder_role != "clerk" else "officer"])
    dossier_services.issue_result(
        d.pk,
        actor=staff["clerical"],
        number="9/GKS",
        title="Giấy khai sinh",
        upload=dossier_services.Upload("Kết quả", pdf(), "kq.pdf"),
    )
    client.force_login(citizen)
    body = client.get(f"/api/v1/dossiers/mine/{d.code}").json()
    assert body["result"]["number"] == "9/GKS"
    response = client.get(body["result"]["download"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(stranger)
    assert client.get(body["result"]["download"]).status_code == 404
