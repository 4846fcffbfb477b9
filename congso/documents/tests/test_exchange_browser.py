"""Issue 18's done-when test, through the local exchange hub and in a real browser checked with axe: a
decision drafted, reviewed, returned once, signed by the leader, numbered and sealed by văn thư, released
to another agency THROUGH THE HUB (a signed edXML packet); there văn thư registers it (it arrived by
exchange), the leader assigns it, the handler finishes it, the status messages travel back through the
hub, and the sender sees "Hoàn thành". pdfsig validates every signature on the released PDF."""

import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from congso.directory.testing import blank_pdf, sign_in_browser
from congso.documents import testing
from congso.documents.models import Document
from congso.exchange import services as exchange_services
from congso.exchange import testing as exchange_testing
from congso.exchange.models import OutgoingPacket
from congso.signing import crypto
from congso.signing import demo as signing_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def act(page, button):
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã cập nhật văn bản")


def pdfsig_report(tmp_path, data: bytes) -> str:
    ca_cert, _key = signing_demo.ensure_ca()
    anchor = tmp_path / "ca.pem"
    anchor.write_text(crypto.to_pem(ca_cert))
    db = tmp_path / "nss"
    db.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{db}", "-n", "ca", "-t", "CT,C,C", "-i", str(anchor)], check=True
    )
    path = tmp_path / "da-phat-hanh.pdf"
    path.write_bytes(data)
    run = subprocess.run(["pdfsig", "-nssdir", f"sql:{db}", str(path)], capture_output=True, text=True)
    return run.stdout + run.stderr


@pytest.mark.timeout(1200)  # a whole journey through eight officials on a shared machine
def test_decision_travels_through_the_hub_and_done_comes_back(page, axe, live_server, tmp_path, hub):
    if not shutil.which("certutil") or not shutil.which("pdfsig"):
        pytest.skip("certutil (libnss3-tools) and pdfsig (poppler-utils) are needed")
    w = testing.build_world()
    justice, construction = w.agencies["justice"], w.agencies["construction"]
    testing.keys_for(justice, w.users["leader"], "Giám đốc Sở")
    exchange_testing.seal_for(construction)  # its status messages are sealed too
    u = w.users
    url = live_server.url

    sign_in_browser(page, url, u["officer"])
    page.goto(f"{url}/van-ban/")
    page.get_by_role("link", name="Soạn dự thảo văn bản đi").click()
    page.select_option("#id_doc_type", label="Quyết định")
    page.fill("#id_subject", "Quyết định ban hành Quy chế phối hợp quản lý trật tự xây dựng")
    page.set_input_files("#id_file", blank_pdf(tmp_path, "du-thao.pdf"))
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_contain_text("Văn bản đi")
    doc = Document.objects.get()
    detail = f"{url}/van-ban/{doc.pk}/"
    act(page, "Trình duyệt")

    sign_in_browser(page, url, u["head_civil"])
    page.goto(detail)
    page.fill("#r-reason", "Bổ sung căn cứ Nghị định 30/2020/NĐ-CP.")
    act(page, "Trả lại để chỉnh sửa")

    sign_in_browser(page, url, u["officer"])
    page.goto(detail)
    page.set_input_files("#v-file", blank_pdf(tmp_path, "du-thao-2.pdf"))
    act(page, "Tải phiên bản mới")
    act(page, "Trình duyệt")

    sign_in_browser(page, url, u["head_civil"])
    page.goto(detail)
    act(page, "Duyệt")

    sign_in_browser(page, url, u["leader"])
    page.goto(detail)
    act(page, "Duyệt")
    act(page, "Ký số")

    sign_in_browser(page, url, u["clerical"])
    page.goto(detail)
    act(page, "Cấp số, đóng dấu")
    expect(page.locator("h1")).to_contain_text("01/QĐ-STP")
    axe(page, "issued document, release through the hub")
    page.select_option("#rl-exchange", value=construction.code)
    act(page, "Phát hành")
    axe(page, "released through the hub")
    packet = OutgoingPacket.objects.get(kind="document")
    assert packet.state == OutgoingPacket.State.SENT and packet.recipients == [construction.code]
    doc.refresh_from_db()
    with doc.file.open("rb") as fh:
        released = fh.read()
    report = pdfsig_report(tmp_path, released)
    assert report.count("Signature is Valid.") == 3, report  # leader, seal over it, number and date
    assert "Invalid" not in report

    # The receiving agency's poll job (`congso exchange poll`) fetches it from the hub.
    [(_row, result, _reason)] = exchange_services.receive(construction)
    assert result == "accepted"
    incoming = Document.objects.get(direction="in")
    assert incoming.source == Document.Source.EXCHANGE and incoming.symbol == "01/QĐ-STP"
    with incoming.file.open("rb") as fh:
        assert fh.read() == released  # the signed PDF that travelled is the one released
    there = f"{url}/van-ban/{incoming.pk}/"
    sign_in_browser(page, url, u["cx_clerical"])
    page.goto(f"{url}/van-ban/")
    page.get_by_role("link", name="Quyết định ban hành Quy chế phối hợp").click()
    main = page.locator("main")
    expect(main).to_contain_text("Trục liên thông văn bản")
    expect(main).to_contain_text("Gói tin edXML: hợp lệ")
    axe(page, "incoming document received through the hub")
    act(page, "Trình lãnh đạo phân công")

    sign_in_browser(page, url, u["cx_leader"])
    page.goto(there)
    page.select_option("#a-lead", label="Nguyễn Thị Thu")
    act(page, "Phân công xử lý")

    sign_in_browser(page, url, u["cx_officer"])
    page.goto(there)
    page.fill("#f-text", "Đã phổ biến Quy chế đến các phòng.")
    act(page, "Hoàn thành xử lý")
    expect(main).to_contain_text("Hoàn thành")

    # The sender's poll job fetches the status messages: 01 arrived, 03 registered, 04 assigned, 06 done.
    codes = [s.status_code for s, result, _ in exchange_services.receive(justice) if result == "accepted"]
    assert codes == ["01", "03", "04", "06"]
    sign_in_browser(page, url, u["clerical"])
    page.goto(detail)
    recipients = page.locator("main ul").filter(has_text=construction.name)
    expect(recipients).to_contain_text("Hoàn thành")
    axe(page, "sender sees the recipient's status")
