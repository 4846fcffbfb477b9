"""System administrators' view of the voting reference data: rules and bodies. Ballots and votes change
only through the services (not listed here: a secret ballot's counters are not for browsing)."""

from congso.core.admin import register

from .models import Body, Rule

register(
    Rule,
    list_display=("name", "code", "basis", "threshold_num", "threshold_den", "non_answer", "is_active"),
    list_filter=("basis", "non_answer", "is_active"),
    search_fields=("name", "code"),
)
register(
    Body,
    list_display=("name", "agency", "rule", "is_active"),
    search_fields=("name", "agency__name"),
    filter_horizontal=("members", "secretaries"),
)
