from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("lam-viec/", views.workspace_page, name="workspace"),
    path("healthz", views.healthz, name="healthz"),
    path("version", views.version, name="version"),
    path("theme.css", views.theme_css, name="theme_css"),
]
