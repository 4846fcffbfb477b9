"""The dossier log book (sổ theo dõi hồ sơ) of an agency for a period, and its Excel export."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import Dossier

HEADERS = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục",
    "Tên tổ chức, cá nhân",
    "Địa chỉ, số điện thoại",
    "Hình thức nộp",
    "Ngày, giờ tiếp nhận",
    "Hẹn trả kết quả",
    "Cơ quan xử lý (liên thông)",
    "Ngày xử lý xong",
    "Ngày trả kết quả",
    "Trạng thái",
    "Ghi chú",
]


def entries(agency, start, end):
    return (
        Dossier.objects.filter(receiving_agency=agency, submitted_at__gte=start, submitted_at__lt=end)
        .select_related("procedure_version__procedure", "current_agency")
        .order_by("submitted_at", "pk")
    )


def _fmt(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def rows(agency, start, end):
    for i, d in enumerate(entries(agency, start, end).iterator(chunk_size=2000), start=1):
        notes = []
        if d.is_late:
            notes.append("Trễ hạn")
        if d.assisted_by_id:
            notes.append("Nộp với sự hỗ trợ của tổ công nghệ số cộng đồng")
        yield [
            i,
            d.code,
            d.procedure_version.procedure.name,
            d.applicant_name,
            ", ".join(x for x in (d.applicant_address, d.applicant_phone) if x),
            d.get_channel_display(),
            _fmt(d.received_at or d.submitted_at),
            _fmt(d.due_at),
            d.current_agency.name if d.current_agency_id != d.receiving_agency_id else "",
            _fmt(d.finished_at),
            _fmt(d.returned_at),
            d.get_status_display(),
            "; ".join(notes),
        ]


def to_excel(agency, start, end) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "So theo doi ho so"
    ws.append([f"SỔ THEO DÕI HỒ SƠ — {agency.name}"])
    ws.append(
        [f"Từ ngày {timezone.localtime(start):%d/%m/%Y} đến trước ngày {timezone.localtime(end):%d/%m/%Y}"]
    )
    ws.append([])
    ws.append(HEADERS)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=13)
    for row in rows(agency, start, end):
        ws.append(row)
    widths = [6, 26, 48, 28, 36, 14, 18, 18, 28, 18, 18, 20, 28]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A5"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
