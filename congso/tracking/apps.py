from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "congso.tracking"
    label = "tracking"
    verbose_name = _("Theo dõi, tra cứu hồ sơ")

    def ready(self):
        # local import: ready() wires the hooks once the app registry is loaded
        from congso.dossiers import hooks as dossier_hooks
        from congso.signing import hooks as signing_hooks

        from . import services

        dossier_hooks.public_lookup_url.provide(services.public_lookup_url)
        signing_hooks.record_status_url.provide(services.record_status_url)
