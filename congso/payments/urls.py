from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("ket-qua/<slug:provider>/", views.return_page, name="return"),
    path("ipn/<slug:provider>/", views.ipn, name="ipn"),
    path("bien-lai/<str:txn_ref>/", views.receipt, name="receipt"),
    path("bien-lai/<str:txn_ref>/pdf/", views.receipt_pdf, name="receipt_pdf"),
    path("doi-soat/", views.reconciliation, name="reconciliation"),
    path("<str:code>/", views.pay, name="pay"),
]
