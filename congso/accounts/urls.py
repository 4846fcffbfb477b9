from django.contrib.auth import views as auth_views
from django.urls import path

from . import oidc, views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("xac-thuc-hai-lop/thiet-lap/", views.otp_setup, name="otp_setup"),
    path("xac-thuc-hai-lop/", views.otp_verify, name="otp_verify"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("dat-lai-mat-khau/xong/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("dinh-danh/dang-nhap/", oidc.CitizenOIDCStartView.as_view(), name="oidc_login"),
    path("dinh-danh/callback/", oidc.CitizenOIDCCallbackView.as_view(), name="oidc_callback"),
    path("ca-nhan/", views.profile, name="profile"),
    path("to-chuc/dang-ky/", views.organisation_new, name="organisation_new"),
    path("cong-dan/<int:pk>/", views.citizen_detail, name="citizen_detail"),
    path("uy-quyen-ho-tro/", views.consents, name="consents"),
    path("uy-quyen-ho-tro/giay/", views.paper_consent, name="paper_consent"),
    path("uy-quyen-ho-tro/<int:pk>/thu-hoi/", views.consent_revoke, name="consent_revoke"),
    path("ho-tro-cong-dong/thong-ke/", views.assistance_stats, name="assistance_stats"),
    path("ho-tro-cong-dong/thanh-vien/", views.teams, name="teams"),
]
