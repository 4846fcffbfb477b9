"""The demo step runs alone, twice, and gives the demo centres counters, services and a busy board."""

import io

import pytest

from congso.directory import demo_codes
from congso.directory.models import Agency

from .. import demo
from ..models import Counter, Ticket, TicketService

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_self_sufficient(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    logins = demo.load(out)
    counts = (Counter.objects.count(), TicketService.objects.count(), Ticket.objects.count())
    assert demo.load(io.StringIO()) == logins
    assert (Counter.objects.count(), TicketService.objects.count(), Ticket.objects.count()) == counts
    province = Agency.objects.get(code=demo_codes.PROVINCE_CENTRE)
    assert province.kind == Agency.Kind.SERVICE_CENTRE
    for unit in demo_codes.COMMUNE_UNITS:
        centre = Agency.objects.get(code=demo_codes.commune_centre(unit))
        assert centre.counters.count() == 4
        assert centre.ticket_services.filter(is_priority=True).count() == 1
    assert {login[1] for login in logins} >= {"quay1.pvhcc.tinh", "quantri.pvhcc.tinh"}
    assert Ticket.objects.filter(centre=province, state=Ticket.State.CALLED).count() == 2
