"""System administrators edit the legal data of access to information (Điều 17 categories, refusal
grounds, time limits) here. Requests change only through the services (read-only here)."""

from congso.core.admin import register

from .models import DisclosureCategory, RefusalGround, TimeLimit

register(DisclosureCategory, list_display=("order", "name", "legal_basis"), ordering=("order",))
register(RefusalGround, list_display=("order", "label", "legal_basis", "is_active"), ordering=("order",))
register(TimeLimit, list_display=("code", "name", "days", "working_days", "legal_basis"))
