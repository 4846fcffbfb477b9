"""Image renditions of the portals served from the platform's local storage (on S3 they have S3 URLs)."""

from django.urls import path

from . import views

urlpatterns = [path("<path:name>", views.rendition, name="sites-rendition")]
