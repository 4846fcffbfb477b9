from django.urls import path

from . import views

app_name = "integration"

urlpatterns = [
    path("", views.health, name="health"),
    path("he-thong-nhan/moi/", views.subscriber_form, name="subscriber_new"),
    path("he-thong-nhan/<int:pk>/", views.subscriber, name="subscriber"),
    path("he-thong-nhan/<int:pk>/sua/", views.subscriber_form, name="subscriber_edit"),
    path("he-thong-nhan/<int:pk>/gui-thu/", views.send_test, name="send_test"),
    path("thu-hong/", views.dead_letters, name="dead_letters"),
    path("thu-hong/<int:pk>/gui-lai/", views.replay, name="replay"),
    path("thu-hong/gui-lai-tat-ca/", views.replay_all, name="replay_all"),
    path("quoc-gia/", views.national, name="national"),
    path("quoc-gia/ho-so-nhan/<int:pk>/", views.inbound_item, name="inbound_item"),
    path("quoc-gia/doi-soat/", views.national_reconcile, name="national_reconcile"),
]
