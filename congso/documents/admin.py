"""System administrators' view of the documents' reference data (types, registers, review chains).
Numbers and documents change only through the services (no add/change here)."""

from congso.core.admin import register

from .models import DocumentType, Register, ReviewStep

register(DocumentType, list_display=("order", "name", "abbreviation", "is_active"), ordering=("order",))
register(
    Register,
    list_display=("name", "agency", "direction", "secret", "notation", "is_active"),
    list_filter=("direction", "secret"),
    search_fields=("name", "agency__name", "agency__code"),
)
register(ReviewStep, list_display=("agency", "position", "title", "role"), list_filter=("role",))
