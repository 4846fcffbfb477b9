"""``/metrics`` for Prometheus (at the site's root, where scrapers expect it)."""

from django.urls import path

from .metrics import metrics

urlpatterns = [path("metrics", metrics, name="metrics")]
