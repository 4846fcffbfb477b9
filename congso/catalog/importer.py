"""Import and export the catalogue: the national portal's detail records (JSON) and list exports (Excel).

``import_paths`` is idempotent: it updates by procedure code, adds a new ``ProcedureVersion`` only when the
structured content changed, and never stops on a bad record — each failure is reported with its file
and reason. See docs/adr/0021-catalog-import-and-versions.md. New procedures are written in batches (a
batch the database refuses is retried one record at a time, so a bad record never takes good ones with
it), and ``jobs > 1`` spreads the detail records over worker processes on PostgreSQL
(docs/adr/0076-parallel-catalog-import.md).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.db import DatabaseError, transaction
from django.db.models import Value

from congso.core import audit
from congso.core.text import fold

from . import hooks, parser
from .models import OnlineLevel, Procedure, ProcedureField, ProcedureVersion, SearchDocument
from .schemas import ProcedureContent
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
CODE_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-_]{0,39}")
LINE_SPLIT_RE = re.compile(r"[\n;]")
BATCH_SIZE = 100  # new procedures written per batch (a few statements each, not a few per record)
# What a list row may supply, and the content key naming those a list supplied to a procedure with a
# detail record (the record states nothing there), so a re-import keeps them (docs/adr/0021).
LIST_KEYS = ("name", "field", "issuing_agency", "implementing_agency", "level_text", "levels", "online_level")
LIST_FIELDS_KEY = "list_fields"


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


def write_search_document(procedure: Procedure, created: bool) -> None:
    values = {"name_folded": procedure._name_folded, "search_text": procedure._search_text}
    if created or not SearchDocument.objects.filter(pk=procedure.pk).update(**values):
        SearchDocument.objects.create(procedure=procedure, **values)


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


# the ``change`` of ``hooks.procedure_changed`` when an import adds a procedure or a new version of one
IMPORT_CREATED = "catalog.import.created"
IMPORT_UPDATED = "catalog.import.updated"


@dataclass
class _Pending:
    """A new procedure waiting for its batch."""

    label: str
    code: str
    content: dict
    digest: str
    source: str
    source_record: dict | None


class _Importer:
    def __init__(self, actor=None, batch_size: int = 1, codes: set[str] | None = None):
        """batch_size > 1 defers new procedures to ``flush()`` (import runs); 1 writes each at once."""
        self.report = ImportReport()
        self.codes = codes  # a worker's share: load only these codes' state (others on demand)
        self.fields: dict[str, ProcedureField] = {f.name: f for f in ProcedureField.objects.all()}
        self.actor = actor
        self._state: dict | None = None
        self.batch_size = batch_size
        self.pending: list[_Pending] = []
        self._label = ""
        self.listed: set[str] = set()  # codes a list row of this run has already given

    def field_for(self, name: str) -> ProcedureField | None:
        if not name:
            return None
        if name not in self.fields:
            self.fields[name], _ = ProcedureField.objects.get_or_create(name=name[:255])
        return self.fields[name]

    # -- one procedure --------------------------------------------------------------------------
    def _known(self) -> dict:
        """code → (current content, its hash), loaded once: unchanged records cost no query."""
        if self._state is None:
            self._state = self._load(self.codes)
        return self._state

    @staticmethod
    def _load(codes) -> dict:
        rows = Procedure.objects.values_list(
            "code", "current_version__content", "current_version__content_hash"
        )
        if codes is not None:
            rows = rows.filter(code__in=list(codes))
        return {code: (content, digest) for code, content, digest in rows}

    def save(self, content: dict, source: str, source_record: dict | None, merge=None) -> str:
        code = content["code"]
        state = self._known()
        if code not in state and self.codes is not None and code not in self.codes:
            state.update(self._load([code]))
            self.codes.add(code)
        known = state.get(code)
        if merge is not None:
            content = merge(known[0] if known and known[0] is not None else None, content)
        digest = content_hash(content)
        if known is not None and known[1] == digest:
            return "unchanged"
        if known is None and self.batch_size > 1:
            # A code the database does not hold yet: written with others of its batch (see flush).
            self.pending.append(_Pending(self._label, code, content, digest, source, source_record))
            self._state[code] = (content, digest)
            if len(self.pending) >= self.batch_size:
                self.flush()
            return "pending"
        self.flush()  # an earlier record of the batch may be this procedure
        return self._write_one(code, content, digest, source, source_record)

    def _write_one(self, code, content, digest, source, source_record) -> str:
        with transaction.atomic():
            outcome = self._write(code, content, digest, source, source_record)
        self._known()[code] = (content, digest)
        return outcome

    def flush(self) -> None:
        """Write the pending new procedures in one savepoint: four statements for the whole batch.

        When the database refuses the batch, it is rolled back and each record is written on its own,
        so only the bad one is reported."""
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            with transaction.atomic():
                self._create_many(batch)
        except (DatabaseError, ValueError, KeyError, TypeError):
            self._forget_rolled_back()
            for item in batch:
                self.run_one(
                    item.label,
                    partial(
                        self._write_one, item.code, item.content, item.digest, item.source, item.source_record
                    ),
                )
            return
        self.report.created += len(batch)

    def _create_many(self, batch: list[_Pending]) -> None:
        procedures = []
        for item in batch:
            procedure = Procedure(code=item.code)
            self._apply(procedure, item.content)
            procedures.append(procedure)
        Procedure.objects.bulk_create(procedures)
        if any(p.pk is None for p in procedures):  # a backend that cannot return the new keys
            ids = dict(
                Procedure.objects.filter(code__in=[p.code for p in procedures]).values_list("code", "pk")
            )
            for procedure in procedures:
                procedure.pk = ids[procedure.code]
        SearchDocument.objects.bulk_create(
            SearchDocument(procedure=p, name_folded=p._name_folded, search_text=p._search_text)
            for p in procedures
        )
        # number=Value(1), an expression, keeps Django off PostgreSQL's UNNEST form of bulk insert, which
        # sends the rows as text arrays: psycopg escapes every quote of the JSON columns in Python
        # (~7 ms per record); plain VALUES rows are escaped by libpq.
        versions = ProcedureVersion.objects.bulk_create(
            ProcedureVersion(
                procedure=procedure,
                number=Value(1),
                content=item.content,
                content_hash=item.digest,
                source=item.source[:300],
                source_record=item.source_record or {},
            )
            for procedure, item in zip(procedures, batch, strict=True)
        )
        if any(v.pk is None for v in versions):
            ids = dict(
                ProcedureVersion.objects.filter(procedure__in=procedures).values_list("procedure_id", "pk")
            )
            for version in versions:
                version.pk = ids[version.procedure_id]
        for procedure, version in zip(procedures, versions, strict=True):
            version.number = 1
            procedure.current_version = version
        Procedure.objects.bulk_update(procedures, ["current_version"])
        for procedure in procedures:  # the integration outbox publishes each (issue 20)
            hooks.procedure_changed.fire(procedure=procedure, change=IMPORT_CREATED, actor=self.actor)

    def _write(self, code, content, digest, source, source_record) -> str:
        procedure = (
            Procedure.objects.select_for_update(of=("self",))
            .select_related("current_version")
            .filter(code=code)
            .first()
        )
        current = procedure.current_version if procedure and procedure.current_version_id else None
        outcome = "updated" if procedure else "created"
        if procedure is None:
            procedure = Procedure(code=code)
        self._apply(procedure, content)
        procedure.save()
        write_search_document(procedure, outcome == "created")
        if current is None or current.content_hash != digest:
            number = (current.number if current else 0) + 1
            if current is None and outcome == "updated":
                number = (
                    procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
                ) + 1
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
            hooks.procedure_changed.fire(
                procedure=procedure,
                change=IMPORT_CREATED if outcome == "created" else IMPORT_UPDATED,
                actor=self.actor,
            )
        return outcome

    def _apply(self, procedure: Procedure, content: dict) -> None:
        procedure.name = content["name"]
        procedure._name_folded = index_fold(content["name"])
        procedure.name_length = len(procedure._name_folded)
        procedure.field = self.field_for(content.get("field", ""))
        levels = content.get("levels") or []
        procedure.levels = "|" + "|".join(levels) + "|" if levels else ""
        subjects = [s.replace("|", "/") for s in content.get("subjects", [])]
        procedure.subjects = "|" + "|".join(subjects) + "|" if subjects else ""
        folded = [fold(s) for s in subjects]
        procedure.subjects_folded = "|" + "|".join(folded) + "|" if folded else ""
        procedure._search_text = search_text(content)
        procedure.apply_state(content)  # an administrator's withdrawal or online level stays

    def _forget_rolled_back(self) -> None:
        """The failed record's savepoint is gone, and with it any field it created."""
        self.fields = {f.name: f for f in ProcedureField.objects.all()}
        self._state = None
        if self.pending:  # still to be written: keep them known, so a repeated code is not added twice
            state = self._known()
            for item in self.pending:
                state[item.code] = (item.content, item.digest)

    def run_one(self, source: str, func) -> None:
        self._label = source
        try:
            outcome = func()  # parses, then writes in its own savepoint only when something changed
        except (parser.ParseError, ValueError, KeyError, TypeError) as exc:
            self.report.failures.append((source, str(exc) or exc.__class__.__name__))
            self._forget_rolled_back()
            return
        except DatabaseError as exc:
            self._forget_rolled_back()  # e.g. a character the database refuses: report, keep going
            self.report.failures.append(
                (source, f"cơ sở dữ liệu từ chối bản ghi: {str(exc).splitlines()[0][:200]}")
            )
            return
        if outcome != "pending":  # counted when its batch is written
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
            values = {key: parser.clean(cell) for key, cell in zip(columns, row, strict=False) if key}
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
        if not CODE_RE.fullmatch(code):
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
        online = parser.online_level_label(values.get("online_level", ""))
        if online:
            row["online_level"] = online
        first = code not in self.listed
        outcome = self.save(row, source, None, merge=partial(_merge_list_row, first=first))
        self.listed.add(code)
        return outcome


def _lines(text: str) -> list[str]:
    return [line.strip() for line in LINE_SPLIT_RE.split(text) if line.strip()]


def _merge_record(current: dict | None, content: dict) -> dict:
    """A detail record is authoritative for what it states; it keeps what only a list gave.

    A list value survives where the record states nothing (the key is absent or empty) and the value
    came from a list: recorded in ``list_fields``, or the procedure was known from lists alone. So the
    result does not depend on whether the record or the list row came first, and re-importing both
    changes nothing (docs/adr/0021)."""
    if current is None:
        return content
    merged = dict(content)
    from_list = set(content.get(LIST_FIELDS_KEY, []))
    owned = set(LIST_KEYS) if current.get("summary_only") else set(current.get(LIST_FIELDS_KEY, []))
    for key, value in current.items():
        if key in ("summary_only", LIST_FIELDS_KEY):
            continue
        if key in LIST_KEYS:
            if value and not merged.get(key) and (key in owned or key not in merged):
                merged[key] = value
                from_list.add(key)
        elif key not in merged:
            merged[key] = value
    return _with_list_fields(merged, from_list)


def _merge_list_row(current: dict | None, row: dict, first: bool = True) -> dict:
    """A list row never overwrites what a detail record states; it only fills what the record lacks.

    The first row of a run for a code updates what lists own (everything of a procedure known from
    lists alone; the ``list_fields`` of one with a detail record); a further row for that code in the
    same run only fills what is still empty, so two differing rows do not overwrite each other on
    every run."""
    if current is None:
        content = empty_content(row["code"], row["name"])
        content.update(row)
        content["summary_only"] = True
        return content
    content = dict(current)
    if current.get("summary_only", False):
        for key, value in row.items():
            if value and (first or not content.get(key)):
                content[key] = value
        return content
    from_list = set(current.get(LIST_FIELDS_KEY, []))
    for key, value in row.items():
        if value and key in LIST_KEYS and (not content.get(key) or (first and key in from_list)):
            content[key] = value
            from_list.add(key)
    return _with_list_fields(content, from_list)


def _with_list_fields(content: dict, keys: set[str]) -> dict:
    if keys:
        content[LIST_FIELDS_KEY] = sorted(keys)
    else:
        content.pop(LIST_FIELDS_KEY, None)
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
    """Structured content from an export: check its shape and codes (channel, unit, fee kind, currency,
    levels, online level) before trusting it, and return the checked content — so a bad record is
    reported (file and reason) and never reaches the database."""
    from pydantic import ValidationError as SchemaError

    if not isinstance(content, dict):
        raise parser.ParseError("trường 'noi_dung' phải là một đối tượng")
    try:
        checked = ProcedureContent.model_validate(content)
    except SchemaError as exc:
        problems = [
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            + (
                f" (giá trị {error['input']!r:.60})"
                if not isinstance(error.get("input"), dict | list)
                else ""
            )
            for error in exc.errors()[:3]
        ]
        raise parser.ParseError("nội dung có cấu trúc không hợp lệ: " + "; ".join(problems)) from exc
    if not checked.code or not checked.name:
        raise parser.ParseError("thiếu mã hoặc tên thủ tục")
    # only what was given (no defaults added; keys the schema does not know kept as they are): an
    # export imports unchanged
    known = ProcedureContent.model_fields
    checked_content = {k: v for k, v in content.items() if k not in known}
    checked_content |= checked.model_dump(mode="json", exclude_unset=True, include=set(known))
    if checked_content.get("subjects"):  # an export made before subjects were split correctly
        checked_content["subjects"] = parser.join_subjects(list(checked.subjects))
    return checked_content


def iter_files(paths) -> list[Path]:
    """Every file once, detail records (JSON) before list exports, each kind in path order.

    The order does not depend on the order of ``paths``, so neither does the result of a run."""
    found: dict[Path, Path] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for item in path.rglob("*"):
                if item.suffix.lower() in (".json", ".xlsx") and item.is_file():
                    found.setdefault(item.resolve(), item)
        else:
            found.setdefault(path.resolve(), path)
    return sorted(found.values(), key=lambda p: (p.suffix.lower() != ".json", str(p.resolve())))


def import_paths(paths, actor=None) -> ImportReport:
    """Import files and folders in this process. One transaction (each record in its own savepoint), so
    a run is fast and a crash leaves nothing half-imported; re-running is always safe.

    ``parallel_import.import_paths(..., jobs=N)`` spreads the detail records over worker processes."""
    with transaction.atomic():
        return _import_paths(paths, actor)


def import_records(records: list, source: str, actor=None) -> ImportReport:
    """Import detail records already read (a list of the portal's records or exported ones), e.g. the
    national record behind one difference of a consistency report; same rules as ``import_paths``."""
    with transaction.atomic():
        importer = _Importer(actor)
        for index, record in enumerate(records):
            importer.import_record(record, f"{source}#{index + 1}")
        return _finish(importer, [source], actor)


def _run_file(importer: _Importer, path: Path) -> None:
    if not path.exists():
        importer.report.failures.append((str(path), "không tìm thấy tệp"))
    elif path.suffix.lower() == ".json":
        importer.import_json_file(path)
    elif path.suffix.lower() == ".xlsx":
        importer.import_xlsx_file(path)
    else:
        importer.report.failures.append((str(path), "chỉ nhận tệp .json hoặc .xlsx"))


def _finish(importer: _Importer, paths, actor) -> ImportReport:
    importer.flush()
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


def _import_paths(paths, actor) -> ImportReport:
    importer = _Importer(actor, batch_size=BATCH_SIZE)
    for path in iter_files(paths):
        _run_file(importer, path)
    return _finish(importer, paths, actor)
