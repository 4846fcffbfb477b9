from django.urls import path

from . import views

app_name = "scorecard"

urlpatterns = [
    path("dieu-hanh/", views.dashboard_page, name="dashboard"),
    path("dieu-hanh/cap-nhat/", views.dashboard_live, name="dashboard_live"),
    path("dieu-hanh/ho-so/<str:key>/", views.dashboard_list, name="dashboard_list"),
    path("chi-so-phuc-vu/", views.public_page, name="public"),
    path("chi-so-phuc-vu/xuat.<str:fmt>", views.export_board, name="export"),
    path("chi-so-phuc-vu/du-lieu-mo/chi-so-theo-thang.<str:fmt>", views.open_data, name="open_data"),
    path("chi-so-phuc-vu/<str:kind>/<str:code>/", views.unit_page, name="unit"),
    path("chi-so-phuc-vu/<str:kind>/<str:code>/<str:key>/", views.drilldown_page, name="drilldown"),
]
