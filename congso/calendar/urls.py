from django.urls import path

from . import views

app_name = "calendar"

urlpatterns = [
    path("lich-lam-viec/", views.calendar_page, name="page"),
]
