from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "congso.core"
    label = "core"
    verbose_name = _("Nền tảng dùng chung")

    def ready(self):
        # local import: checks registers the system checks; both need the app registry
        from . import checks, permissions, swappable  # noqa: F401

        permissions.autodiscover()
        swappable.install()
