"""`congso voting close-due`: remind members of written polls closing soon, close the polls and ballots
past their deadline (the tally follows each body's rule) and export the signed results still missing.
Run it from cron every few minutes (docs/configuration.md)."""

from django.core.management.base import BaseCommand

from congso.voting import polls


class Command(BaseCommand):
    help = "Biểu quyết, lấy ý kiến: nhắc hạn, kết thúc phiếu quá hạn, xuất kết quả ký số. Voting jobs."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("close-due", help="nhắc hạn, kết thúc phiếu quá hạn, xuất kết quả còn thiếu")

    def handle(self, *args, action, **options):
        done = polls.close_due()
        self.stdout.write(
            f"Đã nhắc {done['reminded']} thành viên, kết thúc {done['closed']} phiếu, "
            f"xuất {done['exported']} kết quả."
        )
