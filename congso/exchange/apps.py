from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class ExchangeConfig(AppConfig):
    name = "congso.exchange"
    label = "exchange"
    verbose_name = _("Liên thông văn bản (edXML)")

    def ready(self):
        workspace_links.register("exchange", "congso.exchange.navigation.workspace_entries")
