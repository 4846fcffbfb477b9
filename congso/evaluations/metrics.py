"""Platform metrics the evaluations app offers itself, from the apps below it (``hooks.metric_sources``).

Each source answers for one agency (its sub-tree included) over [start, end), or None when there is no
data to compute from: an indicator is never given a made-up number. Registered in ``apps.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from congso.directory.selectors import agency_by_code
from congso.dossiers import stats as dossier_stats
from congso.dossiers.models import Channel, Dossier
from congso.ratings import stats as rating_stats


@dataclass(frozen=True)
class OnTimeRate:
    """Dossiers handled on time ÷ dossiers handled, in %, as ``dossiers.stats`` defines it (late =
    finished late or overdue in process; dossiers without a time limit are left out)."""

    label: str = _("Tỷ lệ hồ sơ giải quyết đúng hạn (%)")

    def value(self, unit_kind, unit_code, start, end) -> Decimal | None:
        agency = agency_by_code(unit_code) if unit_kind == "agency" else None
        if agency is None:
            return None
        dossiers = Dossier.objects.filter(receiving_agency__path__startswith=agency.path)
        rows = dossier_stats.counts(dossiers, start=start, end=end, group_by="agency")
        keys = ("finished_on_time", "finished_late", "in_process_on_time", "in_process_overdue")
        handled = sum(r[k] for r in rows for k in keys)
        if not handled:
            return None
        late = sum(r["finished_late"] + r["in_process_overdue"] for r in rows)
        return (Decimal(handled - late) * 100 / handled).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class SatisfactionRate:
    """Applicants satisfied ÷ ratings given, in % (``ratings.stats.summary``, the 766 index's ratio)."""

    label: str = _("Tỷ lệ người dân, doanh nghiệp hài lòng (%)")

    def value(self, unit_kind, unit_code, start, end) -> Decimal | None:
        agency = agency_by_code(unit_code) if unit_kind == "agency" else None
        if agency is None:
            return None
        (row,) = rating_stats.summary([agency], start, end, include_subtree=True)
        return row["satisfaction_rate"]


@dataclass(frozen=True)
class OnlineShare:
    """Dossiers filed online ÷ dossiers received, in % (Decision 766: full points at 50 %)."""

    label: str = _("Tỷ lệ hồ sơ nộp trực tuyến (%)")

    def value(self, unit_kind, unit_code, start, end) -> Decimal | None:
        agency = agency_by_code(unit_code) if unit_kind == "agency" else None
        if agency is None:
            return None
        dossiers = Dossier.objects.filter(receiving_agency__path__startswith=agency.path)
        rows = dossier_stats.counts(dossiers, start=start, end=end, group_by="channel")
        received = sum(r["received"] for r in rows)
        if not received:
            return None
        online = sum(r["received"] for r in rows if r["channel"] == Channel.ONLINE)
        return (Decimal(online) * 100 / received).quantize(Decimal("0.01"))


ON_TIME_RATE = OnTimeRate()
ONLINE_SHARE = OnlineShare()
SATISFACTION_RATE = SatisfactionRate()
