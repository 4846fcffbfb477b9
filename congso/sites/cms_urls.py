"""Wagtail's editing interface at /cms/ and the library's document downloads (ADR 0166)."""

from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("tai-lieu/", include(wagtaildocs_urls)),
    path("", include(wagtailadmin_urls)),
]
