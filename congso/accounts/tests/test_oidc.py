"""Citizen login through OpenID Connect against a real provider running in the live server.

The provider is django-oauth-toolkit with OIDC enabled, mounted at /idp/ and reached as
http://127.0.0.1:<port>; the relying party (congso) is reached as http://localhost:<port>, so the
two keep separate cookies like two real sites. The RP does the real code exchange over HTTP,
fetches the JWKS, verifies the ID token's signature, audience, issuer and nonce, and calls userinfo.
Nothing in the protocol is mocked.
"""

import re
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.http import JsonResponse
from django.urls import include, path
from jwcrypto import jwk
from oauth2_provider.oauth2_validators import OAuth2Validator

from congso import urls as project_urls
from congso.accounts.models import CitizenProfile, OidcIdentity, User
from congso.core import audit
from congso.core.models import AuditEntry

pytestmark = [pytest.mark.django_db(transaction=True)]

CLIENT_ID = "congso-cong-dvc-gia-lai"
CLIENT_SECRET = "bi-mat-cua-ung-dung-rp-0123456789abcdef"
IDP_PASSWORD = "Mat-khau-VNeID-2026"


def _pem():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


PROVIDER_KEY = _pem()
FORGED = {}


class VNeIDValidator(OAuth2Validator):
    """The test provider's claims: name, e-mail and the citizen's CCCD number."""

    oidc_claim_scope = None

    def get_additional_claims(self, request):
        user = request.user
        return {"name": user.full_name, "email": user.email, "email_verified": True, "cccd": user.phone}


def forged_jwks(request):
    return JsonResponse(FORGED)


urlpatterns = [
    path("idp/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("idp-gia-mao/jwks.json", forged_jwks),
    *project_urls.urlpatterns,
]


@pytest.fixture
def provider(settings, live_server):
    from oauth2_provider.models import Application

    port = urlparse(live_server.url).port
    idp = f"http://127.0.0.1:{port}/idp"
    rp = f"http://localhost:{port}"
    settings.ROOT_URLCONF = __name__
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": PROVIDER_KEY,
        "OIDC_ISS_ENDPOINT": idp,
        "OAUTH2_VALIDATOR_CLASS": f"{__name__}.VNeIDValidator",
        "SCOPES": {
            "openid": "OpenID",
            "profile": "Hồ sơ",
            "email": "Thư điện tử",
            "read": "Đọc",
            "write": "Ghi",
        },
    }
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{idp}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{idp}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{idp}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{idp}/.well-known/jwks.json"
    settings.CONGSO_OIDC_ISSUER = idp
    Application.objects.create(
        name="Cổng DVC Gia Lai (thử nghiệm)",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{rp}/tai-khoan/dinh-danh/callback/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    # The person's account at the identity provider (the provider stores the CCCD in `phone` here).
    User.objects.create_user(
        "vneid.nguyen.thi.hoa",
        password=IDP_PASSWORD,
        full_name="Nguyễn Thị Hoa",
        email="nguyen.thi.hoa@example.vn",
        phone="064302001357",
        kind=User.Kind.SERVICE,
    )
    return {"idp": idp, "rp": rp}


def _csrf_post(session, url, data):
    session.get(url)
    token = session.cookies.get("csrftoken", domain=urlparse(url).hostname) or session.cookies.get(
        "csrftoken"
    )
    return session.post(url, data={**data, "csrfmiddlewaretoken": token}, headers={"Referer": url})


def _sign_in_at_provider(session, provider, username="vneid.nguyen.thi.hoa"):
    response = _csrf_post(
        session,
        f"{provider['idp'].replace('/idp', '')}/tai-khoan/dang-nhap/",
        {"username": username, "password": IDP_PASSWORD, "next": "/"},
    )
    assert response.status_code == 200


def _login_via_oidc(session, provider):
    start = session.get(f"{provider['rp']}/tai-khoan/dinh-danh/dang-nhap/", allow_redirects=False)
    assert start.status_code == 302 and start.headers["Location"].startswith(provider["idp"] + "/authorize/")
    query = parse_qs(urlparse(start.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and "nonce" in query  # PKCE and nonce in use
    return session.get(start.headers["Location"])  # provider -> RP callback -> token exchange -> home


def test_citizen_signs_in_through_the_provider(provider):
    session = requests.Session()
    _sign_in_at_provider(session, provider)
    final = _login_via_oidc(session, provider)
    assert final.status_code == 200 and final.url.startswith(provider["rp"])
    assert "Nguyễn Thị Hoa" in final.text  # greeted by name on the RP
    identity = OidcIdentity.objects.get()
    assert identity.issuer == provider["idp"]
    citizen = identity.user
    assert citizen.kind == User.Kind.CITIZEN and not citizen.has_usable_password()
    assert CitizenProfile.objects.get(user=citizen).cccd == "064302001357"
    assert AuditEntry.objects.filter(action="accounts.oidc_login", actor_id=citizen.pk).exists()

    # A second login finds the same account by (issuer, subject), not by e-mail.
    session2 = requests.Session()
    _sign_in_at_provider(session2, provider)
    _login_via_oidc(session2, provider)
    assert OidcIdentity.objects.count() == 1 and User.objects.filter(kind=User.Kind.CITIZEN).count() == 1
    assert audit.verify().ok


def _error_shown(response):
    assert response.url.split("?")[0].endswith("/tai-khoan/dang-nhap/")
    match = re.search(r'<p class="message message--error">(.*?)</p>', response.text, re.S)
    assert match, "a Vietnamese error message is shown"
    return match.group(1)


def test_wrong_client_secret_fails_cleanly(provider, settings):
    settings.OIDC_RP_CLIENT_SECRET = "sai-bi-mat"
    session = requests.Session()
    _sign_in_at_provider(session, provider)
    message = _error_shown(_login_via_oidc(session, provider))
    assert "Không xác thực được với nhà cung cấp định danh" in message
    assert not OidcIdentity.objects.exists() and not CitizenProfile.objects.exists()


def test_id_token_signed_with_another_key_is_refused(provider, settings):
    from oauth2_provider.models import Application

    real = jwk.JWK.from_pem(PROVIDER_KEY.encode())
    forged = jwk.JWK.generate(kty="RSA", size=2048)
    FORGED.clear()
    FORGED["keys"] = [
        {**forged.export_public(as_dict=True), "kid": real.thumbprint(), "alg": "RS256", "use": "sig"}
    ]
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider['rp']}/idp-gia-mao/jwks.json"
    assert Application.objects.count() == 1
    session = requests.Session()
    _sign_in_at_provider(session, provider)
    message = _error_shown(_login_via_oidc(session, provider))
    assert "Không xác thực được" in message
    assert not OidcIdentity.objects.exists()


def test_invalid_cccd_from_provider_is_refused(provider):
    User.objects.filter(username="vneid.nguyen.thi.hoa").update(phone="999123456789")
    session = requests.Session()
    _sign_in_at_provider(session, provider)
    message = _error_shown(_login_via_oidc(session, provider))
    assert "số CCCD không hợp lệ" in message
    assert not OidcIdentity.objects.exists() and User.objects.filter(kind=User.Kind.CITIZEN).count() == 0


def test_forged_state_and_provider_errors_are_refused(provider):
    session = requests.Session()
    session.get(f"{provider['rp']}/tai-khoan/dinh-danh/dang-nhap/", allow_redirects=False)
    forged = session.get(f"{provider['rp']}/tai-khoan/dinh-danh/callback/?code=abc&state=gia-mao")
    assert "không hợp lệ hoặc đã hết hạn" in _error_shown(forged)
    denied = session.get(f"{provider['rp']}/tai-khoan/dinh-danh/callback/?error=access_denied&state=x")
    assert "từ chối hoặc huỷ" in _error_shown(denied)
    assert not OidcIdentity.objects.exists()


def test_officials_cannot_use_citizen_login(provider):
    """An identity already linked to an official account is refused (officials use password + TOTP)."""
    session = requests.Session()
    _sign_in_at_provider(session, provider)
    _login_via_oidc(session, provider)
    identity = OidcIdentity.objects.get()
    User.objects.filter(pk=identity.user_id).update(kind=User.Kind.OFFICIAL)
    session2 = requests.Session()
    _sign_in_at_provider(session2, provider)
    assert "không đăng nhập được bằng định danh" in _error_shown(_login_via_oidc(session2, provider))
