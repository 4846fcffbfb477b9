from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class VotingConfig(AppConfig):
    name = "congso.voting"
    label = "voting"
    verbose_name = _("Biểu quyết, lấy ý kiến")

    def ready(self):
        workspace_links.register("voting", "congso.voting.navigation.workspace_entries")
