"""Citizen pages: my dossiers, one dossier (supplement, withdraw, result, receipt), and the public lookup.

Thin: each POST calls one function of ``services.py``. A dossier the user may not follow answers 404,
exactly like a code that does not exist. The public lookup writes no session and no audit entry.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congso.core.errors import NotFound, RateLimited, ServiceError
from congso.core.forms import service_error_to_form
from congso.core.middleware import client_ip
from congso.core.uploads import Upload
from congso.datastore.services import documents_for
from congso.dossiers.hooks import links_for
from congso.dossiers.models import Status

from . import services
from .forms import LookupForm, SupplementForm, WithdrawForm

MIME = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def _optional_url(name: str, **kwargs) -> str | None:
    """Link to another app's page only when that app is installed (payments, ratings)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _get(request, code):
    try:
        return services.get_for_citizen(request.user, code)
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def mine(request):
    status = services.parse_status(request.GET.get("trang-thai"))
    page = Paginator(services.citizen_dossiers(request.user, status), services.PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    rows = [{"d": d, "flag": services.flag_for(d)} for d in page]
    return render(
        request,
        "tracking/mine.html",
        {"page": page, "rows": rows, "status": status, "statuses": Status.choices},
    )


def _detail_context(request, d, supplement_form=None):
    view = services.citizen_view(request.user, d)
    documents = []
    if "supplement" in view.actions and request.user.pk == d.applicant_id:
        documents = list(documents_for(request.user)[:50])
    return {
        "v": view,
        "d": d,
        "supplement_form": supplement_form
        or (
            SupplementForm(components=view.missing, documents=documents)
            if "supplement" in view.actions
            else None
        ),
        "pay_url": _optional_url("payments:pay", code=d.code) if "pay" in view.actions else None,
        "rate_url": _optional_url("ratings:rate", code=d.code) if "rate" in view.actions else None,
        "lookup_url": services.public_lookup_url(d, absolute=False),
        "dossier_links": links_for(d, request.user),
    }


@login_required
@require_GET
def detail(request, code):
    d = _get(request, code)
    services.record_read(request.user, d, "web")
    return render(request, "tracking/detail.html", _detail_context(request, d))


@login_required
@require_POST
def supplement(request, code):
    d = _get(request, code)
    view = services.citizen_view(request.user, d)
    documents = []
    if request.user.pk == d.applicant_id:
        documents = list(documents_for(request.user)[:50])
    form = SupplementForm(request.POST, request.FILES, components=view.missing, documents=documents)
    if form.is_valid():
        try:
            services.supplement(
                request.user,
                d.code,
                uploads=[Upload(name, f, f.name) for name, f in form.uploads()],
                reuse=form.reuse(),
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(
                request, _("Đã gửi hồ sơ bổ sung. Cơ quan tiếp tục giải quyết và thời hạn được tính tiếp.")
            )
            return redirect("tracking:detail", code=d.code)
    d = _get(request, code)
    return render(request, "tracking/detail.html", _detail_context(request, d, form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, code):
    """A confirmation page, then the withdrawal with a reason."""
    d = _get(request, code)
    if request.method == "GET" and d.status not in services.PENDING:
        messages.info(request, _("Hồ sơ này không còn đang giải quyết nên không rút được."))
        return redirect("tracking:detail", code=d.code)
    form = WithdrawForm(request.POST or None, initial={"expected_version": d.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(
                request.user,
                d.code,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("Đã rút hồ sơ %(code)s.") % {"code": d.code})
            return redirect("tracking:detail", code=d.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "tracking/withdraw.html", {"d": d, "form": form}, status=status)


def _file_response(fileobj, kind, filename, extension):
    response = FileResponse(fileobj, content_type=MIME.get(kind, "application/octet-stream"))
    response["Content-Disposition"] = f'attachment; filename="{filename}{extension}"'
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def result(request, code):
    try:
        r = services.result_file(request.user, code)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:  # a result collected at the counter
        messages.error(request, exc.message)
        return redirect("tracking:detail", code=code)
    att = r.attachment
    return _file_response(att.file.open("rb"), att.kind, f"ket-qua-{r.dossier.code}", att.extension)


@login_required
@require_GET
def receipt(request, code):
    try:
        document = services.receipt(request.user, code)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("tracking:detail", code=code)
    return _file_response(document.file.open("rb"), "pdf", f"giay-tiep-nhan-{code}", ".pdf")


# --- public lookup ---------------------------------------------------------------------------


def _public_response(request, context, status=200):
    response = render(request, "tracking/lookup.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_GET
def lookup(request):
    """Anyone: code + the last 4 digits of the applicant's phone or CCCD/tax code. GET, so no session,
    no CSRF cookie round-trip; a wrong code and a wrong check value read the same."""
    asked = "code" in request.GET or "check" in request.GET
    form = LookupForm(request.GET if asked else None)
    context = {"form": form, "found": None}
    if not asked:
        return _public_response(request, context)
    status, retry_after = 200, None
    if form.is_valid():
        try:
            context["found"] = services.lookup(
                form.cleaned_data["code"], form.cleaned_data["check"], ip=client_ip(request)
            )
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
            retry_after = exc.retry_after
        except NotFound as exc:
            form.add_error(None, exc.message)
            status = 404
        except ServiceError as exc:
            service_error_to_form(form, exc)
            status = 400
    else:
        status = 400
    response = _public_response(request, context, status)
    if status == 429:
        response["Retry-After"] = str(retry_after or 60)
    return response


@never_cache
@require_GET
def lookup_signed(request, code, token):
    """The receipt's QR link: the token (an HMAC of the code) stands in for the second factor."""
    form = LookupForm(initial={"code": code})
    context = {"form": form, "found": None, "signed": True}
    try:
        context["found"] = services.lookup_signed(code, token, ip=client_ip(request))
    except RateLimited as exc:
        context["error"] = exc.message
        response = _public_response(request, context, 429)
        response["Retry-After"] = str(exc.retry_after or 60)
        return response
    except NotFound as exc:
        context["error"] = exc.message
        return _public_response(request, context, 404)
    return _public_response(request, context)
