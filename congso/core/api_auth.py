"""Authentication for the JSON API, reusable by every app's router.

    from congso.core.api_auth import api_auth

    @router.get("/things", auth=api_auth("read"))
    def things(request): user = request.auth  # same as request.user for sessions

Two ways in:
- the browser's session cookie (CSRF-checked for unsafe methods). Officials must have passed TOTP;
- an OAuth 2.0 bearer token from django-oauth-toolkit (`/o/token/`, client credentials), with the
  scopes the endpoint asks for. A client-credentials token acts as the application's owner (a
  service account with its own memberships), so the same permission rules apply.

It lives in core (every app's API uses it) and needs nothing from ``accounts``: the token model and the
TOTP check come from django-oauth-toolkit and django-otp (``user.is_verified()``, set by django-otp's
middleware); ``needs_otp`` is read off whatever user model is installed.
"""

from __future__ import annotations

from ninja.security import HttpBearer
from ninja.security.session import SessionAuth
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import Request


class OfficialSessionAuth(SessionAuth):
    """Django session; officials must also be TOTP-verified in this session."""

    def _get_key(self, request):
        # A request that carries a bearer token, or no session cookie at all, is not a browser session:
        # leave it to the bearer check (CSRF protects cookies, and a cross-site page cannot set headers).
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            return None
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        if key is None:
            return None
        user = request.user
        if not user.is_authenticated:
            return None
        if getattr(user, "needs_otp", False) and not user.is_verified():
            return None
        return user


class OAuth2Bearer(HttpBearer):
    """A django-oauth-toolkit access token carrying the required scopes."""

    def __init__(self, scopes: tuple[str, ...] = ("read",)):
        self.scopes = list(scopes)
        super().__init__()

    def authenticate(self, request, token):
        # What oauthlib's resource endpoint does for a bearer header, minus building its request from
        # the whole HTTP request (which parses the body, e.g. a 400 KB multipart filing, once more):
        # django-oauth-toolkit's own validator checks the token (checksum lookup, expiry, revocation,
        # scopes, resource audience, application usable).
        oauth_request = Request(request.build_absolute_uri(), http_method=request.method)
        validator = oauth2_settings.OAUTH2_VALIDATOR_CLASS()
        if not validator.validate_bearer_token(token, self.scopes, oauth_request):
            return None
        user = oauth_request.user or getattr(oauth_request.client, "user", None)
        if user is None or not user.is_active:
            return None
        request.user = user
        request.oauth_token = oauth_request.access_token
        return user


def api_auth(*scopes: str) -> list:
    """Session (browser) or bearer token with `scopes` (default: read)."""
    return [OfficialSessionAuth(), OAuth2Bearer(scopes or ("read",))]


read_auth = api_auth("read")
write_auth = api_auth("write")
