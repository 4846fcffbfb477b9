from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class RatingsConfig(AppConfig):
    name = "congso.ratings"
    label = "ratings"
    verbose_name = _("Đánh giá mức độ hài lòng")

    def ready(self):
        workspace_links.register("ratings", "congso.ratings.navigation.workspace_entries")
