from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/gui-lai/", views.resend, name="resend"),
    path("cua-toi/", views.mine, name="mine"),
    path("cua-toi/<int:pk>/mo/", views.open_notice, name="open"),
    path("cua-toi/da-doc-tat-ca/", views.read_all, name="read_all"),
]
