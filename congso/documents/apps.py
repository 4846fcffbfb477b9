from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class DocumentsConfig(AppConfig):
    name = "congso.documents"
    label = "documents"
    verbose_name = _("Quản lý văn bản và điều hành")

    def ready(self):
        workspace_links.register("documents", "congso.documents.navigation.workspace_entries")
