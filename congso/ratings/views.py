"""The rating page (the applicant rates a finished dossier once) and the statistics page for agencies."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congso.core.errors import Conflict, NotFound, ServiceError
from congso.core.forms import DATE_ERROR, parse_day
from congso.core.permissions import can
from congso.directory.models import Agency

from . import services, stats
from .criteria import ALL, COMMENT_MAX


def _questions(values: dict, error_field: str | None, error: str | None):
    return [
        {
            "key": c.key,
            "question": c.question,
            "choices": [
                {"value": v, "label": label, "id": f"r-{c.key}-{i}", "checked": values.get(c.key) == v}
                for i, (v, label) in enumerate(c.choices)
            ],
            "error": error if error_field == c.key else None,
        }
        for c in ALL
    ]


@login_required
@require_http_methods(["GET", "POST"])
def rate_page(request, code):
    try:
        dossier = services._dossier(code, lock=False)
        own = services.rating_for(dossier, actor=request.user)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        return render(
            request, "ratings/refused.html", {"code": code, "message": exc.message}, status=exc.status
        )
    if own is not None:
        return render(request, "ratings/done.html", {"dossier": dossier, "rating": own, "criteria": ALL})
    error = error_field = None
    values = {}
    if request.method == "POST":
        values = {c.key: request.POST.get(c.key, "") for c in ALL}
        values["comment"] = request.POST.get("comment", "")
        try:
            services.rate(dossier, actor=request.user, answers=values)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("ratings:rate", code=code)
        except ServiceError as exc:
            if exc.status != 400:
                return render(
                    request, "ratings/refused.html", {"code": code, "message": exc.message}, status=exc.status
                )
            error, error_field = exc.message, exc.field
        else:
            messages.success(
                request, _("Cảm ơn Ông/Bà đã đánh giá. Ý kiến của Ông/Bà giúp cơ quan phục vụ tốt hơn.")
            )
            return redirect("ratings:rate", code=code)
    else:
        try:
            services.check(request.user, dossier)
        except ServiceError as exc:
            return render(
                request, "ratings/refused.html", {"code": code, "message": exc.message}, status=exc.status
            )
    questions = _questions(values, error_field, error)
    anchor = next((q["choices"][0]["id"] for q in questions if q["error"]), "r-comment" if error else "")
    return render(
        request,
        "ratings/rate.html",
        {
            "dossier": dossier,
            "questions": questions,
            "comment": values.get("comment", ""),
            "comment_error": error if error_field == "comment" else None,
            "comment_max": COMMENT_MAX,
            "error": error,
            "error_anchor": anchor,
        },
        status=400 if error else 200,
    )


def stats_period(params):
    """(start, end) dates from ``start``/``end`` query parameters; default: this month so far."""
    today = timezone.localdate()
    try:
        start = parse_day(params.get("start")) or today.replace(day=1)
        end = parse_day(params.get("end")) or today
    except ValueError:
        raise ServiceError(DATE_ERROR, field="start") from None
    if end < start:
        raise ServiceError(_("Ngày kết thúc phải sau ngày bắt đầu."), field="end")
    return start, end


@login_required
def stats_page(request):
    agencies = [
        a
        for a in Agency.objects.filter(is_active=True).order_by("name")
        if can(request.user, "ratings.view_stats", a)
    ]
    if not agencies:
        raise Http404
    try:
        start, end = stats_period(request.GET)
    except (ValueError, ServiceError) as exc:
        messages.error(request, getattr(exc, "message", DATE_ERROR))
        start = end = timezone.localdate()
    agency = next((a for a in agencies if a.code == request.GET.get("agency")), agencies[0])
    by = request.GET.get("by") if request.GET.get("by") in stats.BY else "receiving"
    subtree = request.GET.get("subtree") == "1"
    (row,) = stats.summary([agency], start, end, by=by, include_subtree=subtree)
    return render(
        request,
        "ratings/stats.html",
        {
            "agencies": agencies,
            "agency": agency,
            "start": start,
            "end": end,
            "by": by,
            "subtree": subtree,
            "row": row,
            "sections": [row[c.key] | {"key": c.key} for c in ALL],
        },
    )
