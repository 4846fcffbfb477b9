from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class PortalConfig(AppConfig):
    name = "congso.portal"
    label = "portal"
    verbose_name = _("Nộp hồ sơ trực tuyến")

    def ready(self):
        workspace_links.register("portal", "congso.portal.navigation.workspace_entries")
