"""The editorial journey of news and announcements through the JSON API (ADR 0180): the allowed path
(draft → edit → submit → changes asked → resubmit → approve → live → unpublish) and every refusal, each
checked against the published schema, with nothing changed by a refused call."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Page, PageLogEntry, Revision

from congso.accounts.tokens import issue_token
from congso.core.api_testing import _document, assert_matches_schema
from congso.core.models import AuditEntry
from congso.directory.models import Membership, Role
from congso.directory.testing import PASSWORD, TWO_TIER, login_verified
from congso.sites.models import AnnouncementPage, NewsPage, SectionPage
from congso.sites.testing import announcement

API = "/api/v1/sites/editing"

NEWS = {
    "kind": "news",
    "title": "Phường Pleiku ra quân tổng vệ sinh môi trường đón Tết Nguyên đán",
    "summary": "Sáng 10/01/2027, hơn 500 cán bộ, đoàn viên và người dân tham gia dọn vệ sinh các tuyến phố.",
    "body": (
        "<h2>Ra quân đồng loạt</h2>"
        "<p>Hưởng ứng phong trào <b>“Ngày Chủ nhật xanh”</b>, UBND phường Pleiku tổ chức ra quân tại "
        "đường Hùng Vương, Trần Hưng Đạo và <i>công viên Diên Hồng</i>.</p>"
        "<ul><li>Thu gom 12 tấn rác thải</li><li>Phát quang 3 km mương thoát nước</li></ul>"
        '<p>Chi tiết xem tại <a href="https://gialai.gov.vn/tin-tuc">Cổng thông tin tỉnh</a>.</p>'
    ),
    "date": "2027-01-10",
}
NOTICE = {
    "kind": "announcement",
    "title": "Thông báo tạm ngừng cấp nước khu vực tổ 5 ngày 15/01/2027",
    "summary": "Công ty Cấp nước Gia Lai tạm ngừng cấp nước để sửa chữa đường ống.",
    "body": "<p>Thời gian ngừng cấp nước: từ 7 giờ 00 đến 16 giờ 30 ngày 15/01/2027.</p>",
    "issuer": "UBND phường Pleiku",
    "valid_until": "2027-01-16",
}


def signed_in(user) -> Client:
    client = Client()
    if user.kind == "citizen":
        client.force_login(user)
    else:
        login_verified(client, user)
    return client


def call(client, method: str, path: str, body=None):
    """One API call; its answer must match the published schema, whatever its status."""
    response = client.generic(
        method, f"{API}{path}", json.dumps(body) if body is not None else "", content_type="application/json"
    )
    assert_matches_schema(response)
    return response


def writes():
    """What a refused call must leave as it was."""
    return (
        Page.objects.count(),
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        AuditEntry.objects.count(),
        list(Page.objects.order_by("pk").values_list("live", "locked", "has_unpublished_changes")),
    )


@pytest.fixture
def citizen(portals):
    return get_user_model().objects.create_user(
        "congdan.hoa", password=PASSWORD, full_name="Nguyễn Thị Hoa", kind="citizen", email="hoa@example.vn"
    )


@pytest.fixture
def editor(portals):
    return signed_in(portals.users["pleiku_editor"])


@pytest.fixture
def approver(portals):
    return signed_in(portals.users["pleiku_approver"])


@pytest.fixture
def draft(portals, editor):
    response = call(editor, "POST", f"/portals/{portals.homes['pleiku'].pk}/articles", NEWS)
    assert response.status_code == 201, response.content
    return response.json()


def audited(page_id) -> list[tuple[str, str]]:
    entries = AuditEntry.objects.filter(object_type="wagtailcore.page", object_id=str(page_id)).order_by("pk")
    return [(e.action, e.actor_id) for e in entries]


# --- the allowed journey ----------------------------------------------------------------------------


def test_editor_sees_the_portals_wagtail_lets_them_edit(portals, editor, approver, citizen):
    mine = call(editor, "GET", "/portals").json()
    assert [(p["id"], p["can_publish"]) for p in mine] == [(portals.homes["pleiku"].pk, False)]
    assert [(p["id"], p["can_publish"]) for p in call(approver, "GET", "/portals").json()] == [
        (portals.homes["pleiku"].pk, True)
    ]
    assert call(signed_in(citizen), "GET", "/portals").json() == []


def test_draft_edit_submit_reject_resubmit_approve_publishes(portals, editor, approver, draft):
    pleiku = portals.homes["pleiku"]
    page_id = draft["id"]
    # the draft sits in Tin tức, owned by the editor, with its body kept as Wagtail's rich text
    page = NewsPage.objects.get(pk=page_id)
    assert page.get_parent().slug == "tin-tuc" and page.owner == portals.users["pleiku_editor"]
    assert not page.live and page.slug == "phuong-pleiku-ra-quan-tong-ve-sinh-moi-truong-don-tet-nguyen-dan"
    assert draft["status"] == "draft" and draft["status_label"] == "Bản nháp"
    assert "<h2" in draft["body"] and "<b>“Ngày Chủ nhật xanh”</b>" in draft["body"]
    assert '<a href="https://gialai.gov.vn/tin-tuc">' in draft["body"]
    assert draft["actions"] == ["edit", "submit"]
    # an edit is a new revision; the page row of a draft follows it
    first = draft["latest_revision"]
    edited = call(
        editor,
        "PATCH",
        f"/articles/{page_id}",
        {"summary": "Hơn 500 người tham gia dọn vệ sinh.", "expected_revision": first},
    ).json()
    assert edited["latest_revision"] != first and edited["summary"] == "Hơn 500 người tham gia dọn vệ sinh."
    assert edited["title"] == NEWS["title"] and edited["body"] == draft["body"]  # fields absent stay
    assert Revision.objects.filter(object_id=str(page_id)).count() == 2
    # submitted: in moderation, closed to the editor's changes until a decision
    submitted = call(editor, "POST", f"/articles/{page_id}/submit").json()
    assert (
        submitted["status"] == "in_moderation"
        and submitted["task"] == f"Lãnh đạo duyệt — {pleiku.agency.code}"
    )
    assert submitted["actions"] == []
    listed = call(approver, "GET", f"/portals/{pleiku.pk}/articles").json()["items"]
    assert [(a["id"], a["status"], a["section"]["title"]) for a in listed] == [
        (page_id, "in_moderation", "Tin tức")
    ]
    assert call(approver, "GET", f"/articles/{page_id}").json()["actions"] == [
        "edit",
        "approve",
        "reject",
        "publish",
        "lock",
    ]
    # the leader asks for changes, with a comment the editor reads
    rejected = call(
        approver, "POST", f"/articles/{page_id}/reject", {"comment": "Bổ sung số liệu của từng tổ dân phố."}
    ).json()
    assert rejected["status"] == "changes_requested"
    back = call(editor, "GET", f"/articles/{page_id}").json()
    assert back["reviewer_comment"] == "Bổ sung số liệu của từng tổ dân phố." and back["actions"] == [
        "edit",
        "submit",
    ]
    call(editor, "PATCH", f"/articles/{page_id}", {"body": NEWS["body"] + "<p>Tổ 1: 2 tấn; tổ 2: 3 tấn.</p>"})
    assert call(editor, "POST", f"/articles/{page_id}/submit").json()["status"] == "in_moderation"
    # approved: the workflow's one task publishes the latest revision, as in /cms/
    approved = call(approver, "POST", f"/articles/{page_id}/approve", {"comment": "Đồng ý đăng."}).json()
    assert approved["status"] == "live" and approved["url"].startswith("/cong-thong-tin/pleiku/tin-tuc/")
    page.refresh_from_db()
    assert page.live and "Tổ 1: 2 tấn" in page.body[-1].value.source
    public = Client().get(f"/api/v1/sites/pages?portal={pleiku.pk}").json()["items"]
    assert page_id in [p["id"] for p in public]
    # the audit chain has each step once, by whoever did it (Wagtail's log → signals, as for /cms/)
    by_editor, by_approver = portals.users["pleiku_editor"].pk, portals.users["pleiku_approver"].pk
    assert audited(page_id) == [
        ("sites.page_submitted", by_editor),
        ("sites.page_rejected", by_approver),
        ("sites.page_resubmitted", by_editor),
        ("sites.page_approved", by_approver),
        ("sites.page_published", by_approver),
    ]


def test_announcement_with_issuer_in_its_section(portals, editor):
    pleiku = portals.homes["pleiku"]
    made = call(editor, "POST", f"/portals/{pleiku.pk}/articles", NOTICE).json()
    page = AnnouncementPage.objects.get(pk=made["id"])
    assert page.get_parent().slug == "thong-bao" and page.issuer == "UBND phường Pleiku"
    assert page.valid_until == dt.date(2027, 1, 16) and made["kind"] == "announcement"
    # a second article of the same title gets the next free address
    again = call(editor, "POST", f"/portals/{pleiku.pk}/articles", NOTICE).json()
    assert again["slug"] == page.slug + "-2"


def test_approver_publishes_and_unpublishes_directly(portals, approver, draft):
    page_id = draft["id"]
    assert call(approver, "POST", f"/articles/{page_id}/publish").json()["status"] == "live"
    change = call(
        approver, "PATCH", f"/articles/{page_id}", {"title": "Phường Pleiku tổng vệ sinh (cập nhật)"}
    )
    assert change.json()["status"] == "live_with_draft"
    assert NewsPage.objects.get(pk=page_id).title == NEWS["title"]  # the live version stays until published
    gone = call(approver, "POST", f"/articles/{page_id}/unpublish").json()
    assert gone["status"] == "draft" and not gone["live"]
    actions = [a for a, _who in audited(page_id)]
    assert actions == ["sites.page_published", "sites.page_unpublished"]


def test_a_bearer_token_with_the_write_scope_edits_and_a_read_token_does_not(portals):
    editor = portals.users["pleiku_editor"]
    home = portals.homes["pleiku"].pk
    write = issue_token(editor.username, ["read", "write"]).token
    read = issue_token(editor.username, ["read"]).token
    client = Client()
    before = NewsPage.objects.count()
    refused = client.post(
        f"{API}/portals/{home}/articles",
        NEWS,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {read}",
    )
    assert refused.status_code == 401 and NewsPage.objects.count() == before
    made = client.post(
        f"{API}/portals/{home}/articles",
        NEWS,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {write}",
    )
    assert made.status_code == 201 and NewsPage.objects.count() == before + 1


# --- rich text and validation -----------------------------------------------------------------------


def test_a_script_is_refused_with_a_vietnamese_message_and_nothing_is_stored(portals, editor):
    before = writes()
    response = call(
        editor,
        "POST",
        f"/portals/{portals.homes['pleiku'].pk}/articles",
        {**NEWS, "body": "<p>Thông báo<script>fetch('/api/v1/accounts/me')</script></p>"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_rich_text" and "<script>" in body["errors"]["body"][0]
    assert body["detail"].startswith("Nội dung có thẻ HTML không được dùng")
    assert writes() == before


@pytest.mark.parametrize(
    "tag",
    ["<iframe src='https://example.com'></iframe>", "<img src=x onerror=alert(1)>", "<style>p{}</style>"],
)
def test_other_elements_outside_the_features_are_refused(portals, editor, draft, tag):
    before = writes()
    response = call(editor, "PATCH", f"/articles/{draft['id']}", {"body": f"<p>Nội dung</p>{tag}"})
    assert response.status_code == 422 and response.json()["field"] == "body"
    assert writes() == before


def test_attributes_and_script_links_are_stripped_by_wagtail(portals, editor, draft):
    html = (
        '<p onclick="alert(1)" style="color:red">Xem <a href="javascript:alert(2)">đây</a> và '
        '<a href="https://dichvucong.gialai.gov.vn" onmouseover="alert(3)">Cổng dịch vụ công</a><br>'
        "<b>dòng mới</b></p>"
    )
    saved = call(editor, "PATCH", f"/articles/{draft['id']}", {"body": html}).json()["body"]
    assert (
        "alert" not in saved and "onclick" not in saved and "style" not in saved and "javascript" not in saved
    )
    assert '<a href="https://dichvucong.gialai.gov.vn">Cổng dịch vụ công</a><br/><b>dòng mới</b>' in saved


def test_full_clean_errors_are_422_with_vietnamese_messages(portals, editor, draft):
    home = portals.homes["pleiku"].pk
    before = writes()
    too_long = call(
        editor, "POST", f"/portals/{home}/articles", {**NEWS, "summary": "Tóm tắt quá dài. " * 40}
    )
    assert too_long.status_code == 422 and too_long.json()["code"] == "invalid_article"
    assert too_long.json()["errors"]["summary"] == ["Giá trị này chỉ có tối đa 600 kí tự (hiện có 679)"]
    title = call(editor, "POST", f"/portals/{home}/articles", {**NEWS, "title": "Tiêu đề rất dài " * 20})
    assert title.status_code == 422 and "255" in title.json()["errors"]["title"][0]
    blank = call(editor, "POST", f"/portals/{home}/articles", {**NEWS, "title": "   "})
    assert blank.status_code == 422 and blank.json()["errors"] == {"title": ["Hãy nhập tiêu đề bài."]}
    issuer = call(editor, "POST", f"/portals/{home}/articles", {**NEWS, "issuer": "UBND phường"})
    assert issuer.status_code == 422 and issuer.json()["errors"] == {
        "issuer": ["Chỉ thông báo có trường này."]
    }
    taken = call(editor, "POST", f"/portals/{home}/articles", {**NEWS, "slug": draft["slug"]})
    assert taken.status_code == 422 and "đã được dùng" in taken.json()["errors"]["slug"][0]
    emptied = call(editor, "PATCH", f"/articles/{draft['id']}", {"title": ""})
    assert emptied.status_code == 422 and emptied.json()["field"] == "title"
    assert writes() == before


def test_another_section_of_the_portal_or_of_another_portal(portals, editor):
    pleiku, iagrai = portals.homes["pleiku"], portals.homes["iagrai"]
    plans = SectionPage.objects.child_of(pleiku).get(slug="ke-hoach")
    made = call(editor, "POST", f"/portals/{pleiku.pk}/articles", {**NEWS, "section": plans.pk})
    assert made.status_code == 201 and made.json()["section"]["id"] == plans.pk
    theirs = SectionPage.objects.child_of(iagrai).get(slug="tin-tuc")
    before = writes()
    refused = call(editor, "POST", f"/portals/{pleiku.pk}/articles", {**NEWS, "section": theirs.pk})
    assert refused.status_code == 400 and refused.json()["field"] == "section"
    assert writes() == before


def test_a_stale_edit_is_refused(portals, editor, approver, draft):
    call(approver, "PATCH", f"/articles/{draft['id']}", {"summary": "Bản của lãnh đạo."})
    before = writes()
    stale = call(
        editor,
        "PATCH",
        f"/articles/{draft['id']}",
        {"summary": "Bản cũ.", "expected_revision": draft["latest_revision"]},
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_revision"
    assert writes() == before


def test_a_body_with_images_is_edited_in_the_cms(portals, editor, draft):
    page = NewsPage.objects.get(pk=draft["id"])
    page.body = [*[(c.block_type, c.value) for c in page.body], ("quote", "Môi trường xanh, sạch, đẹp.")]
    page.save_revision(user=portals.users["pleiku_editor"])
    assert call(editor, "GET", f"/articles/{draft['id']}").json()["has_media"]
    before = writes()
    refused = call(editor, "PATCH", f"/articles/{draft['id']}", {"body": "<p>Thay toàn bộ.</p>"})
    assert refused.status_code == 400 and refused.json()["code"] == "body_has_media"
    assert writes() == before
    assert call(editor, "PATCH", f"/articles/{draft['id']}", {"title": "Chỉ sửa tiêu đề"}).status_code == 200


# --- refusals: nothing changes ----------------------------------------------------------------------


def test_another_communes_editor_cannot_see_or_touch_the_portal(portals, draft):
    other = signed_in(portals.users["iagrai_editor"])
    other_approver = signed_in(portals.users["iagrai_approver"])
    pleiku = portals.homes["pleiku"].pk
    before = writes()
    for client in (other, other_approver):
        assert call(client, "GET", f"/portals/{pleiku}/articles").status_code == 403
        created = call(client, "POST", f"/portals/{pleiku}/articles", NEWS)
        assert created.status_code == 403 and "không phải biên tập viên" in created.json()["detail"]
        assert call(client, "GET", f"/articles/{draft['id']}").status_code == 404
        assert call(client, "PATCH", f"/articles/{draft['id']}", {"title": "Sửa trộm"}).status_code == 404
        for action in ("submit", "publish", "unpublish", "lock", "unlock"):
            assert call(client, "POST", f"/articles/{draft['id']}/{action}").status_code == 404, action
        for action in ("approve", "reject"):
            response = call(client, "POST", f"/articles/{draft['id']}/{action}", {"comment": "Không đồng ý"})
            assert response.status_code == 404, action
    assert writes() == before


def test_a_citizen_and_an_anonymous_caller_are_refused(portals, draft, citizen):
    citizen = signed_in(citizen)
    anonymous = Client()
    pleiku = portals.homes["pleiku"].pk
    before = writes()
    assert call(citizen, "POST", f"/portals/{pleiku}/articles", NEWS).status_code == 403
    assert call(citizen, "GET", f"/portals/{pleiku}/articles").status_code == 403
    assert call(citizen, "GET", f"/articles/{draft['id']}").status_code == 404
    assert call(citizen, "POST", f"/articles/{draft['id']}/submit").status_code == 404
    for method, path in (
        ("GET", "/portals"),
        ("GET", f"/portals/{pleiku}/articles"),
        ("POST", f"/portals/{pleiku}/articles"),
        ("GET", f"/articles/{draft['id']}"),
        ("PATCH", f"/articles/{draft['id']}"),
        ("POST", f"/articles/{draft['id']}/publish"),
    ):
        response = call(anonymous, method, path, NEWS if method != "GET" else None)
        assert response.status_code == 401, path
        assert response.json()["detail"] == "Bạn cần đăng nhập hoặc cung cấp mã truy cập hợp lệ."
    assert writes() == before


def test_an_editor_neither_approves_nor_publishes(portals, editor, draft):
    page_id = draft["id"]
    before = writes()
    published = call(editor, "POST", f"/articles/{page_id}/publish")
    assert published.status_code == 403 and "hãy gửi bài để duyệt" in published.json()["detail"]
    assert writes() == before
    call(editor, "POST", f"/articles/{page_id}/submit")
    before = writes()
    approved = call(editor, "POST", f"/articles/{page_id}/approve", {"comment": "Tự duyệt"})
    assert approved.status_code == 403 and "Chỉ người duyệt" in approved.json()["detail"]
    assert call(editor, "POST", f"/articles/{page_id}/reject", {"comment": "Tự trả"}).status_code == 403
    edited = call(editor, "PATCH", f"/articles/{page_id}", {"title": "Sửa khi đang chờ duyệt"})
    assert edited.status_code == 403 and edited.json()["code"] == "locked"
    assert "đang chờ duyệt" in edited.json()["detail"]
    assert writes() == before


def test_actions_on_a_page_not_in_moderation_are_refused(portals, editor, approver, draft):
    page_id = draft["id"]
    before = writes()
    for action in ("approve", "reject"):
        response = call(approver, "POST", f"/articles/{page_id}/{action}", {"comment": "Đồng ý"})
        assert response.status_code == 409 and response.json()["code"] == "not_in_moderation", action
        assert response.json()["detail"] == "Bài không ở trạng thái chờ duyệt."
    unpublished = call(approver, "POST", f"/articles/{page_id}/unpublish")
    assert unpublished.status_code == 409 and unpublished.json()["code"] == "not_live"
    assert writes() == before
    call(editor, "POST", f"/articles/{page_id}/submit")
    before = writes()
    again = call(editor, "POST", f"/articles/{page_id}/submit")
    assert again.status_code == 409 and "đang chờ duyệt" in again.json()["detail"]
    empty = call(approver, "POST", f"/articles/{page_id}/reject", {"comment": "  "})
    assert empty.status_code == 400 and empty.json()["field"] == "comment"
    assert writes() == before


def test_a_locked_page_is_not_published_or_edited_by_others(portals, approver, editor, draft):
    pleiku = portals.homes["pleiku"]
    second = get_user_model().objects.create_user(
        "duyet2.pleiku", password=PASSWORD, full_name="Rơ Lan Hạnh", kind="official"
    )
    Membership.objects.create(
        user=second,
        agency=pleiku.agency,
        role=Role.WEB_APPROVER,
        valid_from=TWO_TIER,
        position="Phó Chủ tịch",
    )
    other = signed_in(second)
    page_id = draft["id"]
    locked = call(approver, "POST", f"/articles/{page_id}/lock").json()
    assert locked["locked"] and locked["locked_by"] == "Duyệt pleiku"
    before = writes()
    refused = call(other, "POST", f"/articles/{page_id}/publish")
    assert refused.status_code == 403 and refused.json()["code"] == "locked"
    assert "đang bị khóa bởi Duyệt pleiku" in refused.json()["detail"]
    assert call(editor, "PATCH", f"/articles/{page_id}", {"title": "Sửa khi bị khóa"}).status_code == 403
    assert call(editor, "POST", f"/articles/{page_id}/submit").status_code == 403
    assert call(editor, "POST", f"/articles/{page_id}/unlock").status_code == 403
    assert call(approver, "POST", f"/articles/{page_id}/lock").status_code == 409
    assert writes() == before
    # the one who locked it works on; an approver of the portal may unlock it (Wagtail's unlock_page)
    assert (
        call(approver, "PATCH", f"/articles/{page_id}", {"summary": "Bản của người khóa."}).status_code == 200
    )
    assert not call(other, "POST", f"/articles/{page_id}/unlock").json()["locked"]
    assert call(other, "POST", f"/articles/{page_id}/publish").json()["status"] == "live"
    assert [a for a, _who in audited(page_id)] == [
        "sites.page_locked",
        "sites.page_unlocked",
        "sites.page_published",
    ]


def test_a_role_ended_in_the_directory_ends_the_api_rights_at_once(portals, draft):
    editor = portals.users["pleiku_editor"]
    client = signed_in(editor)
    assert call(client, "GET", f"/articles/{draft['id']}").status_code == 200
    Membership.objects.filter(user=editor, role=Role.WEB_EDITOR).delete()
    assert call(client, "GET", f"/articles/{draft['id']}").status_code == 404
    assert call(client, "GET", "/portals").json() == []
    assert not editor.groups.filter(name__startswith="Biên tập").exists()


def test_pages_of_other_kinds_are_not_reached(portals, approver):
    section = SectionPage.objects.child_of(portals.homes["pleiku"]).get(slug="tin-tuc")
    assert call(approver, "GET", f"/articles/{section.pk}").status_code == 404
    assert call(approver, "POST", f"/articles/{section.pk}/unpublish").status_code == 404
    assert section.live


def test_listing_filters_by_kind_and_pages(portals, approver, editor, draft):
    pleiku = portals.homes["pleiku"]
    announcement(pleiku, "Thông báo lịch tiếp công dân tháng 01/2027", user=portals.users["pleiku_approver"])
    both = call(approver, "GET", f"/portals/{pleiku.pk}/articles").json()
    assert {a["kind"] for a in both["items"]} == {"news", "announcement"} and both["next_offset"] is None
    news = call(editor, "GET", f"/portals/{pleiku.pk}/articles?kind=news").json()["items"]
    assert [a["id"] for a in news] == [draft["id"]]
    first = call(editor, "GET", f"/portals/{pleiku.pk}/articles?limit=1").json()
    assert len(first["items"]) == 1 and first["next_offset"] == 1


# --- the published schema ---------------------------------------------------------------------------


def test_the_schema_has_the_editorial_operations_and_their_refusals():
    paths = _document()["paths"]
    expected = {
        ("get", "/api/v1/sites/editing/portals"),
        ("get", "/api/v1/sites/editing/portals/{portal_id}/articles"),
        ("post", "/api/v1/sites/editing/portals/{portal_id}/articles"),
        ("get", "/api/v1/sites/editing/articles/{page_id}"),
        ("patch", "/api/v1/sites/editing/articles/{page_id}"),
        *(
            ("post", f"/api/v1/sites/editing/articles/{{page_id}}/{action}")
            for action in ("submit", "approve", "reject", "publish", "unpublish", "lock", "unlock")
        ),
    }
    present = {(method, path) for path, ops in paths.items() for method in ops if "/sites/editing/" in path}
    assert present == expected
    for method, path in expected:
        responses = paths[path][method]["responses"]
        assert {"401", "403"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if method != "get":
            assert {"409", "422"} <= set(responses), (method, path)
    created = paths["/api/v1/sites/editing/portals/{portal_id}/articles"]["post"]
    assert "201" in created["responses"]
    assert created["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("SitesArticleIn")
