"""The outbox and inbox pages: văn thư sees their agency's packets, others are refused; in a browser the
pages pass axe-core on a desktop and a phone, and a given-up packet is sent again."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from congso.directory.testing import login_verified, sign_in_browser
from congso.exchange.models import IncomingPacket, OutgoingPacket


def given_up(sender, **fields):
    values = {
        "sender": sender,
        "recipients": ["000.00.00.H21"],
        "document_id": f"{sender.code},2026/12/04,12/STP-VP",
        "code": "12/STP-VP",
        "subject": "Về việc báo cáo công tác phổ biến, giáo dục pháp luật năm 2026",
        "envelope": b"<edXML:edXMLEnvelope/>",
        "state": OutgoingPacket.State.GIVEN_UP,
        "attempts": 8,
        "last_error": "ConnectionError: trục không trả lời",
    }
    values.update(fields)
    return OutgoingPacket.objects.create(**values)


def refused(recipient):
    return IncomingPacket.objects.create(
        recipient=recipient,
        message_id="5b0c7e2a-1d3f-4a6b-9c8d-7e6f5a4b3c2d",
        sender_organ_id="000.00.00.H21",
        sender_name="Ủy ban nhân dân tỉnh Gia Lai",
        code="15/QĐ-UBND",
        subject="Về việc kiện toàn Hội đồng phối hợp PBGDPL",
        verdict=IncomingPacket.Verdict.REFUSED,
        refusal_reason="signature",
        refusal="Chữ ký số của gói tin không hợp lệ: nội dung đã bị sửa hoặc chữ ký bị giả mạo.",
        envelope=b"<x/>",
        deliveries=2,
    )


@pytest.mark.django_db
def test_clerical_sees_own_agency_only_and_others_are_refused(world):
    justice, construction = world.agencies["justice"], world.agencies["construction"]
    mine = given_up(justice)
    given_up(construction, code="30/SXD-VP", document_id=f"{construction.code},2026/12/04,30/SXD-VP")
    refused(justice)
    client = Client()
    login_verified(client, world.users["clerical"])
    page = client.get("/lien-thong-van-ban/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "12/STP-VP" in text and "30/SXD-VP" not in text
    inbox = client.get("/lien-thong-van-ban/den/").content.decode()
    assert "Chữ ký số của gói tin không hợp lệ" in inbox
    for role in ("leader", "officer", "clerk"):
        other = Client()
        login_verified(other, world.users[role])
        assert other.get("/lien-thong-van-ban/").status_code == 403
        assert other.get("/lien-thong-van-ban/den/").status_code == 403
        assert other.post(f"/lien-thong-van-ban/{mine.pk}/gui-lai/").status_code in (302, 403)
    mine.refresh_from_db()
    assert mine.state == OutgoingPacket.State.GIVEN_UP  # nobody else sent it again


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_in_a_browser(page, phone_page, live_server, axe, world, settings):
    settings.CONGSO_EXCHANGE_HUB_URL = "http://127.0.0.1:9"  # no hub: sending again fails again
    justice = world.agencies["justice"]
    packet = given_up(justice)
    refused(justice)
    clerical = world.users["clerical"]
    for p in (page, phone_page):
        p.set_default_timeout(60000)
        sign_in_browser(p, live_server.url, clerical)
        p.goto(live_server.url + "/lien-thong-van-ban/")
        expect(p.locator("main")).to_contain_text("12/STP-VP")
        axe(p, "exchange outbox")
        p.goto(live_server.url + "/lien-thong-van-ban/den/")
        expect(p.locator("main")).to_contain_text("Đã từ chối")
        axe(p, "exchange inbox")
    page.goto(live_server.url + "/lien-thong-van-ban/")
    page.get_by_role("button", name=f"Gửi lại gói tin số {packet.pk}").click()
    expect(page.locator(".messages")).to_contain_text("Đã đưa gói tin vào hàng đợi gửi lại.")
    axe(page, "exchange outbox after sending again")
    packet.refresh_from_db()
    assert packet.state == OutgoingPacket.State.FAILED and packet.attempts == 1
