from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class CatalogConfig(AppConfig):
    name = "congso.catalog"
    label = "catalog"
    verbose_name = _("Thủ tục hành chính")

    def ready(self):
        workspace_links.register("catalog", "congso.catalog.navigation.workspace_entries")
