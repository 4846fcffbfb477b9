from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congso.accounts.hooks import personal_data_read
from congso.core.navigation import AccountLink, account_links, workspace_links


def _is_citizen(user) -> bool:
    return getattr(user, "kind", "") == "citizen"


class SharingConfig(AppConfig):
    name = "congso.sharing"
    label = "sharing"
    verbose_name = _("Chia sẻ dữ liệu")

    def ready(self):
        from . import services  # local import: the models are ready only now

        personal_data_read.subscribe(services.check_read)
        account_links.register(
            "sharing", AccountLink(_("Ai đã đọc dữ liệu của tôi"), "sharing:my_reads", _is_citizen)
        )
        workspace_links.register("sharing", "congso.sharing.navigation.workspace_entries")
