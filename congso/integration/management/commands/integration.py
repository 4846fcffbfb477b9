"""``congso integration …``: the outbox's workers and the National Public Service Portal sync.

- ``worker``: deliver outbox events to subscribers (ADR 0154). Run two or more (systemd units,
  containers): they share the work through leases. ``--burst`` stops when nothing is due (cron, tests).
  SIGTERM/SIGINT end the current round, then the worker.
- ``national --url … [--secret …]``: connect to the national portal (or its sandbox) (ADR 0168).
- ``reconcile``: compare the dossiers' statuses with the national portal's, list and resend what differs.
- ``sandbox``: run the local sandbox of the national portal, with fault injection.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from congso.core.errors import ServiceError
from congso.integration import worker
from congso.integration.national import connection, reconcile, sandbox


class Command(BaseCommand):
    help = "Integration platform: outbox workers, National Public Service Portal sync and sandbox."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("worker", help="deliver outbox events (in order per aggregate, at least once)")
        run.add_argument("--burst", action="store_true", help="stop when nothing is due")
        run.add_argument("--batch", type=int, default=200, help="stream heads leased per round")
        run.add_argument("--threads", type=int, default=4, help="streams sent in parallel")
        run.add_argument("--idle", type=float, default=0.5, help="seconds to wait when nothing is due")
        run.add_argument("--name", default="", help="worker name in the delivery log (default host:pid)")

        national = sub.add_parser("national", help="connect to the National Public Service Portal")
        national.add_argument("--url", required=True, help="the portal's (or the sandbox's) base URL")
        national.add_argument("--secret", default="", help="the shared HMAC secret (empty: keep / generate)")

        rec = sub.add_parser("reconcile", help="compare with the national portal and resend differences")
        rec.add_argument("--limit", type=int, default=None, help="most recent dossiers compared")
        rec.add_argument("--dry-run", action="store_true", help="list the differences, resend nothing")

        box = sub.add_parser("sandbox", help="run the national portal sandbox (with fault injection)")
        box.add_argument("--host", default="127.0.0.1")
        box.add_argument("--port", type=int, default=settings.CONGSO_NATIONAL_SANDBOX_PORT)
        box.add_argument("--secret", default="", help="shared secret (default: the national subscriber's)")
        box.add_argument(
            "--inbound-url",
            default="",
            help="where dossiers filed in the sandbox are sent (…/api/v1/integration/national/inbound)",
        )
        box.add_argument(
            "--faults", default="", help="e.g. timeout=0.02,error=0.03,duplicate_ack=0.03,out_of_order=0.03"
        )
        box.add_argument("--hang", type=float, default=2.0, help="seconds a timeout fault holds the reply")
        box.add_argument("--seed", type=int, default=None, help="random seed of the fault injection")

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
        elif action == "national":
            try:
                subscriber = connection.connect(None, url=options["url"], secret=options["secret"])
            except ServiceError as exc:
                raise CommandError(str(exc.errors)) from None
            self.stdout.write(f"National portal: {subscriber.url} (subscriber {subscriber.pk}).")
        elif action == "reconcile":
            try:
                run = reconcile.reconcile(None, limit=options["limit"], resend=not options["dry_run"])
            except ServiceError as exc:
                raise CommandError(exc.message) from None
            for d in run.differences:
                self.stdout.write(f"{d['code']}\t{d['kind']}\tlocal={d['local']}\tnational={d['national']}")
            self.stdout.write(
                f"checked {run.checked}, differing {run.differing}, resent {run.resent}, "
                f"in flight {run.in_flight}{'; ' + run.error if run.error else ''}"
            )
            if run.error:
                raise CommandError(run.error)
        elif action == "sandbox":
            secret = options["secret"]
            if not secret:
                subscriber = reconcile.national_subscriber()
                if subscriber is None:
                    raise CommandError("--secret is needed (no national subscriber to take it from)")
                secret = subscriber.secret
            sandbox.serve(
                host=options["host"],
                port=options["port"],
                secret=secret,
                inbound_url=options["inbound_url"],
                faults=options["faults"],
                hang=options["hang"],
                seed=options["seed"],
            )
