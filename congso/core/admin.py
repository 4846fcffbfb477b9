"""The audited Django admin base every app's admin builds on (the admin site itself: /quan-tri-he-thong/).

``AuditedAdmin`` writes an audit entry for every add, change and delete made in the admin, in the
same transaction; ``register(model, **options)`` registers a model with an ``AuditedAdmin`` built
from ``options``.
"""

from django.contrib import admin

from . import audit


class AuditedAdmin(admin.ModelAdmin):
    """Every change made in the admin also goes into the audit chain (same transaction)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            f"admin.{'change' if change else 'add'}",
            obj=obj,
            actor=request.user,
            data={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        audit.record("admin.delete", obj=obj, actor=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record("admin.delete", obj=obj, actor=request.user)
        super().delete_queryset(request, queryset)


def register(model, **options):
    admin.site.register(model, type(f"{model.__name__}Admin", (AuditedAdmin,), options))
