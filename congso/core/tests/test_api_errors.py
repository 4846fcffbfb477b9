"""Every API error is JSON with a Vietnamese `detail`, a machine `code`, and never a stack trace."""

import pytest
from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI, Router, Schema
from ninja.testing import TestClient

from congso.core.api_errors import install_error_handlers
from congso.core.errors import Conflict

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
