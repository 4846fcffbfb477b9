"""Public catalogue pages (search, procedure page, QR code) and the agency administrator's offering pages."""

from __future__ import annotations

import io

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from congso.core.errors import ServiceError
from congso.core.forms import service_error_to_form
from congso.core.permissions import require
from congso.core.text import ascii_digits
from congso.directory.models import Agency
from congso.directory.selectors import agency_by_code

from . import search as catalog_search
from . import services
from .models import (
    LOCAL_FEE_CHANNELS,
    Currency,
    FormTemplateFile,
    Level,
    Offering,
    OnlineLevel,
    Procedure,
    ProcedureField,
    TimeUnit,
)
from .permissions import managed_agencies
from .selectors import procedure_by_code

PAGE_SIZE = 20


class FilterChoiceField(forms.ChoiceField):
    """A select whose value ``search.clean_filters`` has already checked (the same rules as the API's):
    the choices are only what the page offers."""

    def valid_value(self, value):
        return True


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Từ khoá"), required=False)
    field = FilterChoiceField(label=gettext_lazy("Lĩnh vực"), required=False)
    level = FilterChoiceField(label=gettext_lazy("Cấp thực hiện"), required=False)
    agency = FilterChoiceField(label=gettext_lazy("Cơ quan"), required=False)
    subject = FilterChoiceField(label=gettext_lazy("Đối tượng thực hiện"), required=False)
    online = FilterChoiceField(label=gettext_lazy("Mức độ trực tuyến"), required=False)

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("Tất cả"))]
        self.fields["field"].choices = every + [
            (f.name, f.name) for f in ProcedureField.objects.filter(procedures__is_active=True).distinct()
        ]
        self.fields["level"].choices = every + [
            (v, label) for v, label in Level.choices if v != Level.DISTRICT
        ]
        self.fields["agency"].choices = every + [
            (a.code, a.name)
            for a in Agency.objects.filter(offerings__is_active=True).distinct().order_by("name")
        ]
        # the subjects the catalogue's procedures state, counted (other ministries bring their own)
        self.fields["subject"].choices = every + [
            (subject, f"{subject} ({count})") for subject, count in subjects
        ]
        self.fields["online"].choices = every + list(OnlineLevel.choices)
        # a valid value the list does not offer (a former district level, an agency offering nothing,
        # a field whose procedures are all withdrawn) is still shown as chosen
        for name in ("field", "level", "agency"):
            value = self.data.get(name) if self.is_bound else None
            if value and value not in {v for v, _label in self.fields[name].choices}:
                label = value
                if name == "agency":
                    label = getattr(agency_by_code(value), "name", value)
                elif name == "level":
                    label = Level(value).label
                self.fields[name].choices = [*self.fields[name].choices, (value, label)]


MAX_PAGE = 100_000


@require_GET
def search(request):
    """Each filter is checked on its own (``search.clean_filters``, as the API does): an invalid one is
    left out and named in the error summary, the query and the other filters still apply."""
    subjects = catalog_search.subject_counts()
    filters, ignored = catalog_search.clean_filters(request.GET, subjects=subjects)
    query = (request.GET.get("q") or "").strip()[:200]
    form = SearchForm({"q": query, **filters} if request.GET else None, subjects=subjects)
    if form.is_bound:
        form.is_valid()
        for name, message in ignored.items():
            form.add_error(name, message)
    raw_page = request.GET.get("trang", "1").strip()
    # A page past the end shows the last page; a huge number must not reach the database's OFFSET.
    page_number = max(1, min(int(raw_page), MAX_PAGE)) if ascii_digits(raw_page) else 1
    searching = bool(query or any(filters.values()))
    result = None
    page = None
    if searching:
        result = catalog_search.search(
            query, offset=(page_number - 1) * PAGE_SIZE, limit=PAGE_SIZE, **filters
        )
        paginator = Paginator(range(result.total), PAGE_SIZE)
        page = Page(result.items, min(page_number, max(1, paginator.num_pages)), paginator)
    fields = (
        ProcedureField.objects.annotate(count=Count("procedures", filter=Q(procedures__is_active=True)))
        .filter(count__gt=0)
        .order_by("name")
    )
    params = request.GET.copy()
    params.pop("trang", None)
    for name in ignored:
        params.pop(name, None)  # the next pages do not carry the bad value again
    return render(
        request,
        "catalog/search.html",
        {
            "form": form,
            "query": query,
            "searching": searching,
            "result": result,
            "page": page,
            "fields": fields,
            "filters_open": any(filters.values()) or bool(ignored),
            "querystring": params.urlencode(),
            "total_procedures": Procedure.objects.filter(is_active=True).count(),
        },
    )


def _portal_start_url(procedure, agency):
    try:
        base = reverse("portal:start")
    except NoReverseMatch:
        return None
    return f"{base}?thu-tuc={procedure.code}&co-quan={agency.code}"


@require_GET
def detail(request, code):
    procedure = get_object_or_404(
        Procedure.objects.select_related("current_version", "field"),
        code=code,
        is_active=True,
        current_version__isnull=False,
    )
    content = procedure.content
    offerings = list(
        Offering.objects.filter(procedure=procedure, is_active=True)
        .select_related("agency", "agency__unit")
        .order_by("agency__unit__level", "agency__name")
    )
    chosen = None
    agency_code = request.GET.get("co-quan", "")
    if agency_code:
        chosen = next((o.agency for o in offerings if o.agency.code == agency_code), None)
    terms = services.effective_terms(procedure, chosen)
    form_names = {name for comp in content.get("components", []) for name in comp.get("forms", [])}
    known_files = {f.file_name: f for f in FormTemplateFile.objects.filter(file_name__in=form_names)}
    components = []
    for comp in content.get("components", []):
        forms_info = [{"name": n, "file": known_files.get(n)} for n in comp.get("forms", [])]
        components.append({**comp, "form_files": forms_info})
    submit_links = []
    for offering in offerings:
        if offering.online_open and procedure.online_level != OnlineLevel.INFO:
            url = _portal_start_url(procedure, offering.agency)
            submit_links.append({"agency": offering.agency, "url": url})
    return render(
        request,
        "catalog/detail.html",
        {
            "procedure": procedure,
            "content": content,
            "components": components,
            "offerings": offerings,
            "chosen": chosen,
            "terms": terms,
            "submit_links": submit_links,
            "steps": [line.strip() for line in content.get("steps", "").splitlines() if line.strip()],
            "page_url": request.build_absolute_uri(procedure.get_absolute_url()),
        },
    )


@require_GET
def qr_code(request, code):
    procedure = get_object_or_404(Procedure, code=code, is_active=True)
    url = request.build_absolute_uri(procedure.get_absolute_url())
    qr = segno.make(url, error="m")
    # A standalone image needs the SVG namespace (svg_inline leaves it out: it is for <svg> inside HTML,
    # and a browser shows such a file as raw XML); no XML declaration, the charset is in the header.
    out = io.BytesIO()
    qr.save(
        out,
        kind="svg",
        scale=4,
        border=2,
        dark="#000",
        light="#fff",
        xmldecl=False,
        svgns=True,
        title=_("Mã QR của trang thủ tục"),
        encoding="utf-8",
    )
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def form_file(request, pk):
    template = get_object_or_404(FormTemplateFile, pk=pk)
    try:
        handle = template.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Tệp mẫu không còn trên máy chủ.")) from None
    return FileResponse(handle, as_attachment=True, filename=template.file_name)


# --- agency administrators ------------------------------------------------------------------------


class OfferingForm(forms.Form):
    is_active = forms.BooleanField(label=gettext_lazy("Cơ quan đang tiếp nhận thủ tục này"), required=False)
    online_open = forms.BooleanField(label=gettext_lazy("Mở nộp hồ sơ trực tuyến"), required=False)
    local_time_value = forms.DecimalField(
        label=gettext_lazy("Thời hạn giải quyết tại địa phương"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=1,
        help_text=gettext_lazy(
            "Để trống nếu áp dụng thời hạn luật định. Chỉ được ngắn hơn thời hạn luật định. "
            "Với đơn vị “trả ngay” hoặc “trong ngày làm việc” không cần nhập số."
        ),
    )
    local_time_unit = forms.ChoiceField(
        label=gettext_lazy("Đơn vị thời hạn"), required=False, choices=[("", "—")] + list(TimeUnit.choices)
    )
    local_fee_in_person = forms.DecimalField(
        label=gettext_lazy("Mức thu tại địa phương — nộp trực tiếp"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        help_text=gettext_lazy("Để trống nếu áp dụng mức thu chung. Nhập 0 nếu miễn."),
    )
    local_fee_in_person_currency = forms.ChoiceField(
        label=gettext_lazy("Đơn vị tiền — nộp trực tiếp"), choices=Currency.choices, initial=Currency.VND
    )
    local_fee_online = forms.DecimalField(
        label=gettext_lazy("Mức thu tại địa phương — nộp trực tuyến"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        help_text=gettext_lazy("Để trống nếu áp dụng mức thu chung. Nhập 0 nếu miễn."),
    )
    local_fee_online_currency = forms.ChoiceField(
        label=gettext_lazy("Đơn vị tiền — nộp trực tuyến"), choices=Currency.choices, initial=Currency.VND
    )
    local_fee_post = forms.DecimalField(
        label=gettext_lazy("Mức thu tại địa phương — nộp qua bưu chính"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        help_text=gettext_lazy("Để trống nếu áp dụng mức thu chung. Nhập 0 nếu miễn."),
    )
    local_fee_post_currency = forms.ChoiceField(
        label=gettext_lazy("Đơn vị tiền — nộp qua bưu chính"), choices=Currency.choices, initial=Currency.VND
    )
    local_fee_note = forms.CharField(
        label=gettext_lazy("Ghi chú về phí, lệ phí"), required=False, max_length=500
    )
    local_decision = forms.CharField(
        label=gettext_lazy("Quyết định của địa phương về thời hạn, phí (số, ngày)"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "Ví dụ: Quyết định 512/QĐ-UBND ngày 15/3/2026 của UBND tỉnh. Thời hạn, mức thu tại địa phương "
            "khác danh mục quốc gia cần có quyết định này; nếu không, báo cáo đối chiếu sẽ nêu khác biệt."
        ),
    )
    counters = forms.CharField(
        label=gettext_lazy("Nơi tiếp nhận hồ sơ (quầy, địa chỉ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, procedure=None, **kwargs):
        super().__init__(*args, **kwargs)
        if procedure is None:
            return
        # a fee only for the channels the procedure has, and only where the law lets the province set it
        channels = {row.get("channel") for row in procedure.content.get("channels", [])}
        for channel in LOCAL_FEE_CHANNELS:
            if channel not in channels or not procedure.local_fee_allowed:
                del self.fields[f"local_fee_{channel}"], self.fields[f"local_fee_{channel}_currency"]
        if not procedure.local_fee_allowed:
            del self.fields["local_fee_note"]


class AddOfferingForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã thủ tục"), max_length=40, help_text=gettext_lazy("Ví dụ: 1.001193")
    )


@login_required
@require_GET
def manage_home(request):
    agencies = managed_agencies(request.user).select_related("unit").order_by("unit__level", "name")
    if not agencies.exists():
        raise PermissionDenied(_("Bạn không quản lý cơ quan nào."))
    counts = dict(
        Offering.objects.filter(agency__in=agencies, is_active=True)
        .values_list("agency")
        .annotate(n=Count("id"))
        .values_list("agency", "n")
    )
    rows = [
        {"agency": a, "count": counts.get(a.pk, 0), "unresolved": len(services.unresolved_offerings(a))}
        for a in agencies
    ]
    return render(request, "catalog/manage_home.html", {"rows": rows})


def _managed_agency(request, agency_code):
    agency = agency_by_code(agency_code)
    if agency is None:
        raise Http404
    require(
        request.user,
        "catalog.manage_offerings",
        agency,
        _("Bạn không có quyền quản lý thủ tục của cơ quan này."),
    )
    return agency


@login_required
@require_http_methods(["GET", "POST"])
def manage_agency(request, agency_code):
    agency = _managed_agency(request, agency_code)
    add_form = AddOfferingForm(request.POST or None)
    if request.method == "POST" and add_form.is_valid():
        code = add_form.cleaned_data["code"].strip()
        if procedure_by_code(code) is not None:
            return redirect("catalog:manage_offering", agency_code=agency.code, code=code)
        add_form.add_error("code", _("Không có thủ tục nào mang mã này trong danh mục."))
    q = request.GET.get("q", "").strip()[:200]
    offerings = (
        Offering.objects.filter(agency=agency)
        .select_related("procedure")
        .order_by("-is_active", "procedure__code")
    )
    suggestions = catalog_search.search(q, limit=20).items if q else []
    offered = set(offerings.filter(is_active=True).values_list("procedure_id", flat=True))
    # ADR 0143: offerings whose time limit does not resolve are refused at receipt until it is set
    unresolved = services.unresolved_offerings(agency)
    return render(
        request,
        "catalog/manage_agency.html",
        {
            "agency": agency,
            "offerings": offerings,
            "add_form": add_form,
            "q": q,
            "suggestions": suggestions,
            "offered": offered,
            "unresolved": unresolved,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_offering(request, agency_code, code):
    agency = _managed_agency(request, agency_code)
    procedure = get_object_or_404(
        Procedure.objects.select_related("current_version"),
        code=code,
        is_active=True,
        current_version__isnull=False,
    )
    offering = Offering.objects.filter(agency=agency, procedure=procedure).first()
    initial = {"is_active": True}
    if offering:
        initial = {
            "is_active": offering.is_active,
            "online_open": offering.online_open,
            "local_time_value": offering.local_time_value,
            "local_time_unit": offering.local_time_unit,
            **{
                f"local_fee_{c}{suffix}": getattr(offering, f"local_fee_{c}{suffix}")
                for c in LOCAL_FEE_CHANNELS
                for suffix in ("", "_currency")
            },
            "local_fee_note": offering.local_fee_note,
            "local_decision": offering.local_decision,
            "counters": offering.counters,
        }
    form = OfferingForm(request.POST or None, initial=initial, procedure=procedure)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_offering(request.user, agency, procedure, form.cleaned_data)
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("Đã lưu thiết lập của thủ tục %(code)s.") % {"code": procedure.code})
            return redirect("catalog:manage_agency", agency_code=agency.code)
    national = services.effective_terms(procedure, None)
    unresolved = services.effective_terms(procedure, agency, offering=offering).limit_unresolved
    return render(
        request,
        "catalog/manage_offering.html",
        {
            "agency": agency,
            "procedure": procedure,
            "form": form,
            "offering": offering,
            "national": national,
            "unresolved": unresolved,
        },
    )
