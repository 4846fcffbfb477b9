from importlib import import_module

from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links


class SitesConfig(AppConfig):
    name = "congso.sites"
    label = "sites"
    verbose_name = _("Cổng thông tin điện tử")

    def ready(self):
        # Wagtail's own page log (publish, unpublish, workflow, locks) → congso's audit chain (ADR 0166);
        # loaded once the app registry is ready (it reads Wagtail's models).
        signals = import_module(f"{self.name}.signals")
        log_entry = import_module("wagtail.models").PageLogEntry
        post_save.connect(signals.on_log_entry, sender=log_entry, dispatch_uid="sites.audit")
        for label in (*signals.PLATFORM_MODELS, *signals.RESTRICTION_MODELS):
            model = apps.get_model(label)
            for signal in (post_save, post_delete):
                signal.connect(signals.on_platform_change, sender=model, dispatch_uid=f"sites.cache.{label}")
        home = apps.get_model("sites", "SiteHome")
        post_save.connect(signals.on_home_saved, sender=home, dispatch_uid="sites.translated_home")
        workspace_links.register("sites", "congso.sites.navigation.workspace_entries")
