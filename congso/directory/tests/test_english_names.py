"""English names of agencies and English titles of positions (issue 21): set and read through the one
path (service, pages, API), refused when too long, shown by the display helpers, under the same rules."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation

from congso.core.errors import InvalidFields
from congso.core.models import AuditEntry
from congso.directory import services
from congso.directory.models import Agency, Membership, Role
from congso.directory.testing import login_verified

pytestmark = pytest.mark.django_db

JUSTICE_EN = "Department of Justice of Gia Lai Province"
VICE_CHAIR = "Vice Chairman of the People's Committee of Pleiku Ward"
API = "/api/v1/directory"


def _signed_in(user) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def _edit_data(agency, **changes) -> dict:
    """What the agency page's form posts: every field as it is, with ``changes``."""
    data = {
        "name": agency.name,
        "short_name": agency.short_name,
        "name_en": agency.name_en,
        "kind": agency.kind,
        "unit_code": agency.unit.code,
        "address": agency.address,
        "phone": agency.phone,
        "email": agency.email,
        "is_active": "on" if agency.is_active else "",
    }
    return {**data, **changes}


def _patch(client, code, body):
    return client.patch(f"{API}/agencies/{code}", data=json.dumps(body), content_type="application/json")


def _post(client, path, body):
    return client.post(f"{API}{path}", data=json.dumps(body), content_type="application/json")


# --- the service -------------------------------------------------------------------------------------


def test_the_english_name_is_set_stripped_and_audited_like_the_others(world):
    justice = world.agencies["justice"]
    services.update_agency(world.users["agency_admin"], justice, name_en=f"  {JUSTICE_EN} ")
    justice.refresh_from_db()
    assert justice.name_en == JUSTICE_EN
    entry = AuditEntry.objects.get(action="directory.agency_updated")
    assert entry.data == {"name_en": ["", JUSTICE_EN]}
    services.update_agency(world.users["agency_admin"], justice, name_en="")  # cleared like short_name
    justice.refresh_from_db()
    assert justice.name_en == ""


def test_a_new_agency_takes_its_english_name(world):
    division = services.create_agency(
        world.users["agency_admin"],
        code="000.12.02.H21",
        name="Phòng Bổ trợ tư pháp",
        name_en="Judicial Support Division",
        kind="division",
        unit_code="52",
        parent=world.agencies["justice"],
    )
    assert Agency.objects.get(pk=division.pk).name_en == "Judicial Support Division"


def test_a_too_long_english_name_is_refused_in_vietnamese_and_changes_nothing(world):
    justice = world.agencies["justice"]
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidFields) as exc:
        services.update_agency(world.users["agency_admin"], justice, name_en="D" * 256, phone="0269 1")
    assert exc.value.errors["name_en"] == ["Tên tiếng Anh dài tối đa 255 ký tự (đang có 256 ký tự)."]
    justice.refresh_from_db()
    assert (justice.name_en, justice.phone, AuditEntry.objects.count()) == ("", "", before)
    with pytest.raises(InvalidFields):
        services.create_agency(
            world.users["agency_admin"],
            code="000.12.03.H21",
            name="Phòng Công chứng",
            name_en="D" * 256,
            kind="division",
            unit_code="52",
            parent=justice,
        )
    assert not Agency.objects.filter(code="000.12.03.H21").exists()
    # exactly the column's length is accepted
    services.update_agency(world.users["agency_admin"], justice, name_en="D" * 255)


def test_a_granted_role_carries_the_english_title_audited_with_the_position(world):
    leader = services.grant_role(
        world.users["sysadmin"],
        user=world.users["officer"],
        agency=world.agencies["pleiku_pc"],
        role=Role.LEADER,
        position="Phó Chủ tịch UBND phường",
        position_en=f" {VICE_CHAIR} ",
    )
    assert Membership.objects.get(pk=leader.pk).position_en == VICE_CHAIR
    entry = AuditEntry.objects.get(action="directory.role_granted")
    assert entry.data["position"] == "Phó Chủ tịch UBND phường" and entry.data["position_en"] == VICE_CHAIR
    # granted again without titles: both kept, as the Vietnamese position always was
    again = services.grant_role(
        world.users["sysadmin"],
        user=world.users["officer"],
        agency=world.agencies["pleiku_pc"],
        role="leader",
    )
    assert (again.position, again.position_en) == ("Phó Chủ tịch UBND phường", VICE_CHAIR)
    assert AuditEntry.objects.filter(action="directory.role_granted").last().data["position_en"] == VICE_CHAIR


def test_a_too_long_english_title_is_refused_and_changes_nothing(world):
    User = get_user_model()
    before = (Membership.objects.count(), User.objects.count(), AuditEntry.objects.count())
    with pytest.raises(InvalidFields) as exc:
        services.grant_role(
            world.users["sysadmin"],
            user=world.users["officer"],
            agency=world.agencies["pleiku_pc"],
            role=Role.LEADER,
            position_en="V" * 151,
        )
    assert exc.value.errors["position_en"] == [
        "Chức vụ (tiếng Anh) dài tối đa 150 ký tự (đang có 151 ký tự)."
    ]
    with pytest.raises(InvalidFields) as exc:
        services.create_official(
            world.users["agency_admin"],
            agency=world.agencies["justice"],
            username="tran.van.khoa",
            full_name="Trần Văn Khoa",
            email="khoa@gialai.gov.vn",
            role=Role.OFFICER,
            position_en="V" * 151,
        )
    assert "tối đa 150 ký tự" in exc.value.errors["position_en"][0]
    assert (Membership.objects.count(), User.objects.count(), AuditEntry.objects.count()) == before


def test_permissions_are_unchanged(world):
    admin = world.users["agency_admin"]
    with pytest.raises(PermissionDenied):
        services.update_agency(admin, world.agencies["construction"], name_en="Department of Construction")
    with pytest.raises(PermissionDenied):  # refused for who they are before what they sent
        services.update_agency(admin, world.agencies["construction"], name_en="D" * 300)
    with pytest.raises(PermissionDenied):
        services.grant_role(
            world.users["officer"],
            user=world.users["clerk"],
            agency=world.agencies["justice"],
            role=Role.LEADER,
            position_en="V" * 300,
        )
    assert Agency.objects.get(code=world.agencies["construction"].code).name_en == ""


# --- the display helpers -----------------------------------------------------------------------------


def test_display_name_falls_back_to_the_vietnamese_name(world):
    justice = world.agencies["justice"]
    assert justice.display_name("en") == "Sở Tư pháp tỉnh Gia Lai"  # no English name yet
    justice.name_en = JUSTICE_EN
    assert justice.display_name("en") == JUSTICE_EN
    assert justice.display_name("en-gb") == JUSTICE_EN
    assert justice.display_name("EN_us") == JUSTICE_EN
    assert justice.display_name("vi") == "Sở Tư pháp tỉnh Gia Lai"
    assert justice.display_name("") == "Sở Tư pháp tỉnh Gia Lai"
    with translation.override("en"):  # no language: the active one
        assert justice.display_name() == JUSTICE_EN
    with translation.override("vi"):
        assert justice.display_name() == "Sở Tư pháp tỉnh Gia Lai"


def test_display_position_falls_back_to_the_vietnamese_position():
    membership = Membership(position="Phó Chủ tịch UBND phường")
    assert membership.display_position("en") == "Phó Chủ tịch UBND phường"
    membership.position_en = VICE_CHAIR
    assert membership.display_position("en") == VICE_CHAIR
    assert membership.display_position("vi") == "Phó Chủ tịch UBND phường"
    with translation.override("en"):
        assert membership.display_position() == VICE_CHAIR
    assert Membership().display_position("en") == ""


# --- the pages ---------------------------------------------------------------------------------------


def test_the_agency_page_sets_and_shows_the_english_name(world):
    justice = world.agencies["justice"]
    client = _signed_in(world.users["agency_admin"])
    page = client.get(f"/co-quan/quan-ly/{justice.code}/")
    assert 'name="name_en"' in page.content.decode() and "Tên tiếng Anh" in page.content.decode()
    response = client.post(f"/co-quan/quan-ly/{justice.code}/", _edit_data(justice, name_en=JUSTICE_EN))
    assert response.status_code == 302
    justice.refresh_from_db()
    assert justice.name_en == JUSTICE_EN
    html = client.get(f"/co-quan/quan-ly/{justice.code}/").content.decode()
    assert f'<p lang="en">{JUSTICE_EN}</p>' in html and f'value="{JUSTICE_EN}"' in html


def test_the_agency_page_refuses_a_too_long_english_name(world):
    justice = world.agencies["justice"]
    client = _signed_in(world.users["agency_admin"])
    response = client.post(f"/co-quan/quan-ly/{justice.code}/", _edit_data(justice, name_en="D" * 256))
    assert response.status_code == 200
    assert "255" in response.context["form"].errors["name_en"][0]
    justice.refresh_from_db()
    assert justice.name_en == ""


def test_the_agency_page_of_another_department_stays_forbidden(world):
    construction = world.agencies["construction"]
    client = _signed_in(world.users["agency_admin"])
    response = client.post(f"/co-quan/quan-ly/{construction.code}/", _edit_data(construction, name_en="X"))
    assert response.status_code == 403
    construction.refresh_from_db()
    assert construction.name_en == ""


def test_the_grant_form_sets_the_english_title_and_the_staff_table_shows_it(world):
    justice = world.agencies["justice"]
    client = _signed_in(world.users["agency_admin"])
    response = client.post(
        f"/co-quan/quan-ly/{justice.code}/phan-cong/",
        {
            "username": world.users["officer"].username,
            "role": Role.LEADER,
            "position": "Phó Giám đốc",
            "position_en": "Deputy Director",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.users["officer"], agency=justice, role=Role.LEADER)
    assert membership.position_en == "Deputy Director"
    html = client.get(f"/co-quan/quan-ly/{justice.code}/").content.decode()
    assert '<span lang="en">Deputy Director</span>' in html


def test_the_grant_form_refuses_a_too_long_english_title(world):
    justice = world.agencies["justice"]
    client = _signed_in(world.users["agency_admin"])
    client.post(
        f"/co-quan/quan-ly/{justice.code}/phan-cong/",
        {"username": world.users["officer"].username, "role": Role.LEADER, "position_en": "V" * 151},
    )
    assert not Membership.objects.filter(
        user=world.users["officer"], agency=justice, role=Role.LEADER
    ).exists()


def test_a_new_official_gets_the_english_title(world, mailoutbox):
    justice = world.agencies["justice"]
    client = _signed_in(world.users["agency_admin"])
    response = client.post(
        f"/co-quan/quan-ly/{justice.code}/can-bo-moi/",
        {
            "username": "tran.van.khoa",
            "full_name": "Trần Văn Khoa",
            "email": "khoa@gialai.gov.vn",
            "role": Role.OFFICER,
            "position": "Chuyên viên",
            "position_en": "Officer",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(user__username="tran.van.khoa").position_en == "Officer"


def test_the_public_list_shows_the_english_name_in_english(world):
    justice = world.agencies["justice"]
    justice.name_en = JUSTICE_EN
    justice.save()
    client = Client()
    assert "Sở Tư pháp tỉnh Gia Lai" in client.get("/co-quan/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/co-quan/").content.decode()
    assert JUSTICE_EN in html and "Sở Tư pháp tỉnh Gia Lai" not in html
    assert "Sở Xây dựng tỉnh Gia Lai" in html  # no English name: the Vietnamese one


def test_my_roles_shows_the_english_title_in_english(world):
    leader = world.users["leader"]
    Membership.objects.filter(user=leader).update(position="Phó Giám đốc Sở", position_en="Deputy Director")
    client = _signed_in(leader)
    assert "Phó Giám đốc Sở" in client.get("/co-quan/cua-toi/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Deputy Director" in client.get("/co-quan/cua-toi/").content.decode()


# --- the API -----------------------------------------------------------------------------------------


def test_the_api_sets_and_reads_the_english_name(world):
    justice = world.agencies["justice"]
    client = _signed_in(world.users["agency_admin"])
    response = _patch(client, justice.code, {"name_en": f" {JUSTICE_EN}"})
    assert response.status_code == 200 and response.json()["name_en"] == JUSTICE_EN
    assert Client().get(f"{API}/agencies/{justice.code}").json()["name_en"] == JUSTICE_EN
    listed = Client().get(f"{API}/agencies?unit=52&kind=department").json()["items"]
    assert {a["code"]: a["name_en"] for a in listed}[justice.code] == JUSTICE_EN
    created = _post(
        client,
        "/agencies",
        {
            "code": "000.12.02.H21",
            "name": "Phòng Bổ trợ tư pháp",
            "name_en": "Judicial Support Division",
            "kind": "division",
            "unit_code": "52",
            "parent_code": justice.code,
        },
    )
    assert created.status_code == 201 and created.json()["name_en"] == "Judicial Support Division"


def test_the_api_refuses_a_too_long_english_name_and_changes_nothing(world):
    justice = world.agencies["justice"]
    client = _signed_in(world.users["agency_admin"])
    response = _patch(client, justice.code, {"name_en": "D" * 256})
    assert response.status_code == 400
    assert response.json()["errors"]["name_en"] == ["Tên tiếng Anh dài tối đa 255 ký tự (đang có 256 ký tự)."]
    justice.refresh_from_db()
    assert justice.name_en == ""


def test_the_api_grants_and_lists_the_english_title(world):
    justice = world.agencies["justice"]
    client = _signed_in(world.users["agency_admin"])
    body = {"username": world.users["officer"].username, "role": "leader", "position_en": "Deputy Director"}
    response = _post(client, f"/agencies/{justice.code}/staff", body)
    assert response.status_code == 201 and response.json()["position_en"] == "Deputy Director"
    staff = client.get(f"{API}/agencies/{justice.code}/staff").json()
    assert {m["username"]: m["position_en"] for m in staff if m["role"] == "leader"}[
        world.users["officer"].username
    ] == "Deputy Director"
    too_long = _post(client, f"/agencies/{justice.code}/staff", {**body, "position_en": "V" * 151})
    assert too_long.status_code == 400 and "tối đa 150 ký tự" in too_long.json()["errors"]["position_en"][0]
    assert Membership.objects.get(user=world.users["officer"], role="leader").position_en == "Deputy Director"


def test_the_api_keeps_its_refusals(world):
    construction = world.agencies["construction"]
    assert _patch(Client(), construction.code, {"name_en": "X"}).status_code == 401
    client = _signed_in(world.users["agency_admin"])
    assert _patch(client, construction.code, {"name_en": "X"}).status_code == 403
    assert _patch(client, construction.code, {"name_en": "X" * 300}).status_code == 403
    body = {"username": world.users["officer"].username, "role": "leader", "position_en": "Deputy Director"}
    assert _post(client, f"/agencies/{construction.code}/staff", body).status_code == 403
    construction.refresh_from_db()
    assert construction.name_en == ""
    assert not Membership.objects.filter(agency=construction, position_en="Deputy Director").exists()
