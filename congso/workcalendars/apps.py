from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class WorkCalendarsConfig(AppConfig):
    name = "congso.workcalendars"
    label = "workcalendars"
    verbose_name = _("Lịch công tác")

    def ready(self):
        workspace_links.register("workcalendars", "congso.workcalendars.navigation.workspace_entries")
