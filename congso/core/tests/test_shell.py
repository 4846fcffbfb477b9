"""The UI shell, health and version endpoints, error pages and response headers."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from congso import __version__
from congso import urls as project_urls
from congso.core import health
from congso.core.navigation import ENTRY_POINTS

pytestmark = pytest.mark.django_db


def test_home_page_is_vietnamese_with_landmarks(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Dịch vụ công trực tuyến" in html
    assert 'class="skip-link" href="#main"' in html
    for landmark in (
        'role="banner"',
        '<main id="main"',
        'role="contentinfo"',
        'aria-label="Điều hướng chính"',
    ):
        assert landmark in html
    assert "Cổng Dịch vụ công tỉnh Gia Lai" in html
    assert "1900 1234" in html  # hotline in the footer


def test_home_page_in_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Online public services" in html
    assert "Skip to main content" in html


def test_header_is_configurable(client, settings):
    settings.CONGSO_SITE = {
        **settings.CONGSO_SITE,
        "name": "Cổng Dịch vụ công xã Ia Grai",
        "hotline": "0269 3999 999",
    }
    html = client.get("/").content.decode()
    assert "Cổng Dịch vụ công xã Ia Grai" in html
    assert "0269 3999 999" in html


def test_theme_css_carries_the_configured_colours(client, settings):
    settings.CONGSO_SITE = {**settings.CONGSO_SITE, "primary_colour": "#004b87"}
    response = client.get("/theme.css")
    assert response["Content-Type"].startswith("text/css")
    assert "--brand:#004b87" in response.content.decode()


def test_entry_points_never_link_to_missing_pages(client):
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    html = client.get("/").content.decode()
    assert ENTRY_POINTS
    linked = 0
    for _key, title, _text, name in ENTRY_POINTS:
        assert str(title) in html
        try:
            url = reverse(name)
        except NoReverseMatch:
            # only a capability not built yet has no page; a wrong name in a built app is an error
            app = name.split(":")[0]
            assert not apps.is_installed(f"congso.{app}"), f"{name} does not reverse"
            continue
        assert f'href="{url}"' in html
        linked += 1
    assert linked >= 3  # search, online filing, tracking


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_failing_storage(client, monkeypatch):
    def broken():
        raise OSError("disk full")

    monkeypatch.setitem(health.CHECKS, "storage", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "storage": "error"}
    assert "disk full" not in response.content.decode()


def test_version_endpoints(client):
    assert client.get("/version").json() == {"name": "congso", "version": __version__}
    assert client.get("/api/v1/version").json() == {"name": "congso", "version": __version__}


def test_request_id_is_echoed_or_generated(client):
    response = client.get("/version", HTTP_X_REQUEST_ID="abc12345-ffff")
    assert response["X-Request-ID"] == "abc12345-ffff"
    generated = client.get("/version", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert generated != "<script>" and len(generated) == 32


def test_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_404_page_is_friendly_and_vietnamese(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert "khong-co-trang-nay" not in html.split("<main")[1].split("</main>")[0]


def _boom(request):
    raise RuntimeError("secret-database-password=hunter2")


urlpatterns = [path("boom", _boom), *project_urls.urlpatterns]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_500_page_leaks_nothing():
    client = Client(raise_request_exception=False)
    response = client.get("/boom", HTTP_X_REQUEST_ID="req-00000001")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Hệ thống đang gặp sự cố" in html
    assert "hunter2" not in html and "RuntimeError" not in html and "Traceback" not in html
    assert "req-00000001" in html  # the reference a citizen can quote to support


def test_static_assets_are_local(client):
    html = client.get("/").content.decode()
    for src in ("/static/core/congso.css", "/static/django_htmx/htmx-2.min.js"):
        assert src in html
    assert "http://" not in html.replace("http://www.w3.org", "") or "cdn" not in html
    assert "cdn" not in html.lower()


def test_openapi_schema_and_docs(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    data = schema.json()
    assert data["info"]["title"] == "congso API"
    assert "/api/v1/version" in data["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()


handler500 = "congso.core.views.error_500"


def test_api_docs_are_a_setting_and_the_schema_stays(client, settings):
    settings.CONGSO_API_DOCS = False
    assert client.get("/api/v1/docs").status_code == 404
    assert client.get("/api/v1/openapi.json").status_code == 200
    settings.CONGSO_API_DOCS = True
    assert client.get("/api/v1/docs").status_code == 200
