"""Pages, the iCalendar feed and the JSON API: the same rules as the services, drafts never public,
bad input a clear 4xx that writes nothing, another agency's secretary and citizens refused."""

import datetime as dt

import icalendar
import pytest
from django.test import Client

from congso.core.api_testing import assert_matches_schema
from congso.directory.testing import login_verified
from congso.workcalendars import services
from congso.workcalendars.models import Entry, Status, Version
from congso.workcalendars.testing import entry_data, next_monday

pytestmark = pytest.mark.django_db


def staff(world, key):
    client = Client()
    login_verified(client, world.users[key])
    return client


def published(world):
    clerical, leader = world.users["province_clerical"], world.users["province_leader"]
    version = services.open_week(world.calendars["leader"].pk, next_monday(), by=clerical)
    services.add_entry(version.pk, entry_data(next_monday(), notes="Chuẩn bị báo cáo"), by=clerical)
    services.add_entry(
        version.pk,
        {
            "day": (next_monday() + dt.timedelta(days=2)).isoformat(),
            "part": "all_day",
            "content": "Kiểm tra công trình",
        },
        by=clerical,
    )
    services.submit(version.pk, by=clerical)
    services.approve(version.pk, by=leader)
    return version


def test_drafting_and_approving_through_the_pages(world):
    cal = world.calendars["leader"]
    monday = next_monday().isoformat()
    secretary = staff(world, "province_clerical")
    assert secretary.get("/lich-cong-tac/soan/").status_code == 200
    url = f"/lich-cong-tac/soan/{cal.pk}/{monday}/"
    assert "Soạn lịch tuần này" in secretary.get(url).content.decode()
    assert secretary.post(url + "thao-tac/", {"action": "open"}).status_code == 302
    bad = secretary.post(url, {**entry_data(next_monday(), "10:00", "09:00")})
    assert bad.status_code == 400 and "Giờ kết thúc phải sau giờ bắt đầu" in bad.content.decode()
    assert secretary.post(url, entry_data(next_monday())).status_code == 302
    assert Entry.objects.count() == 1
    secretary.post(url + "thao-tac/", {"action": "submit"})
    # the public page still shows nothing for a week waiting for approval
    public = Client().get(f"/lich-cong-tac/{cal.pk}/?tuan={monday}").content.decode()
    assert "Họp giao ban" not in public and "chưa được công bố" in public
    leader = staff(world, "province_leader")
    page = leader.get(url).content.decode()
    assert "Duyệt và công bố" in page and "Trả lại" in page
    leader.post(url + "thao-tac/", {"action": "return"})  # no reason: refused
    assert Version.objects.get().status == Status.SUBMITTED
    leader.post(url + "thao-tac/", {"action": "approve"})
    assert Version.objects.get().status == Status.APPROVED
    public = Client().get(f"/lich-cong-tac/{cal.pk}/?tuan={monday}").content.decode()
    assert "Họp giao ban" in public and "cập nhật lúc" in public


def test_forbidden_pages(world):
    version = published(world)
    cal = world.calendars["leader"]
    url = f"/lich-cong-tac/soan/{cal.pk}/{next_monday().isoformat()}/"
    other = staff(world, "other_clerical")
    assert other.get(url).status_code == 403
    assert other.post(url, entry_data(next_monday())).status_code == 403
    entry = version.entries.first()
    assert other.post(f"/lich-cong-tac/soan/muc/{entry.pk}/xoa/").status_code == 403
    citizen = Client()
    citizen.force_login(world.users["citizen"])
    assert citizen.get(url).status_code == 403
    assert citizen.get("/lich-cong-tac/soan/").status_code == 403
    assert Client().get(url).status_code == 302  # sign in first
    assert Entry.objects.count() == 2
    assert Client().get("/lich-cong-tac/soan/1/not-a-date/").status_code in (302, 404)
    assert staff(world, "province_clerical").get("/lich-cong-tac/soan/999999/2026-01-05/").status_code == 404
    assert Client().get("/lich-cong-tac/999999/").status_code == 404
    assert Client().get(f"/lich-cong-tac/{cal.pk}/?tuan=2026-99-99").status_code == 404


def test_private_calendar_is_not_public(world):
    published(world)
    cal = world.calendars["leader"]
    cal.is_public = False
    cal.save()
    assert Client().get(f"/lich-cong-tac/{cal.pk}/").status_code == 404
    assert Client().get(f"/lich-cong-tac/{cal.pk}/lich.ics").status_code == 404
    assert Client().get("/api/v1/work-calendars/public/calendars").json() == [
        c for c in Client().get("/api/v1/work-calendars/public/calendars").json() if c["id"] != cal.pk
    ]


def test_ical_feed_parses_back_with_stable_uids(world):
    version = published(world)
    cal = world.calendars["leader"]
    resp = Client().get(f"/lich-cong-tac/{cal.pk}/lich.ics")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/calendar")
    parsed = icalendar.Calendar.from_ical(resp.content)
    events = sorted(parsed.walk("VEVENT"), key=lambda e: str(e["SUMMARY"]))
    assert [str(e["SUMMARY"]) for e in events] == ["Họp giao ban Ủy ban nhân dân tỉnh", "Kiểm tra công trình"]
    uids = {str(e["UID"]) for e in events}
    assert uids == {f"{u}@lich-cong-tac.congso" for u in version.entries.values_list("uid", flat=True)}
    timed, whole = events
    assert timed.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert timed.decoded("DTEND") - timed.decoded("DTSTART") == dt.timedelta(hours=3)
    assert isinstance(whole.decoded("DTSTART"), dt.date) and not isinstance(
        whole.decoded("DTSTART"), dt.datetime
    )
    assert "Chuẩn bị báo cáo" in str(timed["DESCRIPTION"])
    # an amendment keeps the UIDs and raises the SEQUENCE once approved; a draft amendment changes nothing
    new = services.amend(version.pk, by=world.users["province_clerical"])
    again = icalendar.Calendar.from_ical(Client().get(f"/lich-cong-tac/{cal.pk}/lich.ics").content)
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == uids
    services.submit(new.pk, by=world.users["province_clerical"])
    services.approve(new.pk, by=world.users["province_leader"])
    again = icalendar.Calendar.from_ical(Client().get(f"/lich-cong-tac/{cal.pk}/lich.ics").content)
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == uids
    assert {int(e["SEQUENCE"]) for e in again.walk("VEVENT")} == {1}


def test_api_drafting_flow_and_refusals(world):
    cal = world.calendars["unit"]
    monday = next_monday().isoformat()
    secretary = staff(world, "province_clerical")
    resp = secretary.post(f"/api/v1/work-calendars/calendars/{cal.pk}/weeks/{monday}")
    assert resp.status_code == 201, resp.content
    assert_matches_schema(resp)
    version_id = resp.json()["version_id"]
    body = {
        "day": monday,
        "start_time": "14:00",
        "end_time": "16:30",
        "content": "Tiếp công dân định kỳ",
        "place": "Trụ sở Tiếp công dân tỉnh",
        "attendees": [world.users["province_leader"].pk],
    }
    resp = secretary.post(
        f"/api/v1/work-calendars/versions/{version_id}/entries", body, content_type="application/json"
    )
    assert resp.status_code == 201, resp.content
    assert_matches_schema(resp)
    assert [i["content"] for i in resp.json()["items"]] == ["Tiếp công dân định kỳ"]
    bad = secretary.post(
        f"/api/v1/work-calendars/versions/{version_id}/entries",
        {**body, "end_time": "13:00"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "Giờ kết thúc" in bad.json()["detail"]
    entry_id = resp.json()["items"][0]["id"]
    resp = secretary.put(
        f"/api/v1/work-calendars/entries/{entry_id}",
        {**body, "place": "Hội trường"},
        content_type="application/json",
    )
    assert resp.status_code == 200 and resp.json()["items"][0]["place"] == "Hội trường"
    other = staff(world, "other_clerical")
    assert other.get(f"/api/v1/work-calendars/calendars/{cal.pk}/weeks/{monday}").status_code == 404
    assert other.delete(f"/api/v1/work-calendars/entries/{entry_id}").status_code == 404
    assert (
        other.post(
            f"/api/v1/work-calendars/versions/{version_id}/submit", {}, content_type="application/json"
        ).status_code
        == 404
    )
    leader = staff(world, "province_leader")
    # a leader does not submit (403); the secretary does
    assert (
        leader.post(
            f"/api/v1/work-calendars/versions/{version_id}/submit", {}, content_type="application/json"
        ).status_code
        == 403
    )
    resp = secretary.post(
        f"/api/v1/work-calendars/versions/{version_id}/submit", {}, content_type="application/json"
    )
    assert resp.status_code == 200 and resp.json()["version"]["status"] == "submitted"
    assert (
        secretary.post(
            f"/api/v1/work-calendars/versions/{version_id}/approve", {}, content_type="application/json"
        ).status_code
        == 403
    )
    resp = leader.post(
        f"/api/v1/work-calendars/versions/{version_id}/return", {}, content_type="application/json"
    )
    assert resp.status_code == 400 and "lý do" in resp.json()["detail"]
    assert (
        leader.post(
            f"/api/v1/work-calendars/versions/{version_id}/fly", {}, content_type="application/json"
        ).status_code
        == 400
    )
    resp = leader.post(
        f"/api/v1/work-calendars/versions/{version_id}/approve", {}, content_type="application/json"
    )
    assert resp.status_code == 200 and resp.json()["published_version"] == 1
    assert_matches_schema(resp)
    anon = Client()
    resp = anon.get(f"/api/v1/work-calendars/public/calendars/{cal.pk}/weeks/{monday}")
    assert resp.status_code == 200 and resp.json()["published"] is True
    assert_matches_schema(resp)
    assert resp.json()["items"][0]["attendees"] == "Hồ Văn Niên"
    assert anon.get(f"/api/v1/work-calendars/public/calendars/{cal.pk}/weeks/x").status_code == 400
    assert anon.get(f"/api/v1/work-calendars/calendars/{cal.pk}/weeks/{monday}").status_code == 401
    citizen = Client()
    citizen.force_login(world.users["citizen"])
    assert citizen.get("/api/v1/work-calendars/calendars").json() == []
    assert (
        citizen.post(
            "/api/v1/work-calendars/calendars",
            {"agency": world.agencies["province_pc"].code},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_public_draft_is_invisible_in_the_api(world):
    clerical = world.users["province_clerical"]
    version = services.open_week(world.calendars["leader"].pk, next_monday(), by=clerical)
    services.add_entry(version.pk, entry_data(next_monday()), by=clerical)
    resp = Client().get(
        f"/api/v1/work-calendars/public/calendars/{world.calendars['leader'].pk}/weeks/{next_monday().isoformat()}"
    )
    assert resp.status_code == 200 and resp.json()["items"] == [] and resp.json()["published"] is False
