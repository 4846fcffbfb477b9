from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# the lower apps' hooks modules hold no models: importable before the app registry is ready
from congso.catalog import hooks as catalog_hooks
from congso.core.navigation import workspace_links
from congso.documents import hooks as document_hooks
from congso.dossiers import hooks as dossier_hooks
from congso.feedback import hooks as feedback_hooks
from congso.payments import hooks as payment_hooks
from congso.ratings import hooks as rating_hooks
from congso.scorecard.hooks import tiles


class IntegrationConfig(AppConfig):
    name = "congso.integration"
    label = "integration"
    verbose_name = _("Tích hợp, chia sẻ dữ liệu")

    def ready(self):
        # the subscribers use the models: loaded once the app registry is ready
        publishers = import_module(f"{self.name}.publishers")
        dossier_hooks.dossier_changed.subscribe(publishers.dossier_changed)
        dossier_hooks.result_issued.subscribe(publishers.result_issued)
        payment_hooks.payment_recorded.subscribe(publishers.payment_recorded)
        rating_hooks.rating_given.subscribe(publishers.rating_given)
        catalog_hooks.procedure_changed.subscribe(publishers.procedure_changed)
        feedback_hooks.report_changed.subscribe(publishers.feedback_changed)
        document_hooks.document_changed.subscribe(publishers.document_changed)
        import_module(f"{self.name}.tiles").register(tiles)  # the operations centre's tile (ADR 0170)
        workspace_links.register("integration", "congso.integration.navigation.workspace_entries")
