"""Django admin for the working-day calendar (days off, make-up days, office hours).

Saving and deleting go through the calendar's service functions, so the permission
``core.manage_calendar`` is checked, an audit entry is written and every process recomputes its
cached working days (services.py, cache.py).
"""

from django.contrib import admin

from . import services
from .models import CalendarException, OfficeHours


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "unit", "reason")
    list_filter = ("kind", ("unit", admin.RelatedOnlyFieldListFilter))
    date_hierarchy = "date"
    search_fields = ("reason", "unit__name")
    ordering = ("-date",)

    def get_readonly_fields(self, request, obj=None):
        return ("date", "unit") if obj else ()

    def save_model(self, request, obj, form, change):
        saved = services.set_exception(request.user, obj.date, obj.kind, obj.reason, unit=obj.unit)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.remove_exception(request.user, obj.date, unit=obj.unit)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("unit"):
            services.remove_exception(request.user, obj.date, unit=obj.unit)


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    list_display = ("__str__", "receipt_cutoff", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        return ("unit",) if obj else ()

    def save_model(self, request, obj, form, change):
        fields = ("morning_start", "morning_end", "afternoon_start", "afternoon_end", "receipt_cutoff")
        saved = services.set_office_hours(request.user, unit=obj.unit, **{f: getattr(obj, f) for f in fields})
        obj.pk = saved.pk
