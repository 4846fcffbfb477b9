from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links
from congso.exchange import hooks as exchange_hooks
from congso.scorecard.hooks import tiles


class DocumentsConfig(AppConfig):
    name = "congso.documents"
    label = "documents"
    verbose_name = _("Quản lý văn bản và điều hành")

    def ready(self):
        # the indicators read the models: loaded once the app registry is ready (scorecard, ADR 0148)
        import_module(f"{self.name}.indicators").register()
        import_module(f"{self.name}.tiles").register(tiles)  # the operations centre's tile (ADR 0170)
        workspace_links.register("documents", "congso.documents.navigation.workspace_entries")
        # local import: ready() wires the exchange's hooks once the app registry is loaded
        from . import exchange_seam

        exchange_hooks.packet_received.subscribe(exchange_seam.on_packet_received)
        exchange_hooks.status_received.subscribe(exchange_seam.on_status_received)
