from django.urls import path

from . import views

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
]
