from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("moi/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/truc-tiep/", views.live, name="live"),
    path("<int:pk>/thao-tac/", views.act, name="act"),
    path("<int:pk>/ma-qr.svg", views.qr, name="qr"),
    path("<int:pk>/diem-danh/<str:token>/", views.check_in, name="check_in"),
    path("tai-lieu/<int:pk>/", views.paper, name="paper"),
    path("tai-lieu/<int:pk>/ghi-chu/", views.annotate, name="annotate"),
]
