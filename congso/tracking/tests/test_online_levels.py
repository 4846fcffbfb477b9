"""Fully vs partially online (Decree 42/2022): the result of a partially online dossier is collected at
the counter — no download, not in the data store — until it has been returned there."""

import pytest
from django.test import Client

from congso.core.errors import NotFound
from congso.datastore import services as datastore
from congso.datastore.models import PersonalDocument
from congso.dossiers import services as dossier_services
from congso.dossiers.models import Dossier, Result
from congso.dossiers.tests.conftest import pdf
from congso.tracking import services

from .test_results import processed  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db

PARTIAL = {
    "level": "partial",
    "result": "counter",
    "in_person": ["Mang bản chính Giấy chứng sinh để cán bộ đối chiếu khi nhận kết quả."],
    "result_place": "Ủy ban nhân dân phường Pleiku (Quầy số 2)",
}
FULL = {"level": "full", "result": "online", "in_person": [], "result_place": ""}


@pytest.fixture
def partial(received):
    """The birth registration, as filed online for a partially online procedure (the portal's record)."""
    Dossier.objects.filter(pk=received.pk).update(form_data={"online": PARTIAL})
    return received


@pytest.fixture
def full(received):
    Dossier.objects.filter(pk=received.pk).update(form_data={"online": FULL})
    return received


@pytest.fixture
def citizen_web(citizen):
    client = Client()
    client.force_login(citizen)
    return client


def test_partial_dossier_says_what_is_done_in_person(partial, citizen_web):
    html = citizen_web.get(f"/ho-so/{partial.code}/").content.decode()
    assert 'id="in-person"' in html and "Mang bản chính Giấy chứng sinh" in html
    assert "Nhận kết quả trực tiếp tại bộ phận một cửa: Ủy ban nhân dân phường Pleiku (Quầy số 2)." in html


@pytest.mark.usefixtures("partial")
def test_partial_result_is_not_delivered_online_until_returned(processed, citizen, citizen_web, staff):  # noqa: F811
    dossier = Dossier.objects.get(pk=processed.pk)
    view = services.citizen_view(citizen, dossier)
    assert view.result_at_counter and "result" not in view.actions
    assert "nhận trực tiếp tại bộ phận một cửa: Ủy ban nhân dân phường Pleiku (Quầy số 2)" in view.next_step
    with pytest.raises(services.ResultAtCounter, match="không trả trực tuyến"):
        services.result_file(citizen, dossier.code)
    html = citizen_web.get(f"/ho-so/{dossier.code}/").content.decode()
    assert 'id="result-at-counter"' in html and f"/ho-so/{dossier.code}/ket-qua/" not in html
    response = citizen_web.get(f"/ho-so/{dossier.code}/ket-qua/", follow=True)
    assert "không trả trực tuyến" in response.content.decode()
    assert response.redirect_chain[-1][0] == f"/ho-so/{dossier.code}/"
    api = citizen_web.get(f"/api/v1/dossiers/mine/{dossier.code}").json()
    assert api["result_at_counter"] is True and api["result"]["download"] is None
    assert api["online_terms"]["level"] == "partial"
    assert citizen_web.get(f"/api/v1/dossiers/mine/{dossier.code}/result").status_code == 403
    # the sealed result is in the store's table, but not delivered: not listed, not readable
    stored = PersonalDocument.objects.get(owner=citizen, source=PersonalDocument.Source.RESULT)
    assert not datastore.documents_for(citizen).filter(pk=stored.pk).exists()
    with pytest.raises(NotFound):
        datastore.get_owned(citizen, stored.pk)

    dossier_services.return_result(dossier.pk, actor=staff["clerk"], delivery=Result.Delivery.COUNTER)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert not services.result_at_counter(dossier)
    assert services.result_file(citizen, dossier.code).number == "125/GKS"  # collected: its copy online too
    assert datastore.documents_for(citizen).filter(pk=stored.pk).exists()


@pytest.mark.usefixtures("full")
def test_full_online_result_is_downloaded(processed, citizen, citizen_web):  # noqa: F811
    dossier = Dossier.objects.get(pk=processed.pk)
    view = services.citizen_view(citizen, dossier)
    assert "result" in view.actions and not view.result_at_counter and not view.in_person_due
    assert citizen_web.get(f"/ho-so/{dossier.code}/ket-qua/").status_code == 200
    assert datastore.documents_for(citizen).filter(source=PersonalDocument.Source.RESULT).count() == 1


def test_counter_dossiers_are_unchanged(processed, citizen):  # noqa: F811
    assert services.online_terms(processed) is None
    assert services.result_file(citizen, processed.code).number == "125/GKS"


def test_a_result_without_a_dossier_stays_listed(citizen):
    doc = datastore.store(
        citizen, pdf(), title="Giấy khai sinh bản cũ", source=PersonalDocument.Source.RESULT
    )
    assert list(datastore.documents_for(citizen)) == [doc]
