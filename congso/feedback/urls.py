from django.urls import path

from . import open311, views

app_name = "feedback"

urlpatterns = [
    path("phan-anh/", views.board, name="home"),
    path("phan-anh/gui/", views.submit_page, name="submit"),
    path("phan-anh/xu-ly/", views.inbox, name="inbox"),
    path("phan-anh/xu-ly/nhap/", views.staff_entry, name="staff_entry"),
    path("phan-anh/xu-ly/<str:code>/", views.staff_report, name="staff_report"),
    path("phan-anh/quan-tri/", views.admin_page, name="admin"),
    path("phan-anh/anh/<int:pk>/", views.media, name="media"),
    path("phan-anh/<str:code>/", views.report_page, name="report"),
    path("phan-anh/<str:code>/theo-doi/", views.follow, name="follow"),
    path("phan-anh/<str:code>/danh-gia/", views.rate, name="rate"),
    path("phan-anh/<str:code>/bo-sung/", views.add_info, name="add_info"),
    # Open311 GeoReport v2 (format suffix .json or .xml)
    path("open311/v2/discovery.<str:fmt>", open311.discovery, name="open311_discovery"),
    path("open311/v2/services.<str:fmt>", open311.service_list, name="open311_services"),
    path("open311/v2/services/<str:code>.<str:fmt>", open311.service_definition, name="open311_service"),
    path("open311/v2/requests.<str:fmt>", open311.requests_view, name="open311_requests"),
    path("open311/v2/requests/<str:code>.<str:fmt>", open311.request_detail, name="open311_request"),
    path("open311/v2/tokens/<str:token>.<str:fmt>", open311.token_detail, name="open311_token"),
]
