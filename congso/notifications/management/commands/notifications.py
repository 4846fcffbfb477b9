"""``congso notifications retry``: send again the notices that are due, for deployments without a scheduler.

Run it from cron every few minutes. ``--inline`` sends them in this process instead of enqueuing jobs.
"""

from django.core.management.base import BaseCommand

from congso.notifications import services


class Command(BaseCommand):
    help = "Notification outbox: `retry` re-enqueues failed notices whose time has come and lost jobs."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        retry = sub.add_parser("retry", help="re-enqueue (or --inline: send) the notices that are due")
        retry.add_argument("--inline", action="store_true", help="send now in this process")
        retry.add_argument("--limit", type=int, default=500)

    def handle(self, *args, action, **options):
        if action == "retry":
            n = services.retry_due(inline=options["inline"], limit=options["limit"])
            verb = "sent" if options["inline"] else "enqueued"
            self.stdout.write(f"{n} notification(s) {verb}.")
