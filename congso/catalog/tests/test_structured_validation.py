"""Structured records (exports, ``noi_dung``) are checked code by code before they reach the database:
a bad channel, unit, fee, level or online level is reported with file and reason, nothing is written."""

import json

import pytest

from congso.catalog import services
from congso.catalog.exporter import export
from congso.catalog.importer import import_paths
from congso.catalog.models import Channel, Currency, Level, OnlineLevel, Procedure, ProcedureVersion, TimeUnit
from congso.catalog.schemas import ChannelCode, CurrencyCode, LevelCode, OnlineLevelCode, TimeUnitCode
from congso.core.errors import ServiceError

pytestmark = pytest.mark.django_db


def _exported(tmp_path, code="1.001193"):
    folder = tmp_path / "xuat"
    export(str(folder), codes=[code])
    path = folder / f"{code}.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_the_schema_codes_are_the_models_choices():
    from typing import get_args

    assert set(get_args(ChannelCode)) == set(Channel.values)
    assert set(get_args(TimeUnitCode)) == set(TimeUnit.values) | {""}
    assert set(get_args(CurrencyCode)) == set(Currency.values) | {""}
    assert set(get_args(LevelCode)) == set(Level.values)
    assert set(get_args(OnlineLevelCode)) == set(OnlineLevel.values)


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda c: c["channels"][0]["time"].update(unit="parsecs"), "channels.0.time.unit"),
        (lambda c: c["channels"][0].update(channel="fax"), "channels.0.channel"),
        (lambda c: c.update(online_level="vutru"), "online_level"),
        (lambda c: c["channels"][0]["fee"].update(kind="maybe"), "channels.0.fee.kind"),
        (lambda c: c["channels"][0]["fee"].update(kind="amount", amount="10", currency="BTC"), "currency"),
        (lambda c: c["channels"][0]["fee"].update(kind="amount", amount="-5", currency="VND"), "amount"),
        (lambda c: c["channels"][0]["fee"].update(kind="amount", amount="mười", currency="VND"), "amount"),
        (lambda c: c.update(levels=["galaxy"]), "levels.0"),
        (lambda c: c["components"][0].update(originals=-1), "components.0.originals"),
    ],
)
def test_a_bad_code_is_reported_and_nothing_written(imported, tmp_path, change, where):
    path, record = _exported(tmp_path)
    before = Procedure.objects.get(code="1.001193").current_version_id
    versions = ProcedureVersion.objects.count()
    change(record["noi_dung"])
    record["noi_dung"]["name"] = "Thủ tục đăng ký khai sinh (sửa)"  # a change that would be written
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    report = import_paths([path])
    assert (report.failed, report.updated) == (1, 0)
    source, reason = report.failures[0]
    assert source.startswith(str(path)) and "không hợp lệ" in reason and where in reason, reason
    assert Procedure.objects.get(code="1.001193").current_version_id == before
    assert ProcedureVersion.objects.count() == versions


def test_a_new_procedure_with_a_bad_unit_is_not_created(imported, tmp_path):
    path, record = _exported(tmp_path)
    record["ma_thu_tuc"] = record["noi_dung"]["code"] = "1.999001"
    record["noi_dung"]["channels"][0]["time"]["unit"] = "fortnights"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert import_paths([path]).failed == 1
    assert not Procedure.objects.filter(code="1.999001").exists()


def test_the_checked_content_is_what_is_stored(imported, tmp_path):
    path, record = _exported(tmp_path)
    record["noi_dung"]["name"] = "Thủ tục đăng ký khai sinh (sửa)"
    record["noi_dung"]["channels"][0]["time"] = {"value": "5", "unit": "working_days"}  # a number as text
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert import_paths([path]).updated == 1
    stored = Procedure.objects.get(code="1.001193").content
    assert stored["channels"][0]["time"] == {"value": 5, "unit": "working_days"}
    assert import_paths([path]).unchanged == 1


def test_an_odd_unit_already_stored_never_fails_the_offering_form(imported, pleiku_admin, agencies):
    """Content stored before units were checked: the offering's check answers, not a server error."""
    birth = services.get_procedure("1.001193")
    version = birth.current_version
    content = version.content
    for row in content["channels"]:
        row["time"] = {"value": 3, "unit": "fortnights"}
    ProcedureVersion.objects.filter(pk=version.pk).update(content=content)
    birth = services.get_procedure("1.001193")
    with pytest.raises(ServiceError) as exc:
        services.save_offering(
            pleiku_admin,
            agencies["pleiku"],
            birth,
            {"local_time_value": "2", "local_time_unit": "working_days"},
        )
    assert "fortnights" in exc.value.errors["local_time_unit"][0]
