from django.conf import settings
from django.utils.functional import SimpleLazyObject

from congso import __version__

from .navigation import main_nav


def site(request):
    return {
        "portal": settings.CONGSO_SITE,
        "congso_version": __version__,
        "main_nav": main_nav(request),
        # read only where a page asks (the account menu, for officials): one query then
        "may_manage_calendar": SimpleLazyObject(lambda: _may_manage_calendar(request)),
    }


def _may_manage_calendar(request) -> bool:
    from .calendar import may_manage

    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and may_manage(user, "any"))
