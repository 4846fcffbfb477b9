"""Public pages: portal list, contacts from the directory (and in English), RSS, sitemap, API, print."""

from django.urls import reverse

from congso.sites.models import ContactsPage
from congso.sites.testing import announcement


def test_portal_pages_render_for_a_citizen(portals, client):
    home = portals.homes["pleiku"]
    announcement(home, "Thông báo tạm ngừng cấp nước", user=portals.users["pleiku_approver"])
    assert "Trang thông tin điện tử phường Pleiku" in client.get("/cong-thong-tin/").content.decode()
    body = client.get(home.url).content.decode()
    assert "Thông báo tạm ngừng cấp nước" in body
    assert "/tiep-can-thong-tin/" in body  # the access-to-information section (inforequests)
    assert "Trang thông tin điện tử xã Ia Grai" in body  # related portals
    for child in home.get_children().live():
        assert client.get(child.url).status_code == 200, child.url


def test_contacts_come_from_the_directory_and_read_in_english(portals, client):
    contacts = ContactsPage.objects.child_of(portals.homes["pleiku"]).get()
    body = client.get(contacts.url).content.decode()
    assert "Ủy ban nhân dân phường Pleiku" in body
    assert "Duyệt pleiku" in body  # the leader, from the directory's membership
    client.cookies["django_language"] = "en"
    english = client.get(contacts.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Leader" in english and "Subordinate units" in english  # the labels; the page's English
    assert 'tabindex="-1" lang="vi">' in english  # text is its translation's (test_languages.py)


def test_article_has_print_button_and_print_css(portals, client):
    page = announcement(portals.homes["pleiku"], "Thông báo", user=portals.users["pleiku_approver"])
    body = client.get(page.url).content.decode()
    assert "data-print" in body and "sites/print.js" in body and "sites/sites.css" in body


def test_rss_and_sitemap(portals, client):
    announcement(portals.homes["iagrai"], "Thông báo tiêm chủng", user=portals.users["iagrai_approver"])
    rss = client.get(portals.homes["iagrai"].url + "rss/")
    assert rss.status_code == 200 and "Thông báo tiêm chủng" in rss.content.decode()
    sitemap = client.get(reverse("sites-sitemap"))
    assert sitemap.status_code == 200 and "thong-bao" in sitemap.content.decode()


def test_api_lists_and_searches_published_pages(portals, client):
    approver = portals.users["pleiku_approver"]
    announcement(portals.homes["pleiku"], "Thông báo lịch tiếp công dân", user=approver)
    announcement(portals.homes["pleiku"], "Nháp chưa duyệt", user=approver, publish=False)
    portals_out = client.get("/api/v1/sites/portals").json()
    assert {p["agency_code"] for p in portals_out} == {h.agency.code for h in portals.homes.values()}
    found = client.get("/api/v1/sites/search", {"q": "lich tiep cong dan"}).json()
    assert [i["title"] for i in found["items"]] == ["Thông báo lịch tiếp công dân"]
    listed = client.get("/api/v1/sites/pages", {"portal": portals.homes["pleiku"].pk}).json()
    assert "Nháp chưa duyệt" not in {i["title"] for i in listed["items"]}
    assert client.get("/api/v1/sites/pages", {"portal": 999999}).status_code == 404
    assert client.get("/api/v1/sites/search", {"q": ""}).status_code in (400, 422)


def test_rendition_view_refuses_traversal(client):
    assert client.get("/media/images/../secret.pdf").status_code == 404
    assert client.get("/media/images/khong-co.jpg").status_code == 404


def test_home_page_is_cached_too(portals, client):
    home = portals.homes["iagrai"]
    assert client.get(home.url)["X-Cache"] == "miss"
    assert client.get(home.url)["X-Cache"] == "hit"
