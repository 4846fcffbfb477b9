"""Issue 14, reports: dossiers with no deadline are not "100 % on time"; a service centre's report
covers the agencies it receives for; channels are named."""

import pytest
import time_machine

from congso.accounts.models import User
from congso.directory.models import Agency, Membership, Role
from congso.directory.testing import login_verified
from congso.dossiers import services, stats
from congso.dossiers.models import Channel, Dossier

from .conftest import vn

pytestmark = pytest.mark.django_db
NOW = vn(2027, 3, 15, 9, 0)
MARCH = (vn(2027, 3, 1), vn(2027, 4, 1))


def _receive(staff, agencies, version, applicant, when):
    with time_machine.travel(when, tick=False):
        return services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            accept_now=True,
        )


def _without_deadline(d):
    """A dossier received before limits were resolved (ADR 0143): no limit, no appointment."""
    Dossier.objects.filter(pk=d.pk).update(
        allowance_value=None, allowance_unit="", due_at=None, legal_due_at=None
    )


@pytest.fixture
def centre(agencies, units):
    _province, commune = units
    centre = Agency.objects.create(
        code="H21.23575.TTPV",
        name="Trung tâm Phục vụ hành chính công phường Pleiku",
        kind=Agency.Kind.SERVICE_CENTRE,
        unit=commune,
        parent=agencies["ward"],
    )
    centre.serves.add(agencies["ward"])
    clerk = User.objects.create_user(
        "mc.trungtam", password="Mat-khau-dai-2026!", full_name="Trần Thị Thu", kind="official"
    )
    Membership.objects.create(user=clerk, agency=centre, role=Role.CLERK)
    return centre, clerk


def test_dossiers_without_deadline_are_not_counted_on_time(staff, agencies, procedure_version, applicant):
    for day in (2, 3):
        _without_deadline(_receive(staff, agencies, procedure_version, applicant, vn(2027, 3, day, 9, 0)))
    (row,) = stats.counts(Dossier.objects.all(), start=MARCH[0], end=MARCH[1], now=NOW)
    assert row["no_deadline"] == 2
    assert row["in_process_on_time"] == row["in_process_overdue"] == 0
    assert row["on_time_rate"] is None and row["late_rate"] is None  # not 100 %

    dated = _receive(staff, agencies, procedure_version, applicant, vn(2027, 3, 4, 9, 0))
    assert dated.due_at is not None
    (row,) = stats.counts(Dossier.objects.all(), start=MARCH[0], end=MARCH[1], now=NOW)
    assert (row["no_deadline"], row["in_process_on_time"], row["in_process_overdue"]) == (2, 0, 1)
    assert row["on_time_rate"] == 0  # over the one dossier with a deadline only


def test_channels_are_named(staff, agencies, procedure_version, applicant):
    _receive(staff, agencies, procedure_version, applicant, vn(2027, 3, 2, 9, 0))
    (row,) = stats.counts(Dossier.objects.all(), start=MARCH[0], end=MARCH[1], group_by="channel", now=NOW)
    assert row["channel"] == 1 and row["channel_name"] == "Trực tiếp"


def test_a_service_centre_report_covers_the_agencies_it_serves(
    client, staff, agencies, procedure_version, applicant, centre
):
    centre_agency, centre_clerk = centre
    d = _receive(staff, agencies, procedure_version, applicant, vn(2027, 3, 2, 9, 0))
    _without_deadline(d)
    assert list(stats.reported_dossiers(centre_agency)) == [d]
    assert not stats.reported_dossiers(agencies["other"]).exists()  # not served: not covered

    with time_machine.travel(NOW, tick=False):
        login_verified(client, centre_clerk)
        page = client.get(
            "/mot-cua/bao-cao/",
            {"agency": centre_agency.code, "start": "2027-03-01", "end": "2027-03-31", "group_by": "channel"},
        )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Trực tiếp" in html and "không tính (1 hồ sơ không có thời hạn)" in html
    assert "100" not in html.split("Tỷ lệ đúng hạn", 1)[1].split("</table>", 1)[0]
    with time_machine.travel(NOW, tick=False):
        api = client.get(
            "/api/v1/dossiers/reports/stats",
            {"agency": centre_agency.code, "start": "2027-03-01", "end": "2027-03-31", "group_by": "channel"},
        ).json()
    (row,) = api["rows"]
    assert row["channel_name"] == "Trực tiếp" and row["no_deadline"] == 1 and row["on_time_rate"] is None


def test_another_agencys_clerk_gets_no_report_of_the_centre(client, staff, centre):
    centre_agency, _clerk = centre
    login_verified(client, staff["other_clerk"])  # a clerk of xã Ia Grai, not served by the centre
    api = client.get(
        "/api/v1/dossiers/reports/stats",
        {"agency": centre_agency.code, "start": "2027-03-01", "end": "2027-03-31"},
    )
    assert api.status_code == 403
