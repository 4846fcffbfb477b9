"""Excel exports of registers in Decree 30's register layout (sổ đăng ký văn bản đi / đến)."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .models import Document, NumberEntry, Register

OUTGOING_COLUMNS = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]
INCOMING_COLUMNS = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ký nhận",
    "Ghi chú",
]


def _d(value):
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def register_rows(register: Register, year: int) -> list[list]:
    entries = (
        NumberEntry.objects.filter(register=register, year=year)
        .select_related("document", "document__doc_type", "cancelled_by")
        .order_by("number")
    )
    rows = []
    for e in entries:
        doc: Document | None = e.document
        note = f"Đã hủy số: {e.cancel_reason}" if e.cancelled_at else ""
        title = f"{doc.doc_type.name}: {doc.subject}" if doc else ""
        if register.direction == Register.Direction.OUTGOING:
            recipients = ", ".join(r.name for r in doc.recipients.all()) if doc else ""
            rows.append(
                [
                    e.symbol,
                    _d(doc.issued_on) if doc else "",
                    title,
                    doc.signer_name if doc else "",
                    recipients or (doc.recipients_text if doc else ""),
                    "",
                    "",
                    _d(doc.released_at) if doc else "",
                    "",
                    note,
                ]
            )
        else:
            handlers = (
                ", ".join(a.user.full_name or a.user.username for a in doc.assignments.filter(kind="lead"))
                if doc
                else ""
            )
            rows.append(
                [
                    _d(doc.arrived_at) if doc else _d(e.taken_at),
                    e.number,
                    doc.issuing_organ if doc else "",
                    doc.symbol if doc else "",
                    _d(doc.issued_on) if doc else "",
                    title,
                    handlers,
                    "",
                    note,
                ]
            )
    return rows


def register_xlsx(register: Register, year: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}"
    kind = (
        "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
        if register.direction == Register.Direction.OUTGOING
        else "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    )
    if register.secret:
        kind += " MẬT"
    columns = OUTGOING_COLUMNS if register.direction == Register.Direction.OUTGOING else INCOMING_COLUMNS
    ws.append([register.agency.name.upper()])
    ws.append([kind])
    ws.append([f"Năm {year} — {register.name}"])
    ws.append([])
    ws.append(columns)
    ws.append([f"({i})" for i in range(1, len(columns) + 1)])
    for cell in ws[5]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws["A2"].font = Font(bold=True, size=14)
    for row in register_rows(register, year):
        ws.append(row)
    for i, width in enumerate([16, 12, 50, 20, 30, 20, 10, 12, 10, 25][: len(columns)], start=1):
        ws.column_dimensions[chr(64 + i)].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
