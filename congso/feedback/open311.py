"""Open311 GeoReport v2 at ``/open311/v2/`` (JSON and XML), over the same services as the pages.

- ``discovery``, ``services``, ``services/{service_code}`` (the category tree, with two attributes for
  every category: the commune ``xa_phuong``, required, and whether the report is public ``cong_khai``);
- ``requests`` GET with ``service_request_id``, ``service_code``, ``start_date``, ``end_date``,
  ``status`` (open/closed): the public reports, last 90 days by default, at most 1,000;
  POST with an ``api_key`` issued by administrators (``services.issue_api_key``);
- ``requests/{service_request_id}`` (an array) and ``tokens/{token}``.

Errors are an array of ``{code, description}``: 404 not found, 403 a bad key, 400 anything else.
Times are ISO 8601 with the time zone. Never a reporter's identity.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from xml.etree import ElementTree as ET

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from congso.core.errors import NotFound, RateLimited, ServiceError
from congso.core.middleware import client_ip
from congso.core.walk import planner_settings
from congso.directory.models import AdministrativeUnit

from . import selectors, services
from .models import OPEN_STATUSES, Category, Channel, Media, Report, Status

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
CLOSED = (Status.ANSWERED, Status.CLOSED, Status.REJECTED, Status.MERGED)
MAX_REQUESTS = 1000
DEFAULT_DAYS = 90
PLURAL = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "keywords": "keyword",
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


def _xml(parent: ET.Element, name: str, value) -> None:
    if isinstance(value, list):
        node = ET.SubElement(parent, name)
        child = PLURAL.get(name, "item")
        for item in value:
            _xml(node, child, item)
    elif isinstance(value, dict):
        node = ET.SubElement(parent, name)
        for k, v in value.items():
            _xml(node, k, v)
    else:
        node = ET.SubElement(parent, name)
        if value is not None:
            node.text = "true" if value is True else "false" if value is False else str(value)


def _flat_xml(root: str, items: list[dict]) -> str:
    """A list of flat dicts as ``ElementTree`` writes it (``<x />`` when empty, ``&``, ``<``, ``>``
    escaped), without building a tree: a thousand service requests cost a few ms instead of 60."""
    child = PLURAL.get(root, "item")
    out = [f"<{root}>"]
    for item in items:
        out.append(f"<{child}>")
        for k, v in item.items():
            if v is None or v == "":
                out.append(f"<{k} />")
            else:
                text = "true" if v is True else "false" if v is False else str(v)
                if "&" in text or "<" in text or ">" in text:
                    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                out.append(f"<{k}>{text}</{k}>")
        out.append(f"</{child}>")
    out.append(f"</{root}>")
    return "".join(out) if items else f"<{root} />"


def _is_flat(data) -> bool:
    return isinstance(data, list) and all(
        isinstance(item, dict) and not any(isinstance(v, list | dict) for v in item.values()) for item in data
    )


def render(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    """``data`` as JSON, or as XML under ``root`` (a list: one element per item)."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, default=str)
    elif _is_flat(data):
        body = '<?xml version="1.0" encoding="utf-8"?>' + _flat_xml(root, data)
    else:
        if isinstance(data, list):
            tree = ET.Element(root)
            for item in data:
                _xml(tree, PLURAL.get(root, "item"), item)
        else:
            tree = ET.Element(root)
            for k, v in data.items():
                _xml(tree, k, v)
        body = '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(tree, encoding="unicode")
    return HttpResponse(body, status=status, content_type=FORMATS[fmt])


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", [{"code": status, "description": description}], status=status)


def endpoint(view):
    def wrapper(request, fmt, *args, **kwargs):
        if fmt not in FORMATS:
            return error("json", 404, _("Định dạng không hỗ trợ; dùng .json hoặc .xml."))
        try:
            return view(request, fmt, *args, **kwargs)
        except Open311Error as exc:
            return error(fmt, exc.status, exc.description)
        except NotFound as exc:
            return error(fmt, 404, exc.message)
        except RateLimited as exc:
            return error(fmt, 429, exc.message)
        except ServiceError as exc:
            return error(fmt, 400 if exc.status not in (403, 404) else exc.status, exc.message)

    wrapper.__name__ = view.__name__
    return wrapper


def _iso(moment, tz=None) -> str | None:
    """``moment`` in ISO 8601 with the offset of ``tz`` (the current time zone when not given)."""
    if not moment:
        return None
    return moment.astimezone(tz or timezone.get_current_timezone()).isoformat(timespec="seconds")


def _communes():
    today = timezone.localdate()
    return (
        AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE, valid_from__lte=today)
        .exclude(valid_to__lte=today)
        .order_by("name")
    )


def _service(c: Category) -> dict:
    return {
        "service_code": c.code,
        "service_name": c.name,
        "description": c.description,
        "metadata": True,
        "type": "realtime",
        "keywords": c.keywords,
        "group": c.parent.name if c.parent_id else c.name,
    }


@endpoint
def discovery(request, fmt):
    base = request.build_absolute_uri(reverse("feedback:open311_discovery", kwargs={"fmt": "json"})).rsplit(
        "/", 1
    )[0]
    return render(
        fmt,
        "discovery",
        {
            "changeset": _iso(timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)),
            "contact": _("Trung tâm Phục vụ hành chính công tỉnh"),
            "key_service": _("Khoá API do quản trị hệ thống cấp tại trang Phản ánh, kiến nghị › Quản trị."),
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base,
                    "changeset": _iso(timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)),
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@endpoint
def service_list(request, fmt):
    cats = Category.objects.filter(is_active=True).select_related("parent").order_by("order", "code")
    return render(fmt, "services", [_service(c) for c in cats])


@endpoint
def service_definition(request, fmt, code):
    cat = Category.objects.filter(code=code, is_active=True).first()
    if cat is None:
        raise Open311Error(404, _("Không có lĩnh vực %(code)s.") % {"code": code})
    return render(
        fmt,
        "service_definition",
        {
            "service_code": cat.code,
            "attributes": [
                {
                    "variable": True,
                    "code": "xa_phuong",
                    "datatype": "singlevaluelist",
                    "required": True,
                    "datatype_description": _("Mã xã, phường"),
                    "order": 1,
                    "description": _("Xã, phường nơi xảy ra sự việc"),
                    "values": [{"key": u.code, "name": u.name} for u in _communes()],
                },
                {
                    "variable": True,
                    "code": "cong_khai",
                    "datatype": "singlevaluelist",
                    "required": False,
                    "datatype_description": "",
                    "order": 2,
                    "description": _("Công khai phản ánh"),
                    "values": [{"key": "true", "name": _("Có")}, {"key": "false", "name": _("Không")}],
                },
            ],
        },
    )


ROW_FIELDS = (
    "code",
    "status",
    "answer",
    "description",
    "category__name",
    "category__code",
    "agency__name",
    "received_at",
    "updated_at",
    "due_at",
    "address",
    "unit__name",
    "lat",
    "lon",
    "first_photo",
)


def _rows(qs):
    """The columns Open311 shows (never the reporter's), with the first photo's id: one query, no models."""
    first_photo = Subquery(Media.objects.filter(report=OuterRef("pk")).order_by("pk").values("pk")[:1])
    return qs.annotate(first_photo=first_photo).values(*ROW_FIELDS)


def _request(r: dict, media_base: str, labels: dict | None = None, tz=None) -> dict:
    """One service request. ``labels`` (status → its label in the active language) and ``tz`` are read
    once per list by the caller (``_labels()``, the current time zone), not once per row."""
    status = r["status"]
    answered = status in (Status.ANSWERED, Status.CLOSED)
    labels = labels or _labels()
    return {
        "service_request_id": r["code"],
        "status": "closed" if status in CLOSED else "open",
        "status_notes": selectors.mask_text(r["answer"]) if answered else labels[status],
        "service_name": r["category__name"],
        "service_code": r["category__code"],
        "description": selectors.mask_text(r["description"]),
        "agency_responsible": r["agency__name"],
        "service_notice": "",
        "requested_datetime": _iso(r["received_at"], tz),
        "updated_datetime": _iso(r["updated_at"], tz),
        "expected_datetime": _iso(r["due_at"], tz) if status in OPEN_STATUSES else None,
        "address": f"{r['address']}, {r['unit__name']}",
        "address_id": "",
        "zipcode": "",
        "lat": float(r["lat"]) if r["lat"] is not None else None,
        "long": float(r["lon"]) if r["lon"] is not None else None,
        "media_url": f"{media_base}{r['first_photo']}/" if r["first_photo"] else "",
    }


def _labels() -> dict:
    return {value: str(label) for value, label in Status.choices}


def _media_base(request) -> str:
    return request.build_absolute_uri(reverse("feedback:media", args=[0]))[: -len("0/")]


def _when(value: str, name: str):
    moment = parse_datetime(value)
    if moment is None:
        raise Open311Error(400, _("%(name)s phải là thời điểm ISO 8601.") % {"name": name})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@csrf_exempt
@endpoint
def requests_view(request, fmt):
    if request.method == "POST":
        return _post(request, fmt)
    if request.method != "GET":
        raise Open311Error(400, _("Phương thức không hỗ trợ."))
    q = request.GET
    qs = Report.objects.filter(is_public=True, status__in=selectors.PUBLIC_STATUSES_ALL)
    ids = [i for i in (q.get("service_request_id") or "").split(",") if i]
    if ids:
        qs = qs.filter(code__in=ids[:MAX_REQUESTS])
    else:
        codes = [c for c in (q.get("service_code") or "").split(",") if c]
        if codes:  # by id: the partial index on (category, received_at) answers (ADR 0184)
            qs = qs.filter(
                category_id__in=list(Category.objects.filter(code__in=codes).values_list("pk", flat=True))
            )
        end = _when(q["end_date"], "end_date") if q.get("end_date") else timezone.now()
        start = (
            _when(q["start_date"], "start_date")
            if q.get("start_date")
            else end - dt.timedelta(days=DEFAULT_DAYS)
        )
        qs = qs.filter(received_at__gte=start, received_at__lte=end)
        statuses = [s for s in (q.get("status") or "").split(",") if s]
        if any(s not in ("open", "closed") for s in statuses):
            raise Open311Error(400, _("status phải là open hoặc closed."))
        if statuses == ["open"]:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif statuses == ["closed"]:
            qs = qs.filter(status__in=CLOSED)
    base, labels, tz = _media_base(request), _labels(), timezone.get_current_timezone()
    # Planned for its own dates and category: a generic prepared plan (ADR 0079) read the category's
    # reports of every date and sorted them (46 ms of PostgreSQL's time against 13).
    with planner_settings(qs.db, plan_cache_mode="force_custom_plan"):
        rows = list(_rows(qs.order_by("-received_at", "-id"))[:MAX_REQUESTS])
    return render(fmt, "service_requests", [_request(r, base, labels, tz) for r in rows])


@endpoint
def request_detail(request, fmt, code):
    r = _rows(Report.objects.filter(code=code, is_public=True).exclude(status=Status.REJECTED)).first()
    if r is None:
        raise Open311Error(404, _("Không tìm thấy yêu cầu %(code)s.") % {"code": code})
    return render(fmt, "service_requests", [_request(r, _media_base(request))])


@endpoint
def token_detail(request, fmt, token):
    r = Report.objects.filter(open311_token=token).only("code", "open311_token").first() if token else None
    if r is None:
        raise Open311Error(404, _("Không tìm thấy token."))
    return render(fmt, "service_requests", [{"service_request_id": r.code, "token": token}])


def _post(request, fmt):
    key = services.api_key(request.POST.get("api_key", ""))
    if key is None:
        raise Open311Error(403, _("api_key không hợp lệ hoặc đã bị thu hồi."))
    p = request.POST
    description = (p.get("description") or "").strip()
    if len(description) > 4000:
        raise Open311Error(400, _("description dài tối đa 4.000 ký tự."))
    if not p.get("service_code"):
        raise Open311Error(400, _("Thiếu service_code."))
    address = (p.get("address_string") or "").strip()
    lat, lon = p.get("lat", ""), p.get("long", "")
    if not address and not (lat and lon):
        raise Open311Error(400, _("Cần vị trí: lat và long, hoặc address_string."))
    first_line = description.split("\n", 1)[0]
    title = first_line if len(first_line) <= 100 else first_line[:97].rsplit(" ", 1)[0] + "…"
    name = " ".join(x for x in (p.get("last_name", ""), p.get("first_name", "")) if x).strip()
    data = {
        "category": p.get("service_code"),
        "title": title,
        "description": description,
        "unit": p.get("attribute[xa_phuong]", ""),
        "address": address or f"{lat}, {lon}",
        "lat": lat,
        "lon": lon,
        "is_public": p.get("attribute[cong_khai]", "true"),
        "show_name": "0",
        "name": name,
        "phone": p.get("phone", ""),
        "email": p.get("email", ""),
        "channel": Channel.OPEN311,
    }
    files = request.FILES.getlist("media")
    report = services.submit(data, files, actor=None, ip=client_ip(request))
    token = secrets.token_hex(12)
    Report.objects.filter(pk=report.pk).update(open311_token=token)
    return render(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": report.code,
                "token": token,
                "service_notice": _("Đã chuyển %(agency)s xử lý; hạn trả lời %(due)s.")
                % {
                    "agency": report.agency.name,
                    "due": timezone.localtime(report.due_at).strftime("%d/%m/%Y") if report.due_at else "—",
                },
                "account_id": "",
            }
        ],
        status=201,
    )
