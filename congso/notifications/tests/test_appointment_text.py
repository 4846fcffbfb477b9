"""Issue 14: the receipt's SMS and email give a real appointment ("hen tra ket qua 17 gio 00 phut, ngay
01/03/2027"), also for a procedure whose record gives its limit without a unit once the agency set it."""

import copy

import pytest
import time_machine
from django.core import mail

from congso.catalog.models import Offering, ProcedureVersion
from congso.dossiers import services
from congso.dossiers.models import Channel
from congso.dossiers.tests.conftest import vn

pytestmark = pytest.mark.django_db


def test_sms_and_email_give_the_appointment_date_and_time(
    staff, agencies, procedure_version, applicant, sms_outbox, django_capture_on_commit_callbacks
):
    content = copy.deepcopy(procedure_version.content)
    for row in content["channels"]:
        row["time"] = {"value": 1, "unit": ""}  # as the national record of 1.001193 gives it
    ProcedureVersion.objects.filter(pk=procedure_version.pk).update(content=content)
    procedure_version.refresh_from_db()
    Offering.objects.create(
        agency=agencies["ward"],
        procedure=procedure_version.procedure,
        local_time_value=0,
        local_time_unit="same_day",
    )
    with (
        time_machine.travel(vn(2027, 3, 1, 9, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        d = services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            accept_now=True,
        )
    (text,) = sms_outbox
    assert (
        f"Ho so {d.code} da duoc tiep nhan, hen tra ket qua 17 gio 00 phut, ngay 01/03/2027." in text["text"]
    )
    assert len(text["text"]) <= 160 and "ngay ." not in text["text"]
    (message,) = mail.outbox
    assert "Ngày hẹn trả kết quả: 17 giờ 00 phút, ngày 01/03/2027" in message.body
