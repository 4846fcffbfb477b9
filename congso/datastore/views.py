"""Thin views of the personal data store (kho dữ liệu cá nhân): the owner's papers only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congso.core.errors import NotFound, ServiceError
from congso.core.text import strip_diacritics

from . import registries, services
from .forms import DocumentForm


def _owned(request, pk):
    try:
        return services.get_owned(request.user, pk)
    except NotFound:
        raise Http404 from None


def download_name(document) -> str:
    base = "".join(c if c.isalnum() else "-" for c in strip_diacritics(document.title).lower())
    base = "-".join(p for p in base.split("-") if p)[:80] or "giay-to"
    return f"{base}{document.extension}"


@login_required
def index(request):
    documents = services.documents_with_usage(request.user)
    return render(
        request,
        "datastore/index.html",
        {"documents": documents, "today": timezone.localdate(), "quota": services.quota_bytes()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.store(
                request.user,
                data["file"],
                title=data["title"],
                issued_number=data["issued_number"],
                valid_until=data["valid_until"],
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else "file", exc.message)
        else:
            messages.success(
                request, _("Đã lưu “%(title)s” vào kho dữ liệu của bạn.") % {"title": document.title}
            )
            return redirect("datastore:index")
    return render(request, "datastore/upload.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def detail(request, pk):
    try:
        document, reuses = services.reuses_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "datastore/detail.html",
        {"document": document, "reuses": reuses, "today": timezone.localdate()},
    )


@login_required
def download(request, pk):
    try:
        document, handle = services.open_file(request.user, pk)
    except NotFound:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=download_name(document))
    response["Content-Type"] = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}.get(
        document.kind, "application/octet-stream"
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def remove(request, pk):
    document = _owned(request, pk)
    if request.method == "POST":
        try:
            services.remove(request.user, document.pk)
        except NotFound:
            raise Http404 from None
        messages.success(request, _("Đã xoá “%(title)s” khỏi kho dữ liệu.") % {"title": document.title})
        return redirect("datastore:index")
    return render(
        request,
        "datastore/remove.html",
        {"document": document, "reuse_count": document.reuses.count()},
    )


@login_required
def registry_data(request):
    return render(request, "datastore/registries.html", registries.my_registry_data(request.user))
