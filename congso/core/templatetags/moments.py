"""``{{ dossier.due_at|appointment }}``: "15 giờ 30 phút, ngày 08/12/2026", or "—" when unset."""

from django import template

from congso.core.text import moment_text

register = template.Library()


@register.filter
def appointment(value, empty="—"):
    return moment_text(value) or empty
