"""Pages of the service index: the public province page with its ranking, a unit's page (public: figures
only), the drill-down to the dossiers behind lost points (signed-in, in scope), exports and open data."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from congso.core.errors import NotFound, ServiceError

from . import dashboard, exports, index766, selectors, units


def _period(request):
    return units.period(
        request.GET.get("ky") or "year",
        at=request.GET.get("ngay") or None,
        start=request.GET.get("tu") or None,
        end=request.GET.get("den") or None,
    )


def _province():
    province = units.default_province()
    if province is None:
        raise Http404
    return province


def _refused(request, exc: ServiceError):
    return render(request, "scorecard/refused.html", {"message": exc.message}, status=exc.status)


def _period_context(request, period):
    return {
        "period": period,
        "ky": period.kind,
        "ngay": request.GET.get("ngay") or "",
        "tu": request.GET.get("tu") or "",
        "den": request.GET.get("den") or "",
        "period_kinds": [
            ("month", _("Tháng")),
            ("quarter", _("Quý")),
            ("year", _("Năm")),
            ("day", _("Ngày")),
            ("custom", _("Tùy chọn")),
        ],
        "query": request.GET.urlencode(),
    }


@require_GET
def public_page(request):
    """The province's index and the ranking of its departments and communes (no sign-in)."""
    try:
        period = _period(request)
    except ServiceError as exc:
        return _refused(request, exc)
    province = _province()
    whole, ranking = selectors.province_board(province, period)
    return render(
        request,
        "scorecard/public.html",
        {
            "province": province,
            "whole": whole,
            "agencies": [r for r in ranking if r.kind == "agency"],
            "communes": [r for r in ranking if r.kind == "commune"],
            **_period_context(request, period),
        },
    )


@require_GET
def unit_page(request, kind, code):
    """A unit's items: value, target, points, formula; links to the lost points' dossiers."""
    try:
        period = _period(request)
        unit = units.resolve(kind, code)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        return _refused(request, exc)
    score = index766.score(unit, period)
    return render(
        request,
        "scorecard/unit.html",
        {
            "unit": unit,
            "kind_label": units.UNIT_KIND_LABELS[unit.kind],
            "score": score,
            "trend": selectors.monthly_series(unit, 12) if request.GET.get("xu-huong") else None,
            **_period_context(request, period),
        },
    )


@login_required
@require_GET
def drilldown_page(request, kind, code, key):
    """The dossiers (masked) or procedures that lost an indicator's points; 403 outside one's scope."""
    try:
        period = _period(request)
        unit = units.resolve(kind, code)
        page = int(request.GET.get("trang") or 1) if (request.GET.get("trang") or "1").isdigit() else 1
        drill = selectors.drilldown(request.user, unit, period, key, page=page)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        return _refused(request, exc)
    return render(
        request,
        "scorecard/drilldown.html",
        {"unit": unit, "drill": drill, "key": key, **_period_context(request, period)},
    )


@require_GET
def export_board(request, fmt):
    """The province's index and ranking as CSV or Excel."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    try:
        period = _period(request)
    except ServiceError as exc:
        return _refused(request, exc)
    whole, ranking = selectors.province_board(_province(), period)
    rows = exports.board_rows(whole, ranking)
    name = f"chi-so-phuc-vu-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    return exports.respond(rows, fmt, name, sheet="Chỉ số 766")


@require_GET
def open_data(request, fmt):
    """The province's monthly indicators for the last 12 months (stable URL, public, no personal data)."""
    if fmt not in ("csv", "json"):
        raise Http404
    province = _province()
    unit = units.resolve("province", province.code)
    series = exports.open_data_rows(selectors.monthly_series(unit, 12))
    if fmt == "json":
        return JsonResponse(
            {"province": {"code": province.code, "name": province.name}, "months": series},
            json_dumps_params={"ensure_ascii": False},
        )
    return exports.respond(exports.table(series), "csv", f"du-lieu-mo-chi-so-{province.code}")


# The operations-centre dashboard (ADR 0162) ------------------------------------------------------


def _board(request):
    period = units.period(
        request.GET.get("ky") or "month",
        at=request.GET.get("ngay") or None,
        start=request.GET.get("tu") or None,
        end=request.GET.get("den") or None,
    )
    keep = {k: v for k, v in request.GET.items() if k in ("ky", "ngay", "tu", "den", "don-vi") and v}
    return dashboard.board_for(
        request.user,
        period=period,
        agency_code=(request.GET.get("don-vi") or "").strip(),
        query=urlencode(keep),
    )


def _live_context(board):
    return {
        "board": board,
        "tiles": dashboard.tile_values(board),
        "updated": timezone.localtime(board.now),
    }


@login_required
@require_GET
def dashboard_page(request):
    """Tiles, 12-month trends and the comparison of units in the viewer's scope."""
    try:
        board = _board(request)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        return _refused(request, exc)
    return render(
        request,
        "scorecard/dashboard.html",
        {
            **_live_context(board),
            "trends": dashboard.trends(board),
            "compared": dashboard.comparison(board),
            "chart": dashboard.CHART,
            **_period_context(request, board.period),
        },
    )


@login_required
@require_GET
def dashboard_live(request):
    """The tiles alone: what the page polls (htmx) to refresh itself without a reload."""
    try:
        board = _board(request)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        return _refused(request, exc)
    return render(request, "scorecard/_dashboard_live.html", _live_context(board))


@login_required
@require_GET
def dashboard_list(request, key):
    """The dossiers behind a tile (masked unless the viewer handles them); 403 outside the scope."""
    raw = request.GET.get("trang") or "1"
    try:
        board = _board(request)
        listing = dashboard.dossier_list(board, key, page=int(raw) if raw.isdigit() else 1)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        return _refused(request, exc)
    return render(
        request,
        "scorecard/dashboard_list.html",
        {"board": board, "listing": listing, **_period_context(request, board.period)},
    )
