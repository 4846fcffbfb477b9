"""Public pages: check a signed PDF, and the record a QR code opens. Thin: they call the services."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from .forms import VerifyForm
from .models import IssuedDocument
from .services import status_url, verify_document


def _check_upload(request, form):
    data = form.cleaned_data["file"].read()
    report, record = verify_document(data, actor=request.user)
    return report, record


@require_http_methods(["GET", "POST"])
def verify(request):
    report = record = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            report, record = _check_upload(request, form)
    else:
        form = VerifyForm()
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(
        request, "signing/verify.html", {"form": form, "report": report, "record": record}, status=status
    )


@require_http_methods(["GET", "POST"])
def record(request, pk):
    document = get_object_or_404(IssuedDocument.objects.select_related("agency"), pk=pk)
    report = None
    matches = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            report, found = _check_upload(request, form)
            matches = report.sha256 == document.sha256
    else:
        form = VerifyForm()
    signatures = document.signatures.order_by("signed_at")
    return render(
        request,
        "signing/record.html",
        {
            "document": document,
            "signatures": signatures,
            "form": form,
            "report": report,
            "matches": matches,
            "status_url": status_url(document),
        },
    )
