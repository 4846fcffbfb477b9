"""``congso integration worker``: deliver the outbox's events to subscribers (ADR 0154).

Run two or more (systemd units, containers): they share the work through leases. ``--burst`` stops when
nothing is due (cron, tests). SIGTERM/SIGINT end the current round, then the worker.
"""

from django.core.management.base import BaseCommand

from congso.integration import worker


class Command(BaseCommand):
    help = "Integration platform: `worker` delivers outbox events to webhook subscribers."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("worker", help="deliver outbox events (in order per aggregate, at least once)")
        run.add_argument("--burst", action="store_true", help="stop when nothing is due")
        run.add_argument("--batch", type=int, default=200, help="stream heads leased per round")
        run.add_argument("--threads", type=int, default=4, help="streams sent in parallel")
        run.add_argument("--idle", type=float, default=0.5, help="seconds to wait when nothing is due")
        run.add_argument("--name", default="", help="worker name in the delivery log (default host:pid)")

    def handle(self, *args, action, **options):
        if action == "worker":
            n = worker.run(
                worker=options["name"],
                limit=options["batch"],
                threads=options["threads"],
                idle=options["idle"],
                burst=options["burst"],
            )
            self.stdout.write(f"{n} delivery attempt(s).")
