"""Payment reconciliation in officials' workspace navigation (core.navigation.workspace_links)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import WorkLink

from .models import Payment
from .services import may_reconcile


def workspace_entries(user) -> list[WorkLink]:
    if not may_reconcile(user):
        return []
    return [WorkLink(_("Đối soát thanh toán"), reverse("payments:reconciliation"), order=50)]


def receipt_links(dossier, user) -> list[tuple[str, str]]:
    """``dossiers.hooks.dossier_links``: the electronic receipt (biên lai điện tử) of each paid fee of
    the dossier, for its applicant (who paid) — the receipt page checks again when opened."""
    if not getattr(user, "is_authenticated", False) or user.pk != dossier.applicant_id:
        return []
    paid = Payment.objects.filter(dossier=dossier, status=Payment.Status.PAID).exclude(receipt_number="")
    return [
        (
            _("Biên lai điện tử số %(number)s") % {"number": payment.receipt_number},
            reverse("payments:receipt", args=[payment.txn_ref]),
        )
        for payment in paid.order_by("paid_at")
    ]
