from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("phan-cong/", views.bulk_assign, name="bulk_assign"),
    path("in-danh-sach/", views.print_list, name="print_list"),
    path("bao-cao/", views.reports, name="reports"),
    path("quy-trinh/<str:agency_code>/", views.process_list, name="process_list"),
    path("quy-trinh/<str:agency_code>/<str:procedure_code>/", views.process_edit, name="process_edit"),
    path("ho-so/<str:code>/", views.dossier_page, name="detail"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", views.act, name="act"),
    path("ho-so/<str:code>/tep/<int:pk>/", views.attachment, name="attachment"),
    path("ho-so/<str:code>/phieu/<str:key>/", views.slip, name="slip"),
    path("ho-so/<str:code>/to-khai/", views.declared_sheet, name="declared"),
]
