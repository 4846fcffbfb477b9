from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatastoreConfig(AppConfig):
    name = "congso.datastore"
    label = "datastore"
    verbose_name = _("Kho dữ liệu cá nhân")

    def ready(self):
        # local import: ready() wires the hooks once the app registry is loaded
        from congso.dossiers import hooks as dossier_hooks

        from . import services

        dossier_hooks.result_issued.subscribe(services.keep_issued_result)
