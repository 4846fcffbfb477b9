from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(sender, using, verbosity=1, **kwargs):
    """``migrate`` leaves a database ready to serve: without Redis the cache (rate limits, the portals'
    page generation) lives in a database table, which ``createcachetable`` makes and ``migrate`` alone
    would not. Idempotent; nothing happens when the cache is Redis."""
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "congso.core"
    label = "core"
    verbose_name = _("Nền tảng dùng chung")

    def ready(self):
        # local import: checks registers the system checks; both need the app registry
        from . import checks, permissions, swappable  # noqa: F401

        permissions.autodiscover()
        swappable.install()
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="congso.core.create_cache_table")
