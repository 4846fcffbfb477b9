from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class EvaluationsConfig(AppConfig):
    name = "congso.evaluations"
    label = "evaluations"
    verbose_name = _("Đánh giá, xếp hạng đơn vị")

    def ready(self):
        # The metric sources (hooks.metric_sources) come from the apps above: the scorecard offers each
        # of its indicators as "scorecard.<key>" (congso.scorecard.sources), computed from its facts.
        workspace_links.register("evaluations", "congso.evaluations.navigation.workspace_entries")
