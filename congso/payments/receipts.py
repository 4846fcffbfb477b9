"""The electronic receipt (biên lai điện tử) as a PDF, rendered with WeasyPrint from local fonts only."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from congso.signing.official_forms import FONT_DIR, _local_only_fetcher


def render_pdf(data: dict) -> bytes:
    from weasyprint import HTML

    context = {"r": data, "font_dir": FONT_DIR.as_uri(), "paid_at": timezone.localtime(data["paid_at"])}
    with override("vi"):  # receipts are Vietnamese documents
        html = render_to_string("payments/receipt_pdf.html", context)
    return HTML(string=html, url_fetcher=_local_only_fetcher()).write_pdf()
