from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "congso.tracking"
    label = "tracking"
    verbose_name = _("Theo dõi, tra cứu hồ sơ")
