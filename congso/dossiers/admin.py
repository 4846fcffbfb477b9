"""Django admin for system administrators: process templates with their steps."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from .models import Dossier, ProcessStep, ProcessTemplate


class ProcessStepFormSet(BaseInlineFormSet):
    """The admin saves steps too: the same whole-template rules as ``processes.replace_steps``."""

    def clean(self):
        from congso.core.errors import ServiceError

        from .processes import validate_steps

        super().clean()
        if any(self.errors):
            return
        forms = [
            f
            for f in self.forms
            if getattr(f, "cleaned_data", None)
            and not f.cleaned_data.get("DELETE")
            and not f.cleaned_data.get("retired")
        ]
        forms.sort(key=lambda f: f.cleaned_data.get("position") or 0)
        index = {f.instance.pk: i for i, f in enumerate(forms, start=1) if f.instance.pk}
        steps = [
            {
                "name": f.cleaned_data.get("name") or "",
                "kind": f.cleaned_data.get("kind"),
                "role": f.cleaned_data.get("role"),
                "agency": f.cleaned_data.get("agency"),
                "share_percent": f.cleaned_data.get("share_percent") or 0,
                "next": [index[s.pk] for s in f.cleaned_data.get("next_steps") or [] if s.pk in index],
            }
            for f in forms
        ]
        try:
            validate_steps(steps)
        except ServiceError as exc:
            raise ValidationError(exc.message) from None


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    formset = ProcessStepFormSet
    extra = 0
    fields = ("position", "name", "kind", "role", "agency", "share_percent", "next_steps", "retired")
    raw_id_fields = ("agency",)
    filter_horizontal = ("next_steps",)


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
