import json

from django.core.files.uploadedfile import SimpleUploadedFile

from congso.dossiers.models import Dossier
from congso.portal.models import Draft
from congso.signing.models import IssuedDocument

from .conftest import BIRTH_ANSWERS

API = "/api/v1/portal"


def _json(client, method, url, data=None, **extra):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json", **extra)


def test_schema_lists_portal_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/portal/forms",
        "/api/v1/portal/drafts",
        "/api/v1/portal/drafts/{draft_id}",
        "/api/v1/portal/drafts/{draft_id}/uploads",
        "/api/v1/portal/drafts/{draft_id}/uploads/{upload_id}",
        "/api/v1/portal/drafts/{draft_id}/reuse",
        "/api/v1/portal/drafts/{draft_id}/submit",
        "/api/v1/portal/receipts/{code}",
    ]:
        assert path in paths, path


def test_form_definition_is_public(client, birth_form):
    body = client.get(f"{API}/forms", {"procedure": "1.001193", "agency": "H21.23575"}).json()
    assert body["online_open"] is True and body["source"] == "national"
    assert [f["key"] for f in body["fields"]][:3] == ["ho_ten_tre", "gioi_tinh", "ngay_sinh_tre"]
    conditional = next(f for f in body["fields"] if f["key"] == "dia_chi_noi_sinh")
    assert (
        conditional["show_if_field"] == "noi_sinh_loai" and conditional["show_if_value"] == "ngoai_co_so_y_te"
    )
    certificate = body["components"][0]
    assert (certificate["name"], certificate["required"], certificate["originals"]) == (
        "Giấy chứng sinh",
        True,
        1,
    )
    other = client.get(f"{API}/forms", {"procedure": "1.001193", "agency": "H21.23764"}).json()
    assert other["online_open"] is False
    assert client.get(f"{API}/forms", {"procedure": "0.000", "agency": "H21.23575"}).status_code == 404


def test_filing_through_the_api(citizen_client, birth_form, pdf_bytes):
    assert citizen_client.get(f"{API}/drafts").json() == []
    response = _json(
        citizen_client, "post", f"{API}/drafts", {"procedure_code": "1.001193", "agency_code": "H21.23575"}
    )
    assert response.status_code == 201, response.content
    draft = response.json()
    url = f"{API}/drafts/{draft['id']}"
    assert draft["data"]["applicant"]["id_number"] == "052095001234"
    assert set(draft["problems"]) == {"details", "uploads"}

    saved = _json(
        citizen_client, "patch", url, {"fields": {**BIRTH_ANSWERS, "ngay_sinh_tre": "32/13/2026"}}
    ).json()
    assert set(saved["errors"]) == {"ngay_sinh_tre"}
    saved = _json(citizen_client, "patch", url, {"fields": BIRTH_ANSWERS, "step": "uploads"}).json()
    assert saved["errors"] == {} and saved["draft"]["step"] == "uploads"

    bad = citizen_client.post(
        f"{url}/uploads", {"component": "Giấy chứng sinh", "file": SimpleUploadedFile("x.pdf", b"GIF89a")}
    )
    assert bad.status_code == 400 and bad.json()["code"] == "upload_rejected"
    ok = citizen_client.post(
        f"{url}/uploads", {"component": "Giấy chứng sinh", "file": SimpleUploadedFile("cs.pdf", pdf_bytes)}
    )
    assert ok.status_code == 201 and ok.json()["kind"] == "pdf"

    missing = _json(citizen_client, "post", f"{url}/submit", {"declaration": False})
    assert missing.status_code == 400 and missing.json()["code"] == "declaration_required"
    first = _json(citizen_client, "post", f"{url}/submit", {"declaration": True}, HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 200, first.content
    again = _json(citizen_client, "post", f"{url}/submit", {"declaration": True}, HTTP_IDEMPOTENCY_KEY="abc")
    assert again.json()["dossier_code"] == first.json()["dossier_code"]
    assert first.json()["appointment_at"] and first.json()["appointment_is_expected"] is True
    assert Dossier.objects.count() == 1
    receipt = citizen_client.get(first.json()["receipt_url"])  # the submission receipt, at once
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"

    issued = IssuedDocument.objects.get(code=first.json()["dossier_code"])
    assert issued.kind == IssuedDocument.Kind.SUBMISSION
    assert citizen_client.get(f"{API}/drafts").json() == []  # submitted drafts leave the list
    assert citizen_client.get(url).json()["dossier_code"] == first.json()["dossier_code"]


def test_incomplete_submit_is_a_clear_400(citizen_client, birth_form):
    draft = _json(
        citizen_client, "post", f"{API}/drafts", {"procedure_code": "1.001193", "agency_code": "H21.23575"}
    )
    response = _json(
        citizen_client, "post", f"{API}/drafts/{draft.json()['id']}/submit", {"declaration": True}
    )
    assert response.status_code == 400 and response.json()["code"] == "incomplete"
    assert "Giấy chứng sinh" in response.json()["detail"]
    assert Dossier.objects.count() == 0


def test_forbidden_cases(citizen_client, other_citizen, online, birth_form):
    from django.test import Client

    client = Client()
    draft = _json(
        citizen_client, "post", f"{API}/drafts", {"procedure_code": "1.001193", "agency_code": "H21.23575"}
    )
    url = f"{API}/drafts/{draft.json()['id']}"
    client.force_login(other_citizen)
    assert client.get(url).status_code == 404
    assert _json(client, "patch", url, {"fields": {}}).status_code == 404
    assert client.delete(url).status_code == 404
    assert _json(client, "post", f"{url}/submit", {"declaration": True}).status_code == 404
    client.logout()
    assert client.get(f"{API}/drafts").status_code == 401
    closed = _json(
        citizen_client, "post", f"{API}/drafts", {"procedure_code": "1.001193", "agency_code": "H21.23764"}
    )
    assert closed.status_code == 400 and closed.json()["code"] == "online_closed"
    assisted = _json(
        citizen_client,
        "post",
        f"{API}/drafts",
        {"procedure_code": "1.001193", "agency_code": "H21.23575", "citizen_cccd": "064090001234"},
    )
    assert assisted.status_code == 403 and assisted.json()["code"] == "consent_required"
    assert citizen_client.delete(url).status_code == 204
    assert Draft.objects.count() == 0


def _once(client, pdf_bytes, key="kiosk-0001", **overrides):
    data = {
        "procedure_code": "1.001193",
        "agency_code": "H21.23575",
        "applicant": json.dumps(
            {
                "name": "Nguyễn Văn An",
                "id_number": "052095001234",
                "phone": "0905123456",
                "address": "12 Trần Hưng Đạo, phường Pleiku",
            }
        ),
        "fields": json.dumps(BIRTH_ANSWERS),
        "declaration": "true",
        "c1": SimpleUploadedFile("giay-chung-sinh.pdf", pdf_bytes, "application/pdf"),
    }
    data.update(overrides)
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return citizen_post(client, data, headers)


def citizen_post(client, data, headers):
    return client.post(f"{API}/submissions", data, **headers)


def test_one_shot_submission_is_idempotent(citizen_client, citizen, birth_form, pdf_bytes):
    first = _once(citizen_client, pdf_bytes)
    assert first.status_code == 201, first.content
    dossier = Dossier.objects.get(code=first.json()["dossier_code"])
    assert dossier.applicant == citizen and dossier.channel == 2 and dossier.status == 1
    assert dossier.form_data["fields"]["ho_ten_tre"] == BIRTH_ANSWERS["ho_ten_tre"]
    assert [a.component for a in dossier.attachments.all()] == ["Giấy chứng sinh"]
    again = _once(citizen_client, pdf_bytes)
    assert again.status_code == 200 and again.json()["dossier_code"] == dossier.code
    assert Dossier.objects.count() == 1
    assert "/api/v1/portal/submissions" in citizen_client.get("/api/v1/openapi.json").json()["paths"]


def test_one_shot_submission_refusals_write_nothing(citizen_client, birth_form, pdf_bytes):
    cases = [
        ({"key": ""}, "idempotency_key_required"),
        ({"c1": None}, None),  # the required birth certificate is missing
        ({"c9": SimpleUploadedFile("x.pdf", pdf_bytes, "application/pdf")}, "unknown_component"),
        ({"fields": "[1, 2]"}, None),
        ({"declaration": "false"}, "declaration_required"),
        ({"c1": SimpleUploadedFile("anh.gif", b"GIF89a....", "image/gif")}, "upload_rejected"),
    ]
    for i, (change, code) in enumerate(cases):
        change = dict(change)
        key = change.pop("key", f"kiosk-bad-{i}")
        if change.get("c1", 0) is None:
            change.pop("c1")
            data_override = {"c1": ""}
        else:
            data_override = change
        response = _once(citizen_client, pdf_bytes, key=key, **data_override)
        assert response.status_code in (400, 404), (change, response.content)
        if code:
            assert response.json()["code"] == code, response.content
        assert response.json()["detail"]
    assert Dossier.objects.count() == 0
    assert not Draft.objects.exists()


def test_one_shot_submission_needs_an_account(client, birth_form, pdf_bytes):
    assert _once(client, pdf_bytes).status_code == 401
    assert Dossier.objects.count() == 0


def test_one_shot_key_reused_with_another_body_is_422_and_files_nothing(
    citizen_client, birth_form, pdf_bytes
):
    first = _once(citizen_client, pdf_bytes, key="kiosk-7")
    assert first.status_code == 201, first.content
    same = _once(citizen_client, pdf_bytes, key="kiosk-7")
    assert same.status_code == 200 and same.json()["dossier_code"] == first.json()["dossier_code"]
    other = _once(
        citizen_client,
        pdf_bytes,
        key="kiosk-7",
        fields=json.dumps({**BIRTH_ANSWERS, "ho_ten_tre": "Lê Văn Bình"}),
    )
    assert other.status_code == 422, other.content
    assert other.json()["code"] == "idempotency_key_reused" and "Idempotency-Key" in other.json()["detail"]
    other_file = _once(
        citizen_client,
        pdf_bytes + b"\n% another scan\n",
        key="kiosk-7",
    )
    assert other_file.status_code == 422
    assert Dossier.objects.count() == 1 and Draft.objects.count() == 1


def test_draft_submit_key_reused_for_another_draft_is_422(citizen_client, birth_form, pdf_bytes):
    codes = []
    for _i in range(2):
        draft = _json(
            citizen_client,
            "post",
            f"{API}/drafts",
            {"procedure_code": "1.001193", "agency_code": "H21.23575"},
        ).json()
        url = f"{API}/drafts/{draft['id']}"
        _json(citizen_client, "patch", url, {"fields": BIRTH_ANSWERS})
        citizen_client.post(
            f"{url}/uploads",
            {"component": "Giấy chứng sinh", "file": SimpleUploadedFile("cs.pdf", pdf_bytes)},
        )
        codes.append(
            _json(citizen_client, "post", f"{url}/submit", {"declaration": True}, HTTP_IDEMPOTENCY_KEY="k-1")
        )
    assert codes[0].status_code == 200, codes[0].content
    assert codes[1].status_code == 422 and codes[1].json()["code"] == "idempotency_key_reused"
    assert Dossier.objects.count() == 1
