"""Bad input gets a clear 4xx with a Vietnamese message and writes nothing (issue 15)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from congso.accounts.testing import build_world
from congso.directory.testing import login_verified

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Yêu cầu chứa ký tự không hợp lệ (ký tự NUL)."


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def official(world):
    client = Client()
    login_verified(client, world.users["clerk"])
    return client


def _refused_json(response):
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": NUL_MESSAGE, "code": "bad_request"}


# --- 1. NUL bytes, refused once at the edge -------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/procedures?q=a%00b", "/api/v1/dossiers/GL%00X", "/api/v1/procedure-fields?x=%00"],
)
def test_nul_in_api_path_or_query_is_refused_with_json(client, path):
    _refused_json(client.get(path))


def test_nul_in_the_lean_lookup_is_refused(client):
    _refused_json(client.get("/api/v1/dossiers/lookup?code=GL%00&check=123456"))
    _refused_json(client.get("/api/v1/dossiers/lookup/GL%00/abc"))


@pytest.mark.parametrize("path", ["/thu-tuc/?q=a%00b", "/ho-so/GL%00X/", "/thu-tuc/a%00/"])
def test_nul_in_a_page_gets_the_html_400_page(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "X-Request-ID" in response


def test_nul_in_a_json_body_is_refused(official):
    for body in ('{"reason": "a\\u0000b"}', '{"reason": "a\x00b"}', '{"reason": "a\\U0000b"}'):
        response = official.post("/api/v1/dossiers/GL/actions/forward", body, content_type="application/json")
        if "U0000" in body:  # not an escape JSON knows: not refused here
            assert response.status_code != 400 or response.json()["detail"] != NUL_MESSAGE
        else:
            _refused_json(response)


def test_an_escaped_backslash_before_u0000_is_text_not_nul(official):
    response = official.post(
        "/api/v1/dossiers/GL/actions/forward", '{"reason": "a\\\\u0000b"}', content_type="application/json"
    )
    assert response.status_code != 400 or response.json().get("detail") != NUL_MESSAGE


def test_nul_in_a_form_field_is_refused(official):
    response = official.post("/api/v1/dossiers/GL/attachments", {"note": "a\x00b"})
    _refused_json(response)
    response = official.post("/mot-cua/tiep-nhan/", {"applicant_name": "a\x00b"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_nul_in_a_file_field_name_is_refused(official):
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    _refused_json(official.post("/api/v1/dossiers/GL/attachments", {"fi\x00le": upload}))


def test_nul_in_file_contents_is_not_refused_at_the_edge(official):
    upload = SimpleUploadedFile("van-ban.pdf", b"%PDF-1.4\n\x00\x00binary", content_type="application/pdf")
    response = official.post("/api/v1/dossiers/GL/attachments", {"file": upload, "note": "ghi chú"})
    assert response.status_code != 400 or response.json().get("detail") != NUL_MESSAGE


# --- 6. Unreadable bodies: the API answers 400 with a message, as the pages do -------------------

ATTACH = "/api/v1/dossiers/GL/attachments"


def _bad_request(response, detail):
    assert response.status_code == 400, response.content[:300]
    assert response.json() == {"detail": detail, "code": "bad_request"}


def test_malformed_multipart_is_400_from_the_api(official):
    response = official.generic("POST", ATTACH, b"x", content_type="multipart/form-data")  # no boundary
    _bad_request(response, "Không đọc được dữ liệu gửi lên: nội dung không đúng định dạng.")
    body = b'--XXX\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n'
    response = official.generic("POST", ATTACH, body, content_type="multipart/form-data; boundary=\x01")
    _bad_request(response, "Không đọc được dữ liệu gửi lên: nội dung không đúng định dạng.")


def test_a_page_still_answers_400_to_malformed_multipart(official):
    response = official.generic("POST", "/mot-cua/tiep-nhan/", b"x", content_type="multipart/form-data")
    assert response.status_code == 400


@pytest.mark.parametrize("length", [5000, 600])
def test_a_long_file_name_is_refused(official, length):
    name = "a" * length + ".pdf"  # built by hand: Django's own file objects cut names to 255 characters
    body = (
        f'--XXX\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n\r\n--XXX--\r\n"
    ).encode()
    response = official.generic("POST", ATTACH, body, content_type="multipart/form-data; boundary=XXX")
    if length > 1000:  # beyond Django's limit on a part's headers: it cannot read the body
        _bad_request(response, "Không đọc được dữ liệu gửi lên: nội dung không đúng định dạng.")
    else:
        _bad_request(response, "Tên tệp quá dài (tối đa 255 ký tự).")


def test_a_thousand_files_are_refused(official):
    files = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4\n") for i in range(1000)]
    _bad_request(official.post(ATTACH, {"files": files}), "Gửi quá nhiều tệp trong một yêu cầu.")


def test_a_too_big_json_body_is_refused(official, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = official.post(
        ATTACH.replace("attachments", "actions/forward"),
        '{"reason": "' + "a" * 2000 + '"}',
        content_type="application/json",
    )
    _bad_request(response, "Dữ liệu gửi lên quá lớn.")


# --- 7. The API framework's messages, in Vietnamese ------------------------------------------------


def test_an_unparsable_body_is_explained_in_vietnamese(official):
    response = official.post(
        "/api/v1/dossiers/GL/actions/forward", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Không đọc được dữ liệu gửi lên: nội dung không đúng định dạng."


def test_a_failed_csrf_check_is_explained_in_vietnamese(world):
    client = Client(enforce_csrf_checks=True)
    login_verified(client, world.users["clerk"])
    response = client.post("/api/v1/dossiers/GL/actions/forward", "{}", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Kiểm tra CSRF không đạt: hãy tải lại trang rồi thử lại."


# --- 2 and 3. Huge integers and Unicode digits ----------------------------------------------------


@pytest.mark.parametrize("value", ["²", "١٢", "٣"])
def test_a_unicode_digit_in_the_catalogue_filters_is_ignored_with_a_message(client, world, value):
    response = client.get("/api/v1/procedures", {"field": value})
    assert response.status_code == 200
    assert "field" in response.json()["ignored"]
    response = client.get("/thu-tuc/", {"field": value})
    assert response.status_code == 200


def test_a_huge_catalogue_page_is_the_last_page(client, world):
    response = client.get("/thu-tuc/", {"q": "khai sinh", "trang": "9223372036854775808"})
    assert response.status_code == 200
    response = client.get("/thu-tuc/", {"q": "khai sinh", "trang": "9" * 40})
    assert response.status_code == 200


def test_a_huge_api_offset_or_limit_is_422_with_a_message(client, world):
    for name in ("offset", "limit"):
        response = client.get("/api/v1/procedures", {name: "9223372036854775808"})
        assert response.status_code == 422
        assert response.json()["detail"].startswith("Dữ liệu gửi lên không hợp lệ")
