from django.conf import settings
from django.utils.functional import SimpleLazyObject

from congso import __version__

from .navigation import main_nav, visible_account_links


def site(request):
    return {
        "portal": settings.CONGSO_SITE,
        "congso_version": __version__,
        "main_nav": main_nav(request),
        # read only where a page asks (the account menu): the links' checks run then
        "account_links": SimpleLazyObject(lambda: visible_account_links(request)),
    }
