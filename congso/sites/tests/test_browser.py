"""Issue 21's journey in Chromium: Phường Pleiku's web editor writes an announcement in /cms/ and submits
it, and translates the ward's contacts page into English ("Dịch trang", ADR 0181); the ward's leader (web
approver) approves both, which publishes them; a citizen on a 390-px phone finds the announcement by
unaccented search on the ward's portal, prints it and reads the ward's contacts in English. Xã Ia
Grai's editor is refused on Pleiku's pages. axe-core on the public templates (home, article, search,
contacts, Q&A)."""

import os
import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale
from wagtail.rich_text import RichText

from congso.directory.testing import sign_in_browser
from congso.sites.models import AnnouncementPage, ContactsPage, QuestionPage, SectionPage
from congso.sites.testing import build_portals

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

TITLE = "Thông báo lịch tiếp công dân định kỳ tháng 01/2027"
SUMMARY = "Chủ tịch UBND phường tiếp công dân vào sáng thứ Năm hằng tuần."
CONTACTS_EN = "Pleiku Ward: organisation and contacts"
SHOTS = os.environ.get("CONGSO_SHOTS_DIR")  # set it to keep the phone's screenshots for a look


def shoot(page, name, **kwargs):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", **kwargs)


@pytest.fixture
def portals(db):
    return build_portals()


@pytest.fixture
def phone(phone_page):
    return phone_page


def press(page, selector):
    """Click a button of Wagtail's action menu (it may sit in a closed dropdown)."""
    page.locator(selector).first.evaluate("b => b.click()")


def question(home):
    section = SectionPage.objects.child_of(home).get(slug="hoi-dap")
    page = QuestionPage(
        title="Thủ tục đăng ký khai sinh cần giấy tờ gì?",
        asker="Nguyễn Văn An",
        question="Tôi cần mang những giấy tờ gì khi đăng ký khai sinh cho con?",
        answer=RichText("<p>Tờ khai và giấy chứng sinh.</p>"),
        answered_by="UBND phường Pleiku",
    )
    section.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_announcement_from_editor_to_a_citizens_phone(portals, page, phone, live_server, axe):
    home = portals.homes["pleiku"]
    section = SectionPage.objects.child_of(home).get(slug="thong-bao")

    # Xã Ia Grai's editor cannot write on Phường Pleiku's portal
    sign_in_browser(page, live_server.url, portals.users["iagrai_editor"])
    response = page.goto(f"/cms/pages/add/sites/announcementpage/{section.pk}/")
    assert response.status == 403 or "/cms/pages/add/" not in page.url
    assert not AnnouncementPage.objects.exists()

    # Pleiku's editor writes the announcement and submits it for review (no publish button for them)
    sign_in_browser(page, live_server.url, portals.users["pleiku_editor"])
    page.goto(f"/cms/pages/add/sites/announcementpage/{section.pk}/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill(SUMMARY)
    page.locator("#id_issuer").fill("Ủy ban nhân dân phường Pleiku")
    # the address follows the title without diacritics (VIETNAMESE_SLUG), not "lch-tip"
    expect(page.locator("#id_slug")).to_have_value(
        re.compile(r"^thong-bao-lich-tiep-cong-dan-dinh-ky-thang-01")
    )
    assert page.locator('button[name="action-publish"]').count() == 0
    with page.expect_navigation():
        press(page, 'button[name="action-submit"]')
    errors = page.locator(".error-message, .help-critical, .w-field__errors").all_inner_texts()
    assert "/add/" not in page.url, errors
    page.wait_for_load_state("networkidle")  # the editor's pings are over before the next page
    # ... and the ward's contacts page in English: "Dịch trang", then its English title, for review
    contacts = ContactsPage.objects.child_of(home).get()
    page.goto(f"/cms/translation/submit/page/{contacts.pk}/")
    page.get_by_label("English").check()
    with page.expect_navigation():
        page.locator('main form [type="submit"]').click()
    page.wait_for_url(re.compile(r"/cms/pages/\d+/edit/"))
    page.wait_for_load_state("networkidle")
    page.locator("#id_title").fill(CONTACTS_EN)
    with page.expect_navigation():
        press(page, 'button[name="action-submit"]')
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")  # no editor pinging while this test reads the shared database
    page.wait_for_load_state("networkidle")
    announcement = AnnouncementPage.objects.get(title=TITLE)
    assert not announcement.live and announcement.current_workflow_state is not None
    english = contacts.get_translation(Locale.objects.get(language_code="en"))
    assert not english.live and english.current_workflow_state is not None

    # the ward's leader approves it: the workflow ends and publishes it
    sign_in_browser(page, live_server.url, portals.users["pleiku_approver"])
    # then the English contacts page. Each editor page is left only once its requests are over: on SQLite
    # the live server's threads and this test share one connection, and an editing-session ping or the
    # page's release beacon beside the next page's load breaks it for every later test of this worker
    for approved in (announcement, english):
        page.goto(f"/cms/pages/{approved.pk}/edit/")
        page.wait_for_load_state("networkidle")
        with page.expect_navigation():  # the approval posts through Wagtail's script, then reloads
            press(page, 'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
        page.wait_for_load_state("networkidle")
        expect(page.locator("body")).not_to_contain_text("Server Error")
        page.goto("about:blank")
        page.wait_for_load_state("networkidle")
    announcement.refresh_from_db()
    english.refresh_from_db()
    assert announcement.live and english.live

    # a citizen on a phone: the portal, unaccented search, the article, print, contacts in English
    phone.goto(home.url)
    expect(phone.locator("h1")).to_contain_text(home.title)
    axe(phone, "portal home")
    phone.locator("#portal-q").fill("lich tiep cong dan dinh ky")
    phone.locator("form.portal-search button[type=submit]").click()
    phone.wait_for_url("**/tim-kiem/**")
    expect(phone.locator('input[type="search"]')).to_have_count(1)  # one search box on the results page
    result = phone.locator(".article-list__item").first
    expect(result.locator(".result__where")).to_contain_text("Thông báo")
    expect(result.locator(".result__snippet mark").first).to_have_text("tiếp")
    axe(phone, "search results")
    shoot(phone, "search-390")
    phone.get_by_role("link", name=TITLE).click()
    expect(phone.locator("h1")).to_have_text(TITLE)
    expect(phone.get_by_text(SUMMARY)).to_have_count(1)  # the summary once, as the lead
    axe(phone, "article")
    shoot(phone, "article-390")
    phone.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    phone.get_by_role("button", name="In hoặc lưu PDF").click()
    assert phone.evaluate("() => window.__printed") == 1
    phone.emulate_media(media="print")
    expect(phone.locator(".portal-bar")).to_be_hidden()
    expect(phone.get_by_role("button", name="In hoặc lưu PDF")).to_be_hidden()
    expect(phone.locator("h1")).to_be_visible()
    source = phone.locator(".print-source")  # the printed paper names its source and print date
    expect(source).to_be_visible()
    expect(source).to_contain_text(home.title)
    expect(source).to_contain_text(phone.url)
    expect(source.locator("[data-print-date] time")).to_have_text(re.compile(r"\d\d/\d\d/\d{4}"))
    shoot(phone, "article-print-390", full_page=True)
    phone.emulate_media(media="screen")
    expect(source).to_be_hidden()

    contacts = ContactsPage.objects.child_of(home).get()
    phone.goto(contacts.url)
    axe(phone, "contacts")
    english = phone.locator('button[name="language"][value="en"]')
    if not english.is_visible():
        english.evaluate("b => b.click()")
    else:
        english.click()
    phone.wait_for_load_state()
    expect(phone.locator("h1")).to_have_text(CONTACTS_EN)  # the editor's translation, same address
    expect(phone).to_have_url(re.compile(re.escape(contacts.url) + "$"))
    expect(phone.locator("main")).to_contain_text("Ủy ban nhân dân phường Pleiku")  # no English name yet
    expect(phone.locator("main h2").first).to_have_attribute("lang", "vi")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.locator("main")).not_to_have_attribute("lang", "vi")
    axe(phone, "contacts in English")

    qa = question(home)
    phone.goto(qa.url)
    axe(phone, "Q&A")
