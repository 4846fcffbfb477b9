from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from congso.core.errors import ServiceError

from . import services
from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "dossier", "event", "channel", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "channel", "event")
    search_fields = ("dossier__code", "address")
    date_hierarchy = "created_at"
    list_select_related = ("dossier",)
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Gửi lại các thông báo đã chọn"))
    def send_again(self, request, queryset):
        done = 0
        for n in queryset:
            try:
                services.resend(n.pk, actor=request.user)
                done += 1
            except ServiceError as exc:
                self.message_user(request, f"{n.pk}: {exc.message}", messages.WARNING)
        self.message_user(request, _("Đã đưa %(n)s thông báo vào hàng đợi gửi lại.") % {"n": done})
