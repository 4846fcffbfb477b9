"""Issue an API access token for a user (tests, CI, the fuzzing campaign); audited, refused in
production unless --allow-production."""

from django.core.management.base import BaseCommand, CommandError

from congso.accounts.tokens import issue_token, known_scopes
from congso.core.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Cấp mã truy cập API (Bearer) cho một tài khoản, dùng cho kiểm thử và CI. In mã ra đầu ra chuẩn. "
        "Không chạy ở production trừ khi có --allow-production."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            default=None,
            help=f"phạm vi ({', '.join(known_scopes())}); lặp lại để cấp nhiều phạm vi; mặc định read",
        )
        parser.add_argument("--hours", type=int, default=8, help="thời hạn, giờ (mặc định 8)")
        parser.add_argument("--allow-production", action="store_true", help="cho phép chạy khi production")

    def handle(self, *args, username, scopes, hours, allow_production, **options):
        try:
            issued = issue_token(username, scopes or ["read"], hours=hours, allow_production=allow_production)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(issued.token)
        self.stderr.write(
            f"Mã truy cập của {issued.username}, phạm vi {' '.join(issued.scopes)}, "
            f"hết hạn {issued.expires:%Y-%m-%d %H:%M} UTC."
        )
