from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links
from congso.scorecard.hooks import tiles


class FeedbackConfig(AppConfig):
    name = "congso.feedback"
    label = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self):
        # the indicators read the models: loaded once the app registry is ready (scorecard items HL1, HL2)
        import_module(f"{self.name}.indicators").register()
        import_module(f"{self.name}.tiles").register(tiles)  # the operations centre's tile (ADR 0170)
        workspace_links.register("feedback", "congso.feedback.navigation.workspace_entries")
