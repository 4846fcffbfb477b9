"""Issue 15: the citizen's state-changing calls (withdraw, supplement) carry the dossier version they
acted on, like every back-office action: missing → 400 ``version_required``, stale → 409, and in both
cases nothing is written. The pages always send it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.dossiers import services as dossier_services
from congso.dossiers.models import Dossier, Status
from congso.tracking import services

from .conftest import pdf

pytestmark = pytest.mark.django_db


def state(d):
    d = Dossier.objects.get(pk=d.pk)
    return d.status, d.version, d.timeline.count(), d.attachments.count()


def gcs():
    return SimpleUploadedFile("gcs.pdf", pdf(), "application/pdf")


def test_withdraw_without_version_is_400_version_required(client, citizen, received):
    client.force_login(citizen)
    before = state(received)
    response = client.post(
        f"/api/v1/dossiers/mine/{received.code}/withdraw",
        {"reason": "Tôi nộp nhầm thủ tục"},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "version_required"
    assert "phiên bản hồ sơ" in body["detail"]
    assert state(received) == before


def test_withdraw_with_a_version_that_is_not_a_number_is_400(client, citizen, received):
    client.force_login(citizen)
    before = state(received)
    response = client.post(
        f"/api/v1/dossiers/mine/{received.code}/withdraw",
        {"reason": "Tôi nộp nhầm thủ tục", "expected_version": None},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "version_required"
    assert state(received) == before


def test_withdraw_with_stale_version_is_409_and_current_one_passes(client, citizen, staff, received):
    seen = received.version
    dossier_services.assign(received.pk, actor=staff["leader"], assignee=staff["officer"])
    client.force_login(citizen)
    before = state(received)
    stale = client.post(
        f"/api/v1/dossiers/mine/{received.code}/withdraw",
        {"reason": "Tôi nộp nhầm thủ tục", "expected_version": seen},
        content_type="application/json",
    )
    assert stale.status_code == 409, stale.content
    assert state(received) == before
    current = client.get(f"/api/v1/dossiers/mine/{received.code}").json()["version"]
    ok = client.post(
        f"/api/v1/dossiers/mine/{received.code}/withdraw",
        {"reason": "Tôi nộp nhầm thủ tục", "expected_version": current},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == Status.WITHDRAWN


def test_supplement_without_version_is_400_and_writes_nothing(client, citizen, in_supplement):
    client.force_login(citizen)
    before = state(in_supplement)
    response = client.post(
        f"/api/v1/dossiers/mine/{in_supplement.code}/supplement",
        {"components": ["Giấy chứng sinh (bản rõ nét)"], "files": [gcs()]},
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "version_required"
    assert state(in_supplement) == before


def test_supplement_with_stale_version_is_409(client, citizen, in_supplement):
    client.force_login(citizen)
    seen = in_supplement.version
    ok = client.post(
        f"/api/v1/dossiers/mine/{in_supplement.code}/supplement",
        {"components": ["Giấy chứng sinh (bản rõ nét)"], "files": [gcs()], "expected_version": seen},
    )
    assert ok.status_code == 200, ok.content
    before = state(in_supplement)
    # A second click with the version of the page it was sent from: refused, nothing more written.
    again = client.post(
        f"/api/v1/dossiers/mine/{in_supplement.code}/supplement",
        {"components": ["Giấy chứng sinh (bản rõ nét)"], "files": [gcs()], "expected_version": seen},
    )
    assert again.status_code == 409
    assert state(in_supplement) == before


def test_the_service_itself_requires_the_version(citizen, received):
    """Pages, API and any later caller go through the service: the rule lives there, once."""
    with pytest.raises(services.ServiceError) as exc:
        services.withdraw(citizen, received.code, reason="Tôi nộp nhầm thủ tục")
    assert exc.value.code == "version_required"
    assert Dossier.objects.get(pk=received.pk).status == Status.ACCEPTED


def test_the_pages_send_the_version(client, citizen, received, in_supplement):
    client.force_login(citizen)
    for url, d in (
        (f"/ho-so/{received.code}/rut-ho-so/", received),
        (f"/ho-so/{in_supplement.code}/", in_supplement),
    ):
        page = client.get(url).content.decode()
        sent = re.search(r'name="expected_version" value="(\d+)"', page)
        assert sent, url
        assert int(sent.group(1)) == Dossier.objects.get(pk=d.pk).version


def test_a_page_post_without_version_is_refused_with_a_message(client, citizen, in_supplement):
    client.force_login(citizen)
    before = state(in_supplement)
    response = client.post(f"/ho-so/{in_supplement.code}/bo-sung/", {"file_0": gcs()})
    assert response.status_code == 400
    assert "phiên bản hồ sơ" in response.content.decode()
    assert state(in_supplement) == before
