"""`congso directory load-units`: load or refresh the administrative units."""

from django.core.management.base import BaseCommand

from congso.directory.units import load_units


class Command(BaseCommand):
    help = "Danh bạ cơ quan: nạp đơn vị hành chính. Directory tools (load-units)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "load-units",
            help="nạp hoặc cập nhật 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu (chạy lại an toàn)",
        )

    def handle(self, *args, action, **options):
        if action == "load-units":
            result = load_units()
            self.stdout.write(self.style.SUCCESS(f"Đơn vị hành chính: {result}."))
