"""Reads of dossiers that the pages and the API share."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from congso.core.permissions import can

from .models import OPEN_STATUSES, Attachment, ClockPause, Dossier, FinancialObligation, Result


def sees_dossier_of(user, citizen) -> bool:
    """``user`` may see a dossier whose applicant (or whose assisted filer) is ``citizen``: the link
    that lets an official open the citizen's profile (accounts.hooks.citizen_links)."""
    candidates = (
        Dossier.objects.select_related("receiving_agency", "current_agency")
        .filter(Q(applicant=citizen) | Q(assisted_by=citizen))
        .order_by("-pk")[:200]
    )
    return any(can(user, "dossiers.view", d) for d in candidates)


def visible_dossier(user, code: str) -> Dossier | None:
    """The dossier with this code if ``user`` may see it (``dossiers.view``), with what its page and
    its API answer read; None otherwise — whether it does not exist or is not theirs to see, so callers
    answer both alike (the page 404, the API 404 "Không tìm thấy hồ sơ.") and codes cannot be probed."""
    d = (
        Dossier.objects.select_related(
            "procedure_version__procedure",
            "receiving_agency__unit",
            "current_agency",
            "current_step",
            "assignee",
            "assisted_by",
        )
        .filter(code=code)
        .first()
    )
    if d is None or not can(user, "dossiers.view", d):
        return None
    return d


def initials(name: str) -> str:
    """A name reduced to its initials ("Nguyễn Văn An" → "N. V. A."): what the operations centre sees."""
    return " ".join(f"{part[0].upper()}." for part in (name or "").split() if part[:1].isalpha())


def sees_personal_data(user, dossier: Dossier) -> bool:
    """``user`` may see the applicant's personal data, declared data and files of ``dossier`` (rule
    ``dossiers.view_personal_data``); otherwise pages and the API show it masked (``masked``)."""
    return can(user, "dossiers.view_personal_data", dossier)


# What is hidden from someone who may see a dossier but not its personal data (the operations centre):
# the applicant's identity but their initials, the declared data, every file, and the free-text notes
# of the timeline (they often name people); codes, states, steps and dates stay.
MASKED_APPLICANT = {
    "applicant_id_number": "",
    "applicant_phone": "",
    "applicant_email": "",
    "applicant_address": "",
    "on_behalf_of": "",
}


def masked(d: Dossier) -> Dossier:
    """``d`` with its personal data masked, for display only (never saved: the instance is marked)."""
    d.applicant_name = initials(d.applicant_name)
    for field, value in MASKED_APPLICANT.items():
        setattr(d, field, value)
    d.form_data = {}
    d.is_masked = True
    d.save = _never_saved
    return d


def _never_saved(*args, **kwargs):
    raise RuntimeError("a masked dossier is for display only")


def overdue(qs, now):
    """The open dossiers of ``qs`` past their due moment at ``now`` (the inbox's "Quá hạn" box)."""
    return qs.filter(status__in=OPEN_STATUSES, due_at__lt=now)


def due_between(qs, now, until):
    """The open dossiers of ``qs`` due from ``now`` to ``until`` (both included): not overdue yet."""
    return qs.filter(status__in=OPEN_STATUSES, due_at__gte=now, due_at__lte=until)


def fact_inputs(dossier_ids) -> dict[int, dict]:
    """What the scorecard's facts need of each dossier beyond its own row, in one query for any number
    of dossiers: {id: {"components": bool, "supplements": int, "result": bool, "fees": int, "paid": int,
    "paid_online": int}} — ``components`` whether any of its papers is a stored file (digitised),
    ``supplements`` how many times it was asked for one, ``result`` whether an electronic result was
    issued, ``fees`` the fees asked, ``paid`` those paid and ``paid_online`` those paid through a gateway."""
    ids = list(dossier_ids)
    if not ids:
        return {}

    def count(model, **filters):
        return Coalesce(
            Subquery(
                model.objects.filter(dossier=OuterRef("pk"), **filters)
                .order_by()
                .values("dossier")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        )

    keys = ("components", "supplements", "result", "fees", "paid", "paid_online")
    names = [f"fact_{k}" for k in keys]  # ``result`` is a relation of the dossier: prefixed
    rows = (
        Dossier.objects.filter(pk__in=ids)
        .order_by()
        .annotate(
            fact_components=Exists(
                Attachment.objects.filter(dossier=OuterRef("pk"), purpose=Attachment.Purpose.COMPONENT)
            ),
            fact_supplements=count(ClockPause, reason="supplement"),
            fact_result=Exists(Result.objects.filter(dossier=OuterRef("pk"))),
            fact_fees=count(FinancialObligation),
            fact_paid=count(FinancialObligation, paid_at__isnull=False),
            fact_paid_online=count(
                FinancialObligation, paid_at__isnull=False, payment_channel__startswith="gateway:"
            ),
        )
        .values_list("pk", *names)
    )
    return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in rows}
