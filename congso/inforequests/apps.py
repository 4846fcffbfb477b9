from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.core.navigation import AccountLink, account_links, workspace_links


def _is_citizen(user) -> bool:
    """The account menu's link: citizens (an official files as a citizen from a citizen account)."""
    return getattr(user, "kind", "") == "citizen"


class InfoRequestsConfig(AppConfig):
    name = "congso.inforequests"
    label = "inforequests"
    verbose_name = _("Tiếp cận thông tin")

    def ready(self):
        workspace_links.register("inforequests", "congso.inforequests.navigation.workspace_entries")
        account_links.register(
            "inforequests",
            AccountLink(_("Yêu cầu cung cấp thông tin của tôi"), "inforequests:mine", _is_citizen),
        )
