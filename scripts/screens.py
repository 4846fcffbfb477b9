#!/usr/bin/env python3
"""Refresh the screenshots in docs/screens/ from a fresh demo.

    .venv/bin/python scripts/screens.py [--port 8169] [--out docs/screens] [--chromium /usr/bin/chromium]

Starts ``congso demo`` on an empty data directory (a temporary CONGSO_VAR_DIR), then takes, with
Debian's Chromium through Playwright:

- on a phone (390×844): the home page, the open menu, the five online-filing steps of a birth
  registration and the filed page (as ``congdan.an``), and "my dossiers";
- on a desktop (1366×768): each demo official's landing page after password + TOTP.

Each PNG is reduced to a 256-colour palette (Pillow), so the folder stays small. The demo server and
its helpers are stopped at the end. Nothing here is used by the application.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "GiaLai-demo-2026"  # noqa: S105 — the demo's printed password
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
OFFICIALS = [
    "motcua.pleiku",
    "tuphap.pleiku",
    "lanhdao.pleiku",
    "vanthu.pleiku",
    "quantri.pleiku",
    "quantri.hethong",
]
CITIZEN = "congdan.an"
PROCEDURE = "/dich-vu-cong/?thu-tuc=1.001193&co-quan=H21.23575"


def _congso() -> list[str]:
    return [sys.executable, "-m", "congso.cli"]


def _start_demo(port: int, env: dict) -> subprocess.Popen:
    log = open(Path(env["CONGSO_VAR_DIR"]) / "demo.log", "w")  # noqa: SIM115 — closed with the process
    process = subprocess.Popen(  # noqa: S603
        [*_congso(), "demo", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the worker and sandbox stop with it
    )
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the demo stopped; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):  # noqa: S310
                return process
        except OSError:
            time.sleep(2)
    raise SystemExit("the demo did not answer within 15 minutes")


def _otp(username: str, env: dict) -> str:
    out = subprocess.run(  # noqa: S603
        [*_congso(), "otp_code", username], env=env, check=True, capture_output=True, text=True
    ).stdout
    return re.search(r"\b(\d{6})\b", out).group(1)


def _shrink(path: Path) -> None:
    from PIL import Image  # dev tool: Pillow comes with the test dependencies

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)


def _shot(page, out: Path, name: str, *, full_page: bool = False) -> None:
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    _shrink(path)
    print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def _login(page, username: str, env: dict) -> None:
    page.goto("/tai-khoan/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_load_state()
    if "/xac-thuc-hai-lop/" in page.url:
        page.get_by_label("Mã xác thực").fill(_otp(username, env))
        page.get_by_role("button", name="Xác thực").click()
        page.wait_for_load_state()


def _fill_birth(page) -> None:
    """Step 2 of a birth registration, as a parent would fill it (labels of the demo's form): the
    choices first (they reveal conditional fields), then every visible text field."""
    place = page.locator("#id_f_noi_sinh_loai")
    if place.count():
        place.select_option("co_so_y_te")
    for label, value in (("Giới tính của trẻ", "nam"), ("Quan hệ của người đi khai sinh với trẻ", "cha")):
        field = page.get_by_label(label)
        if field.count():
            field.first.select_option(value)
    values = {
        "Họ, chữ đệm và tên của trẻ": "NGUYỄN MINH KHANG",
        "Ngày, tháng, năm sinh của trẻ": "02/11/2026",
        "Dân tộc của trẻ": "Kinh",
        "Tên cơ sở y tế nơi trẻ sinh ra": "Bệnh viện Đa khoa tỉnh Gia Lai",
        "Họ, chữ đệm và tên người mẹ": "Trần Thị Mai",
    }
    for label, value in values.items():
        field = page.get_by_label(label)
        if field.count() and field.first.is_visible():
            if field.first.get_attribute("type") == "date":
                value = "-".join(reversed(value.split("/")))
            field.first.fill(value)


def _phone(browser, base: str, out: Path, env: dict, pdf: Path) -> None:
    context = browser.new_context(
        locale="vi-VN", base_url=base, viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto("/")
    _shot(page, out, "phone-home")
    page.locator(".menu__button").click()
    _shot(page, out, "phone-menu-open")
    _login(page, CITIZEN, env)
    page.goto(PROCEDURE)
    _shot(page, out, "phone-filing-0-start")
    page.locator("#start-button").click()
    page.wait_for_url(re.compile(r"/nguoi-nop/$"))
    _shot(page, out, "phone-filing-1-applicant")
    page.locator("#continue").click()
    page.wait_for_url(re.compile(r"/thong-tin/$"))
    _shot(page, out, "phone-filing-2-details")
    _fill_birth(page)
    page.locator("#continue").click()
    page.wait_for_url(re.compile(r"/tai-lieu/$"))
    _shot(page, out, "phone-filing-3-uploads")
    for upload in page.locator("input[type=file]").all():
        upload.set_input_files(str(pdf))
        button = page.locator(f"#upload-{(upload.get_attribute('id') or '').removeprefix('id_file_')}")
        if button.count():
            button.click()
            page.wait_for_load_state()
    page.locator("#continue").click()
    page.wait_for_url(re.compile(r"/kiem-tra/$"))
    _shot(page, out, "phone-filing-4-review")
    page.locator("#continue").click()
    page.wait_for_url(re.compile(r"/cam-doan/$"))
    _shot(page, out, "phone-filing-5-declaration")
    page.get_by_label(re.compile("Tôi xin cam đoan")).check()
    page.locator("#submit-dossier").click()
    page.wait_for_url(re.compile(r"/da-nop/"))
    _shot(page, out, "phone-filing-6-filed")
    page.goto("/ho-so/")
    _shot(page, out, "phone-my-dossiers")
    context.close()


def _desktop(browser, base: str, out: Path, env: dict) -> None:
    for username in OFFICIALS:
        context = browser.new_context(locale="vi-VN", base_url=base, viewport=DESKTOP)
        page = context.new_page()
        page.set_default_timeout(30000)
        _login(page, username, env)
        _shot(page, out, f"desktop-landing-{username.replace('.', '-')}")
        context.close()


def _pdf(path: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8169)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    parser.add_argument("--chromium", default=os.environ.get("CONGSO_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    var = Path(tempfile.mkdtemp(prefix="congso-screens-"))
    env = {**os.environ, "CONGSO_VAR_DIR": str(var), "PYTHONPATH": str(ROOT)}
    for name in ("DATABASE_URL", "REDIS_URL", "CONGSO_SITE_URL"):
        env.pop(name, None)  # a fresh SQLite demo, never someone's database; its URL follows --port
    env["CONGSO_PAYMENT_SANDBOX_PORT"] = str(args.port - 1)
    env["CONGSO_LOG_LEVEL"] = "WARNING"
    print(f"Starting a fresh demo in {var} on port {args.port}…")
    demo = _start_demo(args.port, env)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, headless=True, args=["--no-sandbox"])
            base = f"http://127.0.0.1:{args.port}"
            _phone(browser, base, args.out, env, _pdf(var / "giay-chung-sinh.pdf"))
            _desktop(browser, base, args.out, env)
            browser.close()
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(timeout=30)
        shutil.rmtree(var, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
