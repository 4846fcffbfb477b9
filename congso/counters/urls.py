from django.urls import path

from . import views

app_name = "counters"

urlpatterns = [
    path("", views.index, name="index"),
    path("ve/<str:token>/", views.ticket, name="ticket"),
    path("<str:code>/", views.kiosk, name="kiosk"),
    path("<str:code>/man-hinh/", views.display, name="display"),
    path("<str:code>/man-hinh/cap-nhat/", views.display_feed, name="display_feed"),
    path("<str:code>/can-bo/", views.console_home, name="console_home"),
    path("<str:code>/can-bo/quay-<int:number>/", views.console, name="console"),
    path("<str:code>/can-bo/quay-<int:number>/goi-so/", views.console_call, name="console_call"),
    path(
        "<str:code>/can-bo/quay-<int:number>/phieu-<int:ticket_id>/",
        views.console_act,
        name="console_act",
    ),
    path("<str:code>/thong-ke/", views.stats, name="stats"),
    path("<str:code>/cau-hinh/", views.configure, name="configure"),
    path("<str:code>/cau-hinh/quay/", views.configure_counter, name="configure_counter"),
    path("<str:code>/cau-hinh/dich-vu/", views.configure_service, name="configure_service"),
]
