from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class MeetingsConfig(AppConfig):
    name = "congso.meetings"
    label = "meetings"
    verbose_name = _("Họp không giấy")

    def ready(self):
        workspace_links.register("meetings", "congso.meetings.navigation.workspace_entries")
