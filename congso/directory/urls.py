from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.index, name="index"),
    path("don-vi-hanh-chinh/", views.units, name="units"),
    path("don-vi-hanh-chinh/them/", views.unit_new, name="unit_new"),
    path("cua-toi/", views.my_roles, name="my_roles"),
    path("quan-ly/", views.manage, name="manage"),
    path("quan-ly/them/", views.agency_new, name="agency_new"),
    path("quan-ly/phan-cong/<int:pk>/ket-thuc/", views.membership_end, name="membership_end"),
    path("quan-ly/<str:code>/", views.agency_detail, name="agency"),
    path("quan-ly/<str:code>/phan-cong/", views.grant, name="grant"),
    path("quan-ly/<str:code>/can-bo-moi/", views.official_new, name="official_new"),
]
