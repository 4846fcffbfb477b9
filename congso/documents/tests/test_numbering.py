"""Registers and numbering: one series per register and year from 01, symbols, cancelled numbers."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from congso.core.errors import Conflict, ServiceError
from congso.documents import services
from congso.documents.models import NumberEntry, NumberSeries, Register
from congso.documents.testing import doc_type

pytestmark = pytest.mark.django_db


def test_decree_30_types_are_seeded_with_their_abbreviations():
    assert doc_type("QĐ").name == "Quyết định"
    assert doc_type("QyĐ").name == "Quy định"
    assert doc_type("CTr").name == "Chương trình"
    assert doc_type("").abbreviation == ""


def test_symbols_follow_decree_30():
    assert services.build_symbol(15, doc_type("QĐ"), "UBND") == "15/QĐ-UBND"
    assert services.build_symbol(3, doc_type("KH"), "STP") == "03/KH-STP"
    assert services.build_symbol(123, doc_type(""), "UBND", "VP") == "123/UBND-VP"


def test_numbers_run_from_01_without_gap_per_register(world):
    clerical = world.users["clerical"]
    out = world.registers[(Register.Direction.OUTGOING, False)]
    secret = world.registers[(Register.Direction.OUTGOING, True)]
    numbers = [services.take_number(out, actor=clerical).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    # the secret register has its own series
    assert services.take_number(secret, actor=clerical).number == 1
    assert NumberEntry.objects.filter(register=out).count() == 3


def test_a_new_year_starts_again_from_01(world, monkeypatch):
    clerical = world.users["clerical"]
    out = world.registers[(Register.Direction.OUTGOING, False)]
    NumberSeries.objects.create(register=out, year=dt.date.today().year - 1, last_number=941)
    assert services.take_number(out, actor=clerical).number == 1


def test_only_the_agencys_clerical_staff_take_numbers(world):
    out = world.registers[(Register.Direction.OUTGOING, False)]
    for key in ("officer", "clerk", "other_admin", "citizen"):
        with pytest.raises(Exception) as exc:
            services.take_number(out, actor=world.users[key])
        assert "văn thư" in str(exc.value)
    assert not NumberEntry.objects.exists()


def test_a_cancelled_number_is_never_reused(world):
    clerical = world.users["clerical"]
    out = world.registers[(Register.Direction.OUTGOING, False)]
    first = services.take_number(out, actor=clerical)
    with pytest.raises(ServiceError) as exc:
        services.cancel_number(first, actor=clerical, reason="  ")
    assert exc.value.field == "reason"
    services.cancel_number(first, actor=clerical, reason="Lấy nhầm sổ")
    first.refresh_from_db()
    assert first.cancelled_at and first.cancel_reason == "Lấy nhầm sổ"
    assert services.take_number(out, actor=clerical).number == 2
    with pytest.raises(Conflict):
        services.cancel_number(first, actor=clerical, reason="lần nữa")


def test_registers_are_created_by_clerical_or_admin_staff(world):
    justice = world.agencies["justice"]
    reg = services.create_register(
        actor=world.users["agency_admin"],
        agency=justice,
        name="Sổ văn bản đi 2027",
        direction="out",
        notation="STP",
    )
    assert reg.direction == "out"
    with pytest.raises(Conflict):
        services.create_register(
            actor=world.users["clerical"], agency=justice, name="Sổ văn bản đi 2027", direction="out"
        )
    with pytest.raises(PermissionDenied):
        services.create_register(actor=world.users["officer"], agency=justice, name="Sổ khác", direction="in")
    with pytest.raises(ServiceError):
        services.create_register(
            actor=world.users["clerical"], agency=justice, name="Sổ", direction="sideways"
        )
