"""``congso sites_sync``: every portal's Wagtail groups, permissions and workflow, and every official's
membership of them, from the directory (ADR 0166). Idempotent; run after loading roles in bulk."""

from django.core.management.base import BaseCommand

from congso.sites import editors, services


class Command(BaseCommand):
    help = "Đồng bộ quyền biên tập, duyệt cổng thông tin từ danh bạ cơ quan."

    def handle(self, *args, **options):
        services.ensure_root()
        changed = editors.sync_all()
        self.stdout.write(f"Đã đồng bộ; {changed} tài khoản thay đổi nhóm.")
