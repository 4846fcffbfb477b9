"""`congso documents hub`: run the local edXML exchange hub that agencies send documents through.

The hub itself lives in the exchange app (``congso.exchange.hub``; ``congso exchange_hub`` runs the
same one): this is the documents app's entry point named in issue 18, for development and tests."""

from django.conf import settings
from django.core.management.base import BaseCommand

from congso.documents import ocr, services
from congso.exchange import hub


class Command(BaseCommand):
    help = "Văn bản: chạy trục liên thông văn bản thử nghiệm (hub). Documents: run the local exchange hub."
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("hub", help="chạy trục liên thông văn bản edXML cục bộ (phát triển, kiểm thử)")
        run.add_argument("--host", default="127.0.0.1")
        run.add_argument("--port", type=int, default=settings.CONGSO_EXCHANGE_HUB_PORT)
        ocr = sub.add_parser("ocr", help="nhận dạng chữ (OCR) các bản quét đang chờ (pending scans)")
        ocr.add_argument("--limit", type=int, default=None)

    def handle(self, *args, action, **options):
        if action == "ocr":
            if not ocr.available():
                self.stderr.write(
                    "Chưa cài tesseract-ocr, tesseract-ocr-vie, poppler-utils (OCR unavailable)."
                )
                raise SystemExit(1)
            done = 0
            for pk in services.pending_ocr(options["limit"]):
                doc = services.run_ocr(pk)
                if doc is not None:
                    done += 1
                    self.stdout.write(f"{pk}: {doc.ocr_state} ({len(doc.ocr_text)})")
            self.stdout.write(f"Đã nhận dạng {done} văn bản (documents read).")
            return
        if action == "hub":
            self.stdout.write(
                f"Trục liên thông văn bản: http://{options['host']}:{options['port']} (local exchange hub)"
            )
            self.stdout.flush()
            hub.serve(
                host=options["host"],
                port=options["port"],
                max_bytes=settings.CONGSO_EXCHANGE_MAX_PACKET_BYTES,
            )
