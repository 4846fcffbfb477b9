from django.conf import settings

from congso import __version__

from .navigation import main_nav


def site(request):
    return {"portal": settings.CONGSO_SITE, "congso_version": __version__, "main_nav": main_nav(request)}
