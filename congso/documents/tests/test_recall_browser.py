"""Issue 18 in a real browser, checked with axe on every page: văn thư of the Sở Tư pháp recalls a decision
released through the local exchange hub, from the document's page; at the Sở Xây dựng (congso) the
document is marked recalled and leaves handling, the UBND tỉnh (its own system) refuses, and the sender's
page shows both answers. For another decision văn thư sends a corrected file, signed again by the Giám
đốc Sở: the recipient has it, the previous file kept in its history. The refusals a văn thư can meet in
these forms (no reason, a file that is not a PDF or carries no signature, an update from a page left
open after the recall) show a Vietnamese message and change nothing. Delivery goes through the hub as
in test_exchange_browser.py: the poll job of each agency (``exchange.services.receive``) is run here."""

import hashlib

import pytest
from playwright.sync_api import expect

from congso.directory.testing import blank_pdf, sign_in_browser
from congso.documents import services
from congso.documents.models import Document
from congso.documents.testing import released_through_hub, signed_again
from congso.exchange import edxml
from congso.exchange import services as exchange_services
from congso.exchange import testing as exchange_testing
from congso.exchange.models import IncomingPacket, OutgoingPacket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = {
    "subject": "Quyết định phê duyệt Kế hoạch kiểm tra công tác chứng thực năm 2027 tại UBND các xã, phường",
    "recipients_text": "Sở Xây dựng\nUBND tỉnh Gia Lai\nLưu: VT, HCTP.",
}
RECALL_REASON = "Ban hành nhầm đối tượng áp dụng; Sở Tư pháp sẽ ban hành quyết định thay thế"
REFUSAL = "Kế hoạch đã được chuyển đến UBND các xã, phường để triển khai"
RULES = {
    "subject": "Quyết định ban hành Quy chế phối hợp cung cấp thông tin hộ tịch giữa Sở Tư pháp và Sở Xây dựng",
    "recipients_text": "Sở Xây dựng\nLưu: VT, HCTP.",
}
UPDATE_REASON = (
    "Đính chính Điều 3: thời hạn cung cấp thông tin là 05 ngày làm việc; bổ sung Phụ lục mẫu phiếu"
)
RECALL = "Thu hồi văn bản đã gửi"  # the recall form's heading and its button
UPDATE = "Gửi bản cập nhật (đính chính)"  # the update form's heading
SEND_UPDATE = "Gửi bản cập nhật"  # its button


def press(page, form, button, message):
    """Click ``button`` of the form named ``form``; wait for the page's message after the redirect."""
    page.get_by_role("form", name=form).get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".messages")).to_contain_text(message)


def recipient(page, name):
    """The line of ``name`` in the list of the recipients the document was released to."""
    return (
        page.get_by_role("list", name="Nơi nhận đã phát hành").get_by_role("listitem").filter(has_text=name)
    )


def sha256(answer) -> str:
    assert answer.status == 200, answer.status
    return hashlib.sha256(answer.body()).hexdigest()


def unchanged(doc, hub):
    """What a refused form must leave as it was: the document's file and recall mark, its history, the
    packets queued and those on the hub."""
    doc.refresh_from_db()
    return (
        doc.file_sha256,
        doc.recalled_at,
        doc.revisions.count(),
        OutgoingPacket.objects.count(),
        len(hub.messages),
    )


@pytest.mark.timeout(900)
def test_recall_reaches_the_recipients_and_their_answers_come_back(
    page, axe, live_server, world, keys, construction, hub
):
    u = world.users
    province = world.agencies["province_pc"]  # on the hub with a system of its own: nothing registers here
    exchange_testing.seal_for(province)
    doc = released_through_hub(world, construction, province, metadata=PLAN)
    incoming = Document.objects.get(direction="in", agency=construction)
    services.route(incoming, actor=u["cx_clerical"])
    services.assign(incoming, actor=u["cx_leader"], lead=u["cx_officer"], working_days=5)
    url = live_server.url
    detail = f"{url}/van-ban/{doc.pk}/"

    sign_in_browser(page, url, u["clerical"])
    page.goto(detail)
    form = page.get_by_role("form", name=RECALL)
    expect(form).to_contain_text(f"{construction.name}, {province.name}")  # who will be asked
    expect(form).to_have_css("border-top-style", "solid")  # a panel of its own, apart from the next form
    axe(page, "released through the hub: the recall and update forms")

    # no reason: the browser asks for one and posts nothing; spaces only: the page says what is missing
    before = unchanged(doc, hub)
    form.get_by_role("button", name=RECALL).click()
    expect(page.locator("#rc-reason")).to_be_focused()
    page.fill("#rc-reason", "   ")
    press(page, RECALL, RECALL, "Lỗi: Cần nhập lý do để “Thu hồi văn bản đã gửi”.")
    axe(page, "recall refused: no reason")
    assert unchanged(doc, hub) == before

    page.fill("#rc-reason", RECALL_REASON)
    press(page, RECALL, RECALL, "Đã gửi đề nghị thu hồi văn bản đến các nơi nhận qua trục liên thông.")
    expect(page.locator(".notice")).to_contain_text("Đã đề nghị thu hồi")
    expect(page.locator(".notice")).to_contain_text(RECALL_REASON)
    for name in (construction.name, province.name):
        expect(recipient(page, name)).to_contain_text("Thu hồi: chưa trả lời")
    # asked once; a recalled text is neither updated, published again nor copied
    for gone in (RECALL, UPDATE):
        expect(page.get_by_role("form", name=gone)).to_have_count(0)
    for gone in ("Công khai trên cổng thông tin", "Sao và ký số"):
        expect(page.get_by_role("button", name=gone)).to_have_count(0)
    axe(page, "recall asked, no answer yet")
    (row,) = OutgoingPacket.objects.filter(business=edxml.Business.RECALL)
    assert row.state == OutgoingPacket.State.SENT and sorted(row.recipients) == sorted(
        [construction.code, province.code]
    )

    # The poll jobs: the Sở Xây dựng applies the recall and agrees (15); the UBND tỉnh refuses (16).
    exchange_services.receive(construction)
    exchange_services.receive(province)
    (there,) = IncomingPacket.objects.filter(recipient=province, business=edxml.Business.RECALL)
    exchange_services.report_status(there, "16", actor=None, description=REFUSAL, as_system=True)
    exchange_services.receive(world.agencies["justice"])

    sign_in_browser(page, url, u["cx_officer"])
    page.goto(f"{url}/van-ban/?tab=work")
    expect(page.locator("main")).to_contain_text("Không có văn bản nào.")  # out of the handler's work
    axe(page, "the handler's work, the recalled document gone")
    page.goto(f"{url}/van-ban/{incoming.pk}/")
    expect(page.locator("main .badge").first).to_have_text("Đã bị nơi gửi thu hồi")
    notice = page.locator(".notice")
    expect(notice).to_contain_text("Văn bản đã bị nơi gửi thu hồi")
    expect(notice).to_contain_text(RECALL_REASON)
    expect(notice).to_contain_text("Văn bản được giữ trong sổ, không xử lý tiếp.")
    for gone in ("Hoàn thành xử lý", "Gửi ý kiến"):
        expect(page.get_by_role("button", name=gone)).to_have_count(0)
    axe(page, "the recipient's document, recalled")

    sign_in_browser(page, url, u["clerical"])
    page.goto(detail)
    expect(recipient(page, construction.name)).to_contain_text("Thu hồi: Đồng ý thu hồi")
    expect(recipient(page, province.name)).to_contain_text("Thu hồi: Từ chối thu hồi")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text(f"{construction.name} đồng ý thu hồi văn bản.")
    expect(timeline).to_contain_text(f"{province.name} từ chối thu hồi văn bản: {REFUSAL}")
    axe(page, "the sender sees each recipient's answer")


@pytest.mark.timeout(900)
def test_update_reaches_the_recipient_and_refusals_change_nothing(
    page, phone_page, axe, live_server, world, keys, construction, hub, tmp_path
):
    u = world.users
    doc = released_through_hub(world, construction, metadata=RULES)
    first = doc.file_sha256
    url = live_server.url
    detail = f"{url}/van-ban/{doc.pk}/"
    # a Word file saved under a PDF name, a PDF nobody signed, and the corrected text with its appendix
    # (two pages) that the Giám đốc Sở signed again
    word = tmp_path / "quy-che-da-sua.pdf"
    word.write_bytes(b"PK\x03\x04\x14\x00\x06\x00word/document.xml Quy che phoi hop")
    unsigned = blank_pdf(tmp_path, "quy-che-chua-ky.pdf")
    corrected = tmp_path / "quy-che-da-ky-lai.pdf"
    corrected.write_bytes(signed_again(u["leader"], pages=2))

    # on a phone the forms fit the screen, and the file field's button is as easy to tap as the others
    sign_in_browser(phone_page, url, u["clerical"])
    phone_page.goto(detail)
    expect(phone_page.get_by_role("form", name=UPDATE)).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= phone_page.viewport_size["width"]
    assert phone_page.locator("#up-file").bounding_box()["height"] >= 44  # a touch target, like the buttons
    axe(phone_page, "the recall and update forms on a phone")

    sign_in_browser(page, url, u["clerical"])
    page.goto(detail)
    form = page.get_by_role("form", name=UPDATE)
    expect(form).to_contain_text(construction.name)
    axe(page, "released through the hub: the update form")
    before = unchanged(doc, hub)
    refusals = [
        (
            str(word),
            UPDATE_REASON,
            "Lỗi: Tệp “quy-che-da-sua.pdf” không phải là PDF. Hệ thống kiểm tra nội dung tệp, không dựa vào tên tệp.",
        ),
        (
            unsigned,
            UPDATE_REASON,
            "Lỗi: Tệp cập nhật phải có chữ ký số hợp lệ của người ký văn bản: Tài liệu không có chữ ký số nào.",
        ),
        (str(corrected), "  ", "Lỗi: Cần nhập lý do để “Gửi bản cập nhật”."),
    ]
    for path, reason, message in refusals:
        page.set_input_files("#up-file", path)
        page.fill("#up-reason", reason)
        press(page, UPDATE, SEND_UPDATE, message)
        axe(page, f"update refused: {message}")
        assert unchanged(doc, hub) == before

    page.set_input_files("#up-file", str(corrected))
    page.fill("#up-reason", UPDATE_REASON)
    press(page, UPDATE, SEND_UPDATE, "Đã gửi bản cập nhật đến các nơi nhận qua trục liên thông.")
    doc.refresh_from_db()
    assert doc.file_sha256 != first and doc.pages == 2 and doc.status == Document.Status.RELEASED
    main = page.locator("main")
    expect(main).to_contain_text("Các bản cập nhật đã gửi")
    expect(main).to_contain_text("Trước lần cập nhật 1")
    expect(main).to_contain_text(UPDATE_REASON)
    axe(page, "update sent")
    assert sha256(page.request.get(f"{detail}tep/?r=1")) == first  # the first file kept

    # The recipient's poll job takes the update: the corrected file, the first one in its history.
    exchange_services.receive(construction)
    incoming = Document.objects.get(direction="in", agency=construction)
    sign_in_browser(page, url, u["cx_clerical"])
    page.goto(f"{url}/van-ban/{incoming.pk}/")
    expect(main).to_contain_text("Lịch sử cập nhật từ nơi gửi")
    expect(main).to_contain_text(UPDATE_REASON)
    expect(page.locator("dl.summary dt:text-is('Số trang') + dd")).to_have_text("2")  # with its appendix
    axe(page, "the recipient's document, updated")
    current = page.get_by_role("link", name="Tải văn bản (PDF)").get_attribute("href")
    assert sha256(page.request.get(current)) == doc.file_sha256  # the corrected file, as sealed and sent
    previous = page.get_by_role("link", name="bản trước (PDF)").get_attribute("href")
    assert sha256(page.request.get(previous)) == first

    # The sender's poll job: the Sở Xây dựng agreed to the update.
    exchange_services.receive(world.agencies["justice"])
    sign_in_browser(page, url, u["clerical"])
    page.goto(detail)
    expect(page.locator(".timeline")).to_contain_text(f"{construction.name} đồng ý cập nhật văn bản.")
    axe(page, "the sender, the update agreed")

    # A page left open with the update form while the recall is sent from another tab: the update is
    # refused, the page says why and no longer offers it.
    other = page.context.new_page()
    other.goto(detail)
    other.fill("#rc-reason", RECALL_REASON)
    press(other, RECALL, RECALL, "Đã gửi đề nghị thu hồi văn bản")
    other.close()
    before = unchanged(doc, hub)
    page.set_input_files("#up-file", str(corrected))
    page.fill("#up-reason", "Sửa lỗi chính tả tại Phụ lục")
    press(page, UPDATE, SEND_UPDATE, "Lỗi: Văn bản đã được đề nghị thu hồi; không gửi bản cập nhật.")
    expect(page.get_by_role("form", name=UPDATE)).to_have_count(0)
    axe(page, "update refused after the recall")
    assert unchanged(doc, hub) == before
