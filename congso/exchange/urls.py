from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("den/", views.inbox, name="inbox"),
    path("<int:pk>/gui-lai/", views.resend, name="resend"),
]
