from django.urls import path

from . import views

app_name = "datastore"

urlpatterns = [
    path("", views.index, name="index"),
    path("them/", views.upload, name="upload"),
    path("co-so-du-lieu/", views.registry_data, name="registries"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/tai-ve/", views.download, name="download"),
    path("<uuid:pk>/xoa/", views.remove, name="remove"),
]
