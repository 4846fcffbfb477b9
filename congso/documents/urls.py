from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("den/moi/", views.new_incoming, name="new_incoming"),
    path("du-thao/moi/", views.new_draft, name="new_draft"),
    path("so-dang-ky/", views.registers, name="registers"),
    path("so-dang-ky/<int:pk>/excel/", views.register_export, name="register_export"),
    path("dieu-hanh/", views.dashboard, name="dashboard"),
    path("quy-trinh-duyet/", views.review_chain, name="review_chain"),
    path("cong-khai/", views.public_list, name="public_list"),
    path("cong-khai/<int:pk>/tep/", views.public_file, name="public_file"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/tep/", views.download, name="download"),
    path("<int:pk>/thao-tac/", views.act, name="act"),
]
