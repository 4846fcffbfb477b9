"""django-oauth-toolkit's validator, with the bearer-token lookup every API request makes compiled once.

``OAUTH2_PROVIDER["OAUTH2_VALIDATOR_CLASS"]`` points here. Only ``_load_access_token`` changes: the same
query as the toolkit's (the token's SHA-256 checksum, with its application and user), run as SQL the
ORM compiled once (``congso.core.compiled``, ADR 0078). Every check after it — expiry, revocation,
scopes, resource audience, application usable — is the toolkit's own.
"""

import hashlib

from django.contrib.auth import get_user_model
from oauth2_provider.models import get_access_token_model, get_application_model
from oauth2_provider.oauth2_validators import OAuth2Validator

from congso.core.compiled import CompiledQuery, fields_of, from_row

AccessToken = get_access_token_model()
Application = get_application_model()
User = get_user_model()

_TOKEN = CompiledQuery(
    lambda checksum: (
        AccessToken.objects.filter(token_checksum=checksum)
        .order_by("pk")
        .values_list(
            *fields_of(AccessToken), *fields_of(Application, "application__"), *fields_of(User, "user__")
        )[:1]
    ),
    model=AccessToken,
)


class Validator(OAuth2Validator):
    def _load_access_token(self, token):
        rows = _TOKEN.rows(hashlib.sha256(token.encode("utf-8")).hexdigest())
        if not rows:
            return None
        return from_row(AccessToken, rows[0], [("application", Application), ("user", User)])
