"""The one-stop's indicators, computed from the daily facts (ADR 0148). Registered in ``apps.ready``.

Each formula is the Decision 766 item's, as ``docs/reference`` and the national portal's notes give it;
the denominators count dossiers of the unit (its agencies' receipts) in the period: received ones on the
day they were submitted, finished ones on the day they were finished.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .indicators import Drilldown, Indicator, fact_ratio, procedure_ratio

FINISHED = ("finished_day", Q(finished_day__isnull=False))

ONESTOP = (
    Indicator(
        key="on_time",
        name=_("Tỷ lệ hồ sơ giải quyết đúng hạn"),
        formula=_(
            "Hồ sơ đã giải quyết đúng hạn ÷ hồ sơ đã giải quyết có thời hạn (trễ: đã xin lỗi, hoàn thành "
            "sau hạn, hoặc phải bổ sung quá một lần)"
        ),
        numerator=_("hồ sơ đúng hạn"),
        denominator=_("hồ sơ đã giải quyết có thời hạn"),
        facts=fact_ratio("on_time", "timed"),
        drilldown=Drilldown("finished_day", Q(timed=True), Q(on_time=True), _("Hồ sơ giải quyết trễ hạn")),
        source="dossiers",
    ),
    Indicator(
        key="online_filing",
        name=_("Tỷ lệ hồ sơ nộp trực tuyến"),
        formula=_("Hồ sơ nộp trực tuyến ÷ hồ sơ tiếp nhận"),
        numerator=_("hồ sơ nộp trực tuyến"),
        denominator=_("hồ sơ tiếp nhận"),
        facts=fact_ratio("online", "received"),
        drilldown=Drilldown("received_day", Q(), Q(online=True), _("Hồ sơ không nộp trực tuyến")),
        source="dossiers",
    ),
    Indicator(
        key="full_online",
        name=_("Tỷ lệ hồ sơ trực tuyến toàn trình"),
        formula=_("Hồ sơ nộp trực tuyến toàn trình ÷ hồ sơ tiếp nhận"),
        numerator=_("hồ sơ trực tuyến toàn trình"),
        denominator=_("hồ sơ tiếp nhận"),
        facts=fact_ratio("full_online", "received"),
        drilldown=Drilldown("received_day", Q(), Q(full_online=True), _("Hồ sơ không trực tuyến toàn trình")),
        source="dossiers",
    ),
    Indicator(
        key="online_payment",
        name=_("Tỷ lệ hồ sơ thanh toán trực tuyến"),
        formula=_("Hồ sơ có phí đã nộp phí trực tuyến ÷ hồ sơ có phí, lệ phí"),
        numerator=_("hồ sơ thanh toán trực tuyến"),
        denominator=_("hồ sơ có phí, lệ phí"),
        facts=fact_ratio("paid_online", "fee_bearing"),
        drilldown=Drilldown(
            "received_day",
            Q(fee_bearing=True),
            Q(paid_online=True),
            _("Hồ sơ có phí không thanh toán trực tuyến"),
        ),
        source="dossiers, payments",
    ),
    Indicator(
        key="procedures_paid_online",
        name=_("Tỷ lệ thủ tục có phát sinh thanh toán trực tuyến"),
        formula=_("Thủ tục có hồ sơ thanh toán trực tuyến ÷ thủ tục có hồ sơ có phí trong kỳ"),
        numerator=_("thủ tục có thanh toán trực tuyến"),
        denominator=_("thủ tục có hồ sơ có phí"),
        unit_kinds=("agency", "commune", "province", "field"),
        facts=procedure_ratio("paid_online", "fee_bearing"),
        drilldown=Drilldown(
            "received_day",
            Q(),
            Q(),
            _("Thủ tục có phí chưa phát sinh thanh toán trực tuyến"),
            procedures=True,
            procedure_base="fee_bearing",
            procedure_hit="paid_online",
        ),
        source="dossiers, payments",
    ),
    Indicator(
        key="digitised",
        name=_("Tỷ lệ hồ sơ được số hóa"),
        formula=_("Hồ sơ có thành phần hồ sơ được số hóa ÷ hồ sơ tiếp nhận"),
        numerator=_("hồ sơ được số hóa"),
        denominator=_("hồ sơ tiếp nhận"),
        facts=fact_ratio("digitised", "received"),
        drilldown=Drilldown("received_day", Q(), Q(digitised=True), _("Hồ sơ chưa số hóa thành phần")),
        source="dossiers",
    ),
    Indicator(
        key="e_result",
        name=_("Tỷ lệ hồ sơ có kết quả điện tử"),
        formula=_("Hồ sơ đã giải quyết có kết quả điện tử ÷ hồ sơ đã giải quyết"),
        numerator=_("hồ sơ có kết quả điện tử"),
        denominator=_("hồ sơ đã giải quyết"),
        facts=fact_ratio("e_result", "finished"),
        drilldown=Drilldown("finished_day", Q(), Q(e_result=True), _("Hồ sơ không có kết quả điện tử")),
        source="dossiers",
    ),
    Indicator(
        key="satisfaction",
        name=_("Tỷ lệ người dân hài lòng (đánh giá)"),
        formula=_('Đánh giá "Hài lòng" ÷ hồ sơ đã giải quyết được đánh giá'),
        numerator=_("đánh giá hài lòng"),
        denominator=_("hồ sơ được đánh giá"),
        facts=fact_ratio("satisfied", "rated"),
        drilldown=Drilldown(
            "finished_day", Q(rated=True), Q(satisfied=True), _("Hồ sơ được đánh giá chưa hài lòng")
        ),
        source="ratings",
    ),
    Indicator(
        key="handling_satisfaction",
        name=_("Mức độ hài lòng về giải quyết TTHC"),
        formula=_(
            'Hồ sơ đúng hạn và không bị đánh giá "Không hài lòng" ÷ hồ sơ đã giải quyết có thời hạn '
            "(100% trừ tỷ lệ trễ hạn, trừ tỷ lệ không hài lòng)"
        ),
        numerator=_("hồ sơ đúng hạn, không bị đánh giá không hài lòng"),
        denominator=_("hồ sơ đã giải quyết có thời hạn"),
        facts=fact_ratio("handling_ok", "timed"),
        drilldown=Drilldown(
            "finished_day",
            Q(timed=True),
            Q(handling_ok=True),
            _("Hồ sơ trễ hạn hoặc bị đánh giá không hài lòng"),
        ),
        source="dossiers, ratings",
    ),
)


def register(registry) -> None:
    for indicator in ONESTOP:
        registry.register(indicator.key, indicator)
