"""Dossier fixtures plus a finished dossier of the citizen and a good set of answers."""

import pytest

from congso.core.uploads import Upload
from congso.dossiers import services
from congso.dossiers.models import Channel
from congso.dossiers.testing import advance
from congso.dossiers.tests.conftest import *  # noqa: F403
from congso.dossiers.tests.conftest import pdf


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def file_and_finish(staff, agencies, procedure_version, applicant, *, finish=True):
    d = services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
    )
    if finish:
        for who in ("officer", "leader", "leader"):
            advance(d.pk, actor=staff[who])
        d = services.issue_result(
            d.pk,
            actor=staff["clerical"],
            number="125/GKS",
            title="Giấy khai sinh",
            upload=Upload("Kết quả", pdf(), "gks.pdf"),
        )
    return d


@pytest.fixture
def finished(staff, agencies, procedure_version, applicant):
    return file_and_finish(staff, agencies, procedure_version, applicant)


@pytest.fixture
def answers():
    return {
        "overall": "satisfied",
        "on_time": "yes",
        "contacts": "1",
        "guidance": "clear",
        "attitude": "good",
        "fees": "none",
        "result": "correct",
        "comment": "Cán bộ hướng dẫn tận tình, trả kết quả sớm.",
    }
