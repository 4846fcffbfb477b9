"""System administrators' back office for the catalogue: upload form files, look at procedures."""

from django.contrib import admin

from .models import FormTemplateFile, Offering, Procedure, ProcedureField, ProcedureVersion


@admin.register(FormTemplateFile)
class FormTemplateFileAdmin(admin.ModelAdmin):
    list_display = ("file_name", "uploaded_at")
    search_fields = ("file_name",)


@admin.register(ProcedureField)
class ProcedureFieldAdmin(admin.ModelAdmin):
    search_fields = ("name",)


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ("number", "source", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    """Procedures come from imports (congso catalog import); here they are read, and can be withdrawn."""

    list_display = ("code", "name", "field", "online_level", "is_active")
    list_filter = ("online_level", "is_active", "field")
    search_fields = ("code", "name")
    fields = ("code", "name", "field", "levels", "online_level", "is_active", "current_version")
    readonly_fields = ("code", "name", "field", "levels", "current_version")
    inlines = [VersionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ("agency", "procedure", "is_active", "online_open")
    list_filter = ("is_active", "online_open")
    search_fields = ("agency__code", "agency__name", "procedure__code", "procedure__name")
    raw_id_fields = ("agency", "procedure", "updated_by")
