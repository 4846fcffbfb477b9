from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .manage_views import NATIONAL
from .models import Draft, FormComponent, FormDefinition, FormField


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FormFieldInline(ReadOnlyInline):
    model = FormField
    fields = ["position", "key", "label", "type", "required", "show_if_field", "show_if_value"]


class FormComponentInline(ReadOnlyInline):
    model = FormComponent
    fields = ["position", "name", "required", "originals", "copies", "kinds"]


@admin.register(FormDefinition)
class FormDefinitionAdmin(admin.ModelAdmin):
    """Read-only: forms are changed in the form builder (builder.py), where every change is
    permission-checked, validated and audited (ADR 0085)."""

    list_display = [
        "procedure",
        "agency",
        "title",
        "is_active",
        "version",
        "has_changes",
        "updated_at",
        "builder",
    ]
    list_filter = ["is_active", "has_changes"]
    search_fields = ["procedure__code", "procedure__name", "agency__code", "agency__name", "title"]
    inlines = [FormFieldInline, FormComponentInline]
    readonly_fields = ["builder"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("sửa trong trình thiết kế biểu mẫu"))
    def builder(self, obj):
        url = reverse(
            "portal:form_edit", args=[obj.agency.code if obj.agency_id else NATIONAL, obj.procedure.code]
        )
        return format_html('<a href="{}">{}</a>', url, _("Mở"))


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "owner",
        "citizen",
        "procedure_version",
        "agency",
        "step",
        "updated_at",
        "expires_at",
        "dossier",
    ]
    list_filter = ["step"]
    search_fields = ["owner__username", "dossier__code"]
    readonly_fields = [f.name for f in Draft._meta.fields]

    def has_add_permission(self, request):
        return False
