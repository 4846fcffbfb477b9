"""The inbox page: filters (procedure, channel, mine) kept across pages, the bulk view (a leader's
assignment in one transaction, a printable list) and the due-soon box by each province's calendar."""

import datetime as dt

import pytest
from django.urls import reverse

from congso.accounts.models import User
from congso.calendar.models import CalendarException
from congso.catalog.models import Offering
from congso.directory.models import Agency, Membership
from congso.directory.testing import login_verified
from congso.dossiers import services
from congso.dossiers.inbox import Box, inbox
from congso.dossiers.models import Channel, Dossier, Status

from .conftest import vn

pytestmark = pytest.mark.django_db


def _receive(
    staff, agencies, procedure_version, name="Nguyễn Văn An", channel=Channel.IN_PERSON, agency="ward"
):
    return services.receive(
        actor=staff["clerk"] if agency == "ward" else staff["other_clerk"],
        agency=agencies[agency],
        procedure_version=procedure_version,
        channel=channel,
        applicant=services.Applicant(name=name),
        accept_now=True,
    )


@pytest.fixture
def offering(agencies, procedure_version):
    return Offering.objects.create(agency=agencies["ward"], procedure=procedure_version.procedure)


def test_filters_by_procedure_and_channel(client, staff, agencies, procedure_version, offering):
    by_post = _receive(staff, agencies, procedure_version, "Rơ Mah Thị Blơi", Channel.POST)
    in_person = _receive(staff, agencies, procedure_version, "Đinh Văn Hùng")
    login_verified(client, staff["officer"])
    page = client.get("/mot-cua/?box=handle").content.decode()
    assert '<option value="1.001193">Thủ tục đăng ký khai sinh (1.001193)</option>' in page
    html = client.get("/mot-cua/?box=handle&channel=3").content.decode()
    assert by_post.code in html and in_person.code not in html
    html = client.get("/mot-cua/?box=handle&procedure=9.999999").content.decode()
    assert by_post.code not in html and "Không có hồ sơ nào." in html
    assert client.get("/mot-cua/?box=handle&channel=abc").status_code == 200  # bad value: ignored


def test_pages_and_tabs_keep_every_filter(client, staff, agencies, procedure_version, offering):
    for i in range(26):
        _receive(staff, agencies, procedure_version, f"Người nộp {i:02d}")
    Dossier.objects.update(assignee=staff["officer"])
    login_verified(client, staff["officer"])
    html = client.get("/mot-cua/?box=handle&mine=1&procedure=1.001193&channel=1&q=nop").content.decode()
    kept = "q=nop&amp;procedure=1.001193&amp;channel=1&amp;mine=1"
    assert f'href="?box=handle&amp;{kept}&amp;page=2"' in html
    assert f'href="?box=overdue&amp;{kept}"' in html  # the box tabs keep the filters too
    second = client.get(
        "/mot-cua/?box=handle&mine=1&procedure=1.001193&channel=1&q=nop&page=2"
    ).content.decode()
    assert "Trang 2 / 2" in second and "checked" in second.split('name="mine"')[1][:30]


def test_leader_assigns_several_dossiers_at_once(client, staff, agencies, procedure_version, offering):
    a = _receive(staff, agencies, procedure_version, "Trần Thị Bích")
    b = _receive(staff, agencies, procedure_version, "Lê Văn Cường")
    login_verified(client, staff["leader"])
    html = client.get("/mot-cua/?box=all").content.decode()
    assert 'name="ma"' in html and f'<option value="{staff["officer"].pk}">Phạm Văn Nam</option>' in html
    response = client.post(
        "/mot-cua/phan-cong/",
        {"ma": [a.code, b.code], "assignee": staff["officer"].pk, "box": "all", "channel": "1"},
        follow=True,
    )
    assert "Đã phân công 2 hồ sơ cho Phạm Văn Nam." in response.content.decode()
    assert response.redirect_chain[-1][0] == "/mot-cua/?box=all&channel=1"
    assert set(Dossier.objects.values_list("assignee", flat=True)) == {staff["officer"].pk}
    assert Dossier.objects.filter(timeline__action="assign").count() == 2


def test_bulk_assignment_is_all_or_nothing(client, staff, agencies, procedure_version, offering):
    a = _receive(staff, agencies, procedure_version, "Trần Thị Bích")
    b = _receive(staff, agencies, procedure_version, "Lê Văn Cường")
    services.request_supplement(b.pk, actor=staff["officer"], reason="Thiếu giấy chứng sinh")
    login_verified(client, staff["leader"])
    response = client.post(
        "/mot-cua/phan-cong/", {"ma": [a.code, b.code], "assignee": staff["officer"].pk}, follow=True
    )
    assert f"Hồ sơ {b.code}: Chỉ phân công được hồ sơ đang xử lý." in response.content.decode()
    assert not Dossier.objects.filter(assignee__isnull=False).exists()
    assert not Dossier.objects.filter(timeline__action="assign").exists()


def test_bulk_assignment_refused_to_officers_and_for_other_agencies(
    client, staff, agencies, procedure_version
):
    mine = _receive(staff, agencies, procedure_version, "Trần Thị Bích")
    other = _receive(staff, agencies, procedure_version, "Ksor Y Phun", agency="other")
    login_verified(client, staff["clerical"])
    client.post("/mot-cua/phan-cong/", {"ma": [mine.code], "assignee": staff["clerical"].pk})
    assert not Dossier.objects.filter(assignee__isnull=False).exists()
    login_verified(client, staff["leader"])
    response = client.post(
        "/mot-cua/phan-cong/", {"ma": [mine.code, other.code], "assignee": staff["officer"].pk}, follow=True
    )
    html = response.content.decode()
    assert "Không tìm thấy hồ sơ." in html and other.code not in html
    assert not Dossier.objects.filter(assignee__isnull=False).exists()


def test_printable_list_of_the_selection(client, staff, agencies, procedure_version):
    mine = _receive(staff, agencies, procedure_version, "Trần Thị Bích")
    other = _receive(staff, agencies, procedure_version, "Ksor Y Phun", agency="other")
    login_verified(client, staff["clerk"])
    html = client.get(f"/mot-cua/in-danh-sach/?ma={mine.code}&ma={other.code}").content.decode()
    assert mine.code in html and "Trần Thị Bích" in html
    assert f'<td class="code">{other.code}</td>' not in html and "Ksor Y Phun" not in html
    assert client.get("/mot-cua/in-danh-sach/").status_code == 302


def test_api_bulk_assign(client, staff, agencies, procedure_version):
    a = _receive(staff, agencies, procedure_version, "Trần Thị Bích")
    b = _receive(staff, agencies, procedure_version, "Lê Văn Cường")
    login_verified(client, staff["leader"])
    response = client.post(
        "/api/v1/dossiers/bulk/assign",
        {"codes": [a.code, b.code], "assignee": staff["officer"].username},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert sorted(r["code"] for r in response.json()) == sorted([a.code, b.code])
    assert set(Dossier.objects.values_list("assignee", flat=True)) == {staff["officer"].pk}
    missing = client.post(
        "/api/v1/dossiers/bulk/assign",
        {"codes": ["H21.23575-000000-0000"], "assignee": staff["officer"].username},
        content_type="application/json",
    )
    assert missing.status_code == 404


def test_due_soon_box_uses_the_dossiers_province_calendar(staff, agencies, procedure_version, units):
    province, _commune = units
    d = _receive(staff, agencies, procedure_version)
    now = vn(2026, 3, 9, 10, 0)  # a Monday
    # Due on Wednesday 10:00: Monday's 5 office hours + Tuesday's 7.5 + 2.5 on Wednesday = 15 hours left,
    # more than one working day (7.5 h) under the nationwide calendar …
    Dossier.objects.filter(pk=d.pk).update(due_at=vn(2026, 3, 11, 10, 0), status=Status.PROCESSING)
    assert d.pk not in {x.pk for x in inbox(staff["officer"], Box.DUE_SOON, now=now)}
    # … but Gia Lai gives Tuesday off: 7.5 office hours left there, so it is due soon.
    CalendarException.objects.create(
        unit=province, date=dt.date(2026, 3, 10), kind="day_off", reason="Nghỉ lễ hội tỉnh Gia Lai"
    )
    assert d.pk in {x.pk for x in inbox(staff["officer"], Box.DUE_SOON, now=now)}
    # A dossier of another province with no such day off is not.
    assert inbox(staff["officer"], Box.DUE_SOON, now=now, channel=Channel.POST).count() == 0


def test_service_centre_clerk_sees_the_agencies_it_serves(staff, agencies, procedure_version):
    centre = Agency.objects.create(
        code="H21.23575.01",
        name="Trung tâm Phục vụ hành chính công phường Pleiku",
        kind="service_centre",
        unit=agencies["ward"].unit,
        parent=agencies["ward"],
    )
    clerk = User.objects.create_user("motcua.pleiku", full_name="Đinh Thị Hoa", kind="official")
    centre.serves.add(agencies["ward"])  # what this counter receives for (Agency.serves)
    Membership.objects.create(user=clerk, agency=centre, role="clerk")
    d = _receive(staff, agencies, procedure_version)
    other = _receive(staff, agencies, procedure_version, "Ksor Y Phun", agency="other")
    seen = {x.pk for x in inbox(clerk, Box.ALL)}
    assert d.pk in seen and other.pk not in seen


def test_only_a_counter_clerk_is_offered_intake_from_the_inbox(
    client, staff, agencies, procedure_version, offering
):
    intake = reverse("dossiers:intake")
    login_verified(client, staff["clerk"])
    assert f'href="{intake}"' in client.get(reverse("dossiers:inbox")).content.decode()
    for role in ("leader", "officer"):
        client.logout()
        login_verified(client, staff[role])
        page = client.get(reverse("dossiers:inbox")).content.decode()
        assert "Tiếp nhận hồ sơ mới" not in page, role
