"""An official opens a citizen's profile only through a dossier they may see (issue 15); each read
is audited, a refusal writes nothing."""

import pytest

from congso.core.models import AuditEntry
from congso.directory.testing import login_verified
from congso.dossiers import services
from congso.dossiers.models import Channel

pytestmark = pytest.mark.django_db


def test_profile_is_read_only_through_a_visible_dossier(
    client, staff, agencies, procedure_version, applicant, citizen
):
    url = f"/api/v1/accounts/citizens/{citizen.pk}"
    login_verified(client, staff["officer"])
    assert client.get(url).status_code in (403, 404)
    assert not AuditEntry.objects.filter(action="accounts.citizen_viewed").exists()
    services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
    )
    assert client.get(url).status_code == 200
    assert (
        AuditEntry.objects.filter(action="accounts.citizen_viewed", actor_id=staff["officer"].pk).count() == 1
    )
    login_verified(client, staff["other_clerk"])  # another commune's counter: no link
    assert client.get(url).status_code in (403, 404)
    assert AuditEntry.objects.filter(action="accounts.citizen_viewed").count() == 1
