"""`congso exchange poll|retry`: fetch packets from the hub for every agency; resend what is due."""

from django.core.management.base import BaseCommand, CommandError

from congso.exchange import services


class Command(BaseCommand):
    help = "Liên thông văn bản: nhận gói tin từ trục; gửi lại gói tin đến hạn. Inter-agency exchange."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        poll = sub.add_parser("poll", help="nhận gói tin đang chờ trên trục cho mọi cơ quan có con dấu số")
        poll.add_argument(
            "--workers",
            type=int,
            default=0,
            help="nhận bằng N tiến trình song song cho đến khi hết gói tin chờ (receive in N processes)",
        )
        poll.add_argument(
            "--seconds",
            type=float,
            default=None,
            help="với --workers: dừng sau chừng này giây (stop after this long, for a periodic job)",
        )
        retry = sub.add_parser("retry", help="gửi lại (hoặc --inline: gửi ngay) các gói tin đến hạn")
        retry.add_argument("--inline", action="store_true")
        retry.add_argument("--limit", type=int, default=500)

    def handle(self, *args, action, **options):
        if action == "poll":
            if options["workers"] < 0:
                raise CommandError("--workers phải từ 0 trở lên.")
            if options["workers"]:
                count = services.receive_in_processes(options["workers"], seconds=options["seconds"])
            else:
                count = services.receive_all()
            self.stdout.write(f"Đã nhận {count} gói tin. (received {count})")
            return
        count = services.retry_due(inline=options["inline"], limit=options["limit"])
        self.stdout.write(f"Đã đưa {count} gói tin vào hàng đợi gửi. (queued {count})")
