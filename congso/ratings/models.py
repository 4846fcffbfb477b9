"""A citizen's satisfaction rating of one finished dossier (đánh giá mức độ hài lòng).

One rating per dossier (a unique constraint, and the rating service locks the dossier row), given
by the dossier's applicant after the result. It is tied to the agency that received the dossier and
to the agency that processed it, so statistics can be read either way.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .criteria import BY_KEY, COMMENT_MAX


def _choices(key):
    return list(BY_KEY[key].choices)


class Rating(models.Model):
    dossier = models.OneToOneField(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="rating"
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đánh giá"), on_delete=models.PROTECT, related_name="+"
    )
    receiving_agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    processing_agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan giải quyết"), on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+"
    )
    overall = models.CharField(_("mức độ hài lòng chung"), max_length=12, choices=_choices("overall"))
    on_time = models.CharField(_("đúng hẹn"), max_length=12, choices=_choices("on_time"))
    contacts = models.CharField(_("số lần liên hệ"), max_length=12, choices=_choices("contacts"))
    guidance = models.CharField(_("hướng dẫn"), max_length=12, choices=_choices("guidance"))
    attitude = models.CharField(_("thái độ cán bộ"), max_length=12, choices=_choices("attitude"))
    fees = models.CharField(_("chi phí"), max_length=12, choices=_choices("fees"))
    result = models.CharField(_("kết quả"), max_length=12, choices=_choices("result"))
    comment = models.TextField(_("góp ý"), max_length=COMMENT_MAX, blank=True)
    created_at = models.DateTimeField(_("thời điểm đánh giá"), auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["receiving_agency", "created_at"], name="rating_receiving_idx"),
            models.Index(fields=["processing_agency", "created_at"], name="rating_processing_idx"),
        ]

    def __str__(self):
        return f"{self.dossier_id}: {self.overall}"
