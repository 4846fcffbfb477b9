"""``congso portal purge-drafts``: delete the online-filing drafts whose time ran out, with their files.

Run it daily from cron (README, docs/configuration.md). Each deleted draft has an audit entry
``portal.draft.purge``.
"""

from django.core.management.base import BaseCommand

from congso.portal.services import purge_expired


class Command(BaseCommand):
    help = "Nộp hồ sơ trực tuyến: xoá hồ sơ nháp đã hết hạn và tệp của chúng. Online filing maintenance."
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        purge = sub.add_parser(
            "purge-drafts", help="xoá hồ sơ nháp chưa nộp đã hết hạn lưu và tệp đã tải lên (chạy hằng ngày)"
        )
        purge.add_argument("--batch", type=int, default=200, help="số hồ sơ nháp xoá trong mỗi giao dịch")

    def handle(self, *args, action, **options):
        if action == "purge-drafts":
            count = purge_expired(batch=max(1, options["batch"]))
            self.stdout.write(f"Đã xoá {count} hồ sơ nháp hết hạn. (purged {count} expired drafts)")
