from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "congso.signing"
    label = "signing"
    verbose_name = _("Chữ ký số")

    def ready(self):
        from . import fastpath  # local import: pyHanko is loaded once apps are ready

        fastpath.install()
