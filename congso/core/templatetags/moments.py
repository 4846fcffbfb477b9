"""``{{ dossier.due_at|appointment }}``: "15 giờ 30 phút, ngày 08/12/2026", or "—" when unset;
``{{ start|day }}``: a day as a date input shows it (dd/mm/yyyy)."""

from django import template

from congso.core.forms import day_text
from congso.core.text import moment_text

register = template.Library()


@register.filter
def appointment(value, empty="—"):
    return moment_text(value) or empty


@register.filter
def day(value):
    return day_text(value)
