from django.contrib import admin

from congso.core.admin import AuditedAdmin

from .models import AdministrativeUnit, Agency, Membership


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "level", "valid_from", "valid_to")
    list_filter = ("level", "kind")
    search_fields = ("code", "name", "name_folded")
    raw_id_fields = ("parent", "replaced_by")


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "unit", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "name_en")
    raw_id_fields = ("unit", "parent")


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "agency", "role", "include_subtree", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "agency__code")
    raw_id_fields = ("user", "agency")
