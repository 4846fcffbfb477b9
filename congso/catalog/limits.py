"""Time limits (thời hạn giải quyết): how they are represented and resolved (ADR 0143).

A limit is a value with a unit. Besides the counted units (working days, days, hours, weeks,
months, years, minutes) there are two that count nothing: ``immediate`` ("trả ngay": due at the
receipt moment) and ``same_day`` ("trong ngày": due at the close of the receipt's working day, or of
the next one when received after the calendar's cut-off). Both are stored with the value 0.

A national record may state a number without a unit ("1": "văn bản gốc không ghi đơn vị"), or no
time at all. Such a limit does not *resolve*: ``resolve`` answers None and the agency's administrator
must set the local limit with its unit (``Offering.local_time_value``/``local_time_unit``) before the
procedure can be offered or a dossier of it received. Nothing here guesses a unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .models import TimeUnit

INSTANT_UNITS = (TimeUnit.IMMEDIATE.value, TimeUnit.SAME_DAY.value)
COUNTED_UNITS = tuple(u for u in TimeUnit.values if u not in INSTANT_UNITS)


@dataclass(frozen=True)
class TimeLimit:
    """A resolved limit: ``value`` (0 for the instant units) in ``unit`` (a ``TimeUnit`` value)."""

    value: Decimal
    unit: str
    is_local: bool = False

    @property
    def is_instant(self) -> bool:
        return self.unit in INSTANT_UNITS

    def __str__(self) -> str:
        return limit_text(self.value, self.unit)


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def resolve(value, unit, *, is_local: bool = False) -> TimeLimit | None:
    """The limit a (value, unit) pair states, or None when it cannot be known (no unit, no value)."""
    unit = (unit or "").strip()
    if unit in INSTANT_UNITS:
        return TimeLimit(Decimal(0), unit, is_local)
    number = _decimal(value)
    if unit not in COUNTED_UNITS or number is None or number <= 0:
        return None
    return TimeLimit(number, unit, is_local)


def states_time(value, unit) -> bool:
    """Whether the record says anything about the time (a number, or a unit)."""
    return _decimal(value) is not None or bool((unit or "").strip())


def limit_text(value, unit) -> str:
    """ "3 ngày làm việc", "Trả ngay", "Trong ngày làm việc"; "" when there is no unit."""
    if unit in INSTANT_UNITS:
        label = str(TimeUnit(unit).label)
        return label[:1].upper() + label[1:]
    number = _decimal(value)
    if unit not in COUNTED_UNITS or number is None:
        return ""
    shown = int(number) if number == number.to_integral_value() else str(number.normalize()).replace(".", ",")
    return f"{shown} {TimeUnit(unit).label}"


def not_longer_than(local: TimeLimit, national: TimeLimit) -> bool | None:
    """Whether ``local`` is no longer than ``national``; None when they cannot be compared (two
    different counted units). An instant limit is shorter than any counted one; "trả ngay" is
    shorter than "trong ngày"."""
    if local.is_instant or national.is_instant:
        if not national.is_instant:
            return True
        if not local.is_instant:
            return False
        return INSTANT_UNITS.index(local.unit) <= INSTANT_UNITS.index(national.unit)
    if local.unit != national.unit:
        return None
    return local.value <= national.value


def unresolved_message(procedure, agency=None) -> str:
    """Why a procedure cannot be offered or received until its local limit is set."""
    if agency is None:
        return _(
            "Thủ tục %(code)s chưa xác định được thời hạn giải quyết (hồ sơ thủ tục không ghi đơn vị "
            "thời hạn). Cần đặt thời hạn giải quyết tại địa phương, có đơn vị."
        ) % {"code": procedure.code}
    return _(
        "Thủ tục %(code)s chưa xác định được thời hạn giải quyết tại %(agency)s (hồ sơ thủ tục không ghi "
        "đơn vị thời hạn), nên chưa tiếp nhận được hồ sơ để hẹn ngày trả kết quả. Quản trị thủ tục của "
        "cơ quan cần đặt thời hạn giải quyết tại địa phương, có đơn vị."
    ) % {"code": procedure.code, "agency": agency.name}
