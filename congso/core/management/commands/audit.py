"""`congso audit verify`: walk the audit hash chains."""

from django.core.management.base import BaseCommand, CommandError

from congso.core import audit


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của nhật ký kiểm toán. Verify the audit trail."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="đi hết chuỗi băm, báo mục đầu tiên bị phá vỡ")

    def handle(self, *args, action, **options):
        if action == "verify":
            result = audit.verify()
            if not result.ok:
                raise CommandError(
                    f"Nhật ký kiểm toán KHÔNG toàn vẹn: {result.problem}. (audit chain broken at entry #{result.entry_id})"
                )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Nhật ký kiểm toán toàn vẹn: {result.count} mục. (audit chain intact: {result.count} entries)"
                )
            )
