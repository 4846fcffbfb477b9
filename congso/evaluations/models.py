"""Evaluation frameworks as data, their yearly rounds, the units' values and the results (ADR 0150).

A ``Framework`` (e.g. "Bộ chỉ số đánh giá mức độ chính quyền điện tử" of Gia Lai) is a tree of
``Criterion`` rows: groups → indicators → sub-indicators. Only leaves carry a value; a leaf's value
comes either from a platform metric (``hooks.metric_sources``, filled automatically and frozen when the
round closes) or from the unit itself with evidence (an uploaded file and a note). A ``Round`` is one
year's evaluation of the units the framework applies to; an ``Entry`` is one unit's value for one leaf
in a round, reviewed by a province evaluator; a ``Result`` is one unit's total, level and rank, written
when the round closes.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.directory.models import Agency

POINTS = {"max_digits": 9, "decimal_places": 3}


class UnitGroup(models.TextChoices):
    """Which units a framework evaluates (below its owner agency)."""

    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMUNE = "commune", _("Ủy ban nhân dân cấp xã")


class Level(models.TextChoices):
    I = "I", _("Mức I")  # noqa: E741 — the level's own name
    II = "II", _("Mức II")
    III = "III", _("Mức III")
    IV = "IV", _("Mức IV")


class Framework(models.Model):
    name = models.CharField(_("tên bộ chỉ số"), max_length=255)
    year = models.PositiveSmallIntegerField(
        _("năm ban hành"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    description = models.TextField(_("căn cứ, mô tả"), blank=True)
    owner = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan tổ chức đánh giá"),
        on_delete=models.PROTECT,
        related_name="evaluation_frameworks",
    )
    applies_to = models.JSONField(_("đối tượng đánh giá"), default=list)
    # Level bands: the lowest total that reaches each level (I is the best). Below level IV: not ranked.
    level_1_min = models.DecimalField(_("điểm tối thiểu mức I"), **POINTS)
    level_2_min = models.DecimalField(_("điểm tối thiểu mức II"), **POINTS)
    level_3_min = models.DecimalField(_("điểm tối thiểu mức III"), **POINTS)
    level_4_min = models.DecimalField(_("điểm tối thiểu mức IV"), **POINTS)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bộ chỉ số đánh giá")
        verbose_name_plural = _("bộ chỉ số đánh giá")
        ordering = ["-year", "name"]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def bands(self) -> list[tuple[str, Decimal]]:
        return [
            (Level.I, self.level_1_min),
            (Level.II, self.level_2_min),
            (Level.III, self.level_3_min),
            (Level.IV, self.level_4_min),
        ]

    def level_for(self, total: Decimal) -> str:
        """The best level whose threshold ``total`` reaches, or "" (below level IV)."""
        for level, minimum in self.bands():
            if total >= minimum:
                return level
        return ""


class Criterion(models.Model):
    """A node of a framework's tree: a group, an indicator or a sub-indicator."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Nhóm tiêu chí")
        INDICATOR = "indicator", _("Chỉ số")
        SUB = "sub", _("Chỉ số thành phần")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Đơn vị tự đánh giá, kèm minh chứng")
        METRIC = "metric", _("Số liệu của hệ thống (tự động)")

    class ValueKind(models.TextChoices):
        POINTS = "points", _("Điểm (từ 0 đến điểm tối đa)")
        RATE = "rate", _("Tỷ lệ, số lượng (quy ra điểm theo chỉ tiêu)")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    code = models.CharField(_("số thứ tự"), max_length=20)
    name = models.CharField(_("tên"), max_length=500)
    position = models.PositiveIntegerField(_("thứ tự hiển thị"), default=0)
    max_points = models.DecimalField(_("điểm tối đa"), **POINTS, default=Decimal(0))
    weight = models.DecimalField(_("trọng số"), max_digits=6, decimal_places=3, default=Decimal(1))
    source = models.CharField(_("nguồn số liệu"), max_length=10, choices=Source.choices, blank=True)
    metric_key = models.CharField(_("số liệu hệ thống"), max_length=100, blank=True)
    value_kind = models.CharField(
        _("loại giá trị"), max_length=10, choices=ValueKind.choices, default=ValueKind.POINTS
    )
    unit_label = models.CharField(_("đơn vị tính"), max_length=30, blank=True)
    min_value = models.DecimalField(_("giá trị nhỏ nhất"), **POINTS, default=Decimal(0))
    max_value = models.DecimalField(_("giá trị lớn nhất"), **POINTS, null=True, blank=True)
    target = models.DecimalField(_("chỉ tiêu (đạt khi từ mức này)"), **POINTS, null=True, blank=True)
    lower_is_better = models.BooleanField(
        _("càng thấp càng tốt"),
        default=False,
        help_text=_(
            "Ví dụ tỷ lệ nhiệm vụ quá hạn: đạt khi không vượt chỉ tiêu. Chỉ số lấy từ số liệu hệ thống theo "
            "chiều của số liệu đó."
        ),
    )
    guidance = models.TextField(_("hướng dẫn, minh chứng cần có"), blank=True)

    class Meta:
        verbose_name = _("tiêu chí, chỉ số")
        verbose_name_plural = _("tiêu chí, chỉ số")
        ordering = ["framework", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="evaluations_criterion_code"),
        ]

    def __str__(self):
        return f"{self.code}. {self.name}"

    @property
    def weighted_max(self) -> Decimal:
        return (self.max_points * self.weight).quantize(Decimal("0.001"))

    def upper_value(self) -> Decimal:
        """The highest value a unit may enter: ``max_value``, or the maximum points for a points value."""
        if self.max_value is not None:
            return self.max_value
        return self.max_points

    def points_for(self, value: Decimal | None) -> Decimal:
        """Points (before weight) for a value: a points value is itself (capped at the maximum); a rate
        below its target scores value × max ÷ target (Decision 766's rule), at or above it the maximum.
        When lower is better (``lower_is_better``), see ``_points_lower``."""
        if value is None:
            return Decimal(0)
        if self.value_kind == self.ValueKind.POINTS:
            return max(Decimal(0), min(value, self.max_points))
        if self.lower_is_better:
            return self._points_lower(value)
        if self.target is None or self.target <= 0:
            top = self.upper_value() or Decimal(1)
            return (self.max_points * min(value, top) / top).quantize(Decimal("0.001"))
        if value >= self.target:
            return self.max_points
        return (max(value, Decimal(0)) * self.max_points / self.target).quantize(Decimal("0.001"))

    def _points_lower(self, value: Decimal) -> Decimal:
        """Lower is better: at or under the target (or the smallest value, without a target) the maximum;
        above it, the points fall in a straight line to 0 at the highest value (100 for a rate in %)."""
        top = self.upper_value() if self.max_value is not None else Decimal(100)
        best = self.target if self.target is not None else self.min_value
        if value <= best:
            return self.max_points
        if value >= top or top <= best:
            return Decimal(0)
        return (self.max_points * (top - value) / (top - best)).quantize(Decimal("0.001"))

    def met(self, value: Decimal | None) -> bool | None:
        """Đạt / chưa đạt against the target (at or above it; at or under it when lower is better); None
        when the indicator has no target."""
        if self.target is None:
            return None
        if value is None:
            return False
        return value <= self.target if self.lower_is_better else value >= self.target


class Round(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Đang tự đánh giá")
        REVIEW = "review", _("Đang thẩm định")
        CLOSED = "closed", _("Đã chốt kết quả")
        PUBLISHED = "published", _("Đã công bố")

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    state = models.CharField(_("trạng thái"), max_length=12, choices=State.choices, default=State.OPEN)
    deadline = models.DateField(_("hạn tự đánh giá"), null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    review_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    decision_number = models.CharField(_("số quyết định công bố"), max_length=60, blank=True)
    annex = models.ForeignKey(
        "signing.IssuedDocument",
        verbose_name=_("phụ lục kết quả đã ký số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")
        ordering = ["-year", "framework"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "year"], name="evaluations_round_year"),
        ]

    def __str__(self):
        return f"{self.framework.name} — {self.year}"

    @property
    def frozen(self) -> bool:
        return self.state in (self.State.CLOSED, self.State.PUBLISHED)


def evidence_path(entry: Entry, filename: str) -> str:
    return f"evaluations/{entry.round_id}/{entry.unit_id}/{entry.criterion_id}-{filename}"


class Entry(models.Model):
    """One unit's value for one leaf criterion in a round."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Chờ thẩm định")
        ACCEPTED = "accepted", _("Đã chấp nhận")
        CORRECTED = "corrected", _("Đã điều chỉnh")
        AUTOMATIC = "automatic", _("Số liệu hệ thống")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="entries")
    value = models.DecimalField(_("giá trị tự đánh giá"), **POINTS, null=True, blank=True)
    note = models.TextField(_("thuyết minh"), blank=True)
    evidence = models.FileField(_("tệp minh chứng"), upload_to=evidence_path, max_length=300, blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("tình trạng"), max_length=12, choices=Status.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_value = models.DecimalField(_("giá trị thẩm định"), **POINTS, null=True, blank=True)
    review_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("giá trị đánh giá")
        verbose_name_plural = _("giá trị đánh giá")
        constraints = [
            models.UniqueConstraint(fields=["round", "unit", "criterion"], name="evaluations_entry_unique"),
        ]

    def __str__(self):
        return f"{self.unit.code} — {self.criterion.code}"

    @property
    def final_value(self) -> Decimal | None:
        return self.reviewed_value if self.status == self.Status.CORRECTED else self.value


class Result(models.Model):
    """A unit's total, level and rank in a closed round (written at close, from the frozen values)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(_("tổng điểm"), **POINTS)
    level = models.CharField(_("mức"), max_length=3, choices=Level.choices, blank=True)
    rank = models.PositiveIntegerField(_("xếp hạng"))
    met = models.PositiveIntegerField(_("số chỉ số đạt"), default=0)
    unmet = models.PositiveIntegerField(_("số chỉ số chưa đạt"), default=0)

    class Meta:
        verbose_name = _("kết quả xếp hạng")
        verbose_name_plural = _("kết quả xếp hạng")
        ordering = ["round", "rank", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="evaluations_result_unique"),
        ]

    def __str__(self):
        return f"{self.rank}. {self.unit} — {self.total}"
