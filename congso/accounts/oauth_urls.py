"""The OAuth 2.0 endpoints congso publishes for API clients (django-oauth-toolkit).

Only the token endpoints: clients are registered by a system administrator in the admin, so
DOT's self-service application pages are deliberately not mounted.
"""

from django.urls import path
from oauth2_provider import views

app_name = "oauth2_provider"

urlpatterns = [
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectTokenView.as_view(), name="introspect"),
]
