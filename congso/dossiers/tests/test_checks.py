"""The dossier code pattern is checked when the server starts (a Django system check)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from congso.dossiers.checks import check_code_pattern, code_pattern_problems


@pytest.mark.parametrize(
    "pattern",
    [
        "{agency}-{date:%y%m%d}-{seq:04d}",  # the default (issue 5)
        "{agency}-{date:%Y%m%d}-{seq:05d}",
        "{agency}/{date:%d%m%y}/{seq}",
        "{date:%Y-%m-%d}.{agency}.{seq:06d}",
        "{agency}-{date}-{seq:04d}",  # a date without format: 2027-02-03
    ],
)
def test_usable_patterns_pass(pattern):
    assert code_pattern_problems(pattern) == []


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{agency}-{seq:04d}", "còn thiếu: {date}"),
        ("{date:%y%m%d}-{seq:04d}", "còn thiếu: {agency}"),
        ("{agency}-{date:%y%m%d}", "còn thiếu: {seq}"),
        ("HS-{seq}", "còn thiếu: {agency}, {date}"),
        ("{agency}-{date:%y%m%d}-{seq:04d}-{unit}", "không dùng: {unit}"),
        ("{agency}-{date.year}-{seq}", "không dùng: {date.year}"),
        ("{agency}-{0}-{seq}", "không dùng: {0}"),
        ("{agency}-{date:%y%m%d-{seq:04d}", "sai cú pháp"),
        ("{agency}-{date:%y%m%d}-{seq:%Y}", "không áp dụng được"),
        ("{agency}-{date:%m%d}-{seq:04d}", "các ngày khác nhau"),  # no year: next year's codes collide
        ("{agency}-{date:%y%m}-{seq:04d}", "các ngày khác nhau"),  # the sequence restarts every day
        ("{agency}-{date:%Y%m%d}-{seq:030d}", "tối đa 60"),
        ("", "phải là một chuỗi"),
        (None, "phải là một chuỗi"),
    ],
)
def test_bad_patterns_are_refused_with_a_clear_message(pattern, message):
    problems = code_pattern_problems(pattern)
    assert problems and message in " ".join(problems), problems


def test_the_system_check_stops_startup_on_a_bad_pattern(settings):
    assert check_code_pattern() == []
    settings.CONGSO_DOSSIER_CODE_PATTERN = "{agency}-{seq:04d}"
    (error,) = check_code_pattern()
    assert error.id == "dossiers.E001" and "{date}" in error.msg and "{agency}-{seq:04d}" in error.hint
    with pytest.raises(SystemCheckError, match="dossiers.E001"):
        call_command("check")
