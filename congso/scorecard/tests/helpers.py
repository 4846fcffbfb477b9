"""Dossiers for the scorecard's tests: received at the ward's counter, finished on time or late."""

import time_machine

from congso.core.uploads import Upload
from congso.dossiers import services
from congso.dossiers.models import Channel
from congso.dossiers.testing import advance
from congso.dossiers.tests.conftest import pdf, vn


def receive(staff, agencies, version, applicant, *, channel=Channel.IN_PERSON):
    return services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=version,
        channel=channel,
        applicant=applicant,
        uploads=[Upload("Tờ khai đăng ký khai sinh", pdf(), "to-khai.pdf")],
        accept_now=True,
    )


def finish(staff, pk):
    for who in ("officer", "leader", "leader"):
        advance(pk, actor=staff[who])
    return services.issue_result(
        pk,
        actor=staff["clerical"],
        number="12/GKS",
        title="Giấy khai sinh",
        upload=Upload("KQ", pdf(), "kq.pdf"),
    )


def february(staff, agencies, version, applicant):
    """Two dossiers of 3 February 2027 finished the same day (on time) and one still open."""
    with time_machine.travel(vn(2027, 2, 3, 9, 0), tick=False):
        done = [receive(staff, agencies, version, applicant) for _ in range(2)]
        for d in done:
            finish(staff, d.pk)
        open_one = receive(staff, agencies, version, applicant)
    return done, open_one


def make_late(staff, dossier):
    """An apology with a new date (the dossier is late from then on), then finished on 5 February."""
    with time_machine.travel(vn(2027, 2, 4, 9, 0), tick=False):
        services.extend(
            dossier.pk,
            actor=staff["leader"],
            reason="Cần xác minh thêm với cơ quan khác",
            new_due=vn(2027, 3, 10, 16, 0),
        )
    with time_machine.travel(vn(2027, 2, 5, 9, 0), tick=False):
        return finish(staff, dossier.pk)
