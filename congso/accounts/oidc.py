"""Citizen login through OpenID Connect (a national or provincial identity provider, VNeID-style).

The relying party is mozilla-django-oidc (authorization code flow with PKCE and nonce). This module
adds what a government RP needs on top:
- the ID token's audience, issuer and expiry are checked (the library only checks the signature);
- accounts are linked by (issuer, subject), never by e-mail;
- the CCCD number, when the provider sends one, is format-validated before anything is stored;
- only citizen accounts may sign in this way (officials use password + TOTP);
- any malformed or failed response ends in a clear Vietnamese message and writes nothing.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from congso.core import audit

from .models import CitizenProfile, OidcIdentity, User
from .validators import validate_cccd

logger = logging.getLogger(__name__)


class OidcRefused(Exception):
    """A response we will not accept; the message is shown to the citizen."""


def oidc_enabled() -> bool:
    return bool(
        getattr(settings, "OIDC_RP_CLIENT_ID", "") and getattr(settings, "OIDC_OP_TOKEN_ENDPOINT", "")
    )


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if request is None or not oidc_enabled() or "code" not in request.GET:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except OidcRefused as exc:
            request._congso_oidc_error = str(exc)
        except Exception as exc:  # noqa: BLE001 — any failure of the exchange fails closed
            logger.warning("OIDC login failed: %s: %s", type(exc).__name__, exc)
            request._congso_oidc_error = _(
                "Không xác thực được với nhà cung cấp định danh (phản hồi không hợp lệ hoặc không liên lạc được)."
            )
        return None

    def verify_token(self, token, **kwargs):
        if not token:
            raise SuspiciousOperation("no id_token in the token response")
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("id_token audience mismatch")
        expected_issuer = getattr(settings, "CONGSO_OIDC_ISSUER", "")
        if expected_issuer and payload.get("iss") != expected_issuer:
            raise SuspiciousOperation("id_token issuer mismatch")
        if "exp" not in payload or not payload.get("sub") or not payload.get("iss"):
            raise SuspiciousOperation("id_token lacks exp, sub or iss")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        issuer, subject = payload["iss"], str(payload["sub"])
        claims = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or str(claims.get("sub", "")) != subject:
            raise SuspiciousOperation("userinfo subject differs from the id_token")
        cccd_claim = getattr(settings, "CONGSO_OIDC_CCCD_CLAIM", "cccd")
        cccd = None
        if claims.get(cccd_claim):
            try:
                cccd = validate_cccd(str(claims[cccd_claim]))
            except ValidationError as exc:
                raise OidcRefused(
                    _("Nhà cung cấp định danh gửi số CCCD không hợp lệ: %(reason)s")
                    % {"reason": exc.messages[0]}
                ) from exc
        full_name = str(claims.get("name") or "").strip()[:200]
        email = str(claims.get("email") or "")[:254] if claims.get("email_verified", True) else ""
        phone = str(claims.get("phone_number") or "")[:20]
        with transaction.atomic():
            identity = (
                OidcIdentity.objects.select_for_update()
                .select_related("user")
                .filter(issuer=issuer, subject=subject)
                .first()
            )
            created = identity is None
            if created:
                if cccd and CitizenProfile.objects.filter(cccd=cccd).exists():
                    raise OidcRefused(
                        _(
                            "Số CCCD này đã gắn với một tài khoản khác trên cổng. "
                            "Vui lòng liên hệ bộ phận hỗ trợ để hợp nhất tài khoản."
                        )
                    )
                digest = hashlib.sha256(f"{issuer}|{subject}".encode()).hexdigest()[:24]
                user = User(username=f"oidc-{digest}", kind=User.Kind.CITIZEN)
                user.set_unusable_password()
                user.full_name, user.email, user.phone = full_name, email, phone
                user.save()
                identity = OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
                CitizenProfile.objects.create(user=user, cccd=cccd)
            user = identity.user
            if not user.is_active or user.needs_otp:
                raise OidcRefused(_("Tài khoản này không đăng nhập được bằng định danh điện tử công dân."))
            if not created:
                values = {"full_name": full_name, "email": email, "phone": phone}
                changed = [f for f, v in values.items() if v and getattr(user, f) != v]
                for field in changed:
                    setattr(user, field, values[field])
                if changed:
                    user.save(update_fields=changed)
            identity.last_login_at = timezone.now()
            identity.save(update_fields=["last_login_at"])
            audit.record(
                "accounts.oidc_login",
                obj=user,
                actor=user,
                data={"issuer": issuer, "new_account": created},
            )
        return user


class CitizenOIDCStartView(OIDCAuthenticationRequestView):
    def get(self, request):
        if not oidc_enabled():
            messages.error(request, _("Đăng nhập bằng định danh điện tử chưa được cấu hình trên cổng này."))
            return HttpResponseRedirect(reverse("accounts:login"))
        return super().get(request)


class CitizenOIDCCallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            logger.warning("OIDC callback refused: %s", exc)
            request._congso_oidc_error = _(
                "Phiên đăng nhập với nhà cung cấp định danh không hợp lệ hoặc đã hết hạn. Vui lòng thử lại."
            )
            return self.login_failure()

    def login_failure(self):
        reason = getattr(self.request, "_congso_oidc_error", "") or (
            _("Nhà cung cấp định danh từ chối hoặc huỷ đăng nhập.")
            if self.request.GET.get("error")
            else _("Không đăng nhập được bằng định danh điện tử.")
        )
        messages.error(self.request, reason)
        return HttpResponseRedirect(reverse("accounts:login"))
