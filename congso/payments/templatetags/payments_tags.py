from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def dong(value) -> str:
    """50000 → "50.000" (Vietnamese thousands separator), whatever the locale's grouping setting."""
    try:
        return f"{int(Decimal(str(value))):,}".replace(",", ".")
    except (InvalidOperation, TypeError, ValueError):
        return ""
