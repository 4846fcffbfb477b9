"""Administrators' corrections of a procedure (withdrawal, online level) survive every later import.

They live in fields of their own (``withdrawn_at``/``withdrawn_by``, ``online_level_override``) that an
import never writes; ``Procedure.apply_state`` computes the effective ``is_active``/``online_level`` that
search, pages, the API and the portal read."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from congso.catalog import services
from congso.catalog.importer import import_paths
from congso.catalog.models import OnlineLevel, Procedure
from congso.catalog.search import search
from congso.core.errors import NotFound, ServiceError
from congso.core.models import AuditEntry
from congso.directory.models import Role
from congso.directory.testing import login_verified
from congso.portal.services import find_procedure

pytestmark = pytest.mark.django_db

BIRTH = "1.001193"  # the record: online channel, partially online


@pytest.fixture
def sysadmin(make_official, agencies):
    return make_official("hoang.quoc.bao", Role.SYSADMIN, agencies["province_pc"], full_name="Hoàng Quốc Bảo")


def codes(result):
    return [p.code for p in result.items]


def _rename(samples, code, name):
    path = samples / f"{code}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["ten_thu_tuc"] = name
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def test_a_withdrawal_survives_reimports(imported, samples, sysadmin, client):
    birth = services.get_procedure(BIRTH)
    services.withdraw_procedure(sysadmin, birth, "Quyết định bãi bỏ số 12/QĐ-UBND")
    birth.refresh_from_db()
    assert (birth.is_active, birth.withdrawn_by, birth.withdrawal_reason) == (
        False,
        sysadmin,
        "Quyết định bãi bỏ số 12/QĐ-UBND",
    )
    entry = AuditEntry.objects.get(action="catalog.procedure.withdraw")
    assert entry.data["before"]["is_active"] is True and entry.data["after"]["is_active"] is False

    def hidden():
        assert BIRTH not in codes(search("khai sinh", limit=100))
        assert BIRTH not in codes(search("", limit=100))
        assert client.get(f"/thu-tuc/{BIRTH}/").status_code == 404
        assert client.get(f"/api/v1/procedures/{BIRTH}").status_code == 404
        with pytest.raises(NotFound):
            find_procedure(BIRTH)  # the portal's online filing

    hidden()
    again = import_paths([samples])  # same content: unchanged, still withdrawn (idempotent)
    assert (again.updated, again.unchanged) == (0, imported.created)
    hidden()
    _rename(samples, BIRTH, "Thủ tục đăng ký khai sinh (sửa đổi)")
    changed = import_paths([samples])  # a new version: still withdrawn
    assert changed.updated == 1
    birth.refresh_from_db()
    assert birth.current_version.number == 2 and not birth.is_active and birth.withdrawn_at
    hidden()

    services.restore_procedure(sysadmin, birth)
    birth.refresh_from_db()
    assert birth.is_active and birth.withdrawn_at is None and birth.withdrawn_by is None
    assert BIRTH in codes(search("khai sinh sua doi"))
    assert client.get(f"/thu-tuc/{BIRTH}/").status_code == 200
    with pytest.raises(ServiceError):
        services.restore_procedure(sysadmin, birth)  # not withdrawn


def test_a_corrected_online_level_survives_reimports(imported, samples, sysadmin, client):
    birth = services.get_procedure(BIRTH)
    assert birth.online_level == OnlineLevel.PARTIAL
    services.set_online_level(sysadmin, birth, OnlineLevel.FULL)
    birth.refresh_from_db()
    assert (birth.online_level, birth.online_level_override, birth.record_online_level) == (
        "full",
        "full",
        "partial",
    )

    def full_everywhere():
        assert BIRTH in codes(search("khai sinh", online="full"))
        assert BIRTH not in codes(search("khai sinh", online="partial"))
        assert client.get(f"/api/v1/procedures/{BIRTH}").json()["online_level"] == "full"
        assert (
            client.get("/api/v1/procedures", {"q": "dang ky khai sinh"}).json()["items"][0]["online_level"]
            == "full"
        )
        assert "Trực tuyến toàn trình" in client.get(f"/thu-tuc/{BIRTH}/").content.decode()
        assert find_procedure(BIRTH).online_level == "full"

    full_everywhere()
    _rename(samples, BIRTH, "Thủ tục đăng ký khai sinh (sửa đổi)")
    assert import_paths([samples]).updated == 1
    full_everywhere()
    assert import_paths([samples]).updated == 0

    services.set_online_level(sysadmin, birth, "")  # back to the record's level
    birth.refresh_from_db()
    assert (birth.online_level, birth.online_level_override) == ("partial", "")
    assert BIRTH in codes(search("khai sinh", online="partial"))
    actions = list(
        AuditEntry.objects.filter(action="catalog.procedure.online_level").values_list("data", flat=True)
    )
    assert [(a["before"]["online_level"], a["after"]["online_level"]) for a in actions] == [
        ("partial", "full"),
        ("full", "partial"),
    ]
    with pytest.raises(ServiceError):
        services.set_online_level(sysadmin, birth, "vutru")


def test_only_system_administrators_correct_procedures(imported, pleiku_admin, make_official, agencies):
    birth = services.get_procedure(BIRTH)
    clerk = make_official("vo.thi.lan", Role.CLERK, agencies["pleiku"])
    for user in (pleiku_admin, clerk):
        with pytest.raises(PermissionDenied):
            services.withdraw_procedure(user, birth, "không được phép")
        with pytest.raises(PermissionDenied):
            services.set_online_level(user, birth, OnlineLevel.FULL)
    birth.refresh_from_db()
    assert birth.is_active and birth.online_level == "partial" and not birth.online_level_override
    assert not AuditEntry.objects.filter(action__startswith="catalog.procedure").exists()


def test_a_withdrawal_needs_a_reason(imported, sysadmin):
    birth = services.get_procedure(BIRTH)
    with pytest.raises(ServiceError) as exc:
        services.withdraw_procedure(sysadmin, birth, "  ")
    assert "reason" in exc.value.errors
    assert Procedure.objects.get(code=BIRTH).is_active


def test_the_api(client, imported, sysadmin, pleiku_admin):
    assert (
        client.post(
            f"/api/v1/procedures/{BIRTH}/withdrawal", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 401
    )
    login_verified(client, pleiku_admin)
    forbidden = client.put(
        f"/api/v1/procedures/{BIRTH}/online-level", {"online_level": "full"}, content_type="application/json"
    )
    assert forbidden.status_code == 403
    assert client.get(f"/api/v1/procedures/{BIRTH}/state").status_code == 403
    client.logout()
    login_verified(client, sysadmin)
    response = client.put(
        f"/api/v1/procedures/{BIRTH}/online-level", {"online_level": "full"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["online_level"] == "full" and response.json()["record_online_level"] == "partial"
    bad = client.put(
        f"/api/v1/procedures/{BIRTH}/online-level", {"online_level": "vutru"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "online_level" in bad.json()["errors"]
    response = client.post(
        f"/api/v1/procedures/{BIRTH}/withdrawal", {"reason": "Đã bãi bỏ"}, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["is_active"] is False and body["withdrawn_by"] == "hoang.quoc.bao"
    assert client.get(f"/api/v1/procedures/{BIRTH}/state").json()["withdrawal_reason"] == "Đã bãi bỏ"
    assert client.delete(f"/api/v1/procedures/{BIRTH}/withdrawal").json()["is_active"] is True


def test_the_admin_site_goes_through_the_services(client, imported, django_user_model):
    root = django_user_model.objects.create_superuser(username="quantri", password="MatKhau@2026!")
    login_verified(client, root)
    birth = Procedure.objects.get(code=BIRTH)
    url = f"/quan-tri-he-thong/catalog/procedure/{birth.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "withdrawal_reason" in page.content.decode()
    management = {"versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"}
    refused = client.post(
        url, {"withdraw": "on", "withdrawal_reason": "", "online_level_override": ""} | management
    )
    assert refused.status_code == 200 and "Cần nêu lý do thu hồi" in refused.content.decode()
    assert Procedure.objects.get(pk=birth.pk).is_active
    done = client.post(
        url,
        {
            "withdraw": "on",
            "withdrawal_reason": "Bãi bỏ",
            "online_level_override": "full",
        }
        | management,
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    birth.refresh_from_db()
    assert (birth.is_active, birth.online_level, birth.withdrawn_by) == (False, "full", root)
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "catalog.procedure.withdraw",
        "catalog.procedure.online_level",
    }


def test_the_migration_keeps_edits_made_before_the_override_fields(imported, samples):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("congso.catalog.migrations.0005_administrator_overrides")
    # as an administrator left them before: the effective columns edited directly
    Procedure.objects.filter(code=BIRTH).update(is_active=False, online_level="full")
    Procedure.objects.filter(code="1.000080").update(online_level="info")
    migration.keep_existing_edits(apps, None)
    birth, other = Procedure.objects.get(code=BIRTH), Procedure.objects.get(code="1.000080")
    assert birth.withdrawn_at is not None and birth.online_level_override == "full"
    assert other.withdrawn_at is None and other.online_level_override == "info"
    untouched = Procedure.objects.exclude(code__in=[BIRTH, "1.000080"])
    assert not untouched.exclude(online_level_override="").exists()
    assert not untouched.filter(withdrawn_at__isnull=False).exists()
    import_paths([samples])
    birth.refresh_from_db()
    assert (birth.is_active, birth.online_level) == (False, "full")
