from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import Draft, FormComponent, FormDefinition, FormField


class FieldFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        keys = {
            f.cleaned_data.get("key")
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        }
        for form in self.forms:
            data = form.cleaned_data or {}
            if data.get("DELETE"):
                continue
            if data.get("type") == "select" and not (data.get("choices") or "").strip():
                form.add_error("choices", _("Trường kiểu danh sách cần ít nhất một lựa chọn."))
            if data.get("show_if_field") and data["show_if_field"] not in keys:
                form.add_error("show_if_field", _("Không có trường nào mang mã này trong biểu mẫu."))
            if data.get("pattern"):
                import re

                try:
                    re.compile(data["pattern"])
                except re.error:
                    form.add_error("pattern", _("Biểu thức chính quy không hợp lệ."))


class FormFieldInline(admin.StackedInline):
    model = FormField
    formset = FieldFormSet
    extra = 0
    fields = [
        ("position", "key", "type", "required"),
        "label",
        "help_text",
        "choices",
        ("show_if_field", "show_if_value"),
        ("max_length", "pattern", "pattern_message"),
    ]


class FormComponentInline(admin.TabularInline):
    model = FormComponent
    extra = 0
    fields = ["position", "name", "required", "originals", "copies", "help_text"]


@admin.register(FormDefinition)
class FormDefinitionAdmin(admin.ModelAdmin):
    list_display = ["procedure", "agency", "title", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["procedure__code", "procedure__name", "agency__code", "agency__name", "title"]
    autocomplete_fields = ["procedure", "agency"]
    inlines = [FormFieldInline, FormComponentInline]
    readonly_fields = ["updated_by", "updated_at"]
    actions = ["fill_components"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Thêm thành phần hồ sơ theo danh mục thủ tục (nếu chưa có)"))
    def fill_components(self, request, queryset):
        from .definitions import default_for

        for definition in queryset.select_related("procedure"):
            if definition.components.exists():
                continue
            for i, c in enumerate(default_for(definition.procedure).components, start=1):
                FormComponent.objects.create(
                    definition=definition,
                    position=i,
                    name=c.name,
                    required=c.required,
                    originals=c.originals,
                    copies=c.copies,
                )


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
