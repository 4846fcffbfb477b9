from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links
from congso.dossiers.hooks import dossier_changed, result_issued
from congso.ratings.hooks import rating_given

from . import onestop
from .hooks import indicators, tiles


class ScorecardConfig(AppConfig):
    name = "congso.scorecard"
    label = "scorecard"
    verbose_name = _("Chỉ số phục vụ, bảng điểm")

    def ready(self):
        # local import: ready() wires the hooks once the app registry is loaded (facts, sources use models)
        from . import dashboard, facts, inforequests, sources

        onestop.register(indicators)
        inforequests.register()  # a lower app's indicator, registered from this side (layers)
        dashboard.register(tiles)
        sources.offer_all()  # every indicator is an evaluations metric source (scorecard.<key>)
        dossier_changed.subscribe(facts.on_dossier_changed)
        result_issued.subscribe(facts.on_result_issued)
        rating_given.subscribe(facts.on_rating_given)
        workspace_links.register("scorecard", "congso.scorecard.navigation.workspace_entries")
