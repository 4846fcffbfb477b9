from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links
from congso.dossiers.hooks import dossier_links


class PaymentsConfig(AppConfig):
    name = "congso.payments"
    label = "payments"
    verbose_name = _("Thanh toán trực tuyến")

    def ready(self):
        workspace_links.register("payments", "congso.payments.navigation.workspace_entries")
        dossier_links.register("payments.receipts", "congso.payments.navigation.receipt_links")
