from django.urls import path

from . import calendar_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("version", views.version, name="version"),
    path("theme.css", views.theme_css, name="theme_css"),
    path("lich-lam-viec/", calendar_views.calendar_page, name="calendar"),
]
