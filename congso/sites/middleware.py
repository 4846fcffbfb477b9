"""Before Wagtail's editing interface answers: the official's portal groups are set from the directory, and
the interface speaks Vietnamese unless the editor chose another language in their Wagtail account."""

from django.conf import settings
from django.utils import translation

from . import editors


class CMSAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/cms/"):
            # Wagtail uses the editor's own preference if set, else the active language: Vietnamese here,
            # whatever the browser's Accept-Language or the public site's language switch says.
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                editors.sync_user(user)
        return self.get_response(request)
