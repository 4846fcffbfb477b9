"""`congso feedback`: escalate reports due soon or overdue, send the pending notices, issue an Open311 key.

congso feedback escalate            # alert the leaders of the level above (run every hour by the scheduler)
congso feedback notices             # e-mail the notices waiting in the outbox
congso feedback api-key "Tên ứng dụng" --by quantri.hethong
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from congso.core.errors import ServiceError
from congso.feedback import services


class Command(BaseCommand):
    help = "Phản ánh, kiến nghị: nhắc hạn, gửi thông báo, cấp khoá Open311. Citizen feedback jobs."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("escalate", help="báo lãnh đạo cấp trên các phản ánh sắp đến hạn, quá hạn")
        sub.add_parser("notices", help="gửi các thông báo đang chờ")
        key = sub.add_parser("api-key", help="cấp khoá API Open311 cho một ứng dụng")
        key.add_argument("name")
        key.add_argument("--by", required=True, help="tài khoản quản trị cấp khoá")

    def handle(self, *args, action, **options):
        if action == "escalate":
            done = services.escalate()
            for code, level in done:
                self.stdout.write(f"{code}\t{level}")
            self.stdout.write(f"Đã nhắc {len(done)} phản ánh.")
        elif action == "notices":
            self.stdout.write(f"Đã gửi {services.send_pending_notices()} thông báo.")
        else:
            admin = get_user_model().objects.filter(username=options["by"]).first()
            try:
                _key, raw = services.issue_api_key(actor=admin, name=options["name"])
            except (ServiceError, Exception) as exc:  # noqa: BLE001 - PermissionDenied or a ServiceError
                raise CommandError(getattr(exc, "message", None) or str(exc)) from None
            self.stdout.write(raw)
