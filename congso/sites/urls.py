"""The portals under /cong-thong-tin/ (ADR 0166): the sitemap, then Wagtail's page tree.

No ``app_name``: Wagtail reverses its own ``wagtail_serve`` without a namespace."""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.views import serve

urlpatterns = [
    path("sitemap.xml", sitemap, name="sites-sitemap"),
    path("", serve, {"path": ""}, name="sites-index"),
    path("", include(wagtail_urls)),
]
