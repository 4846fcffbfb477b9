"""Demo data of the catalogue: the real Justice procedures, offered at the demo province and communes.

Runs after the directory demo (DEMO_STEPS). Agencies are looked up by the shared demo codes; when the
directory demo has not created them (an app deployed alone), the few needed are created here with the
same codes, so both orders merge cleanly. Idempotent.
"""

from pathlib import Path

from congso.accounts.demo import demo_official
from congso.directory import demo_codes as codes
from congso.directory.models import AdministrativeUnit, Agency, Membership, Role

from . import consistency
from .importer import import_paths
from .limits import INSTANT_UNITS
from .models import ConsistencyReport, Offering, OnlineLevel, Procedure, TimeUnit
from .selectors import consistency_rate
from .services import run_consistency_report, unresolved_offerings

DATA_DIR = Path(__file__).resolve().parent / "data" / "tthc" / "records"
DEMO_FIELDS = ("Hộ tịch", "Chứng thực")
ADMIN_USERNAME = "quantri.thutuc.pleiku"
ADMIN_PASSWORD = "ThuTuc@Pleiku2026"  # noqa: S105 (a published demo login)


def _unit(code, name, kind, level, parent=None):
    unit = AdministrativeUnit.objects.filter(code=code).order_by("-valid_from").first()
    if unit is None:
        unit = AdministrativeUnit.objects.create(code=code, name=name, kind=kind, level=level, parent=parent)
    return unit


def _agency(code, name, kind, unit, parent=None, address=""):
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        agency = Agency(code=code, name=name, kind=kind, unit=unit, parent=parent, address=address)
        agency.save()
    return agency


def ensure_agencies() -> tuple[Agency, list[tuple[Agency, Agency]]]:
    """The Department of Justice, and each demo commune's People's Committee with its service centre."""
    province = _unit(codes.PROVINCE_UNIT, "Tỉnh Gia Lai", AdministrativeUnit.Kind.PROVINCE, 1)
    province_pc = _agency(
        codes.PROVINCE_PC, "Ủy ban nhân dân tỉnh Gia Lai", Agency.Kind.PEOPLES_COMMITTEE, province
    )
    justice = _agency(
        codes.DEPT_JUSTICE,
        "Sở Tư pháp tỉnh Gia Lai",
        Agency.Kind.DEPARTMENT,
        province,
        parent=province_pc,
        address="Số 01 Trần Phú, phường Quy Nhơn, tỉnh Gia Lai",
    )
    communes = []
    for unit_code, unit_name in codes.COMMUNE_UNITS.items():
        kind = (
            AdministrativeUnit.Kind.WARD
            if unit_name.startswith("Phường")
            else AdministrativeUnit.Kind.COMMUNE
        )
        unit = _unit(unit_code, unit_name, kind, 3, parent=province)
        short = unit_name[0].lower() + unit_name[1:]
        pc = _agency(
            codes.commune_pc(unit_code), f"Ủy ban nhân dân {short}", Agency.Kind.PEOPLES_COMMITTEE, unit
        )
        centre = _agency(
            codes.commune_centre(unit_code),
            f"Trung tâm Phục vụ hành chính công {short}",
            Agency.Kind.SERVICE_CENTRE,
            unit,
            parent=pc,
        )
        communes.append((pc, centre))
    return justice, communes


def _justice_codes() -> list[str]:
    return [path.stem for path in DATA_DIR.glob("bo-tu-phap/*.json")]


def _offer(agency, procedures, counters):
    existing = set(Offering.objects.filter(agency=agency).values_list("procedure_id", flat=True))
    Offering.objects.bulk_create(
        [
            Offering(
                agency=agency,
                procedure=p,
                online_open=p.online_level != OnlineLevel.INFO,
                counters=counters,
            )
            for p in procedures
            if p.pk not in existing
        ]
    )


# Local time limits the demo's agencies set where the national record states no unit or no time (ADR
# 0143). The Law on Civil Status (Luật Hộ tịch 2014, Art. 16, 18, 34) has births, marriages and deaths
# registered "ngay sau khi nhận đủ giấy tờ", and a dossier received after 15:00 is returned the next
# working day: "trong ngày". Its other limits are counted in working days (the record's "3", "5").
# Decree 23/2015 (Art. 7, 33): copies and signatures certified the same day, contracts and
# transactions within 02 working days.
# Copies of civil-status extracts (2.000635, the record states no time): the same day (Decree 123/2015,
# Art. 64).
SAME_DAY_CODES = {"1.001193", "1.000894", "1.000656", "2.000635"}
TRANSACTION_WORDS = ("giao dịch", "di chúc", "di sản", "hợp đồng")
# Left unresolved on purpose, so the agency administrator sees the flag (Thủ tục xác nhận thông tin hộ tịch).
KEEP_UNRESOLVED = "2.002516"


def _demo_limit(procedure) -> tuple[int, str] | None:
    if procedure.code == KEEP_UNRESOLVED:
        return None
    if procedure.code in SAME_DAY_CODES:
        return 0, TimeUnit.SAME_DAY
    unitless = [
        (row.get("time") or {}).get("value")
        for row in procedure.content.get("channels", [])
        if (row.get("time") or {}).get("value") is not None and not (row.get("time") or {}).get("unit")
    ]
    if unitless:
        value = min(unitless)
        return (0, TimeUnit.SAME_DAY) if value <= 1 else (int(value), TimeUnit.WORKING_DAYS)
    if procedure.field_id is None or procedure.field.name != "Chứng thực":
        return None  # no time stated and no rule the demo knows: left for the administrator
    if any(word in procedure.name.lower() for word in TRANSACTION_WORDS):
        return 2, TimeUnit.WORKING_DAYS
    return 0, TimeUnit.SAME_DAY


def set_local_limits(agency) -> int:
    """Give the agency's unresolved offerings the demo's local limits; returns how many were set."""
    count = 0
    for offering in unresolved_offerings(agency):
        limit = _demo_limit(offering.procedure)
        if limit is None:
            continue
        offering.local_time_value, offering.local_time_unit = limit
        if offering.local_time_unit in INSTANT_UNITS:
            offering.local_time_value = 0
        offering.save(update_fields=["local_time_value", "local_time_unit", "updated_at"])
        count += 1
    return count


def load(out):
    report = import_paths([DATA_DIR])
    out.write(
        f"  Thủ tục hành chính: {report.created} tạo mới, {report.updated} cập nhật, "
        f"{report.unchanged} không đổi, {report.failed} lỗi."
    )
    justice, communes = ensure_agencies()
    justice_procs = Procedure.objects.filter(is_active=True, code__in=_justice_codes())
    _offer(
        justice,
        list(justice_procs.filter(levels__contains="|province|")),
        "Trung tâm Phục vụ hành chính công tỉnh Gia Lai, quầy Sở Tư pháp",
    )
    commune_procs = list(justice_procs.filter(levels__contains="|commune|", field__name__in=DEMO_FIELDS))
    for pc, centre in communes:
        _offer(pc, commune_procs, f"{centre.name}, quầy Tư pháp – Hộ tịch")
    limited = sum(set_local_limits(agency) for agency in [justice, *(pc for pc, _centre in communes)])
    out.write(
        f"  Thời hạn tại địa phương đặt cho {limited} thủ tục mà hồ sơ gốc không ghi đơn vị; "
        f"thủ tục {KEEP_UNRESOLVED} để trống cho quản trị viên thấy cảnh báo."
    )
    out.write(
        f"  Sở Tư pháp cung cấp {Offering.objects.filter(agency=justice).count()} thủ tục cấp tỉnh; "
        f"mỗi xã, phường cung cấp {len(commune_procs)} thủ tục hộ tịch, chứng thực."
    )

    admin = demo_official(ADMIN_USERNAME, "Nguyễn Thị Hồng Nhung", password=ADMIN_PASSWORD)
    pleiku_pc = communes[1][0] if len(communes) > 1 else communes[0][0]
    Membership.objects.get_or_create(
        user=admin,
        agency=pleiku_pc,
        role=Role.AGENCY_ADMIN,
        defaults={"position": "Quản trị thủ tục hành chính", "include_subtree": True},
    )
    consistency_demo(out, justice)
    return [("Quản trị thủ tục (phường Pleiku)", ADMIN_USERNAME, ADMIN_PASSWORD)]


# The Department of Justice shortened one procedure's time without recording the province's decision,
# and recorded it for another: the consistency report flags the first only (ADR 0155).
SHORTENED_UNRECORDED = "1.000426"  # Cấp thẻ tư vấn viên pháp luật: 5 working days nationally
SHORTENED_RECORDED = "1.000390"  # Cấp lại thẻ tư vấn viên pháp luật


def consistency_demo(out, justice) -> None:
    """A consistency report of the demo catalogue against the national records it was imported from."""
    for code, decision in (
        (SHORTENED_UNRECORDED, ""),
        (SHORTENED_RECORDED, "Quyết định 512/QĐ-UBND ngày 15/3/2026 của UBND tỉnh Gia Lai"),
    ):
        Offering.objects.filter(agency=justice, procedure__code=code, local_time_value__isnull=True).update(
            local_time_value=3, local_time_unit=TimeUnit.WORKING_DAYS, local_decision=decision
        )
    source = "Danh mục quốc gia — Bộ Tư pháp (demo)"
    report = ConsistencyReport.objects.filter(source=source).first()
    if report is None:
        records, failures = consistency.read_paths([DATA_DIR])
        report = run_consistency_report(None, records, failures, source=source)
    rate = consistency_rate(report)
    out.write(
        f"  Đối chiếu danh mục: {report.checked} thủ tục, {rate.differing} có khác biệt, tỷ lệ nhất quán "
        f"{rate.percent}% (/thu-tuc/quan-ly/doi-chieu/{report.pk}/, đăng nhập quantri.hethong)."
    )
