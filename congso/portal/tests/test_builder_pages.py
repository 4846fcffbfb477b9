"""The form builder's pages (no JavaScript involved) and its JSON API."""

import json

import pytest
from django.test import Client

from congso.core.audit import AuditEntry
from congso.directory.testing import login_verified
from congso.portal import definitions
from congso.portal.models import FormDefinition

BASE = "/dich-vu-cong/bieu-mau"
EDIT = f"{BASE}/H21.23575/1.001193/"
API = "/api/v1/portal/form-definitions"


@pytest.fixture
def admin_browser(ward_admin):
    client = Client()
    login_verified(client, ward_admin)
    return client


def _field(**values):
    data = {
        "label": "Nghề nghiệp của mẹ",
        "key": "nghe_nghiep_me",
        "type": "text",
        "help_text": "",
        "choices": "",
        "max_length": "",
        "pattern": "",
        "pattern_message": "",
        "show_if_field": "",
        "show_if_value": "",
    }
    data.update(values)
    return data


def test_agency_admin_builds_a_form_without_javascript(admin_browser, birth_form, agencies):
    home = admin_browser.get(f"{BASE}/").content.decode()
    assert "Ủy ban nhân dân phường Pleiku" in home and "toan-quoc" not in home
    listing = admin_browser.get(f"{BASE}/H21.23575/").content.decode()
    assert "1.001193" in listing and "Dùng biểu mẫu chung (phiên bản 1)" in listing
    assert 'href="/thu-tuc/quan-ly/H21.23575/"' in listing  # the catalogue's agency pages, same navigation
    page = admin_browser.get(EDIT).content.decode()
    assert "Tạo biểu mẫu riêng của cơ quan từ biểu mẫu này" in page
    assert admin_browser.post(f"{EDIT}tao/")["Location"] == EDIT
    page = admin_browser.get(EDIT).content.decode()
    assert "Bản nháp, chưa công bố" in page and "ho_ten_tre" in page
    definition = FormDefinition.objects.get(agency=agencies["ward"])

    # a duplicate key: the page says why, nothing is written
    response = admin_browser.post(f"{EDIT}them-truong/", _field(key="ho_ten_tre"))
    assert response.status_code == 400
    assert "Mã trường “ho_ten_tre” bị trùng" in response.content.decode()
    response = admin_browser.post(f"{EDIT}them-truong/", _field(type="select", choices=""))
    assert "cần ít nhất một lựa chọn" in response.content.decode()
    response = admin_browser.post(f"{EDIT}them-truong/", _field(pattern="[A-Z"))
    assert "không hợp lệ" in response.content.decode()
    response = admin_browser.post(f"{EDIT}them-truong/", _field(show_if_field="khong_co", show_if_value="1"))
    assert response.status_code == 400  # not a choice offered
    assert not definition.fields.filter(key="nghe_nghiep_me").exists()

    assert admin_browser.post(f"{EDIT}them-truong/", _field(required="on")).status_code == 302
    assert definition.fields.filter(key="nghe_nghiep_me", required=True).exists()
    page = admin_browser.get(f"{EDIT}truong/nghe_nghiep_me/").content.decode()
    assert 'value="Nghề nghiệp của mẹ"' in page
    response = admin_browser.post(
        f"{EDIT}truong/nghe_nghiep_me/", _field(label="Nghề nghiệp hiện nay của mẹ")
    )
    assert response.status_code == 302
    assert (
        admin_browser.post(f"{EDIT}truong/nghe_nghiep_me/di-chuyen/", {"direction": "up"}).status_code == 302
    )
    assert list(definition.fields.values_list("key", flat=True))[-2] == "nghe_nghiep_me"

    # a component that only takes PDF
    response = admin_browser.post(
        f"{EDIT}them-thanh-phan/", {"name": "Sổ hộ khẩu cũ", "copies": "1", "kinds": ["pdf"], "help_text": ""}
    )
    assert response.status_code == 302
    component = definition.components.get(name="Sổ hộ khẩu cũ")
    assert (component.kinds, component.required) == ("pdf", False)
    assert "Xác nhận xoá" in admin_browser.get(f"{EDIT}thanh-phan/{component.pk}/xoa/").content.decode()
    admin_browser.post(f"{EDIT}thanh-phan/{component.pk}/xoa/")
    assert not definition.components.filter(pk=component.pk).exists()

    # preview: the working copy, answers checked, nothing kept
    preview = admin_browser.get(f"{EDIT}xem-truoc/").content.decode()
    assert "Nghề nghiệp hiện nay của mẹ" in preview and 'id="preview-banner"' in preview
    checked = admin_browser.post(f"{EDIT}xem-truoc/", {"f_ho_ten_tre": "AN"}).content.decode()
    assert 'id="error-summary"' in checked and "Cần chọn một giá trị." in checked

    # publish: citizens of the ward get it
    assert admin_browser.post(f"{EDIT}cong-bo/").status_code == 302
    spec = definitions.spec_for(birth_form.procedure, agencies["ward"])
    assert spec.source == "agency" and spec.field("nghe_nghiep_me").label == "Nghề nghiệp hiện nay của mẹ"
    assert "Đang áp dụng phiên bản 1" in admin_browser.get(EDIT).content.decode()
    admin_browser.post(f"{EDIT}ngung-ap-dung/")
    assert definitions.spec_for(birth_form.procedure, agencies["ward"]).source == "national"
    admin_browser.post(f"{EDIT}xoa/")
    assert not FormDefinition.objects.filter(agency=agencies["ward"]).exists()
    actions = set(
        AuditEntry.objects.filter(action__startswith="portal.form.").values_list("action", flat=True)
    )
    assert {
        "portal.form.create",
        "portal.form.field.add",
        "portal.form.field.update",
        "portal.form.field.move",
        "portal.form.component.add",
        "portal.form.component.delete",
        "portal.form.publish",
        "portal.form.unpublish",
        "portal.form.delete",
    } <= actions


def test_deleting_a_field_in_use_is_explained(admin_browser, birth_form, ward_admin):
    admin_browser.post(f"{EDIT}tao/")
    response = admin_browser.post(f"{EDIT}truong/noi_sinh_loai/xoa/", follow=True)
    assert "chỉ hiện theo trường này" in response.content.decode()
    assert FormDefinition.objects.get(agency__code="H21.23575").fields.filter(key="noi_sinh_loai").exists()


def test_builder_pages_are_closed_to_others(client, birth_form, other_admin, staff, citizen, ward_admin):
    assert client.get(f"{BASE}/").status_code == 302  # log in first
    for user in (other_admin, staff["clerk"], citizen):
        c = Client()
        login_verified(c, user) if user.kind == "official" else c.force_login(user)
        assert c.get(f"{BASE}/H21.23575/").status_code == 403
        assert c.get(EDIT).status_code == 403
        assert c.post(f"{EDIT}tao/").status_code == 403
        assert c.get(f"{BASE}/toan-quoc/").status_code == 403
    assert not FormDefinition.objects.filter(agency__isnull=False).exists()
    c = Client()
    login_verified(c, ward_admin)
    assert c.get(f"{BASE}/toan-quoc/").status_code == 403  # national forms: system administrators
    assert c.get(f"{BASE}/H99.99999/").status_code == 404


def test_system_administrator_manages_national_forms(sysadmin, online):
    c = Client()
    login_verified(c, sysadmin)
    assert "Biểu mẫu dùng chung (áp dụng mọi nơi)" in c.get(f"{BASE}/").content.decode()
    response = c.post(f"{BASE}/toan-quoc/", {"code": "9.999999"})
    assert response.status_code == 400 and "Không tìm thấy thủ tục" in response.content.decode()
    response = c.post(f"{BASE}/toan-quoc/", {"code": "1.001193"})
    assert response["Location"] == f"{BASE}/toan-quoc/1.001193/"
    assert FormDefinition.objects.get(agency__isnull=True).version == 0


# --- API -------------------------------------------------------------------------------------------


def _json(client, method, url, data=None):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")


def test_schema_documents_the_builder(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths[API]) == {"get", "post"}
    assert set(paths[API + "/{definition_id}"]) == {"get", "put", "delete"}
    for suffix in ("/publish", "/unpublish", "/check"):
        assert API + "/{definition_id}" + suffix in paths


def test_form_definitions_through_the_api(admin_browser, birth_form, agencies, other_admin):
    response = _json(admin_browser, "post", API, {"procedure_code": "1.001193", "agency_code": "H21.23575"})
    assert response.status_code == 201, response.content
    body = response.json()
    url = f"{API}/{body['id']}"
    assert body["version"] == 0 and body["fields"][0]["key"] == "ho_ten_tre" and body["published"] is None
    content = {
        "title": "Tờ khai khai sinh",
        "fields": [
            {"key": "ho_ten_tre", "label": "Họ tên của trẻ", "required": True, "max_length": 100},
            {"key": "ho_ten_tre", "label": "Trùng"},
        ],
        "components": [{"name": "Giấy chứng sinh", "kinds": ["pdf"]}],
    }
    refused = _json(admin_browser, "put", url, content)
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_definition" and refused.json()["field"] == "fields[1].key"
    assert "bị trùng" in refused.json()["detail"]
    content["fields"][1] = {
        "key": "gioi_tinh",
        "label": "Giới tính",
        "type": "select",
        "choices": [["nam", "Nam"], ["nu", "Nữ"]],
    }
    content["fields"].append({"key": "nghe_nghiep", "label": "Nghề nghiệp của người đi khai"})
    saved = _json(admin_browser, "put", url, content)
    assert saved.status_code == 200
    # prefill left out: suggested (stable personal data yes, the child's name no)
    assert [(f["key"], f["prefill"]) for f in saved.json()["fields"]] == [
        ("ho_ten_tre", False),
        ("gioi_tinh", False),
        ("nghe_nghiep", True),
    ]
    check = _json(
        admin_browser, "post", f"{url}/check", {"answers": {"ho_ten_tre": "AN", "gioi_tinh": "khac"}}
    )
    assert check.json() == {
        "valid": False,
        "cleaned": {"ho_ten_tre": "AN"},
        "errors": {"gioi_tinh": "Chọn một giá trị trong danh sách."},
    }
    published = _json(admin_browser, "post", f"{url}/publish")
    assert published.json()["version"] == 1 and published.json()["published"]["components"][0]["kinds"] == [
        "pdf"
    ]
    assert _json(admin_browser, "post", f"{url}/publish").status_code == 409
    listed = admin_browser.get(API, {"agency": "H21.23575"}).json()
    assert [d["id"] for d in listed] == [body["id"]]
    public = admin_browser.get(
        "/api/v1/portal/forms", {"procedure": "1.001193", "agency": "H21.23575"}
    ).json()
    assert public["source"] == "agency" and public["title"] == "Tờ khai khai sinh"

    other = Client()
    login_verified(other, other_admin)
    assert other.get(url).status_code == 403
    assert _json(other, "put", url, content).status_code == 403
    assert other.delete(url).status_code == 403
    assert other.get(API, {"agency": "H21.23575"}).status_code == 403
    assert _json(other, "post", API, {"procedure_code": "1.001193"}).status_code == 403

    assert _json(admin_browser, "post", f"{url}/unpublish").json()["is_active"] is False
    assert admin_browser.delete(url).status_code == 204
    assert admin_browser.get(url).status_code == 404
