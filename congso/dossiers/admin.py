"""Django admin for system administrators: process templates with their steps."""

from django.contrib import admin

from .models import Dossier, ProcessStep, ProcessTemplate


class ProcessStepInline(admin.TabularInline):
    """Read-only: steps change only through processes.replace_steps (validated, audited), i.e. the
    agency's process editor (/mot-cua/quy-trinh/<agency>/) or PUT /api/v1/dossiers/processes/…"""

    model = ProcessStep
    extra = 0
    fields = ("position", "name", "kind", "role", "agency", "share_percent", "retired")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "procedure", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("name", "agency__code", "agency__name", "procedure__code", "procedure__name")
    raw_id_fields = ("agency", "procedure")
    inlines = [ProcessStepInline]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: dossiers change only through the one-stop services, which write the timeline and audit."""

    list_display = (
        "code",
        "status",
        "receiving_agency",
        "current_agency",
        "submitted_at",
        "due_at",
        "is_late",
    )
    list_filter = ("status", "channel", "is_late")
    search_fields = ("code", "applicant_folded", "applicant_id_number")
    date_hierarchy = "submitted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
