from django.contrib import admin

from .models import Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("created_at", "dossier", "receiving_agency", "processing_agency", "overall")
    list_filter = ("overall", "on_time", "contacts", "attitude")
    search_fields = ("dossier__code",)
    date_hierarchy = "created_at"
    list_select_related = ("dossier", "receiving_agency", "processing_agency")
    readonly_fields = [f.name for f in Rating._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
