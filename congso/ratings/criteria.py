"""What the applicant is asked, declared once: the overall verdict and the criteria.

The criteria follow the evaluation of administrative-procedure handling in the one-stop rules
(Decree 61/2018 Art. 33, carried into Decree 118/2025) and the national portal's satisfaction survey
as provinces run it (e.g. Thừa Thiên Huế's form: time limit kept, number of contacts needed), and
feed the satisfaction item of the real-time service index (Decision 766/QĐ-TTg). Each criterion is a
column on ``Rating`` (so statistics are plain SQL counts); ``favourable`` names the answers that count
as a good experience in the statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Criterion:
    key: str
    question: str
    choices: tuple[tuple[str, str], ...]
    favourable: tuple[str, ...]


OVERALL = Criterion(
    "overall",
    _("Nhìn chung, Ông/Bà có hài lòng với việc giải quyết hồ sơ này không?"),
    (
        ("satisfied", _("Hài lòng")),
        ("normal", _("Bình thường")),
        ("dissatisfied", _("Không hài lòng")),
    ),
    ("satisfied",),
)

CRITERIA = (
    Criterion(
        "on_time",
        _("Hồ sơ có được trả kết quả đúng hẹn không?"),
        (("yes", _("Đúng hoặc sớm hơn ngày hẹn")), ("no", _("Trễ hẹn"))),
        ("yes",),
    ),
    Criterion(
        "contacts",
        _("Ông/Bà phải liên hệ, đi lại bao nhiêu lần để hoàn thành hồ sơ?"),
        (("1", _("1 lần")), ("2", _("2 lần")), ("3+", _("3 lần trở lên"))),
        ("1",),
    ),
    Criterion(
        "guidance",
        _("Hướng dẫn về thành phần hồ sơ, cách thực hiện có rõ ràng, đầy đủ không?"),
        (("clear", _("Rõ ràng, đầy đủ")), ("partly", _("Chưa đầy đủ")), ("unclear", _("Khó hiểu"))),
        ("clear",),
    ),
    Criterion(
        "attitude",
        _("Thái độ, cách ứng xử của cán bộ, công chức?"),
        (("good", _("Lịch sự, tận tình")), ("normal", _("Bình thường")), ("poor", _("Chưa tốt"))),
        ("good",),
    ),
    Criterion(
        "fees",
        _("Chi phí Ông/Bà đã trả có đúng mức phí, lệ phí quy định không?"),
        (
            ("as_listed", _("Đúng quy định")),
            ("none", _("Không phải nộp")),
            ("extra", _("Phải trả thêm ngoài quy định")),
        ),
        ("as_listed", "none"),
    ),
    Criterion(
        "result",
        _("Kết quả nhận được có chính xác, đúng như yêu cầu không?"),
        (("correct", _("Chính xác")), ("incorrect", _("Có sai sót"))),
        ("correct",),
    ),
)

ALL = (OVERALL, *CRITERIA)
BY_KEY = {c.key: c for c in ALL}
COMMENT_MAX = 1000
