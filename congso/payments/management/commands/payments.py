"""`congso payments expire` closes abandoned payments; `congso payments sandbox` runs the local gateway."""

from django.conf import settings
from django.core.management.base import BaseCommand

from congso.payments import sandbox
from congso.payments.services import expire_stale


def _vnpay_options() -> dict:
    return (getattr(settings, "CONGSO_PAYMENT_PROVIDERS", {}).get("vnpay") or {}).get("OPTIONS", {})


class Command(BaseCommand):
    help = "Thanh toán trực tuyến: hết hạn giao dịch bỏ dở; cổng thanh toán thử nghiệm. Online payments."
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("expire", help="đóng các giao dịch quá hạn chờ thanh toán (chạy định kỳ)")
        sandbox = sub.add_parser("sandbox", help="chạy cổng thanh toán thử nghiệm (giao thức VNPAY 2.1.0)")
        opts = _vnpay_options()
        sandbox.add_argument("--host", default="127.0.0.1")
        sandbox.add_argument("--port", type=int, default=settings.CONGSO_PAYMENT_SANDBOX_PORT)
        sandbox.add_argument("--tmn-code", default=opts.get("tmn_code", ""))
        sandbox.add_argument("--secret", default=opts.get("hash_secret", ""))
        sandbox.add_argument(
            "--ipn-url",
            default=settings.SITE_URL.rstrip("/") + "/thanh-toan/ipn/vnpay/",
            help="IPN URL của congso",
        )

    def handle(self, *args, action, **options):
        if action == "expire":
            count = expire_stale()
            self.stdout.write(f"Đã đóng {count} giao dịch hết hạn. (expired {count} payments)")
            return

        sandbox.serve(
            host=options["host"],
            port=options["port"],
            tmn_code=options["tmn_code"],
            secret=options["secret"],
            ipn_url=options["ipn_url"],
        )
