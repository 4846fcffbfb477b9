from django.urls import path

from . import views

app_name = "voting"

urlpatterns = [
    path("lay-y-kien/", views.poll_list, name="polls"),
    path("lay-y-kien/moi/", views.poll_create, name="poll_create"),
    path("lay-y-kien/<int:pk>/", views.poll_page, name="poll"),
    path("lay-y-kien/<int:pk>/nhac/", views.poll_remind, name="poll_remind"),
    path("lay-y-kien/<int:pk>/ket-thuc/", views.poll_close, name="poll_close"),
    path("lay-y-kien/<int:pk>/du-thao/", views.poll_attachment, name="poll_attachment"),
    path("lay-y-kien/<int:pk>/ket-qua.pdf", views.poll_result_pdf, name="poll_result_pdf"),
    path("phieu/<int:ballot_id>/truc-tiep/", views.live_fragment, name="live"),
    path("quy-tac/", views.rule_list, name="rules"),
    path("quy-tac/moi/", views.rule_edit, name="rule_create"),
    path("quy-tac/<int:pk>/", views.rule_edit, name="rule_edit"),
]
