from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class CalendarConfig(AppConfig):
    name = "congso.calendar"
    label = "calendar"
    verbose_name = _("Lịch làm việc")

    def ready(self):
        # local import: the cache imports models, which the app registry loads only after this module
        from . import cache

        cache.connect_signals()
        workspace_links.register("calendar", "congso.calendar.navigation.workspace_entries")
