from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("thoa-thuan/", views.agreements, name="agreements"),
    path("thoa-thuan/<int:pk>/", views.agreement, name="agreement"),
    path("thoa-thuan/<int:pk>/thu-hoi/", views.revoke, name="revoke"),
    path("du-lieu-cua-toi-da-duoc-doc/", views.my_reads, name="my_reads"),
]
