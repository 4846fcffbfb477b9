from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.start, name="start"),
    path("ho-so-nhap/", views.drafts, name="drafts"),
    path("ho-so-nhap/<uuid:draft_id>/", views.resume, name="resume"),
    path("ho-so-nhap/<uuid:draft_id>/xoa/", views.delete, name="delete"),
    path("ho-so-nhap/<uuid:draft_id>/tep/<int:upload_id>/bo/", views.remove_upload, name="remove_upload"),
    path("ho-so-nhap/<uuid:draft_id>/<slug:step>/", views.step, name="step"),
    path("da-nop/<str:code>/", views.done, name="done"),
    path("da-nop/<str:code>/giay-tiep-nhan/", views.receipt, name="receipt"),
]
