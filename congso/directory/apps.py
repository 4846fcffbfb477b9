from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class DirectoryConfig(AppConfig):
    name = "congso.directory"
    label = "directory"
    verbose_name = _("Danh bạ cơ quan")

    def ready(self):
        workspace_links.register("directory", "congso.directory.navigation.workspace_entries")
