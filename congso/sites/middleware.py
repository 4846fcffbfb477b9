"""Before Wagtail's editing interface answers, the official's portal groups are set from the directory."""

from . import editors


class CMSAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/cms/"):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                editors.sync_user(user)
        return self.get_response(request)
