from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class FeedbackConfig(AppConfig):
    name = "congso.feedback"
    label = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self):
        # local import: the indicators read the models (scorecard items HL1, HL2; ADR 0148)
        from . import indicators

        indicators.register()
        workspace_links.register("feedback", "congso.feedback.navigation.workspace_entries")
