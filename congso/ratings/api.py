"""Satisfaction ratings API under /api/v1/ratings: the questions, rate a dossier, read one's own
rating, and statistics per agency and period (the same service functions as the pages)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status

from congso.core.api_auth import read_auth, write_auth
from congso.core.errors import NotFound, ServiceError
from congso.core.permissions import can
from congso.directory.models import Agency

from . import services, stats
from .criteria import ALL

router = Router(tags=["Đánh giá mức độ hài lòng"], auth=read_auth)


class ChoiceOut(Schema):
    value: str
    label: str


class QuestionOut(Schema):
    key: str
    question: str
    choices: list[ChoiceOut]


class RatingIn(Schema):
    overall: str
    on_time: str
    contacts: str
    guidance: str
    attitude: str
    fees: str
    result: str
    comment: str = ""


class RatingOut(RatingIn):
    dossier: str
    receiving_agency: str
    processing_agency: str
    created_at: dt.datetime


class AnswerStat(Schema):
    label: str
    count: int
    percent: Decimal | None


class CriterionStat(Schema):
    question: str
    answers: dict[str, AnswerStat]
    favourable: int
    favourable_percent: Decimal | None


class RatingStatsRow(Schema):
    agency: str
    agency_name: str
    total: int
    satisfaction_rate: Decimal | None
    criteria: dict[str, CriterionStat]


class RatingStatsQuery(Schema):
    agency: list[str]
    start: dt.date
    end: dt.date
    by: str = "receiving"
    include_subtree: bool = False


def out(r) -> dict:
    return {
        "dossier": r.dossier.code,
        "receiving_agency": r.receiving_agency.code,
        "processing_agency": r.processing_agency.code,
        "created_at": r.created_at,
        "comment": r.comment,
        **{c.key: getattr(r, c.key) for c in ALL},
    }


@router.get("/questions", response=list[QuestionOut], auth=None, summary="Các câu hỏi đánh giá")
def questions(request):
    return [
        {
            "key": c.key,
            "question": str(c.question),
            "choices": [{"value": v, "label": str(lb)} for v, lb in c.choices],
        }
        for c in ALL
    ]


@router.get("/stats", response=list[RatingStatsRow], summary="Thống kê mức độ hài lòng theo cơ quan và kỳ")
def statistics(request, q: Query[RatingStatsQuery]):
    if q.end < q.start:
        raise ServiceError("Ngày kết thúc phải sau ngày bắt đầu.", field="end")
    if q.by not in stats.BY:
        raise ServiceError("Tham số by phải là receiving hoặc processing.", field="by")
    agencies = list(Agency.objects.filter(code__in=q.agency))
    if len(agencies) != len(set(q.agency)):
        raise NotFound("Không tìm thấy cơ quan.")
    if not all(can(request.auth, "ratings.view_stats", a) for a in agencies):
        raise PermissionDenied("Bạn không có quyền xem thống kê đánh giá của cơ quan này.")
    rows = stats.summary(agencies, q.start, q.end, by=q.by, include_subtree=q.include_subtree)
    return [
        {
            "agency": r["agency"].code,
            "agency_name": r["agency"].name,
            "total": r["total"],
            "satisfaction_rate": r["satisfaction_rate"],
            "criteria": {c.key: r[c.key] for c in ALL},
        }
        for r in rows
    ]


@router.get("/{code}", response=RatingOut, summary="Đánh giá của người nộp cho hồ sơ")
def get_rating(request, code: str):
    rating = services.rating_for(code, actor=request.auth)
    if rating is None:
        raise NotFound("Hồ sơ chưa được đánh giá.")
    return out(rating)


@router.post("/{code}", response={201: RatingOut}, auth=write_auth, summary="Đánh giá hồ sơ (một lần)")
def rate(request, code: str, payload: RatingIn):
    rating = services.rate(code, actor=request.auth, answers=payload.dict())
    return Status(201, out(rating))
