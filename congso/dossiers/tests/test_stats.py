"""Statistics (issue 5): received, accepted, finished on time / late, in process on time / overdue,
supplements, refusals and withdrawals, by agency, procedure, field, channel and period. An apologised
(extended) dossier still counts as late."""

from decimal import Decimal

import pytest
import time_machine

from congso.accounts.models import User
from congso.catalog.models import Procedure, ProcedureField, ProcedureVersion
from congso.core.uploads import Upload
from congso.directory.models import Membership, Role
from congso.directory.testing import login_verified
from congso.dossiers import services, stats
from congso.dossiers.models import Channel, Dossier, Status
from congso.dossiers.testing import advance

from .conftest import pdf, vn

pytestmark = pytest.mark.django_db
NOW = vn(2027, 3, 15, 9, 0)  # Monday
MARCH = (vn(2027, 3, 1), vn(2027, 4, 1))
ZERO = dict.fromkeys(stats.COLUMNS, 0)


@pytest.fixture
def certification(procedure_version):
    """A second procedure, in another field: chứng thực bản sao từ bản chính."""
    field = ProcedureField.objects.create(name="Chứng thực")
    procedure = Procedure.objects.create(
        code="2.000815", name="Thủ tục chứng thực bản sao từ bản chính", levels="|commune|", field=field
    )
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=1,
        content=dict(procedure_version.content, code="2.000815"),
        content_hash="y" * 64,
    )
    procedure.current_version = version
    procedure.save()
    birth = procedure_version.procedure
    birth.field = ProcedureField.objects.create(name="Hộ tịch")
    birth.save()
    return version


@pytest.fixture
def world(staff, agencies, procedure_version, certification, applicant, citizen):
    """Ten dossiers of March 2027 (one received in February) at the ward and the Department of Justice."""
    justice_clerk = User.objects.create_user(
        "mc.sotuphap", password="Mat-khau-dai-2026!", full_name="Hồ Thị Thảo", kind="official"
    )
    Membership.objects.create(user=justice_clerk, agency=agencies["justice"], role=Role.CLERK)

    def receive(when, *, agency="ward", version=procedure_version, channel=Channel.IN_PERSON, accept=True):
        clerk = staff["clerk"] if agency == "ward" else justice_clerk
        with time_machine.travel(when, tick=False):
            if channel == Channel.ONLINE:
                d = services.receive(
                    actor=citizen,
                    agency=agencies[agency],
                    procedure_version=version,
                    channel=channel,
                    applicant=applicant,
                )
                return services.accept(d.pk, actor=clerk) if accept else d
            return services.receive(
                actor=clerk,
                agency=agencies[agency],
                procedure_version=version,
                channel=channel,
                applicant=applicant,
                accept_now=True,
            )

    def issue(d, when):
        with time_machine.travel(when, tick=False):
            for who in ("officer", "leader", "leader"):
                advance(d.pk, actor=staff[who])
            return services.issue_result(
                d.pk,
                actor=staff["clerical"],
                number=f"{d.pk}/GKS",
                title="Giấy khai sinh",
                upload=Upload("KQ", pdf()),
            )

    def apologise(d, when, new_due):
        with time_machine.travel(when, tick=False):
            return services.extend(d.pk, actor=staff["officer"], reason="Cần xác minh thêm", new_due=new_due)

    monday = vn(2027, 3, 1, 8, 0)  # due Thursday 4 March 17:00
    w = {}
    w["on_time"] = issue(receive(monday), vn(2027, 3, 2, 10, 0))
    w["late"] = issue(receive(monday), vn(2027, 3, 8, 10, 0))
    d = receive(monday)
    apologise(d, vn(2027, 3, 2, 9, 0), vn(2027, 3, 10, 17, 0))
    w["apologised_finished"] = issue(d, vn(2027, 3, 3, 10, 0))  # even before the legal due: late
    w["apologised_open"] = apologise(receive(monday), vn(2027, 3, 2, 9, 0), vn(2027, 3, 31, 17, 0))
    w["overdue_open"] = receive(monday, channel=Channel.ONLINE)
    w["open_on_time"] = receive(vn(2027, 3, 12, 8, 0), version=certification, channel=Channel.POST)
    d = receive(vn(2027, 3, 2, 8, 0), agency="justice")
    with time_machine.travel(vn(2027, 3, 3, 8, 0), tick=False):  # waits for the applicant since
        w["supplement"] = services.request_supplement(
            d.pk, actor=justice_clerk, reason="Thiếu giấy chứng sinh"
        )
    d = receive(vn(2027, 3, 2, 8, 0), channel=Channel.ONLINE, accept=False)
    with time_machine.travel(vn(2027, 3, 2, 9, 0), tick=False):
        w["refused"] = services.refuse(d.pk, actor=staff["clerk"], reason="Không thuộc thẩm quyền của phường")
    d = receive(vn(2027, 3, 2, 8, 0), agency="justice", version=certification)
    with time_machine.travel(vn(2027, 3, 3, 8, 0), tick=False):
        w["withdrawn"] = services.withdraw(d.pk, actor=citizen, reason="Tôi nộp nhầm thủ tục")
    w["february"] = issue(receive(vn(2027, 2, 25, 8, 0)), vn(2027, 3, 1, 10, 0))
    assert Dossier.objects.count() == 10
    return w


def rows(group_by, start=MARCH[0], end=MARCH[1]):
    return stats.counts(Dossier.objects.all(), start=start, end=end, group_by=group_by, now=NOW)


def counters(row):
    return {c: row[c] for c in stats.COLUMNS}


def test_by_agency(world):
    agencies = rows("agency")
    assert len(agencies) == 2
    by_code = {r["receiving_agency__code"]: r for r in agencies}
    assert counters(by_code["H21.23575"]) == {
        **ZERO,
        "received": 7,  # the February dossier was received in February; the refused one counts
        "accepted": 6,
        "finished_on_time": 2,  # including the February dossier, finished in March
        "finished_late": 2,  # past the legal due moment, and apologised though finished before it
        "in_process_on_time": 1,
        "in_process_overdue": 2,  # past its due moment, and apologised though its new date is ahead
        "refusals": 1,
    }
    assert by_code["H21.23575"]["late_rate"] == Decimal("57.14")  # (2 + 2) / 7
    assert by_code["H21.23575"]["on_time_rate"] == Decimal("42.86")
    assert counters(by_code["000.00.12.H21"]) == {
        **ZERO,
        "received": 2,
        "accepted": 2,
        "in_process_on_time": 1,  # waiting for a supplement: the clock is stopped, not overdue
        "supplements": 1,
        "withdrawals": 1,
    }


def test_an_apology_counts_late_in_process_and_finished(world):
    assert world["apologised_open"].is_late and world["apologised_open"].due_at > NOW
    assert world["apologised_finished"].finished_at < world["apologised_finished"].legal_due_at
    only = Dossier.objects.filter(pk__in=[world["apologised_open"].pk, world["apologised_finished"].pk])
    (row,) = stats.counts(only, start=MARCH[0], end=MARCH[1], group_by="agency", now=NOW)
    assert (
        row["finished_late"],
        row["in_process_overdue"],
        row["finished_on_time"],
        row["in_process_on_time"],
    ) == (
        1,
        1,
        0,
        0,
    )
    assert row["late_rate"] == Decimal("100.00")


def test_by_channel(world):
    by_channel = {r["channel"]: counters(r) for r in rows("channel")}
    assert by_channel == {
        Channel.IN_PERSON: {
            **ZERO,
            "received": 6,
            "accepted": 6,
            "finished_on_time": 2,
            "finished_late": 2,
            "in_process_on_time": 1,
            "in_process_overdue": 1,
            "supplements": 1,
            "withdrawals": 1,
        },
        Channel.ONLINE: {**ZERO, "received": 2, "accepted": 1, "in_process_overdue": 1, "refusals": 1},
        Channel.POST: {**ZERO, "received": 1, "accepted": 1, "in_process_on_time": 1},
    }


@pytest.mark.parametrize(
    ("group_by", "key"),
    [
        ("procedure", "procedure_version__procedure__code"),
        ("field", "procedure_version__procedure__field__name"),
    ],
)
def test_by_procedure_and_field(world, group_by, key):
    by = {r[key]: counters(r) for r in rows(group_by)}
    birth, certification = ("1.001193", "2.000815") if group_by == "procedure" else ("Hộ tịch", "Chứng thực")
    assert by[certification] == {
        **ZERO,
        "received": 2,
        "accepted": 2,
        "in_process_on_time": 1,
        "withdrawals": 1,
    }
    assert by[birth] == {
        **ZERO,
        "received": 7,
        "accepted": 6,
        "finished_on_time": 2,
        "finished_late": 2,
        "in_process_on_time": 1,
        "in_process_overdue": 2,
        "supplements": 1,
        "refusals": 1,
    }


def test_by_period(world):
    months = rows("month", start=vn(2027, 2, 1), end=MARCH[1])
    assert [r["period"] for r in months] == ["2027-02", "2027-03"]
    assert counters(months[0]) == {**ZERO, "received": 1, "accepted": 1}
    assert counters(months[1]) == counters(rows("quarter")[0])  # the same March as a part of Q1
    assert rows("quarter")[0]["period"] == "2027-Q1"
    days = rows("day", start=vn(2027, 3, 1), end=vn(2027, 3, 4))
    assert [(r["period"], r["received"]) for r in days][:2] == [("2027-03-01", 5), ("2027-03-02", 3)]
    assert [r["period"] for r in rows("year")] == ["2027"]


def test_stats_api_groups_and_refuses_bad_groupings(client, staff, world):
    with time_machine.travel(NOW, tick=False):
        login_verified(client, staff["clerk"])
        url = "/api/v1/dossiers/reports/stats?agency=H21.23575&start=2027-02-01&end=2027-03-31"
        body = client.get(f"{url}&group_by=month").json()
        assert [(r["period"], r["received"]) for r in body["rows"]] == [("2027-02", 1), ("2027-03", 7)]
        assert client.get(f"{url}&group_by=field").status_code == 200
        bad = client.get(f"{url}&group_by=applicant")
        assert bad.status_code == 400 and bad.json()["field"] == "group_by"
        too_long = client.get(
            "/api/v1/dossiers/reports/stats?agency=H21.23575&start=2000-01-01&end=2027-03-31&group_by=day"
        )
        assert too_long.status_code == 400 and "tối đa" in too_long.json()["detail"]
    assert world["supplement"].status == Status.SUPPLEMENT
