"""A dossier keeps the terms of the procedure version it was filed under (issue 4: versions).

A re-import that changes the fee or the time adds a version; a dossier filed before it keeps its time
limit and its suggested fee from the version it points at, while new filings get the new terms."""

import json
from decimal import Decimal

import pytest

from congso.catalog import services
from congso.catalog.importer import import_paths
from congso.directory.models import Role
from congso.dossiers.fees import suggested_fee
from congso.dossiers.models import Channel
from congso.dossiers.services import Applicant, Upload, receive, terms_for
from congso.dossiers.tests.conftest import pdf

pytestmark = pytest.mark.django_db

# Reissuing a citizen identity card (real record of the Ministry of Public Security): online 7 working
# days free of charge, in person 7 working days and 70,000 đồng.
CARD = "1.000757"


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user(
        username="nguyen.van.an", password="MatKhau@2026!", full_name="Nguyễn Văn An", kind="citizen"
    )


def _file(actor, agency, version, channel, citizen):
    return receive(
        actor=actor,
        agency=agency,
        procedure_version=version,
        channel=channel,
        applicant=Applicant(
            name="Nguyễn Văn An",
            id_number="052095001234",
            phone="0905123456",
            address="Tổ 3, phường Pleiku, tỉnh Gia Lai",
            user=citizen,
        ),
        uploads=[Upload("Tờ khai Căn cước", pdf(), "to-khai.pdf")],
    )


def test_a_dossier_keeps_the_terms_of_its_version(imported, samples, agencies, make_official, citizen):
    pleiku = agencies["pleiku"]
    clerk = make_official("le.thi.hoa", Role.CLERK, pleiku, full_name="Lê Thị Hoa")
    procedure = services.get_procedure(CARD)
    v1 = procedure.current_version
    at_counter = _file(clerk, pleiku, v1, Channel.IN_PERSON, citizen)
    online = _file(citizen, pleiku, v1, Channel.ONLINE, citizen)
    assert (at_counter.allowance_value, at_counter.allowance_unit) == (7, "working_days")
    assert suggested_fee(at_counter) == Decimal(70000)
    assert suggested_fee(online) is None  # online is free: never the counter's 70,000 đồng

    path = samples / f"{CARD}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert "Trực tiếp7 Ngày làm việc70,000" in record["cach_thuc_thuc_hien"]
    record["cach_thuc_thuc_hien"] = record["cach_thuc_thuc_hien"].replace(
        "Trực tiếp7 Ngày làm việc70,000", "Trực tiếp5 Ngày làm việc90,000"
    )
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    report = import_paths([path])
    assert (report.updated, report.failed) == (1, 0)
    procedure.refresh_from_db()
    assert procedure.current_version.number == 2

    # the current terms changed ...
    now = services.effective_terms(procedure, pleiku).channel("in_person")
    assert (now.time_value, now.fee_amount) == (5, Decimal(90000))
    # ... the dossier's did not
    at_counter.refresh_from_db()
    assert at_counter.procedure_version_id == v1.pk
    filed = services.effective_terms(procedure, pleiku, version=at_counter.procedure_version)
    assert (filed.version_number, filed.version_id) == (1, v1.pk)
    assert (filed.channel("in_person").time_value, filed.channel("in_person").fee_amount) == (
        7,
        Decimal(70000),
    )
    terms = terms_for(at_counter.procedure_version, pleiku, Channel.IN_PERSON)
    assert (terms.value, terms.unit) == (Decimal(7), "working_days")
    assert suggested_fee(at_counter) == Decimal(70000)
    assert suggested_fee(online) is None
    # a dossier filed now gets version 2
    later = _file(clerk, pleiku, procedure.current_version, Channel.IN_PERSON, citizen)
    assert (later.allowance_value, suggested_fee(later)) == (5, Decimal(90000))


def test_a_version_of_another_procedure_is_refused(imported):
    card, birth = services.get_procedure(CARD), services.get_procedure("1.001193")
    with pytest.raises(ValueError):
        services.effective_terms(card, None, version=birth.current_version)
