from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class DossiersConfig(AppConfig):
    name = "congso.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ một cửa")

    def ready(self):
        # local import: ready() registers the system checks once the app registry is loaded
        # local import: ready() connects to the hooks once the app registry is loaded
        from congso.accounts.hooks import citizen_links

        from . import checks  # noqa: F401
        from .selectors import sees_dossier_of

        citizen_links.register("dossiers.applicant", sees_dossier_of)
        workspace_links.register("dossiers", "congso.dossiers.navigation.workspace_entries")
