"""Compare the local catalogue with a national catalogue export (ADR 0155).

The export is what the importer reads: the national portal's detail records (JSON, one per file or a
list per file) or congso's own exported records (structured content under ``noi_dung``). Each record is
parsed exactly as the importer parses it, then compared with the local catalogue:

- ``missing``: the national procedure is not in the local catalogue (a procedure withdrawn locally is a
  recorded local decision, not a difference);
- ``version``: the record would change the local procedure's current version (the importer's own merge
  and content hash decide), with the parts that differ named (decision, name, time, fee, papers, …);
- ``time`` / ``fee``: an agency's offering sets a time limit or fee that differs from the national
  record's, and the offering records no local decision (``Offering.local_decision``).

``compare(records)`` only reads; ``services.run_consistency_report`` stores the result, and
``services.apply_difference`` imports the national record behind a ``missing``/``version`` difference.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from . import parser
from .importer import STRUCTURED_KEY, _merge_record, content_hash, iter_files, validate_structured
from .models import LOCAL_FEE_CHANNELS, ConsistencyDifference, Offering, Procedure, TimeUnit

Kind = ConsistencyDifference.Kind
MAX_EXPORT_BYTES = 64 * 1024 * 1024

# the parts of a version that are named when they differ, with their labels
PART_LABELS = {
    "decision": _l("quyết định công bố"),
    "name": _l("tên thủ tục"),
    "channels": _l("cách thức thực hiện (thời hạn, phí, lệ phí)"),
    "components": _l("thành phần hồ sơ"),
    "steps": _l("trình tự thực hiện"),
    "conditions": _l("yêu cầu, điều kiện"),
    "legal_basis": _l("căn cứ pháp lý"),
    "results": _l("kết quả"),
    "levels": _l("cấp thực hiện"),
    "implementing_agency": _l("cơ quan thực hiện"),
    "competent_agency": _l("cơ quan có thẩm quyền"),
    "subjects": _l("đối tượng thực hiện"),
    "online_level": _l("mức độ dịch vụ công trực tuyến"),
}


@dataclass
class NationalRecord:
    source: str
    content: dict
    record: dict  # as read, without its raw text: what the importer imports on a click


@dataclass
class Found:
    code: str
    name: str
    kind: str
    national: str = ""
    local: str = ""
    procedure_id: int | None = None
    agency_id: int | None = None
    record: dict | None = None


@dataclass
class Comparison:
    checked: int = 0
    differences: list[Found] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


# --- reading the export -------------------------------------------------------------------------


def _parse(record, source: str, out: list[NationalRecord], failures: list) -> None:
    try:
        if not isinstance(record, dict):
            raise parser.ParseError("bản ghi không phải là một đối tượng JSON")
        structured = record.get(STRUCTURED_KEY)
        content = validate_structured(structured) if structured is not None else parser.parse_record(record)
    except (parser.ParseError, ValueError, KeyError, TypeError) as exc:
        failures.append((source, str(exc) or exc.__class__.__name__))
        return
    kept = {k: v for k, v in record.items() if k != "raw_text"}
    out.append(NationalRecord(source, content, kept))


def read_data(data, source: str) -> tuple[list[NationalRecord], list[tuple[str, str]]]:
    """Records from decoded JSON (one record or a list of them)."""
    records: list[NationalRecord] = []
    failures: list[tuple[str, str]] = []
    items = data if isinstance(data, list) else [data]
    for index, record in enumerate(items):
        _parse(record, f"{source}#{index + 1}" if isinstance(data, list) else source, records, failures)
    return records, failures


def read_bytes(raw: bytes, source: str) -> tuple[list[NationalRecord], list[tuple[str, str]]]:
    if len(raw) > MAX_EXPORT_BYTES:
        return [], [(source, _("Tệp quá lớn (tối đa 64 MB)."))]
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [], [(source, _("Không đọc được JSON: %(e)s") % {"e": str(exc)[:200]})]
    return read_data(data, source)


def read_paths(paths) -> tuple[list[NationalRecord], list[tuple[str, str]]]:
    """Every JSON record under the given files and folders (list exports in Excel carry no terms)."""
    records: list[NationalRecord] = []
    failures: list[tuple[str, str]] = []
    files = [p for p in iter_files(paths) if p.suffix.lower() == ".json"]
    if not files:
        failures.append((", ".join(str(p) for p in paths)[:300], _("Không tìm thấy tệp .json nào.")))
    for path in files:
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            failures.append((str(path), str(exc)))
            continue
        more, problems = read_bytes(raw, str(path))
        records += more
        failures += problems
    return records, failures


# --- terms as text ------------------------------------------------------------------------------

UNIT_LABELS = dict(TimeUnit.choices)
CHANNEL_LABELS = {"in_person": _l("trực tiếp"), "online": _l("trực tuyến"), "post": _l("bưu chính")}


def _number(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).normalize()
    except InvalidOperation:
        return None


def _time_text(value, unit) -> str:
    number = _number(value)
    label = str(UNIT_LABELS.get(unit, unit or "")) or "?"
    return f"{number:f} {label}" if number is not None else label


def _fee_of(row: dict) -> tuple[Decimal | None, str]:
    fee = row.get("fee") or {}
    if fee.get("kind") == "free":
        return Decimal(0), fee.get("currency") or "VND"
    return _number(fee.get("amount")), fee.get("currency") or "VND"


def _money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return _("không rõ")
    if amount == 0:
        return _("miễn phí")
    return f"{int(amount):,}".replace(",", ".") + f" {currency or 'VND'}"


# --- the comparison -----------------------------------------------------------------------------


def _changed_parts(local: dict, merged: dict) -> list[str]:
    parts = [k for k in PART_LABELS if (local.get(k) or None) != (merged.get(k) or None)]
    if not parts:
        parts = sorted(k for k in set(local) | set(merged) if local.get(k) != merged.get(k))[:5]
    return parts


def _offering_differences(offering: Offering, content: dict, name: str) -> list[Found]:
    found: list[Found] = []
    channels = [row for row in content.get("channels", []) if isinstance(row, dict)]
    if offering.local_time_value is not None or offering.local_time_unit:
        local = (_number(offering.local_time_value), offering.local_time_unit)
        differing = [
            row
            for row in channels
            if (row.get("time") or {}).get("unit")
            and (_number((row.get("time") or {}).get("value")), row["time"]["unit"]) != local
        ]
        if differing:
            time = differing[0]["time"]
            found.append(
                Found(
                    offering.procedure.code,
                    name,
                    Kind.TIME,
                    national=_time_text(time.get("value"), time.get("unit")),
                    local=_time_text(offering.local_time_value, offering.local_time_unit),
                    procedure_id=offering.procedure_id,
                    agency_id=offering.agency_id,
                )
            )
    national_fees = {row.get("channel"): _fee_of(row) for row in channels}
    nat, loc = [], []
    for channel in LOCAL_FEE_CHANNELS:
        local = offering.local_fee(channel)
        if local is None or channel not in national_fees:
            continue
        amount, currency = national_fees[channel]
        if amount is None or amount != _number(local[0]) or currency != local[1]:
            label = CHANNEL_LABELS[channel]
            nat.append(f"{label}: {_money(amount, currency)}")
            loc.append(f"{label}: {_money(_number(local[0]), local[1])}")
    if nat:
        found.append(
            Found(
                offering.procedure.code,
                name,
                Kind.FEE,
                national="; ".join(nat),
                local="; ".join(loc),
                procedure_id=offering.procedure_id,
                agency_id=offering.agency_id,
            )
        )
    return found


def compare(records: list[NationalRecord]) -> Comparison:
    """The differences between the national records and the local catalogue (reads only)."""
    result = Comparison()
    by_code: dict[str, NationalRecord] = {}
    for item in records:
        by_code[item.content["code"]] = item  # the last record of a code wins, as in an import
    local = {
        row[0]: row
        for row in Procedure.objects.filter(code__in=list(by_code)).values_list(
            "code", "pk", "is_active", "current_version__content", "current_version__content_hash"
        )
    }
    offerings: dict[str, list[Offering]] = {}
    for offering in (
        Offering.objects.filter(procedure__code__in=list(by_code), is_active=True, local_decision="")
        .select_related("procedure")
        .order_by("agency__code")
    ):
        offerings.setdefault(offering.procedure.code, []).append(offering)
    for code in sorted(by_code):
        item = by_code[code]
        content = item.content
        name = content.get("name", "")
        result.checked += 1
        row = local.get(code)
        if row is None:
            result.differences.append(
                Found(code, name, Kind.MISSING, national=content.get("decision", ""), record=item.record)
            )
            continue
        _code, pk, is_active, local_content, local_hash = row
        if not is_active:
            continue  # withdrawn here: a recorded local decision
        merged = _merge_record(local_content, content)
        if content_hash(merged) != local_hash:
            parts = _changed_parts(local_content or {}, merged)
            result.differences.append(
                Found(
                    code,
                    name,
                    Kind.VERSION,
                    national=(content.get("decision") or "")[:200],
                    local=", ".join(str(PART_LABELS.get(p, p)) for p in parts)[:500],
                    procedure_id=pk,
                    record=item.record,
                )
            )
        for offering in offerings.get(code, []):
            result.differences += _offering_differences(offering, content, name)
    return result
