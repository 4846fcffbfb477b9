from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import workspace_links
from congso.voting import hooks as voting_hooks
from congso.workcalendars.hooks import calendar_sources


class MeetingsConfig(AppConfig):
    name = "congso.meetings"
    label = "meetings"
    verbose_name = _("Họp không giấy")

    def ready(self):
        workspace_links.register("meetings", "congso.meetings.navigation.workspace_entries")
        # the indicators read the models: loaded once the app registry is ready (scorecard, ADR 0148)
        import_module(f"{self.name}.indicators").register()
        # the services read the models: loaded once the app registry is ready
        services = import_module(f"{self.name}.services")
        voting_hooks.voter_check.register(services.SUBJECT, services.voter_for)
        voting_hooks.viewer_check.register(services.SUBJECT, services.may_follow)
        calendar_sources.register("meetings", "congso.meetings.selectors.calendar_entries")
