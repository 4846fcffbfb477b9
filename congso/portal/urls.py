from django.urls import path

from . import manage_views, views

app_name = "portal"

FORM = "bieu-mau/<str:scope>/<str:code>/"

urlpatterns = [
    path("", views.start, name="start"),
    path("ho-so-nhap/", views.drafts, name="drafts"),
    path("ho-so-nhap/<uuid:draft_id>/", views.resume, name="resume"),
    path("ho-so-nhap/<uuid:draft_id>/xoa/", views.delete, name="delete"),
    path("ho-so-nhap/<uuid:draft_id>/tep/<int:upload_id>/bo/", views.remove_upload, name="remove_upload"),
    path("ho-so-nhap/<uuid:draft_id>/<slug:step>/", views.step, name="step"),
    path("da-nop/<str:code>/", views.done, name="done"),
    path("da-nop/<str:code>/giay-tiep-nhan/", views.receipt, name="receipt"),
    # the form builder (agency administrators); keys never contain "-", so "them-truong" is no key
    path("bieu-mau/", manage_views.home, name="forms"),
    path("bieu-mau/<str:scope>/", manage_views.scope, name="forms_scope"),
    path(FORM, manage_views.edit, name="form_edit"),
    path(FORM + "tao/", manage_views.create, name="form_create"),
    path(FORM + "xem-truoc/", manage_views.preview, name="form_preview"),
    path(FORM + "cong-bo/", manage_views.publish, name="form_publish"),
    path(FORM + "ngung-ap-dung/", manage_views.unpublish, name="form_unpublish"),
    path(FORM + "xoa/", manage_views.delete, name="form_delete"),
    path(FORM + "them-truong/", manage_views.field_add, name="form_field_add"),
    path(FORM + "truong/<slug:key>/", manage_views.field_edit, name="form_field"),
    path(FORM + "truong/<slug:key>/xoa/", manage_views.field_delete, name="form_field_delete"),
    path(FORM + "truong/<slug:key>/di-chuyen/", manage_views.field_move, name="form_field_move"),
    path(FORM + "them-thanh-phan/", manage_views.component_add, name="form_component_add"),
    path(FORM + "thanh-phan/<int:pk>/", manage_views.component_edit, name="form_component"),
    path(FORM + "thanh-phan/<int:pk>/xoa/", manage_views.component_delete, name="form_component_delete"),
    path(FORM + "thanh-phan/<int:pk>/di-chuyen/", manage_views.component_move, name="form_component_move"),
]
