from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "congso.calendar"
    label = "calendar"
    verbose_name = _("Lịch làm việc")

    def ready(self):
        # local import: these import models, which the app registry loads only after this module
        from congso.core.navigation import AccountLink, account_links

        from . import cache, services

        cache.connect_signals()
        account_links.register(
            "calendar", AccountLink(_("Lịch làm việc"), "calendar:page", services.shows_menu_link)
        )
