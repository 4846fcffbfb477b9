"""API access tokens issued by an operator, for tests, CI and the fuzzing campaign (issue 15).

``congso api_token USER --scope read --scope write`` issues a django-oauth-toolkit access token for
``USER`` under the application ``TEST_APPLICATION`` (created once, client credentials, no secret
handed out), so a client calls the API as that user with ``Authorization: Bearer <token>``. The same
permission rules apply as for the user's own session (``core.api_auth``). Each issue is audited. In
production it is refused unless the operator says so explicitly (``allow_production``).
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import get_access_token_model, get_application_model

from congso.core import audit
from congso.core.errors import Forbidden, InvalidFields, NotFound

AccessToken = get_access_token_model()
Application = get_application_model()
User = get_user_model()

TEST_APPLICATION = "congso — mã truy cập cấp bằng lệnh (kiểm thử, CI)"
MAX_HOURS = 24 * 30


@dataclass(frozen=True)
class IssuedToken:
    token: str
    username: str
    scopes: tuple[str, ...]
    expires: datetime.datetime


def known_scopes() -> tuple[str, ...]:
    return tuple(settings.OAUTH2_PROVIDER["SCOPES"])


def issue_token(
    username: str, scopes: list[str] | tuple[str, ...], *, hours: int = 8, allow_production: bool = False
) -> IssuedToken:
    """Issue an access token acting as ``username`` with ``scopes`` for ``hours``; audited."""
    if settings.PRODUCTION and not allow_production:
        raise Forbidden(
            _(
                "Không cấp mã truy cập bằng lệnh khi CONGSO_ENV=production, trừ khi chỉ rõ --allow-production."
            ),
            code="production",
        )
    scopes = tuple(dict.fromkeys(scopes or ("read",)))
    errors = {}
    unknown = [s for s in scopes if s not in known_scopes()]
    if unknown:
        errors["scope"] = [
            _("Phạm vi không hợp lệ: %(unknown)s. Các phạm vi có: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(known_scopes())}
        ]
    if not 1 <= hours <= MAX_HOURS:
        errors["hours"] = [_("Thời hạn phải từ 1 đến %(max)d giờ.") % {"max": MAX_HOURS}]
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            raise NotFound(_("Không có tài khoản %(username)s.") % {"username": username}, field="username")
        if not user.is_active:
            raise Forbidden(
                _("Tài khoản %(username)s đã bị khóa.") % {"username": username}, field="username"
            )
        application, _created = Application.objects.get_or_create(
            name=TEST_APPLICATION,
            defaults={
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
            },
        )
        token = secrets.token_urlsafe(32)
        expires = timezone.now() + datetime.timedelta(hours=hours)
        access = AccessToken.objects.create(
            user=user, application=application, token=token, scope=" ".join(scopes), expires=expires
        )
        audit.record(
            "accounts.api_token_issued",
            obj=user,
            data={"scopes": list(scopes), "expires": expires.isoformat(), "token_id": access.pk},
        )
    return IssuedToken(token=token, username=username, scopes=scopes, expires=expires)
