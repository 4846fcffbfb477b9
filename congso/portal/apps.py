from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "congso.portal"
    label = "portal"
    verbose_name = _("Nộp hồ sơ trực tuyến")
