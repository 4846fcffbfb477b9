"""A service centre's counter acts only for the agencies it serves (issue 15): the provincial centre's
clerk must not reach a ward's dossiers, though the province's committee is the ward's parent too."""

import pytest

from congso.accounts.testing import build_world
from congso.core.errors import ServiceError
from congso.directory.models import Membership, Role
from congso.directory.testing import TWO_TIER, login_verified
from congso.dossiers import inbox, services
from congso.dossiers.models import Channel, Dossier
from congso.dossiers.services import Applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    w = build_world()
    w.users["ward_clerk"] = type(w.users["clerk"]).objects.create_user(
        "motcua.pleiku", password="Mat-khau-dai-2026!", full_name="Ksor H'Hoa", kind="official"
    )
    Membership.objects.create(
        user=w.users["ward_clerk"], agency=w.agencies["pleiku_centre"], role=Role.CLERK, valid_from=TWO_TIER
    )
    return w


def _receive(clerk, agency, procedure_version, citizen):
    return services.receive(
        actor=clerk,
        agency=agency,
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=Applicant(name="Nguyễn Văn An", id_number="064090001234", phone="0905123456", user=citizen),
        accept_now=False,
    )


def test_the_province_centre_serves_its_departments_not_the_wards(client, world, procedure_version):
    centre_clerk, ward_clerk = world.users["clerk"], world.users["ward_clerk"]
    ward = _receive(ward_clerk, world.agencies["pleiku_pc"], procedure_version, world.users["citizen"])
    with pytest.raises(ServiceError):
        _receive(centre_clerk, world.agencies["pleiku_pc"], procedure_version, world.users["citizen"])
    assert Role.CLERK not in services.counter_roles(centre_clerk, world.agencies["pleiku_pc"])
    assert not Dossier.objects.filter(inbox.agency_scope(centre_clerk), pk=ward.pk).exists()

    login_verified(client, centre_clerk)
    url = f"/api/v1/dossiers/{ward.code}"
    assert client.get(url).status_code == 404
    before = Dossier.objects.get(pk=ward.pk).version
    for action, body in [
        ("refuse", {"reason": "Không thuộc thẩm quyền"}),
        ("request_supplement", {"reason": "x"}),
    ]:
        response = client.post(
            f"{url}/actions/{action}", {**body, "expected_version": before}, content_type="application/json"
        )
        assert response.status_code == 404, (action, response.content)
    assert Dossier.objects.get(pk=ward.pk).version == before

    # still the counter of the province's own departments
    own = _receive(centre_clerk, world.agencies["justice"], procedure_version, world.users["citizen"])
    assert client.get(f"/api/v1/dossiers/{own.code}").status_code == 200
    refused = client.post(
        f"/api/v1/dossiers/{own.code}/actions/refuse",
        {"reason": "Không đủ điều kiện", "expected_version": own.version},
        content_type="application/json",
    )
    assert refused.status_code == 200, refused.content
    assert Dossier.objects.filter(inbox.agency_scope(centre_clerk), pk=own.pk).exists()
