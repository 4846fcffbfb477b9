"""A dossier transferred to another agency (liên thông, dossiers.services.transfer): the citizen's
timeline says where it went, never the leader's internal reason."""

import pytest
import time_machine

from congso.dossiers import services
from congso.dossiers.models import Channel, Status
from congso.dossiers.testing import advance
from congso.tracking.services import citizen_timeline

from .conftest import pdf, vn

pytestmark = pytest.mark.django_db
REASON = "Cần Sở Tư pháp thẩm định yếu tố nước ngoài của hồ sơ"


def test_the_citizen_sees_where_a_transferred_dossier_went(staff, agencies, procedure_version, applicant):
    justice = agencies["justice"]
    with time_machine.travel(vn(2027, 3, 1, 8, 0), tick=False):
        d = services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            accept_now=True,
        )
        d = advance(d.pk, actor=staff["officer"])  # → the division head's review (leader)
    with time_machine.travel(vn(2027, 3, 2, 9, 0), tick=False):
        d = services.transfer(d.pk, actor=staff["leader"], agency=justice, reason=REASON)
    with time_machine.travel(vn(2027, 3, 3, 9, 0), tick=False):
        d = advance(d.pk, actor=staff["justice_officer"], note="Đủ điều kiện")
    for who in ("leader", "leader"):
        d = advance(d.pk, actor=staff[who])
    d = services.issue_result(
        d.pk,
        actor=staff["clerical"],
        number="3/GKS",
        title="Giấy khai sinh",
        upload=services.Upload("KQ", pdf()),
    )
    assert d.status == Status.PROCESSED
    sent = [item for item in citizen_timeline(d) if item.action == "transfer"]
    assert [(item.label, item.note) for item in sent] == [(f"Chuyển hồ sơ đến {justice.name}", "")]
