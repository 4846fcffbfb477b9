"""Every API error is JSON with a Vietnamese `detail`, a machine `code`, and never a stack trace."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI, Router, Schema
from ninja.testing import TestClient

from congso.core.api_errors import install_error_handlers
from congso.core.errors import Conflict, InvalidFields, RateLimited, ServiceError
from congso.core.forms import service_error_to_form

api = NinjaAPI(urls_namespace="test_api_errors")
install_error_handlers(api)
router = Router()


class Payload(Schema):
    so_trang: int


@router.post("/conflict")
def conflict(request):
    raise Conflict("Hồ sơ vừa được người khác cập nhật, vui lòng tải lại.")


@router.get("/forbidden")
def forbidden(request):
    raise PermissionDenied


@router.post("/typed")
def typed(request, payload: Payload):
    return {"ok": payload.so_trang}


@router.post("/fields")
def fields(request):
    raise InvalidFields({"name": ["Vui lòng nhập tên."], "email": "Địa chỉ thư không hợp lệ."})


@router.post("/one-field")
def one_field(request):
    raise ServiceError("Vai trò không hợp lệ.", field="role")


@router.post("/slow-down")
def slow_down(request):
    raise RateLimited("Mời thử lại sau 2 phút.", retry_after=95)


@router.get("/boom")
def boom(request):
    raise RuntimeError("mat-khau-csdl=hunter2")


@pytest.fixture(scope="module")
def client():
    api.add_router("/_test_errors", router)
    return TestClient(api)


def test_service_error_maps_to_status_and_code(client):
    response = client.post("/_test_errors/conflict")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Hồ sơ vừa được người khác cập nhật, vui lòng tải lại.",
        "code": "conflict",
    }


def test_permission_denied_is_vietnamese(client):
    response = client.get("/_test_errors/forbidden")
    assert response.status_code == 403
    assert response.json()["detail"] == "Bạn không có quyền thực hiện thao tác này."


def test_validation_error_names_the_fields(client):
    response = client.post("/_test_errors/typed", json={"so_trang": "nhiều"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and "so_trang" in body["detail"] and "không hợp lệ" in body["detail"]


def test_unexpected_error_leaks_nothing(client):
    response = client.get("/_test_errors/boom")
    assert response.status_code == 500
    assert "hunter2" not in response.content.decode()
    assert response.json()["code"] == "server_error"


def test_invalid_fields_answer_400_with_messages_by_field(client):
    response = client.post("/_test_errors/fields")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Vui lòng nhập tên. Địa chỉ thư không hợp lệ.",
        "code": "invalid",
        "field": "name",
        "errors": {"name": ["Vui lòng nhập tên."], "email": ["Địa chỉ thư không hợp lệ."]},
    }
    one = client.post("/_test_errors/one-field").json()
    assert one["field"] == "role" and one["errors"] == {"role": ["Vai trò không hợp lệ."]}


def test_rate_limited_sends_retry_after(client):
    response = client.post("/_test_errors/slow-down")
    assert response.status_code == 429 and response["Retry-After"] == "95"
    assert response.json()["code"] == "rate_limited"


def test_invalid_fields_from_a_django_validation_error():
    by_field = InvalidFields.from_django(ValidationError({"cccd": ["Số CCCD phải gồm đúng 12 chữ số."]}))
    assert by_field.errors == {"cccd": ["Số CCCD phải gồm đúng 12 chữ số."]} and by_field.field == "cccd"
    loose = InvalidFields.from_django(ValidationError("Mã số thuế không hợp lệ."), field="tax_code")
    assert loose.errors == {"tax_code": ["Mã số thuế không hợp lệ."]}
    assert InvalidFields.from_django(ValidationError("Sai.")).field is None


class _Form(forms.Form):
    name = forms.CharField(required=False)


def test_service_error_to_form_puts_messages_on_their_fields():
    form = _Form({"name": "x"})
    assert form.is_valid()
    service_error_to_form(
        form, InvalidFields({"name": "Tên đã có.", "__all__": "Cơ quan đã ngừng hoạt động."})
    )
    service_error_to_form(form, ServiceError("Vai trò không hợp lệ.", field="role"))  # not on the form
    assert form.errors["name"] == ["Tên đã có."]
    assert form.non_field_errors() == ["Cơ quan đã ngừng hoạt động.", "Vai trò không hợp lệ."]
