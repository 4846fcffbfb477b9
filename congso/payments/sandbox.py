"""A local VNPAY-protocol sandbox gateway, for development and tests. Runs as its own process:

    congso payments sandbox --port 8001 --tmn-code CONGSO01 --secret … --ipn-url http://127.0.0.1:8000/thanh-toan/ipn/vnpay/

Standard library only (wsgiref). It speaks VNPAY 2.1.0 as a merchant sees it:

- ``GET /paymentv2/vpcpay.html?…`` checks the merchant's signature and terminal code and shows a
  plain, accessible Vietnamese page with "Thanh toán" and "Hủy giao dịch" (HTML forms, no JavaScript);
- paying calls the merchant's IPN URL server-to-server (signed GET, retried until the merchant answers
  with a RspCode) and then redirects the browser to ``vnp_ReturnUrl`` with the same signed result;
  cancelling does the same with ``vnp_ResponseCode=24``; an order past ``vnp_ExpireDate`` gets ``11``.

Test hooks (a sandbox only): ``POST /_sandbox/notify`` (form: txn_ref, optional amount override,
optional forge=1 to sign with a wrong secret, optional response_code) sends an IPN for an order the
sandbox has seen and answers with the merchant's reply; ``POST /_sandbox/replay`` (txn_ref) sends
the last IPN of that order again, unchanged; ``GET /_sandbox/log`` lists every IPN sent and its answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import socketserver
import sys
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import parse_qsl, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from . import vnpay_protocol as vp

BANKS = [("NCB", "Ngân hàng NCB"), ("VCB", "Vietcombank"), ("BIDV", "BIDV"), ("VIETINBANK", "VietinBank")]

CSS = """
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b1b1b;line-height:1.5}
header{background:#005baa;color:#fff;padding:1rem} header p{margin:0;font-weight:bold}
main{max-width:36rem;margin:0 auto;padding:1rem}
.box{background:#fff;border:1px solid #c8cdd2;border-radius:6px;padding:1rem;margin-bottom:1rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem} dt{font-weight:bold} dd{margin:0}
label{display:block;font-weight:bold;margin:.5rem 0 .25rem}
select,button{font-size:1rem;padding:.6rem 1rem;min-height:44px}
button{border-radius:4px;border:2px solid #005baa;cursor:pointer;margin:.5rem .5rem 0 0}
.pay{background:#005baa;color:#fff} .cancel{background:#fff;color:#005baa}
button:focus,select:focus{outline:3px solid #ffbf47;outline-offset:2px}
.error{border-left:5px solid #b00020}
"""

PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — Cổng thanh toán thử nghiệm</title>
<link rel="stylesheet" href="/sandbox.css"></head>
<body><header><p>Cổng thanh toán thử nghiệm (VNPAY 2.1.0 sandbox)</p></header>
<main id="main"><h1>{title}</h1>{body}</main></body></html>"""


class Sandbox:
    def __init__(self, *, tmn_code: str, secret: str, ipn_url: str, retries: int = 5):
        self.tmn_code = tmn_code
        self.secret = secret
        self.ipn_url = ipn_url
        self.retries = retries
        self.orders: dict[str, dict] = {}  # txn_ref -> the merchant's signed order parameters
        self.sent: dict[str, dict] = {}  # txn_ref -> last IPN parameters sent
        self.log: list[dict] = []
        self.lock = threading.Lock()

    # --- protocol ---------------------------------------------------------------------------

    def check_order(self, params: dict) -> str | None:
        """None if the order is acceptable, else a Vietnamese reason."""
        if not vp.verify(params, self.secret):
            return "Sai chữ ký (vnp_SecureHash) — mã lỗi 97."
        if params.get("vnp_TmnCode") != self.tmn_code:
            return "Mã website (vnp_TmnCode) không đúng."
        required = (
            "vnp_Version vnp_Command vnp_Amount vnp_CurrCode vnp_TxnRef vnp_OrderInfo vnp_OrderType "
            "vnp_Locale vnp_ReturnUrl vnp_IpAddr vnp_CreateDate"
        ).split()
        missing = [k for k in required if not params.get(k)]
        if missing:
            return "Thiếu tham số: " + ", ".join(missing)
        if params["vnp_Version"] != vp.VERSION or params["vnp_Command"] != "pay":
            return "Phiên bản hoặc lệnh không được hỗ trợ."
        if not (params["vnp_Amount"].isascii() and params["vnp_Amount"].isdigit()):
            return "Số tiền không hợp lệ."
        return None

    def expired(self, params: dict) -> bool:
        expiry = vp.parse_date(params.get("vnp_ExpireDate", ""))
        return expiry is not None and dt.datetime.now(vp.VN_TZ) > expiry

    def result_params(self, order: dict, *, code: str, bank: str = "NCB", amount=None, forge=False) -> dict:
        success = code == vp.RESPONSE_SUCCESS
        params = {
            "vnp_Amount": str(amount if amount is not None else order["vnp_Amount"]),
            "vnp_BankCode": bank,
            "vnp_BankTranNo": f"VNP{random.randint(10**7, 10**8 - 1)}" if success else "",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": order["vnp_OrderInfo"],
            "vnp_PayDate": vp.format_date(dt.datetime.now(vp.VN_TZ)),
            "vnp_ResponseCode": code,
            "vnp_TmnCode": order["vnp_TmnCode"],
            "vnp_TransactionNo": str(random.randint(10**7, 10**8 - 1)) if success else "0",
            "vnp_TransactionStatus": vp.TRANSACTION_SUCCESS if success else vp.TRANSACTION_FAILED,
            "vnp_TxnRef": order["vnp_TxnRef"],
        }
        params = {k: v for k, v in params.items() if v != ""}
        params["vnp_SecureHash"] = vp.sign(params, "forged-" + self.secret if forge else self.secret)
        return params

    def notify(self, params: dict) -> dict:
        """Call the merchant's IPN URL (GET, signed params), retrying until it answers with a RspCode."""
        url = f"{self.ipn_url}{'&' if '?' in self.ipn_url else '?'}{urlencode(params)}"
        answer: dict = {"RspCode": None, "Message": "no answer"}
        for attempt in range(1, self.retries + 1):
            try:
                with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 — configured URL
                    answer = json.loads(response.read().decode() or "{}")
            except (urllib.error.URLError, OSError, ValueError) as exc:
                answer = {"RspCode": None, "Message": f"attempt {attempt}: {exc}"}
            if answer.get("RspCode"):
                break
            time.sleep(min(0.2 * 2**attempt, 3))
        with self.lock:
            self.sent[params["vnp_TxnRef"]] = params
            self.log.append({"txn_ref": params["vnp_TxnRef"], "params": params, "answer": answer})
        return answer

    # --- WSGI -------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        form = {}
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = dict(parse_qsl(environ["wsgi.input"].read(length).decode(), keep_blank_values=True))
        try:
            if path == "/paymentv2/vpcpay.html" and method == "GET":
                return self.payment_page(query, start_response)
            if path == "/paymentv2/confirm" and method == "POST":
                return self.confirm(form, start_response)
            if path == "/_sandbox/notify" and method == "POST":
                return self.test_notify(form, start_response)
            if path == "/_sandbox/replay" and method == "POST":
                params = self.sent.get(form.get("txn_ref", ""))
                if params is None:
                    return self.json(start_response, {"error": "unknown txn_ref"}, "404 Not Found")
                return self.json(start_response, self.notify(params))
            if path == "/_sandbox/log":
                return self.json(start_response, self.log)
            if path == "/sandbox.css":
                start_response("200 OK", [("Content-Type", "text/css; charset=utf-8")])
                return [CSS.encode()]
            if path == "/healthz":
                return self.json(start_response, {"ok": True})
        except Exception as exc:  # a sandbox must answer, never hang
            return self.page(
                start_response, "Lỗi", f"<p>{html.escape(str(exc))}</p>", "500 Internal Server Error"
            )
        return self.page(
            start_response, "Không tìm thấy trang", "<p>Địa chỉ không tồn tại.</p>", "404 Not Found"
        )

    def json(self, start_response, data, status="200 OK"):
        body = json.dumps(data, ensure_ascii=False).encode()
        start_response(status, [("Content-Type", "application/json; charset=utf-8")])
        return [body]

    def page(self, start_response, title, body, status="200 OK"):
        start_response(
            status,
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Security-Policy", "default-src 'none'; style-src 'self'"),
            ],
        )
        return [PAGE.format(title=html.escape(title), body=body).encode()]

    def redirect(self, start_response, url):
        start_response("302 Found", [("Location", url), ("Content-Type", "text/plain")])
        return [b""]

    def payment_page(self, params, start_response):
        problem = self.check_order(params)
        if problem:
            return self.page(
                start_response,
                "Giao dịch không hợp lệ",
                f'<div class="box error" role="alert"><p>{html.escape(problem)}</p></div>',
                "400 Bad Request",
            )
        with self.lock:
            self.orders[params["vnp_TxnRef"]] = params
        e = html.escape
        amount = int(params["vnp_Amount"]) // 100
        state = e(urlencode(params))
        if self.expired(params):
            body = (
                '<div class="box error" role="alert"><p>Giao dịch đã quá thời gian chờ thanh toán.</p></div>'
                f'<form method="post" action="/paymentv2/confirm"><input type="hidden" name="order" value="{state}">'
                '<button type="submit" name="action" value="expired" class="cancel">Quay lại đơn vị</button></form>'
            )
            return self.page(start_response, "Hết thời gian thanh toán", body)
        options = "".join(f'<option value="{code}">{e(name)}</option>' for code, name in BANKS)
        body = f"""
<div class="box"><dl>
<dt>Đơn vị</dt><dd>{e(params["vnp_TmnCode"])}</dd>
<dt>Mã giao dịch</dt><dd>{e(params["vnp_TxnRef"])}</dd>
<dt>Nội dung</dt><dd>{e(params["vnp_OrderInfo"])}</dd>
<dt>Số tiền</dt><dd><strong>{amount:,} ₫</strong></dd>
</dl></div>
<form method="post" action="/paymentv2/confirm" class="box">
<input type="hidden" name="order" value="{state}">
<label for="bank">Ngân hàng thanh toán</label>
<select id="bank" name="bank">{options}</select>
<div><button type="submit" name="action" value="pay" class="pay">Thanh toán</button>
<button type="submit" name="action" value="cancel" class="cancel">Hủy giao dịch</button></div>
</form>"""
        return self.page(start_response, "Thanh toán trực tuyến", body)

    def confirm(self, form, start_response):
        order = dict(parse_qsl(form.get("order", ""), keep_blank_values=True))
        problem = self.check_order(order)
        if problem:
            return self.page(
                start_response, "Giao dịch không hợp lệ", f"<p>{html.escape(problem)}</p>", "400 Bad Request"
            )
        action = form.get("action")
        if action == "pay" and not self.expired(order):
            code = vp.RESPONSE_SUCCESS
        elif action in ("pay", "expired"):
            code = vp.RESPONSE_EXPIRED
        else:
            code = vp.RESPONSE_CANCELLED
        bank = form.get("bank", "NCB") if form.get("bank") in dict(BANKS) else "NCB"
        result = self.result_params(order, code=code, bank=bank)
        self.notify(result)
        sep = "&" if "?" in order["vnp_ReturnUrl"] else "?"
        return self.redirect(start_response, f"{order['vnp_ReturnUrl']}{sep}{urlencode(result)}")

    def test_notify(self, form, start_response):
        order = self.orders.get(form.get("txn_ref", ""))
        if order is None:
            return self.json(start_response, {"error": "unknown txn_ref"}, "404 Not Found")
        amount = form.get("amount") or None
        params = self.result_params(
            order,
            code=form.get("response_code") or vp.RESPONSE_SUCCESS,
            amount=int(amount) if amount else None,
            forge=form.get("forge") == "1",
        )
        return self.json(start_response, self.notify(params))


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 — stdlib signature
        sys.stderr.write("sandbox: " + (format % args) + "\n")


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(*, host: str, port: int, tmn_code: str, secret: str, ipn_url: str) -> None:
    app = Sandbox(tmn_code=tmn_code, secret=secret, ipn_url=ipn_url)
    with make_server(
        host, port, app, server_class=ThreadingWSGIServer, handler_class=_QuietHandler
    ) as server:
        print(
            f"Cổng thanh toán thử nghiệm: http://{host}:{port}/paymentv2/vpcpay.html (IPN → {ipn_url})",
            flush=True,
        )
        server.serve_forever()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="VNPAY 2.1.0 sandbox gateway")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--tmn-code", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--ipn-url", required=True)
    args = parser.parse_args(argv)
    serve(host=args.host, port=args.port, tmn_code=args.tmn_code, secret=args.secret, ipn_url=args.ipn_url)


if __name__ == "__main__":
    main()
