"""A portal's home shows what the platform already publishes for its agency (issue 21), never a copy:
public legal documents (documents.selectors.public_documents), the leaders' published weekly work
calendars (workcalendars.selectors.public_week) and the disclosure list (inforequests.selectors)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from congso.directory.models import Membership
from congso.documents import services as documents
from congso.documents import testing as documents_testing
from congso.inforequests import services as inforequests
from congso.signing import keystore
from congso.sites import selectors, services
from congso.workcalendars import services as workcalendars
from congso.workcalendars.models import Calendar
from congso.workcalendars.selectors import monday

pytestmark = pytest.mark.django_db

META = {"doc_type": "QĐ", "subject": "Quyết định công bố thủ tục hành chính lĩnh vực hộ tịch", "pages": 1}


@pytest.fixture(autouse=True)
def _fresh_signer_cache():
    keystore.forget_cached_signers()
    yield
    keystore.forget_cached_signers()


@pytest.fixture
def world(db):
    w = documents_testing.build_world()
    documents_testing.keys_for(w.agencies["justice"], w.users["leader"], "Giám đốc Sở")
    admin = w.users["sysadmin"]
    w.homes = {
        "justice": services.create_portal(w.agencies["justice"], title="Cổng thông tin Sở Tư pháp", by=admin),
        "pleiku": services.create_portal(
            w.agencies["pleiku_pc"], title="Trang thông tin phường Pleiku", by=admin, slug="pleiku"
        ),
    }
    return w


def released(w, *, subject=META["subject"], public=False):
    u = w.users
    doc = documents.create_draft(
        actor=u["leader"],
        agency=w.agencies["justice"],
        metadata={**META, "subject": subject},
        upload=documents_testing.pdf_bytes(),
    )
    documents.submit(doc, actor=u["leader"])
    documents.approve(doc, actor=u["leader"])
    documents.approve(doc, actor=u["leader"])
    documents.sign(doc, actor=u["leader"])
    documents.issue(doc, actor=u["clerical"])
    return documents.release(doc, actor=u["clerical"], agencies=[w.agencies["construction"]], public=public)


def leader_calendar(w):
    calendar = Calendar.objects.create(
        kind=Calendar.Kind.LEADER,
        agency=w.agencies["justice"],
        leader=w.users["leader"],
        position="Giám đốc Sở",
    )
    Membership.objects.filter(user=w.users["leader"], agency=w.agencies["justice"]).update(
        position="Giám đốc Sở"
    )
    return calendar


def this_week_version(w, calendar, content="Họp giao ban Sở Tư pháp", *, approve=True):
    start = monday(timezone.localdate())
    clerical, leader = w.users["clerical"], w.users["leader"]
    version = workcalendars.open_week(calendar.pk, start, by=clerical)
    as_of = timezone.make_aware(dt.datetime.combine(start, dt.time(0, 0)))
    workcalendars.add_entry(
        version.pk,
        {
            "day": (start + dt.timedelta(days=4)).isoformat(),
            "part": "timed",
            "start_time": "08:00",
            "end_time": "10:30",
            "content": content,
            "place": "Phòng họp Sở Tư pháp",
        },
        by=clerical,
        now=as_of,
    )
    workcalendars.submit(version.pk, by=clerical)
    if approve:
        workcalendars.approve(version.pk, by=leader)
    return version


def test_public_documents_show_on_their_agencys_portal_only(world, django_capture_on_commit_callbacks):
    private = released(world, subject="Công văn nội bộ về hội nghị cán bộ")
    doc = released(world)
    anon = Client()
    url = world.homes["justice"].url
    before = anon.get(url)
    assert before.status_code == 200 and before["X-Cache"] == "miss"
    assert doc.symbol not in before.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the cached page is forgotten on commit
        documents.set_public(doc, actor=world.users["clerical"])
    page = anon.get(url).content.decode()
    (row,) = selectors.legal_documents(world.agencies["justice"])
    assert row.number == doc.symbol and row.number in page
    assert doc.issued_on.strftime("%d/%m/%Y") in page and "Nguyễn Quang Vinh" in page
    assert row.pdf_url in page and anon.get(row.pdf_url)["Content-Type"] == "application/pdf"
    assert private.symbol not in page and "Công văn nội bộ" not in page  # released but not public
    other = anon.get(world.homes["pleiku"].url).content.decode()
    assert doc.symbol not in other and "Chưa có văn bản công khai." in other


def test_a_divisions_public_documents_count_for_its_agency(world):
    justice = world.agencies["justice"]
    division = justice.children.filter(kind=justice.Kind.DIVISION).first()
    ids = selectors.document_agency_ids(justice)
    assert ids[0] == justice.pk and (division is None or division.pk in ids)
    assert world.agencies["construction"].pk not in ids


def test_leaders_published_week_shows_with_its_link(world):
    calendar = leader_calendar(world)
    this_week_version(world, calendar)
    start = monday(timezone.localdate())
    anon = Client()
    page = anon.get(world.homes["justice"].url).content.decode()
    assert "Họp giao ban Sở Tư pháp" in page and "Phòng họp Sở Tư pháp" in page
    link = f"/lich-cong-tac/{calendar.pk}/?tuan={start.isoformat()}"
    assert link in page
    week = anon.get(link).content.decode()
    assert "Họp giao ban Sở Tư pháp" in week
    assert "Họp giao ban" not in anon.get(world.homes["pleiku"].url).content.decode()


def test_a_draft_or_private_calendar_is_not_shown(world):
    calendar = leader_calendar(world)
    this_week_version(world, calendar, content="Làm việc với Sở Xây dựng", approve=False)
    anon = Client()
    page = anon.get(world.homes["justice"].url).content.decode()
    assert "Làm việc với Sở Xây dựng" not in page and "Lịch tuần này chưa được công bố." in page
    Calendar.objects.filter(pk=calendar.pk).update(is_public=False)
    data = selectors.work_calendars(world.agencies["justice"])
    assert data["calendars"] == []


def test_disclosure_list_links_to_access_to_information(world, django_capture_on_commit_callbacks):
    agency = world.agencies["pleiku_pc"]
    anon = Client()
    link = f"/tiep-can-thong-tin/co-quan/{agency.code}/"
    empty = anon.get(world.homes["pleiku"].url).content.decode()
    assert link in empty and "Danh mục thông tin công khai chưa có mục nào." in empty
    with django_capture_on_commit_callbacks(execute=True):
        inforequests.save_disclosure_item(
            actor=world.users["sysadmin"],
            agency=agency.code,
            category="ngan-sach",
            title="Dự toán ngân sách phường năm 2026",
            url="https://pleiku.gialai.gov.vn/ngan-sach",
        )
    page = anon.get(world.homes["pleiku"].url).content.decode()
    data = selectors.disclosure(agency)
    assert data["count"] == 1 and data["groups"][0].category.name in page and link in page
    assert "Dự toán ngân sách phường năm 2026" in anon.get(link).content.decode()
    assert selectors.disclosure(world.agencies["justice"])["count"] == 0
