"""System administrators' back office for the catalogue: upload form files, look at procedures."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import FormTemplateFile, Offering, OnlineLevel, Procedure, ProcedureField, ProcedureVersion


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


class ProcedureAdminForm(forms.ModelForm):
    """An administrator's corrections, kept in fields of their own that an import never touches."""

    withdraw = forms.BooleanField(
        label=_("Thu hồi thủ tục (không hiển thị, không nhận hồ sơ)"), required=False
    )

    class Meta:
        model = Procedure
        fields = ("online_level_override", "local_fee_allowed_override", "withdrawal_reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdraw"].initial = bool(self.instance and self.instance.withdrawn_at)

    def clean(self):
        data = super().clean()
        if data.get("withdraw") and not (self.instance and self.instance.withdrawn_at):
            if not (data.get("withdrawal_reason") or "").strip():
                self.add_error("withdrawal_reason", _("Cần nêu lý do thu hồi thủ tục."))
        return data


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    """Procedures come from imports (congso catalog import); here they are read, and an administrator may
    withdraw one or correct its online level — through the catalogue's services (permission, audit)."""

    form = ProcedureAdminForm
    list_display = ("code", "name", "field", "online_level", "is_active")
    list_filter = ("online_level", "is_active", "field")
    search_fields = ("code", "name")
    fields = (
        "code",
        "name",
        "field",
        "levels",
        "record_online_level",
        "online_level_override",
        "online_level",
        "record_fee_set_locally",
        "local_fee_allowed_override",
        "withdraw",
        "withdrawal_reason",
        "withdrawn_at",
        "withdrawn_by",
        "is_active",
        "current_version",
    )
    readonly_fields = (
        "code",
        "name",
        "field",
        "levels",
        "record_online_level",
        "online_level",
        "record_fee_set_locally",
        "withdrawn_at",
        "withdrawn_by",
        "is_active",
        "current_version",
    )
    inlines = [VersionInline]

    @admin.display(description=_("mức độ trực tuyến theo hồ sơ"))
    def record_online_level(self, obj):
        return OnlineLevel(obj.record_online_level).label if obj else ""

    @admin.display(description=_("hồ sơ cho biết mức thu do HĐND tỉnh quyết định"), boolean=True)
    def record_fee_set_locally(self, obj):
        return bool(obj.content.get("fee_set_locally")) if obj else None

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        stored = Procedure.objects.get(pk=obj.pk)
        data = form.cleaned_data
        if data["withdraw"] and stored.withdrawn_at is None:
            stored = services.withdraw_procedure(request.user, stored, data["withdrawal_reason"])
        elif not data["withdraw"] and stored.withdrawn_at is not None:
            stored = services.restore_procedure(request.user, stored)
        if data["online_level_override"] != stored.online_level_override:
            stored = services.set_online_level(request.user, stored, data["online_level_override"])
        if data["local_fee_allowed_override"] != stored.local_fee_allowed_override:
            stored = services.set_local_fee_allowed(request.user, stored, data["local_fee_allowed_override"])
        obj.refresh_from_db()


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ("agency", "procedure", "is_active", "online_open")
    list_filter = ("is_active", "online_open")
    search_fields = ("agency__code", "agency__name", "procedure__code", "procedure__name")
    raw_id_fields = ("agency", "procedure", "updated_by")
