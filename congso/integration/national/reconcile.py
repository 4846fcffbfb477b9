"""Reconciliation with the National Public Service Portal (ADR 0168): ``congso integration reconcile``
and the button on /tich-hop/doi-soat/.

Compares the national status of the most recent local dossiers with the portal's record, lists what
differs (unknown to the portal, or another status) and sends each differing dossier's current state
again, as a new event for the national subscriber only, in the dossier's stream (so after anything
still queued for it). Dossiers with a delivery to the portal still queued or dead are counted as in
flight and left alone: the outbox (or a replay of the dead letter) settles them."""

from __future__ import annotations

import urllib3
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.errors import ServiceError
from congso.core.permissions import require
from congso.dossiers.models import Dossier

from ..models import Delivery, ReconcileRun
from ..outbox import publish
from ..services import FORBIDDEN
from . import adapter, messages
from .inbound import national_subscriber

BATCH = 500


def window() -> int:
    return int(getattr(settings, "CONGSO_NATIONAL_RECONCILE_LIMIT", 5000))


def state_payload(dossier: Dossier) -> dict:
    """The dossier's current state as a status event's payload (what ``publishers`` writes)."""
    return {
        "dossier": dossier.code,
        "action": "reconcile",
        "from_status": None,
        "to_status": dossier.status,
        "national_status": messages.national_status(dossier.status),
        "agency": dossier.current_agency.code if dossier.current_agency_id else None,
        "receiving_agency": dossier.receiving_agency.code,
        "at": timezone.now(),
        "due_at": dossier.due_at,
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "finished_at": dossier.finished_at,
        "channel": dossier.channel,
        "procedure": dossier.procedure_version.procedure.code,
    }


def reconcile(actor=None, *, limit: int | None = None, resend: bool = True) -> ReconcileRun:
    """One run: compare, list the differences, send them again. ``actor`` None: the scheduled job."""
    if actor is not None:
        require(actor, "integration.manage", message=str(FORBIDDEN))
    subscriber = national_subscriber()
    if subscriber is None:
        raise ServiceError(_("Chưa kết nối với Cổng Dịch vụ công quốc gia."), code="not_connected")
    run = ReconcileRun(started_at=timezone.now(), started_by=actor if getattr(actor, "pk", None) else None)
    local = list(Dossier.objects.order_by("-id").values_list("code", "status")[: limit or window()])
    waiting = set(
        Delivery.objects.filter(subscriber=subscriber)
        .exclude(status=Delivery.Status.DELIVERED)
        .filter(stream__in=[f"dossier:{code}" for code, _s in local])
        .values_list("stream", flat=True)
    )
    differences = []
    try:
        for start in range(0, len(local), BATCH):
            batch = local[start : start + BATCH]
            remote = adapter.statuses(subscriber, [code for code, _s in batch])
            for code, status in batch:
                if f"dossier:{code}" in waiting:
                    run.in_flight += 1
                    continue
                run.checked += 1
                ours = messages.national_status(status)
                theirs = remote.get(code)
                if theirs is None:
                    differences.append({"code": code, "local": ours, "national": None, "kind": "missing"})
                elif theirs.get("status") != ours:
                    differences.append(
                        {"code": code, "local": ours, "national": theirs.get("status"), "kind": "status"}
                    )
    except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
        run.error = _("Cổng quốc gia không trả lời được: %(error)s") % {"error": str(exc)[:300]}
    with transaction.atomic():
        if resend and not run.error and differences:
            rows = (
                Dossier.objects.filter(code__in=[d["code"] for d in differences])
                .select_related("procedure_version__procedure", "receiving_agency", "current_agency")
                .order_by("id")
            )
            for dossier in rows:
                publish(
                    "dossier.status_changed",
                    "dossier",
                    dossier.code,
                    state_payload(dossier),
                    only_subscriber=subscriber.pk,
                )
                run.resent += 1
        run.differing = len(differences)
        run.differences = differences[:1000]
        run.finished_at = timezone.now()
        run.save()
        audit.record(
            "integration.national.reconcile",
            obj=run,
            actor=actor,
            data={
                "checked": run.checked,
                "differing": run.differing,
                "resent": run.resent,
                "in_flight": run.in_flight,
                "error": run.error,
            },
        )
    return run
