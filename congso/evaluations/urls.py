from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.index, name="index"),
    path("bo-chi-so/moi/", views.framework_create, name="framework_create"),
    path("bo-chi-so/<int:pk>/", views.framework_page, name="framework"),
    path("tieu-chi/<int:pk>/", views.criterion_page, name="criterion"),
    path("dot/<int:pk>/", views.round_page, name="round"),
    path("dot/<int:pk>/ket-qua/", views.results_page, name="results"),
    path("dot/<int:pk>/xep-hang.xlsx", views.results_xlsx, name="results_xlsx"),
    path("dot/<int:pk>/don-vi/<str:code>/", views.unit_page, name="unit"),
    path("minh-chung/<int:pk>/", views.evidence, name="evidence"),
]
