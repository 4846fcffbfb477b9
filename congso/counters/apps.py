from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountersConfig(AppConfig):
    name = "congso.counters"
    label = "counters"
    verbose_name = _("Hệ thống xếp hàng lấy số")
