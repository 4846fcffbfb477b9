"""Date fields read dd/mm/yyyy whatever the browser's locale, work without JavaScript, and their
picker button shows its focus ring (issue 14)."""

import re

import pytest
from playwright.sync_api import expect

from congso.portal import services

from .conftest import BIRTH_ANSWERS


@pytest.fixture
def draft(citizen, profile, birth_form):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    services.update_draft(draft.pk, citizen, fields={"ngay_sinh_tre": "2026-11-02"})
    return draft


@pytest.mark.django_db
def test_the_date_is_shown_and_accepted_as_day_month_year(citizen_client, citizen, draft):
    url = f"/dich-vu-cong/ho-so-nhap/{draft.pk}/thong-tin/"
    html = citizen_client.get(url).content.decode()
    field = re.search(r'<input id="id_f_ngay_sinh_tre"[^>]*>', html, re.S).group(0)
    assert 'type="text"' in field and 'value="02/11/2026"' in field
    assert 'pattern="[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}"' in field
    assert "Nhập theo dạng ngày/tháng/năm" in html
    answers = {f"f_{key}": value for key, value in BIRTH_ANSWERS.items()}
    response = citizen_client.post(url, {**answers, "f_ngay_sinh_tre": "05/01/2026"})
    assert response.status_code == 302 and response.url.endswith("/tai-lieu/")  # accepted as typed
    html = citizen_client.get(url).content.decode()
    assert 'value="05/01/2026"' in html
    response = citizen_client.post(url, {**answers, "f_ngay_sinh_tre": "31/02/2026"})
    assert response.status_code == 200
    assert re.search(
        r'<input id="id_f_ngay_sinh_tre"[^>]*aria-invalid="true"', response.content.decode(), re.S
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_picker_button_opens_the_native_picker_and_shows_its_focus_ring(
    browser, live_server, citizen, draft
):
    english = {"locale": "en-US"}  # an English system: the field still reads dd/mm/yyyy
    context = browser.new_context(base_url=live_server.url, **english)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto("/tai-khoan/dang-nhap/")
    page.locator("#id_username").fill(citizen.username)
    page.locator("#id_password").fill("Mat-khau-dai-2026!")
    page.locator("#id_password").press("Enter")
    page.wait_for_url(lambda url: "dang-nhap" not in url)
    page.goto(f"/dich-vu-cong/ho-so-nhap/{draft.pk}/thong-tin/")
    date = page.locator("#id_f_ngay_sinh_tre")
    expect(date).to_have_value("02/11/2026")
    button = page.locator(".date-field__button")
    expect(button).to_have_accessible_name(re.compile("^Chọn ngày — Ngày, tháng, năm sinh của trẻ"))
    date.focus()
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    outline = button.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "the picker button shows its focus ring"
    # the native picker writes back dd/mm/yyyy
    page.locator(".date-field__native").evaluate(
        "el => { el.value = '2026-10-31'; el.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    expect(date).to_have_value("31/10/2026")
    context.close()

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, **english)
    page = context.new_page()
    page.goto("/tai-khoan/dang-nhap/")
    page.locator("#id_username").fill(citizen.username)
    page.locator("#id_password").fill("Mat-khau-dai-2026!")
    page.locator("#id_password").press("Enter")
    page.wait_for_url(lambda url: "dang-nhap" not in url)
    page.goto(f"/dich-vu-cong/ho-so-nhap/{draft.pk}/thong-tin/")
    # the day picked above was autosaved, and is shown as typed, dd/mm/yyyy, by the server alone
    expect(page.locator("#id_f_ngay_sinh_tre")).to_have_value("31/10/2026")
    expect(page.locator(".date-field__button")).to_have_count(0)
    context.close()
