"""Issue 14: every dossier with a time limit gets its appointment at receipt; a limit the record
states without a unit is refused until the agency sets its local limit (ADR 0143)."""

import copy
import io

import pytest
import time_machine
from pypdf import PdfReader

from congso.catalog.models import Offering, ProcedureVersion
from congso.core.errors import ServiceError
from congso.core.models import AuditEntry
from congso.directory.testing import login_verified
from congso.dossiers import clock, services
from congso.dossiers.models import Channel, Dossier

from .conftest import vn

pytestmark = pytest.mark.django_db

MONDAY_9 = vn(2027, 3, 1, 9, 0)


@pytest.fixture
def unitless(procedure_version):
    """The national record of 1.001193 as published: "Trực tiếp1Miễn phí" — a 1 without a unit."""
    content = copy.deepcopy(procedure_version.content)
    for row in content["channels"]:
        row["time"] = {"value": 1, "unit": ""}
    ProcedureVersion.objects.filter(pk=procedure_version.pk).update(content=content)
    procedure_version.refresh_from_db()
    return procedure_version


def _offer(agencies, version, value, unit):
    return Offering.objects.create(
        agency=agencies["ward"],
        procedure=version.procedure,
        local_time_value=value,
        local_time_unit=unit,
        online_open=True,
    )


def _receive(staff, agencies, version, applicant, when=MONDAY_9, channel=Channel.IN_PERSON):
    with time_machine.travel(when, tick=False):
        return services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=version,
            channel=channel,
            applicant=applicant,
            accept_now=True,
        )


def test_a_limit_without_unit_is_refused_at_receipt_and_nothing_is_written(
    staff, agencies, unitless, applicant
):
    _offer(agencies, unitless, None, "")
    audits = AuditEntry.objects.count()
    with pytest.raises(ServiceError) as exc:
        _receive(staff, agencies, unitless, applicant)
    assert exc.value.code == "time_limit_unresolved"
    assert "1.001193" in str(exc.value) and "đặt thời hạn giải quyết tại địa phương" in str(exc.value)
    assert not Dossier.objects.exists() and AuditEntry.objects.count() == audits


def test_online_filing_is_refused_too(agencies, unitless, applicant, citizen):
    _offer(agencies, unitless, None, "")
    with pytest.raises(ServiceError) as exc:
        services.receive(
            actor=citizen,
            agency=agencies["ward"],
            procedure_version=unitless,
            channel=Channel.ONLINE,
            applicant=applicant,
        )
    assert exc.value.code == "time_limit_unresolved"
    assert not Dossier.objects.exists()


def test_same_day_limit_is_due_at_the_close_of_the_receipt_day(staff, agencies, unitless, applicant):
    _offer(agencies, unitless, 0, "same_day")
    d = _receive(staff, agencies, unitless, applicant)
    assert (d.allowance_value, d.allowance_unit) == (0, "same_day")
    assert d.due_at == vn(2027, 3, 1, 17, 0) == d.legal_due_at


def test_same_day_after_the_cut_off_is_due_the_next_working_day(staff, agencies, unitless, applicant):
    _offer(agencies, unitless, 0, "same_day")
    friday_late = vn(2027, 3, 5, 17, 30)  # after the receipt cut-off (office close by default), a Friday
    d = _receive(staff, agencies, unitless, applicant, when=friday_late)
    assert d.due_at == vn(2027, 3, 8, 17, 0)  # Monday's close


def test_immediate_limit_is_due_at_receipt(staff, agencies, unitless, applicant):
    _offer(agencies, unitless, 0, "immediate")
    d = _receive(staff, agencies, unitless, applicant)
    assert d.allowance_unit == "immediate" and d.due_at == MONDAY_9


def test_online_dossier_gets_its_appointment_when_accepted(staff, agencies, unitless, applicant, citizen):
    _offer(agencies, unitless, 0, "same_day")
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        d = services.receive(
            actor=citizen,
            agency=agencies["ward"],
            procedure_version=unitless,
            channel=Channel.ONLINE,
            applicant=applicant,
        )
        assert d.due_at is None and clock.expected_due(d) == vn(2027, 3, 1, 17, 0)
    with time_machine.travel(vn(2027, 3, 2, 10, 0), tick=False):
        d = services.accept(d.pk, actor=staff["clerk"])
    assert d.due_at == vn(2027, 3, 2, 17, 0)


def test_page_and_slip_show_a_real_date_and_time(client, staff, agencies, unitless, applicant):
    _offer(agencies, unitless, 0, "same_day")
    d = _receive(staff, agencies, unitless, applicant)
    login_verified(client, staff["clerk"])
    page = client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert "17 giờ 00 phút, ngày 01/03/2027" in page
    assert "Trong ngày làm việc" in page  # the limit, in words
    response = client.get(f"/mot-cua/ho-so/{d.code}/phieu/receipt/")
    assert response.status_code == 200
    text = " ".join(
        "".join(
            p.extract_text() for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
        ).split()
    )
    assert "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 01/03/2027" in text
