from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "congso.core"
    label = "core"
    verbose_name = _("Nền tảng dùng chung")

    def ready(self):
        from . import calendar, checks, permissions  # noqa: F401 — checks registers the system checks

        permissions.autodiscover()
        calendar.connect_signals()
