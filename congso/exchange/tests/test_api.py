"""The exchange API: văn thư reads their agency's outbox and inbox, and sends a given-up packet again."""

import pytest
from django.test import Client

from congso.core.api_testing import assert_matches_schema
from congso.directory.testing import login_verified
from congso.exchange.models import OutgoingPacket

from .test_pages import given_up, refused

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    login_verified(client, user)
    return client


def test_outbox_and_inbox_of_the_clerical_agency(world, settings):
    settings.CONGSO_EXCHANGE_HUB_URL = "http://127.0.0.1:9"
    justice, construction = world.agencies["justice"], world.agencies["construction"]
    mine = given_up(justice)
    given_up(construction, code="30/SXD-VP", document_id=f"{construction.code},2026/12/04,30/SXD-VP")
    refused(justice)
    client = client_for(world.users["clerical"])
    outbox = client.get("/api/v1/exchange/outbox")
    assert outbox.status_code == 200
    assert_matches_schema(outbox)
    items = outbox.json()["items"]
    assert [(i["code"], i["sender"], i["state"]) for i in items] == [("12/STP-VP", justice.code, "given_up")]
    inbox = client.get("/api/v1/exchange/inbox").json()["items"]
    assert [(i["verdict"], i["refusal_reason"], i["deliveries"]) for i in inbox] == [
        ("refused", "signature", 2)
    ]
    everything = client_for(world.users["sysadmin"]).get("/api/v1/exchange/outbox").json()["items"]
    assert len(everything) == 2
    resent = client.post(f"/api/v1/exchange/outbox/{mine.pk}/resend", content_type="application/json")
    assert resent.status_code == 200 and resent.json()["state"] == "queued"
    assert OutgoingPacket.objects.get(pk=mine.pk).attempts == 0
    again = client.post(f"/api/v1/exchange/outbox/{mine.pk + 1000}/resend", content_type="application/json")
    assert again.status_code == 404
