from django.urls import path

from . import consistency_views, views

app_name = "catalog"

urlpatterns = [
    path("", views.search, name="search"),
    path("quan-ly/", views.manage_home, name="manage"),
    path("quan-ly/doi-chieu/", consistency_views.reports, name="consistency"),
    path("quan-ly/doi-chieu/<int:pk>/", consistency_views.report, name="consistency_report"),
    path("quan-ly/doi-chieu/khac-biet/<int:pk>/cap-nhat/", consistency_views.apply, name="consistency_apply"),
    path("quan-ly/<str:agency_code>/", views.manage_agency, name="manage_agency"),
    path("quan-ly/<str:agency_code>/<str:code>/", views.manage_offering, name="manage_offering"),
    path("mau/<int:pk>/", views.form_file, name="form_file"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/qr.svg", views.qr_code, name="qr"),
]
