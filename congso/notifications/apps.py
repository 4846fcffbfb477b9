from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import AccountLink, account_links, workspace_links


class NotificationsConfig(AppConfig):
    name = "congso.notifications"
    label = "notifications"
    verbose_name = _("Thông báo")

    def ready(self):
        # local import: ready() wires the hooks once the app registry is loaded
        from congso.dossiers import hooks as dossier_hooks

        from . import navigation, services

        dossier_hooks.applicant_event.subscribe(services.notify_applicant_event)
        workspace_links.register("notifications", "congso.notifications.navigation.workspace_entries")
        account_links.register(
            "notifications",
            AccountLink(_("Thông báo của tôi"), "notifications:mine", navigation.shows_my_notices),
        )
