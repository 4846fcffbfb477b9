"""Exports of the figures: CSV (UTF-8 with BOM, for spreadsheet software) and Excel (openpyxl)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

from . import metrics

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value)
    return value


def board_rows(whole, ranking) -> list[list]:
    """A header and one row per unit (the province first): rank, kind, code, name, score on 100, total,
    counted maximum, then each item's points ("" when not counted)."""
    items = [i.item for i in whole.items]
    header = ["Hạng", "Loại", "Mã", "Tên", "Điểm quy đổi (/100)", "Tổng điểm", "Điểm tối đa tính được"]
    header += [f"{i.code} {i.name} (/{i.max_points})" for i in items]

    def row(rank, kind, s):
        return [rank, kind, s.unit.code, s.unit.name, s.score, s.total, s.counted_max] + [
            i.points for i in s.items
        ]

    rows = [header, row("", "Tỉnh", whole)]
    for r in ranking:
        rows.append(row(r.rank or "", "Cơ quan" if r.kind == "agency" else "Xã, phường", r.score))
    return rows


def open_data_rows(series: list[dict]) -> list[dict]:
    """The monthly series as plain values: per indicator its numerator, denominator and value."""
    out = []
    for month in series:
        row = {
            "thang": month["month"],
            "tong_diem_766": _cell(month["index_total"]),
            "diem_quy_doi_766": _cell(month["index_score"]),
        }
        for indicator in metrics.all_indicators():
            fig = month[indicator.key]
            row[f"{indicator.key}_tu_so"] = fig.numerator
            row[f"{indicator.key}_mau_so"] = fig.denominator
            row[f"{indicator.key}_ty_le"] = _cell(fig.value)
        out.append(row)
    return out


def table(dicts: list[dict]) -> list[list]:
    if not dicts:
        return [["thang"]]
    keys = list(dicts[0])
    return [keys] + [[_cell(d[k]) for k in keys] for d in dicts]


def respond(rows: list[list], fmt: str, name: str, sheet: str = "Dữ liệu") -> HttpResponse:
    if fmt == "xlsx":
        book = Workbook()
        ws = book.active
        ws.title = sheet[:31]
        for r in rows:
            ws.append([float(c) if isinstance(c, Decimal) else ("" if c is None else c) for c in r])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text)
    for r in rows:
        writer.writerow([_cell(c) for c in r])
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
