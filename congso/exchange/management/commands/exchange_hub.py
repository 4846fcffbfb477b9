"""`congso exchange_hub`: run the local edXML exchange hub (development and tests; ADR 0153)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from congso.exchange import hub


class Command(BaseCommand):
    help = "Chạy trục liên thông văn bản thử nghiệm (edXML). Local edXML exchange hub."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.CONGSO_EXCHANGE_HUB_PORT)

    def handle(self, *args, **options):
        hub.serve(
            host=options["host"], port=options["port"], max_bytes=settings.CONGSO_EXCHANGE_MAX_PACKET_BYTES
        )
