"""Loading the two-tier administrative units from vietnam-provinces."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from congso.core import audit
from congso.core.errors import ServiceError
from congso.directory import services
from congso.directory.models import AdministrativeUnit
from congso.directory.units import load_units

pytestmark = pytest.mark.django_db


def test_load_units_is_complete_and_idempotent(capsys):
    first = load_units()
    assert first.created == 34 + 3321
    assert AdministrativeUnit.objects.filter(level=1).count() == 34
    assert AdministrativeUnit.objects.filter(level=3).count() == 3321
    pleiku = AdministrativeUnit.objects.get(code="23575")
    assert pleiku.name == "Phường Pleiku" and pleiku.kind == "ward" and pleiku.parent.code == "52"
    assert pleiku.parent.name == "Gia Lai" and pleiku.valid_from == datetime.date(2025, 7, 1)
    assert AdministrativeUnit.objects.get(code="23764").kind == "commune"
    assert AdministrativeUnit.objects.get(code="01").kind == "city"  # Hà Nội
    assert AdministrativeUnit.objects.filter(kind="special_zone").count() == 13
    assert pleiku.name_folded == "phuong pleiku"

    call_command("directory", "load-units")
    assert "0 đơn vị mới, 0 cập nhật" in capsys.readouterr().out
    assert AdministrativeUnit.objects.count() == 34 + 3321
    assert audit.verify().ok


def test_refresh_repairs_a_changed_name():
    load_units()
    AdministrativeUnit.objects.filter(code="23575").update(name="Phường Pleiku cũ")
    result = load_units()
    assert result.updated == 1 and result.created == 0
    assert AdministrativeUnit.objects.get(code="23575").name == "Phường Pleiku"


def test_historical_district_is_stored_with_validity(world):
    admin = world.users["sysadmin"]
    unit = services.create_historical_unit(
        admin,
        code="622",
        name="Thành phố Pleiku",
        kind="district",
        level=2,
        valid_from=datetime.date(1999, 1, 1),
        valid_to=datetime.date(2025, 7, 1),
        parent_code="52",
        replaced_by_code="23575",
    )
    assert unit.replaced_by.code == "23575"
    assert unit.is_valid_on(datetime.date(2024, 12, 31)) and not unit.is_valid_on(datetime.date(2025, 7, 1))


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"parent_code": "99999"}, "unit", "Không tìm thấy đơn vị hành chính"),
        ({"valid_to": datetime.date(1990, 1, 1)}, "valid_to", "phải sau ngày bắt đầu"),
        ({"code": "PK-01"}, "code", "tối đa 10 chữ số"),
    ],
)
def test_bad_historical_unit_changes_nothing(world, changes, field, message):
    before = AdministrativeUnit.objects.count()
    data = {
        "code": "622",
        "name": "Thành phố Pleiku",
        "kind": "district",
        "level": 2,
        "valid_from": datetime.date(1999, 1, 1),
        "valid_to": datetime.date(2025, 7, 1),
        "parent_code": "52",
    }
    data.update(changes)
    with pytest.raises(ServiceError) as exc:
        services.create_historical_unit(world.users["sysadmin"], **data)
    assert message in " ".join(exc.value.errors[field])
    assert AdministrativeUnit.objects.count() == before


def test_only_system_administrators_add_units(world):
    with pytest.raises(PermissionDenied):
        services.create_historical_unit(
            world.users["agency_admin"],
            code="622",
            name="Thành phố Pleiku",
            kind="district",
            level=2,
            valid_from=datetime.date(1999, 1, 1),
            valid_to=datetime.date(2025, 7, 1),
        )
