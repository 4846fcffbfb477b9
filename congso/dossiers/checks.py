"""System checks of the dossier app, run at startup (``congso serve``, ``migrate``, ``check``).

The dossier code pattern (``CONGSO_DOSSIER_CODE_PATTERN``) is a ``str.format`` pattern over
``{agency}`` (the agency's electronic code), ``{date}`` (the receipt's day, a ``date``) and ``{seq}``
(the agency's sequence number that day). A wrong pattern would fail at the first receipt, or worse,
give two dossiers the same code on different days; it is refused before the server starts.
"""

from __future__ import annotations

import datetime as dt
import string

from django.conf import settings
from django.core import checks

DEFAULT_CODE_PATTERN = "{agency}-{date:%y%m%d}-{seq:04d}"
PLACEHOLDERS = ("agency", "date", "seq")
CODE_MAX_LENGTH = 60  # Dossier.code
# An agency's electronic code is at most 35 characters (directory.Agency.code), e.g. 000.00.12.H21.
SAMPLE_AGENCIES = ("000.00.12.H21", "H21.23575", "X" * 35)
SAMPLE_DAY = dt.date(2027, 2, 3)
# Days that differ from SAMPLE_DAY by the day, the month, the year, and by ten years.
OTHER_DAYS = (dt.date(2027, 2, 4), dt.date(2027, 3, 3), dt.date(2028, 2, 3), dt.date(2037, 2, 3))


def code_pattern() -> str:
    return getattr(settings, "CONGSO_DOSSIER_CODE_PATTERN", DEFAULT_CODE_PATTERN)


def code_pattern_problems(pattern) -> list[str]:
    """What is wrong with a dossier code pattern (Vietnamese sentences); empty when it is usable."""
    if not isinstance(pattern, str) or not pattern.strip():
        return ["Mẫu mã hồ sơ phải là một chuỗi, ví dụ “{agency}-{date:%y%m%d}-{seq:04d}”."]
    try:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None]
    except ValueError as exc:
        return [f"Mẫu mã hồ sơ sai cú pháp ({exc}); dấu ngoặc nhọn phải đi thành cặp {{…}}."]
    problems = []
    unknown = sorted({n for n in names if n not in PLACEHOLDERS})
    if unknown:
        problems.append(
            "Mẫu mã hồ sơ chỉ được dùng {agency}, {date} và {seq}; không dùng: "
            + ", ".join(f"{{{n}}}" for n in unknown)
            + "."
        )
    missing = [n for n in PLACEHOLDERS if n not in names]
    if missing:
        problems.append(
            "Mẫu mã hồ sơ phải có mã cơ quan {agency}, ngày tiếp nhận {date} và số thứ tự {seq}; còn thiếu: "
            + ", ".join(f"{{{n}}}" for n in missing)
            + "."
        )
    if problems:
        return problems
    try:
        samples = {
            (agency, day, seq): pattern.format(agency=agency, date=day, seq=seq)
            for agency in SAMPLE_AGENCIES
            for day in (SAMPLE_DAY, *OTHER_DAYS)
            for seq in (1, 2, 9999)
        }
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        return [f"Mẫu mã hồ sơ không áp dụng được ({exc}); ví dụ đúng: “{DEFAULT_CODE_PATTERN}”."]
    longest = max(samples.values(), key=len)
    if len(longest) > CODE_MAX_LENGTH:
        problems.append(
            f"Mã hồ sơ theo mẫu có thể dài {len(longest)} ký tự (tối đa {CODE_MAX_LENGTH}), ví dụ “{longest}”."
        )
    if len(set(samples.values())) != len(samples):
        problems.append(
            "Mẫu mã hồ sơ cho cùng một mã với các ngày khác nhau: phần {date} phải có đủ ngày, tháng và năm "
            "(ví dụ {date:%y%m%d}), vì số thứ tự bắt đầu lại mỗi ngày."
        )
    return problems


@checks.register("dossiers")
def check_code_pattern(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            problem,
            hint=f"Sửa CONGSO_DOSSIER_CODE_PATTERN (hiện là {code_pattern()!r}).",
            id="dossiers.E001",
        )
        for problem in code_pattern_problems(code_pattern())
    ]
