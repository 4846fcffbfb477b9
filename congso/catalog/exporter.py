"""Export the catalogue to JSON (the portal's record shape plus the structured content) and Excel.

Both round-trip: importing an export changes nothing (every procedure comes back "unchanged").
- JSON: the portal's own keys as imported (or rebuilt from the content for procedures that came from
  a list), plus ``noi_dung`` (the structured content), which the importer trusts after validation.
- Excel: the portal's list layout (title block, then Mã số | Tên | Cơ quan ban hành | Cơ quan thực hiện |
  Lĩnh vực) with two more columns, Cấp thực hiện and Mức độ dịch vụ công trực tuyến.
"""

from __future__ import annotations

import json
from pathlib import Path

from .importer import STRUCTURED_KEY
from .models import OnlineLevel, Procedure
from .parser import CHANNEL_LABELS, CURRENCY_LABELS, UNIT_LABELS

TITLE_BLOCK = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc\n------------------------------\n\n"
    "DANH SÁCH THỦ TỤC HÀNH CHÍNH\n"
)
HEADER = [
    "Mã số",
    "Tên",
    "Cơ quan ban hành",
    "Cơ quan thực hiện",
    "Lĩnh vực",
    "Cấp thực hiện",
    "Mức độ dịch vụ công trực tuyến",
]


def _procedures(codes):
    qs = Procedure.objects.filter(is_active=True).select_related("current_version").order_by("code")
    if codes:
        qs = qs.filter(code__in=codes)
    return qs.exclude(current_version=None)


def portal_record(content: dict) -> dict:
    """Rebuild the portal's flat fields from structured content (for procedures without a source record)."""
    rows = []
    for row in content.get("channels", []):
        time = row.get("time") or {}
        fee = row.get("fee") or {}
        time_text = "Không có thông tin"
        if time.get("unit") in ("immediate", "same_day"):
            time_text = UNIT_LABELS[time["unit"]]  # stated in words, no number (ADR 0143)
        elif time.get("value") is not None:
            time_text = f"{time['value']}" + (f" {UNIT_LABELS[time['unit']]}" if time.get("unit") else "")
        fee_text = {"free": "Miễn phí", "unknown": "Không có thông tin"}.get(fee.get("kind"), "")
        if fee.get("kind") == "amount":
            fee_text = f"{fee.get('amount')} {CURRENCY_LABELS.get(fee.get('currency'), fee.get('currency'))}"
        if fee.get("description"):
            fee_text += f"({fee['description']})"
        rows.append(
            CHANNEL_LABELS.get(row["channel"], row["channel"])
            + time_text
            + fee_text
            + row.get("description", "")
        )
    components = ""
    group = None
    for comp in content.get("components", []):
        if comp.get("group", "") != group:
            group = comp.get("group", "")
            components += (group or "--") + "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
        quantity = ""
        if comp.get("originals") is not None:
            quantity = f"{comp['originals']} bản chính" + (
                f",{comp['copies']} bản sao" if comp.get("copies") else ""
            )
        components += comp["name"] + "".join(comp.get("forms", [])) + quantity
    results = "".join(
        r["name"] + (f"Mã: {r['code']}" if r.get("code") else "") for r in content.get("results", [])
    )
    return {
        "ma_thu_tuc": content["code"],
        "detail_url": content.get("source_url", ""),
        "ten_thu_tuc": content["name"],
        "so_quyet_dinh": content.get("decision", ""),
        "cap_thuc_hien": content.get("level_text", ""),
        "loai_thu_tuc": content.get("kind", ""),
        "linh_vuc": content.get("field", ""),
        "doi_tuong_thuc_hien": ", ".join(content.get("subjects", [])),
        "co_quan_co_tham_quyen": content.get("competent_agency", ""),
        "dia_chi_tiep_nhan": content.get("receiving_address", ""),
        "co_quan_duoc_uy_quyen": content.get("authorised_agency", ""),
        "co_quan_phoi_hop": content.get("coordinating_agency", ""),
        "thu_tuc_lien_quan": content.get("related", ""),
        "trinh_tu_thuc_hien": content.get("steps", ""),
        "cach_thuc_thuc_hien": ("Hình thức nộpThời gianPhí, lệ phíMô tả" + "".join(rows)) if rows else "",
        "thanh_phan_ho_so": components,
        "can_cu_phap_ly": (
            "Tên văn bản pháp lýMã văn bản"
            + "".join(r["title"] + r.get("number", "") for r in content.get("legal_basis", []))
        )
        if content.get("legal_basis")
        else "",
        "co_quan_thuc_hien": content.get("implementing_agency", ""),
        "yeu_cau_dieu_kien": content.get("conditions", ""),
        "ket_qua_xu_ly": results,
    }


def export_record(procedure: Procedure) -> dict:
    version = procedure.current_version
    record = dict(version.source_record) if version.source_record else portal_record(version.content)
    record[STRUCTURED_KEY] = version.content
    record["phien_ban"] = version.number
    return record


def export(out: str, fmt: str | None = None, codes=()) -> int:
    path = Path(out)
    fmt = fmt or ("xlsx" if path.suffix.lower() == ".xlsx" else "json")
    procedures = list(_procedures(codes))
    if fmt == "xlsx":
        return _export_xlsx(path, procedures)
    if path.suffix.lower() == ".json":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps([export_record(p) for p in procedures], ensure_ascii=False, indent=1), encoding="utf-8"
        )
        return len(procedures)
    path.mkdir(parents=True, exist_ok=True)
    for procedure in procedures:
        (path / f"{procedure.code}.json").write_text(
            json.dumps(export_record(procedure), ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return len(procedures)


def _export_xlsx(path: Path, procedures) -> int:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    labels = dict(OnlineLevel.choices)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách TTHC"
    sheet.append([TITLE_BLOCK])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet["A1"].alignment = Alignment(wrap_text=True, horizontal="center")
    sheet.append(HEADER)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for procedure in procedures:
        content = procedure.current_version.content
        sheet.append(
            [
                procedure.code,
                content["name"],
                content.get("issuing_agency", ""),
                "\n".join(a for a in content.get("implementing_agency", "").split("; ") if a),
                content.get("field", ""),
                content.get("level_text", ""),
                str(labels.get(content.get("online_level", "info"), "")),
            ]
        )
    for column, width in zip("ABCDEFG", (14, 80, 30, 40, 30, 20, 28), strict=True):
        sheet.column_dimensions[column].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return len(procedures)
