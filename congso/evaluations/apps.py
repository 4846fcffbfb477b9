from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links

from .hooks import metric_sources

# The platform metrics this app offers from the apps below it (``metrics.py``), by dotted path.
OWN_SOURCES = {
    "dossiers.on_time_rate": "congso.evaluations.metrics.ON_TIME_RATE",
    "dossiers.online_share": "congso.evaluations.metrics.ONLINE_SHARE",
    "ratings.satisfaction_rate": "congso.evaluations.metrics.SATISFACTION_RATE",
}


class EvaluationsConfig(AppConfig):
    name = "congso.evaluations"
    label = "evaluations"
    verbose_name = _("Đánh giá, xếp hạng đơn vị")

    def ready(self):
        for key, path in OWN_SOURCES.items():
            metric_sources.register(key, path)
        workspace_links.register("evaluations", "congso.evaluations.navigation.workspace_entries")
