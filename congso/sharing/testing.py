"""Test and demo helpers: another agency's API client (a service account, an OAuth application with
client credentials, an access token) and an agreement for it."""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from congso.directory.models import Agency

Application = get_application_model()
AccessToken = get_access_token_model()

BHXH_CODE = "000.00.40.H21"
BHXH_NAME = "Bảo hiểm xã hội tỉnh Gia Lai"
BHXH_CLIENT_ID = "bhxh-gia-lai"


def social_insurance(unit=None) -> Agency:
    """The provincial Social Insurance, the agency that reads population data under an agreement."""
    agency, _created = Agency.objects.get_or_create(
        code=BHXH_CODE, defaults={"name": BHXH_NAME, "kind": Agency.Kind.OTHER, "unit": unit}
    )
    return agency


def api_client(client_id: str = BHXH_CLIENT_ID, name: str = "Hệ thống nghiệp vụ BHXH Gia Lai"):
    """An OAuth application with client credentials, acting as its own service account."""
    User = get_user_model()
    service, _created = User.objects.get_or_create(
        username=f"api.{client_id}",
        defaults={"full_name": name, "kind": User.Kind.OFFICIAL},
    )
    application, _created = Application.objects.get_or_create(
        client_id=client_id,
        defaults={
            "name": name,
            "user": service,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
            "client_secret": secrets.token_urlsafe(32),
        },
    )
    return application


def bearer(application, scope: str = "read") -> dict:
    """Headers with a fresh access token of ``application`` (as the token endpoint would issue)."""
    token = AccessToken.objects.create(
        user=application.user,
        application=application,
        token=secrets.token_urlsafe(32),
        expires=timezone.now() + datetime.timedelta(hours=1),
        scope=scope,
    )
    return {"Authorization": f"Bearer {token.token}"}
