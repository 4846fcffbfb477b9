"""Content in English through Wagtail's localisation (ADR 0181): a translation at its source's address,
the Vietnamese page where there is none, one entry in lists and search, editors only on their portal."""

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import Locale, Page

from congso.core.errors import ServiceError
from congso.directory.testing import login_verified
from congso.sites import services
from congso.sites.models import ContactsPage, PortalRoot, SiteHome
from congso.sites.search import search_pages
from congso.sites.testing import announcement

FUNCTIONS_EN = "<p>The Ward People's Committee enforces the law in Pleiku ward.</p>"


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _contacts(portals, key="pleiku"):
    return ContactsPage.objects.child_of(portals.homes[key]).get()


def _translated(portals, *, publish=True):
    contacts = _contacts(portals)
    english = services.translate(
        contacts,
        "en",
        by=portals.users["pleiku_editor"],
        title="Organisation and contacts of Pleiku ward",
        functions=FUNCTIONS_EN,
    )
    if publish:
        english.get_latest_revision().publish(user=portals.users["pleiku_approver"])
    return contacts, english


def test_every_portal_has_its_place_in_the_english_tree(portals):
    english = Locale.objects.get(language_code="en")
    root = PortalRoot.objects.get(locale__language_code="vi")
    assert root.get_translation(english).alias_of_id == root.pk
    for home in portals.homes.values():
        alias = home.get_translation(english).specific
        assert alias.alias_of_id == home.pk and alias.agency_id == home.agency_id
        assert alias.url == home.url  # a translation lives at its source's address


def test_an_english_reader_gets_the_translation_at_the_same_address(portals, client):
    contacts, english = _translated(portals)
    assert english.url == contacts.url
    vietnamese = client.get(contacts.url).content.decode()
    assert "Cơ cấu tổ chức, liên hệ" in vietnamese and FUNCTIONS_EN not in vietnamese
    body = _english(client).get(contacts.url).content.decode()
    assert "<h1>Organisation and contacts of Pleiku ward</h1>" in body
    assert FUNCTIONS_EN in body
    assert '<main id="main" class="container" tabindex="-1">' in body  # English content: no lang="vi"
    assert "Duyệt pleiku" in body  # the leader, still from the directory


def test_the_directory_names_the_agency_in_english_where_it_can(
    portals, client, django_capture_on_commit_callbacks
):
    contacts, _ = _translated(portals)
    agency = portals.homes["pleiku"].agency
    body = _english(client).get(contacts.url).content.decode()
    assert f'<h2 lang="vi">{agency.name}</h2>' in body  # no English name yet: the Vietnamese, marked
    with django_capture_on_commit_callbacks(execute=True):  # a directory change forgets the cached page
        agency.name_en = "People's Committee of Pleiku Ward"
        agency.save()
    client.cookies["django_language"] = "en"
    body = client.get(contacts.url).content.decode()
    assert "<h2>People&#x27;s Committee of Pleiku Ward</h2>" in body


def test_without_a_live_translation_the_vietnamese_page_is_shown_and_marked(portals, client):
    contacts, _ = _translated(portals, publish=False)  # a draft translation is not shown
    page = announcement(
        portals.homes["pleiku"], "Thông báo lịch tiếp công dân", user=portals.users["pleiku_approver"]
    )
    for url in (contacts.url, page.url):
        body = _english(client).get(url).content.decode()
        assert '<main id="main" class="container" tabindex="-1" lang="vi">' in body
        assert '<html lang="en">' in body  # the platform's chrome in the reader's language
    assert "Cơ cấu tổ chức, liên hệ" in _english(client).get(contacts.url).content.decode()


def test_translations_appear_once_in_lists_search_and_the_api(portals, client):
    contacts, english = _translated(portals)
    assert list(search_pages("Organisation contacts Pleiku")) == []
    found = [p.pk for p in search_pages("lien he")]
    assert contacts.pk in found and english.pk not in found
    pages = client.get("/api/v1/sites/pages?limit=100").json()["items"]
    assert english.pk not in [p["id"] for p in pages]
    portals_listed = client.get("/api/v1/sites/portals").json()
    assert sorted(p["id"] for p in portals_listed) == sorted(h.pk for h in portals.homes.values())
    body = client.get("/cong-thong-tin/").content.decode()
    assert body.count("Trang thông tin điện tử phường Pleiku") == 1


def test_another_communes_editor_cannot_translate_and_nothing_changes(portals):
    before = Page.objects.count()
    with pytest.raises(PermissionDenied):
        services.translate(_contacts(portals), "en", by=portals.users["iagrai_editor"], title="Contacts")
    assert Page.objects.count() == before


def test_a_translation_needs_a_content_language_and_a_vietnamese_page(portals):
    contacts = _contacts(portals)
    editor = portals.users["pleiku_editor"]
    for language in ("fr", "vi", ""):
        with pytest.raises(ServiceError):
            services.translate(contacts, language, by=editor, title="Contacts")
    _, english = _translated(portals)
    with pytest.raises(ServiceError):
        services.translate(english, "en", by=editor, title="Again")


def test_editors_may_translate_their_portal_in_cms_only(portals, client):
    contacts = _contacts(portals)
    url = f"/cms/translation/submit/page/{contacts.pk}/"
    english = Locale.objects.get(language_code="en")
    login_verified(client, portals.users["iagrai_editor"])
    before = Page.objects.count()
    for response in (client.get(url), client.post(url, {"locales": [english.pk]})):
        assert response.status_code == 302 and response.url == "/cms/"  # Wagtail's refusal
    assert Page.objects.count() == before
    login_verified(client, portals.users["pleiku_editor"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"locales": [english.pk]})
    assert response.status_code == 302
    translation = contacts.get_translation(english)
    assert not translation.live
    # the English tree's home carries the portal's permissions: the editor may edit the translation
    assert translation.permissions_for_user(portals.users["pleiku_editor"]).can_edit()
    assert not translation.permissions_for_user(portals.users["iagrai_editor"]).can_edit()


def test_one_home_per_agency_and_language(portals):
    home = portals.homes["pleiku"]
    other = SiteHome(title="Trùng", slug="trung", agency=home.agency, locale=home.locale)
    other.path, other.depth = "0009", 2  # unsaved: clean() alone
    with pytest.raises(Exception) as refused:
        other.clean()
    assert "đã có cổng thông tin" in str(refused.value)
