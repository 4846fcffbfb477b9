"""The Decision 766 groups and items are data: system administrators adjust points, targets and the
indicator behind each item here (ADR 0149); every change is audited by the admin base."""

from django.contrib import admin

from congso.core.admin import AuditedAdmin

from .models import IndexGroup, IndexItem


@admin.register(IndexGroup)
class IndexGroupAdmin(AuditedAdmin):
    list_display = ("position", "code", "name")


@admin.register(IndexItem)
class IndexItemAdmin(AuditedAdmin):
    list_display = ("code", "name", "group", "max_points", "target", "indicator")
    list_filter = ("group",)
    search_fields = ("code", "name", "indicator")
