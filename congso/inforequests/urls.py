from django.urls import path

from . import views

app_name = "inforequests"

urlpatterns = [
    path("", views.home, name="home"),
    path("co-quan/<str:code>/", views.agency_page, name="agency"),
    path("gui-yeu-cau/", views.submit_page, name="submit"),
    path("cua-toi/", views.mine, name="mine"),
    path("yeu-cau/<str:code>/", views.request_page, name="request"),
    path("yeu-cau/<str:code>/tep/", views.answer_file, name="file"),
    path("xu-ly/", views.inbox, name="inbox"),
    path("xu-ly/<str:code>/", views.staff_page, name="staff"),
    path("quan-ly-danh-muc/", views.manage, name="manage"),
]
