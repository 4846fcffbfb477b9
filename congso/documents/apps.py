from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class DocumentsConfig(AppConfig):
    name = "congso.documents"
    label = "documents"
    verbose_name = _("Quản lý văn bản và điều hành")

    def ready(self):
        # local import: the indicators read the models (scorecard indicators; ADR 0148)
        from . import indicators

        indicators.register()
        workspace_links.register("documents", "congso.documents.navigation.workspace_entries")
