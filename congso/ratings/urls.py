from django.urls import path

from . import views

app_name = "ratings"

urlpatterns = [
    path("thong-ke/", views.stats_page, name="stats"),
    path("<str:code>/", views.rate_page, name="rate"),
]
