"""The OAuth 2.0 endpoints congso publishes for API clients (django-oauth-toolkit).

Only the token endpoints: clients are registered by a system administrator in the admin, so
DOT's self-service application pages are deliberately not mounted.
"""

from django.http import JsonResponse
from django.urls import path
from django.utils.translation import gettext as _
from oauth2_provider import views

from congso.core.ratelimit import retry_minutes

from . import throttle


class TokenView(views.TokenView):
    """The toolkit's token endpoint with the sign-in limit per address (accounts.throttle): failed
    client or grant credentials count, and beyond the limit the answer is 429 with Retry-After."""

    def post(self, request, *args, **kwargs):
        if throttle.login_blocked(request):
            seconds = throttle.FAILED_LOGINS.retry_after()
            response = JsonResponse(
                {
                    "error": "too_many_requests",
                    "error_description": _(
                        "Đã nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút."
                    )
                    % {"minutes": retry_minutes(seconds)},
                },
                status=429,
            )
            response["Retry-After"] = str(seconds)
            return response
        response = super().post(request, *args, **kwargs)
        if response.status_code in (400, 401) and (
            b"invalid_client" in response.content or b"invalid_grant" in response.content
        ):
            throttle.login_failed(request)
        return response


app_name = "oauth2_provider"

urlpatterns = [
    path("token/", TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectTokenView.as_view(), name="introspect"),
]
