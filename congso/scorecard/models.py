"""Facts behind the scorecards (ADR 0148) and the Decision 766 index as data (ADR 0149).

``DossierFact`` is what one dossier contributes to the figures, as of its last change: its unit, its
procedure, its days and its yes/no measures. ``DailyFact`` sums those contributions per Vietnam day,
agency and procedure; it is kept in step in the dossier's own transaction (``facts.refresh``: the old
contribution is taken out and the new one added) and recomputed from records by
``congso scorecard rebuild``. ``MonthlyFact`` holds the same sums per calendar month, kept by the same
statement. Indicators are sums of these columns over a unit and a period: whole months from
``MonthlyFact``, the days at either end from ``DailyFact``.

``IndexGroup`` / ``IndexItem`` hold the six groups of Decision 766/QĐ-TTg and their items, with their
maximum points, targets and the indicator that computes each (blank: the platform cannot compute it
yet, and the item is left out of the total with its note).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The measures of a dossier counted on the day it was submitted (its receipt) …
RECEIPT_MEASURES = ("received", "online", "full_online", "digitised", "fee_bearing", "paid_online")
# … and those counted on the day it was finished (processed, or result returned).
FINISH_MEASURES = ("finished", "timed", "on_time", "e_result", "rated", "satisfied", "handling_ok")
MEASURES = RECEIPT_MEASURES + FINISH_MEASURES


class DossierFact(models.Model):
    """One dossier's contribution to the figures, as of its last change (never edited by hand)."""

    # Derived data without database constraints: a rebuild inserting facts must not wait for a key
    # lock on a dossier that a change holds while it waits for the rebuild (ADR 0148).
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, primary_key=True, related_name="+", db_constraint=False
    )
    agency = models.ForeignKey(
        "directory.Agency", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    received_day = models.DateField()
    finished_day = models.DateField(null=True, blank=True)
    # Receipt measures
    online = models.BooleanField(default=False)
    full_online = models.BooleanField(default=False)
    digitised = models.BooleanField(default=False)
    fee_bearing = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)
    # Finish measures (meaningful when finished_day is set)
    timed = models.BooleanField(default=False, help_text="finished with a time limit: on time or late")
    on_time = models.BooleanField(default=False)
    e_result = models.BooleanField(default=False)
    rated = models.BooleanField(default=False)
    satisfied = models.BooleanField(default=False)
    handling_ok = models.BooleanField(
        default=False, help_text="timed, on time and not rated dissatisfied (766: satisfaction with handling)"
    )

    class Meta:
        indexes = [
            models.Index(fields=["agency", "received_day"], name="scorecard_fact_received_idx"),
            models.Index(fields=["agency", "finished_day"], name="scorecard_fact_finished_idx"),
        ]

    def __str__(self):
        return f"fact {self.dossier_id}"


class FactSums(models.Model):
    """The measures summed over a span of days, per agency and procedure (``DailyFact``, ``MonthlyFact``)."""

    agency = models.ForeignKey(
        "directory.Agency", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    received = models.IntegerField(default=0)
    online = models.IntegerField(default=0)
    full_online = models.IntegerField(default=0)
    digitised = models.IntegerField(default=0)
    fee_bearing = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    finished = models.IntegerField(default=0)
    timed = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    e_result = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    handling_ok = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DailyFact(FactSums):
    """Sums of ``DossierFact`` measures per Vietnam day, agency and procedure."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "agency", "procedure"], name="scorecard_daily_unique"),
        ]
        indexes = [models.Index(fields=["agency", "day"], name="scorecard_daily_agency_day")]

    def __str__(self):
        return f"{self.day} {self.agency_id} {self.procedure_id}"


class MonthlyFact(FactSums):
    """The same sums per calendar month (``month`` is its first day), kept by the same statement as
    ``DailyFact`` (ADR 0182): a period of whole months reads twelve rows a year instead of 365."""

    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "agency", "procedure"], name="scorecard_monthly_unique"),
        ]
        indexes = [models.Index(fields=["agency", "month"], name="scorecard_monthly_agency_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.agency_id} {self.procedure_id}"


class IndexGroup(models.Model):
    """A group of the service index (Decision 766): Công khai, minh bạch; Tiến độ; …"""

    code = models.CharField(_("mã nhóm"), max_length=20, unique=True)
    name = models.CharField(_("tên nhóm"), max_length=200)
    position = models.PositiveSmallIntegerField(_("thứ tự"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("nhóm chỉ số 766")
        verbose_name_plural = _("nhóm chỉ số 766")

    def __str__(self):
        return self.name


class IndexItem(models.Model):
    """An item of the index: its maximum points, its target and the indicator computing it."""

    group = models.ForeignKey(IndexGroup, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("mã tiêu chí"), max_length=20, unique=True)
    name = models.CharField(_("tên tiêu chí"), max_length=300)
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    target = models.DecimalField(
        _("ngưỡng đạt điểm tối đa (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Để trống: điểm = điểm tối đa × tỷ lệ."),
    )
    indicator = models.CharField(
        _("chỉ số tính tự động"),
        max_length=60,
        blank=True,
        help_text=_("Để trống khi hệ thống chưa tính được tiêu chí này."),
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["group__position", "position"]
        verbose_name = _("tiêu chí chỉ số 766")
        verbose_name_plural = _("tiêu chí chỉ số 766")

    def __str__(self):
        return f"{self.code} {self.name}"
