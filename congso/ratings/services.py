"""Use cases of satisfaction ratings. ``rate`` runs in one transaction, locks the dossier row, refuses
anything but the applicant's first rating of a finished dossier, and writes the audit entry."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.errors import Conflict, Forbidden, NotFound, ServiceError
from congso.core.locking import lock as lock_rows
from congso.core.permissions import can
from congso.dossiers.models import FINISHED_STATUSES, Dossier

from . import hooks
from .criteria import ALL, COMMENT_MAX
from .models import Rating


def _dossier(dossier_or_code, *, lock: bool):
    qs = Dossier.objects.select_related("receiving_agency", "current_agency", "procedure_version")
    key = {"code": dossier_or_code} if isinstance(dossier_or_code, str) else {"pk": dossier_or_code.pk}
    if lock:
        lock_rows(Dossier, **key)  # the row alone, then read fresh (core.locking)
    dossier = qs.filter(**key).first()
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ."))
    return dossier


def _check_may_rate(actor, dossier) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise Forbidden(_("Vui lòng đăng nhập để đánh giá hồ sơ của mình."), code="unauthenticated")
    if dossier.applicant_id != actor.pk:
        if not can(actor, "dossiers.view", dossier):
            raise NotFound(_("Không tìm thấy hồ sơ."))
        raise Forbidden(
            _("Chỉ người nộp hồ sơ mới được đánh giá mức độ hài lòng đối với hồ sơ này."), code="forbidden"
        )
    if dossier.status not in FINISHED_STATUSES:
        raise ServiceError(
            _("Hồ sơ chưa có kết quả; Ông/Bà có thể đánh giá sau khi hồ sơ được giải quyết xong."),
            code="not_finished",
        )


def check(actor, dossier_or_code):
    """The dossier if ``actor`` may rate it now (not rated yet); raises the reason otherwise."""
    dossier = _dossier(dossier_or_code, lock=False)
    _check_may_rate(actor, dossier)
    if Rating.objects.filter(dossier=dossier).exists():
        raise Conflict(
            _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần."), code="already_rated"
        )
    return dossier


def clean(answers: dict) -> dict:
    """Validate the answers; one ServiceError naming the first missing or invalid field."""
    cleaned = {}
    for c in ALL:
        value = answers.get(c.key)
        value = "" if value is None else str(value).strip()
        if not value:
            raise ServiceError(_("Vui lòng trả lời câu hỏi: %(q)s") % {"q": c.question}, field=c.key)
        if value not in dict(c.choices):
            raise ServiceError(
                _("Câu trả lời không hợp lệ cho câu hỏi: %(q)s") % {"q": c.question}, field=c.key
            )
        cleaned[c.key] = value
    comment = (answers.get("comment") or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ServiceError(
            _("Góp ý dài tối đa %(max)s ký tự (hiện có %(n)s).") % {"max": COMMENT_MAX, "n": len(comment)},
            field="comment",
        )
    cleaned["comment"] = comment
    return cleaned


def processing_agency(dossier):
    """The agency that processed the dossier: where its last workflow step ran, else the receiving one."""
    run = dossier.step_runs.select_related("agency").order_by("-started_at", "-id").first()
    return run.agency if run else dossier.receiving_agency


def rate(dossier_or_code, *, actor, answers: dict) -> Rating:
    """The applicant rates a finished dossier, once."""
    cleaned = clean(answers)
    with transaction.atomic():
        dossier = _dossier(dossier_or_code, lock=True)
        _check_may_rate(actor, dossier)
        if Rating.objects.filter(dossier=dossier).exists():
            raise Conflict(
                _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần."), code="already_rated"
            )
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    dossier=dossier,
                    rater=actor,
                    receiving_agency=dossier.receiving_agency,
                    processing_agency=processing_agency(dossier),
                    procedure_id=dossier.procedure_version.procedure_id,
                    **cleaned,
                )
        except IntegrityError:
            raise Conflict(
                _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần."), code="already_rated"
            ) from None
        audit.record(
            "ratings.rate",
            obj=dossier,
            actor=actor,
            data={c.key: cleaned[c.key] for c in ALL},
        )
        hooks.rating_given.fire(rating=rating)
        return rating


def rating_for(dossier_or_code, *, actor) -> Rating | None:
    """The applicant's own rating of a dossier (None if not rated yet). Others: not found / forbidden."""
    dossier = _dossier(dossier_or_code, lock=False)
    if not getattr(actor, "is_authenticated", False) or not can(actor, "ratings.view_own", dossier):
        if getattr(actor, "is_authenticated", False) and can(actor, "dossiers.view", dossier):
            raise Forbidden(_("Chỉ người nộp hồ sơ mới xem được đánh giá của mình."), code="forbidden")
        raise NotFound(_("Không tìm thấy hồ sơ."))
    return Rating.objects.filter(dossier=dossier).first()
