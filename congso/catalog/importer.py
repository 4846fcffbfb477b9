"""Import and export the catalogue: the national portal's detail records (JSON) and list exports (Excel).

``import_paths`` is idempotent: it updates by procedure code, adds a new ``ProcedureVersion`` only when the
structured content changed, and never stops on a bad record — each failure is reported with its file
and reason. See docs/adr/0021-catalog-import-and-versions.md.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from congso.core import audit
from congso.core.text import fold

from . import parser
from .models import OnlineLevel, Procedure, ProcedureField, ProcedureVersion
from .search import rebuild_vocabulary

STRUCTURED_KEY = "noi_dung"  # exported files carry the structured content under this key
LIST_COLUMNS = {
    "ma so": "code",
    "ma thu tuc": "code",
    "ten": "name",
    "ten thu tuc": "name",
    "co quan ban hanh": "issuing_agency",
    "co quan thuc hien": "implementing_agency",
    "linh vuc": "field",
    "cap thuc hien": "level_text",
    "muc do dich vu cong truc tuyen": "online_level",
}
ONLINE_LEVEL_BY_LABEL = {
    "truc tuyen toan trinh": "full",
    "toan trinh": "full",
    "truc tuyen mot phan": "partial",
    "mot phan": "partial",
    "cung cap thong tin": "info",
}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "failures": [{"source": s, "reason": r} for s, r in self.failures],
        }


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def search_text(content: dict) -> str:
    """The folded body that full-text search indexes besides the name."""
    parts = [
        content.get("code", ""),
        content.get("field", ""),
        content.get("kind", ""),
        " ".join(content.get("subjects", [])),
        content.get("competent_agency", ""),
        content.get("implementing_agency", ""),
        content.get("issuing_agency", ""),
        " ".join(c.get("name", "") for c in content.get("components", [])),
        " ".join(r.get("name", "") for r in content.get("results", [])),
        " ".join(f"{r.get('title', '')} {r.get('number', '')}" for r in content.get("legal_basis", [])),
        content.get("conditions", ""),
    ]
    return index_fold(" ".join(parts))


class _FoldTable(dict):
    """Per-character fold() (cached): str.translate runs in C, so folding long bodies stays fast."""

    def __missing__(self, codepoint):
        folded = fold(chr(codepoint)).replace(".", " ") or " "
        self[codepoint] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def index_fold(text: str) -> str:
    """fold() without dots, so '1.000080' indexes as '1 000080' the same way on every database.

    Equal to ``" ".join(fold(text).replace(".", " ").split())``, computed one character at a time.
    """
    return " ".join(unicodedata.normalize("NFC", text or "").translate(_FOLD_TABLE).split())


class _Importer:
    def __init__(self, actor=None):
        self.report = ImportReport()
        self.fields: dict[str, ProcedureField] = {f.name: f for f in ProcedureField.objects.all()}
        self.actor = actor

    def field_for(self, name: str) -> ProcedureField | None:
        if not name:
            return None
        if name not in self.fields:
            self.fields[name], _ = ProcedureField.objects.get_or_create(name=name[:255])
        return self.fields[name]

    # -- one procedure --------------------------------------------------------------------------
    def save(self, content: dict, source: str, source_record: dict | None, merge=None) -> str:
        code = content["code"]
        procedure = Procedure.objects.select_for_update().filter(code=code).first()
        current = procedure.current_version if procedure and procedure.current_version_id else None
        if merge is not None:
            content = merge(current.content if current else None, content)
            if content is None:
                return "unchanged"
        digest = content_hash(content)
        if current is not None and current.content_hash == digest:
            if procedure.is_active:
                return "unchanged"
        outcome = "updated" if procedure else "created"
        if procedure is None:
            procedure = Procedure(code=code)
        self._apply(procedure, content)
        procedure.save()
        if current is None or current.content_hash != digest:
            number = (current.number if current else 0) + 1
            if current is None and procedure.pk:
                number = (procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            version = ProcedureVersion.objects.create(
                procedure=procedure,
                number=number,
                content=content,
                content_hash=digest,
                source=source[:300],
                source_record=source_record or (current.source_record if current else {}),
            )
            procedure.current_version = version
            Procedure.objects.filter(pk=procedure.pk).update(current_version=version)
        return outcome

    def _apply(self, procedure: Procedure, content: dict) -> None:
        procedure.name = content["name"]
        procedure.name_folded = index_fold(content["name"])
        procedure.field = self.field_for(content.get("field", ""))
        levels = content.get("levels") or []
        procedure.levels = "|" + "|".join(levels) + "|" if levels else ""
        subjects = [fold(s) for s in content.get("subjects", [])]
        procedure.subjects_folded = "|" + "|".join(subjects) + "|" if subjects else ""
        procedure.online_level = content.get("online_level") or OnlineLevel.INFO
        procedure.search_text = search_text(content)
        procedure.is_active = True

    def run_one(self, source: str, func) -> None:
        try:
            with transaction.atomic():
                outcome = func()
        except (parser.ParseError, ValueError, KeyError, TypeError) as exc:
            self.report.failures.append((source, str(exc) or exc.__class__.__name__))
            return
        setattr(self.report, outcome, getattr(self.report, outcome) + 1)

    # -- detail records (JSON) ------------------------------------------------------------------
    def import_record(self, record, source: str) -> None:
        def work():
            if not isinstance(record, dict):
                raise parser.ParseError("bản ghi không phải là một đối tượng JSON")
            structured = record.get(STRUCTURED_KEY)
            if structured is not None:
                content = validate_structured(structured)
                portal = {k: v for k, v in record.items() if k not in (STRUCTURED_KEY, "phien_ban")}
            else:
                content = parser.parse_record(record)
                portal = {k: v for k, v in record.items() if k != "raw_text"}
            return self.save(content, source, portal, merge=_merge_record)

        label = source
        if isinstance(record, dict) and record.get("ma_thu_tuc"):
            label = f"{source} [{str(record.get('ma_thu_tuc'))[:40]}]"
        self.run_one(label, work)

    def import_json_file(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.report.failures.append((str(path), f"không đọc được JSON: {exc}"))
            return
        if isinstance(data, list):
            for index, record in enumerate(data):
                self.import_record(record, f"{path}#{index + 1}")
        else:
            self.import_record(data, str(path))

    # -- list exports (Excel) -------------------------------------------------------------------
    def import_xlsx_file(self, path: Path) -> None:
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            self.report.failures.append((str(path), f"không đọc được tệp Excel: {exc}"))
            return
        try:
            for sheet in workbook.worksheets:
                self._import_sheet(path, sheet)
        finally:
            workbook.close()

    def _import_sheet(self, path: Path, sheet) -> None:
        columns = None
        for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if columns is None:
                keys = [LIST_COLUMNS.get(fold(str(cell or ""))) for cell in row]
                if "code" in keys and "name" in keys:
                    columns = keys
                continue
            values = {key: parser.clean(str(cell)) for key, cell in zip(columns, row, strict=False) if key}
            if not any(values.values()):
                continue
            source = f"{path}!{sheet.title}:{row_number}"
            self.run_one(source, lambda values=values, source=source: self._list_row(values, source))
        if columns is None:
            self.report.failures.append(
                (f"{path}!{sheet.title}", "không tìm thấy dòng tiêu đề (Mã số, Tên, …)")
            )

    def _list_row(self, values: dict, source: str) -> str:
        code, name = values.get("code", ""), values.get("name", "")
        if not code:
            raise parser.ParseError("thiếu mã thủ tục")
        if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.\-_]{0,39}", code):
            raise parser.ParseError(f"mã thủ tục không hợp lệ: {code[:50]!r}")
        if not name:
            raise parser.ParseError("thiếu tên thủ tục")
        row = {
            "code": code,
            "name": name,
            "field": values.get("field", ""),
            "issuing_agency": "; ".join(_lines(values.get("issuing_agency", ""))),
            "implementing_agency": "; ".join(_lines(values.get("implementing_agency", ""))),
        }
        if values.get("level_text"):
            row["level_text"] = values["level_text"]
            row["levels"] = parser.parse_levels(values["level_text"])
        online = ONLINE_LEVEL_BY_LABEL.get(fold(values.get("online_level", "")))
        if online:
            row["online_level"] = online
        return self.save(row, source, None, merge=_merge_list_row)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n;]", text) if line.strip()]


def _merge_record(current: dict | None, content: dict) -> dict:
    """A detail record is authoritative for what it states; keep what only a list gave (issuing agency)."""
    if current is None:
        return content
    merged = dict(content)
    for key, value in current.items():
        if key not in merged and key != "summary_only":
            merged[key] = value
    return merged


def _merge_list_row(current: dict | None, row: dict) -> dict | None:
    """A list row never overwrites a detail record; it only fills what the record lacks."""
    if current is None:
        content = empty_content(row["code"], row["name"])
        content.update(row)
        content["summary_only"] = True
        return content
    content = dict(current)
    authoritative = current.get("summary_only", False)
    for key, value in row.items():
        if value and (authoritative or not content.get(key)):
            content[key] = value
    return content


def empty_content(code: str, name: str) -> dict:
    return {
        "code": code,
        "name": name,
        "decision": "",
        "kind": "",
        "field": "",
        "levels": [],
        "level_text": "",
        "subjects": [],
        "competent_agency": "",
        "implementing_agency": "",
        "authorised_agency": "",
        "coordinating_agency": "",
        "receiving_address": "",
        "related": "",
        "steps": "",
        "channels": [],
        "components": [],
        "conditions": "",
        "legal_basis": [],
        "results": [],
        "result_description": "",
        "source_url": "",
        "online_level": OnlineLevel.INFO.value,
        "fee_set_locally": False,
    }


def validate_structured(content) -> dict:
    """Structured content from an export: check its shape before trusting it."""
    from .schemas import ProcedureContent

    if not isinstance(content, dict):
        raise parser.ParseError("trường 'noi_dung' phải là một đối tượng")
    try:
        checked = ProcedureContent.model_validate(content)
    except Exception as exc:
        raise parser.ParseError(f"nội dung có cấu trúc không hợp lệ: {str(exc)[:300]}") from exc
    if not checked.code or not checked.name:
        raise parser.ParseError("thiếu mã hoặc tên thủ tục")
    return content


def iter_files(paths) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in (".json", ".xlsx")))
        else:
            files.append(path)
    return files


def import_paths(paths, actor=None) -> ImportReport:
    """Import files and folders. One transaction (each record in its own savepoint), so a run is fast
    and a crash leaves nothing half-imported; re-running is always safe."""
    with transaction.atomic():
        return _import_paths(paths, actor)


def _import_paths(paths, actor) -> ImportReport:
    importer = _Importer(actor)
    for path in iter_files(paths):
        if not path.exists():
            importer.report.failures.append((str(path), "không tìm thấy tệp"))
        elif path.suffix.lower() == ".json":
            importer.import_json_file(path)
        elif path.suffix.lower() == ".xlsx":
            importer.import_xlsx_file(path)
        else:
            importer.report.failures.append((str(path), "chỉ nhận tệp .json hoặc .xlsx"))
    report = importer.report
    if report.created or report.updated:
        rebuild_vocabulary()
    audit.record(
        "catalog.import",
        actor=actor,
        object_type="catalog.procedure",
        data={k: v for k, v in report.as_dict().items() if k != "failures"}
        | {"sources": [str(p) for p in paths][:20], "failures": report.as_dict()["failures"][:50]},
    )
    return report
