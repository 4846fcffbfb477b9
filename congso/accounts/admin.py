"""Django admin (/quan-tri-he-thong/) — system administrators only, after TOTP."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from congso.core.admin import AuditedAdmin, register
from congso.core.permissions import can

from .models import (
    AssistanceConsent,
    AssistedAction,
    CitizenProfile,
    CommunityHelper,
    CommunityTeam,
    OidcIdentity,
    Organisation,
    Representative,
    User,
)


def _admin_has_permission(request):
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_verified() and can(user, "directory.admin_site"))


def _admin_login(request, extra_context=None):
    """The admin signs in through the normal login (password, then TOTP); others signed in are refused."""
    if request.user.is_authenticated:
        raise PermissionDenied(_("Trang quản trị hệ thống chỉ dành cho quản trị viên hệ thống."))
    return redirect(f"{reverse('accounts:login')}?next={reverse('admin:index')}")


admin.site.has_permission = _admin_has_permission
admin.site.login = _admin_login


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ("username", "full_name", "kind", "email", "is_active")
    list_filter = ("kind", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    fieldsets = (*BaseUserAdmin.fieldsets, ("congso", {"fields": ("kind", "full_name", "phone")}))


@admin.register(CitizenProfile)
class CitizenProfileAdmin(AuditedAdmin):
    list_display = ("user", "commune")
    search_fields = ("user__username", "user__full_name")
    raw_id_fields = ("user", "commune")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "tax_code", "kind")
    search_fields = ("name", "tax_code")
    raw_id_fields = ("commune",)


register(Representative, raw_id_fields=("user", "organisation"))
register(OidcIdentity, list_display=("issuer", "subject", "user"), raw_id_fields=("user",))
register(CommunityTeam, list_display=("name", "commune", "agency"), raw_id_fields=("commune", "agency"))
register(CommunityHelper, raw_id_fields=("user", "team"))
register(
    AssistanceConsent,
    list_display=("citizen", "helper", "purpose", "granted_at", "revoked_at"),
    raw_id_fields=("citizen", "helper", "recorded_by", "revoked_by", "team"),
)
register(AssistedAction, list_display=("action", "helper", "citizen", "occurred_at"))
