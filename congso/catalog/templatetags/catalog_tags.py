"""Display helpers for procedure content: time limits, fees, levels, online levels."""

from decimal import Decimal, InvalidOperation

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from congso.catalog.limits import INSTANT_UNITS, limit_text
from congso.catalog.models import Channel, Level, OnlineLevel, TimeUnit

register = template.Library()


@register.filter
def channel_label(code):
    return Channel(code).label if code in Channel.values else code


@register.filter
def level_label(code):
    return Level(code).label if code in Level.values else code


@register.filter
def online_label(code):
    return OnlineLevel(code).label if code in OnlineLevel.values else code


def _num(value):
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if number == number.to_integral_value():
        return intcomma(int(number))
    return str(number.normalize()).replace(".", ",")


@register.simple_tag
def time_text(value, unit):
    if unit in INSTANT_UNITS:
        return limit_text(value, unit)
    if value in (None, ""):
        return _("Không có thông tin")
    if unit in TimeUnit.values:
        return f"{_num(value)} {TimeUnit(unit).label}"
    return _("%(value)s (văn bản gốc không ghi đơn vị)") % {"value": _num(value)}


@register.simple_tag
def fee_text(kind, amount, currency):
    if kind == "free":
        return _("Miễn phí")
    if kind == "amount" and amount not in (None, ""):
        label = {"VND": "đồng"}.get(currency, currency)
        return f"{_num(amount).replace(',', '.') if currency == 'VND' else _num(amount)} {label}"
    return _("Không có thông tin")
