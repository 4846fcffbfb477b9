from django.contrib import admin

from congso.core.admin import AuditedAdmin

from .models import MeetingType, Room


@admin.register(MeetingType)
class MeetingTypeAdmin(AuditedAdmin):
    list_display = ("name", "kind", "papers_days_before", "is_active")


@admin.register(Room)
class RoomAdmin(AuditedAdmin):
    list_display = ("name", "agency", "capacity", "is_active")
    list_filter = ("agency",)
