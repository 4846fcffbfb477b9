from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links
from congso.directory import hooks as directory_hooks


class CountersConfig(AppConfig):
    name = "congso.counters"
    label = "counters"
    verbose_name = _("Hệ thống xếp hàng lấy số")

    def ready(self):
        workspace_links.register("counters", "congso.counters.navigation.workspace_entries")
        # local import: ready() wires the hooks once the app registry is loaded
        from . import services

        directory_hooks.queue_ticket.provide(services.ticket_for_intake)
