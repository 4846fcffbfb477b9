from django.urls import path

from . import views

app_name = "tracking"

urlpatterns = [
    path("", views.mine, name="mine"),
    # Before "<code>/": "tra-cuu" is never a dossier code.
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/<str:code>/<str:token>/", views.lookup_signed, name="lookup_signed"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/bo-sung/", views.supplement, name="supplement"),
    path("<str:code>/rut-ho-so/", views.withdraw, name="withdraw"),
    path("<str:code>/ket-qua/", views.result, name="result"),
    path("<str:code>/giay-tiep-nhan/", views.receipt, name="receipt"),
]
