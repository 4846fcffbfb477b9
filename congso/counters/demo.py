"""Demo counters and ticket services at the demo province's service centres.

The directory demo (another step) creates the centres; ``get_or_create`` on their codes lets this
step run alone too. A few tickets are taken and called today so the display board is not empty.
"""

from django.utils import timezone

from congso.accounts.demo import demo_official
from congso.accounts.models import User
from congso.directory import demo_codes
from congso.directory.demo import demo_role
from congso.directory.models import AdministrativeUnit, Agency, Role

from . import services
from .models import Counter, Ticket, TicketService

PASSWORD = "Quay-so-2026!"  # noqa: S105 — demo-only, printed by `congso demo`

# (prefix, name, description, priority, typical minutes)
PROVINCE_SERVICES = [
    ("U", "Ưu tiên", "Người cao tuổi, người khuyết tật, phụ nữ mang thai, người có công", True, 12),
    ("A", "Tư pháp – lý lịch tư pháp, công chứng", "Sở Tư pháp", False, 10),
    ("B", "Đất đai – môi trường", "Sở Nông nghiệp và Môi trường", False, 15),
    ("C", "Đăng ký kinh doanh, đầu tư", "Sở Tài chính", False, 12),
    ("D", "Xây dựng – giao thông", "Sở Xây dựng", False, 15),
    ("E", "Lao động, việc làm, bảo trợ xã hội", "Sở Nội vụ", False, 10),
]
# (number, label, service prefixes)
PROVINCE_COUNTERS = [
    (1, "Sở Tư pháp", ["U", "A"]),
    (2, "Sở Tư pháp", ["A"]),
    (3, "Sở Nông nghiệp và Môi trường", ["U", "B"]),
    (4, "Sở Tài chính", ["C"]),
    (5, "Sở Xây dựng", ["D"]),
    (6, "Sở Nội vụ", ["U", "E"]),
]

COMMUNE_SERVICES = [
    ("U", "Ưu tiên", "Người cao tuổi, người khuyết tật, phụ nữ mang thai, người có công", True, 10),
    ("A", "Hộ tịch – chứng thực", "Khai sinh, kết hôn, khai tử, chứng thực bản sao, chữ ký", False, 8),
    ("B", "Đất đai – xây dựng", "Đăng ký đất đai, cấp giấy chứng nhận, giấy phép xây dựng", False, 15),
    ("C", "Đăng ký kinh doanh hộ cá thể", "Hộ kinh doanh, hợp tác xã", False, 12),
    ("D", "Chính sách – bảo trợ xã hội", "Người có công, trợ cấp xã hội, bảo hiểm y tế", False, 10),
]
COMMUNE_COUNTERS = [
    (1, "Tư pháp – hộ tịch", ["U", "A"]),
    (2, "Tư pháp – hộ tịch", ["A", "D"]),
    (3, "Địa chính – xây dựng", ["U", "B"]),
    (4, "Kinh tế – văn hóa xã hội", ["C", "D"]),
]


def _province_unit() -> AdministrativeUnit:
    unit, _ = AdministrativeUnit.objects.get_or_create(
        code=demo_codes.PROVINCE_UNIT,
        defaults={"name": "Tỉnh Gia Lai", "kind": AdministrativeUnit.Kind.PROVINCE, "level": 1},
    )
    return unit


def _commune_unit(code: str, province: AdministrativeUnit) -> AdministrativeUnit:
    name = demo_codes.COMMUNE_UNITS[code]
    kind = AdministrativeUnit.Kind.WARD if name.startswith("Phường") else AdministrativeUnit.Kind.COMMUNE
    unit, _ = AdministrativeUnit.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "level": 3, "parent": province}
    )
    return unit


def _agency(code: str, **defaults) -> Agency:
    agency, _ = Agency.objects.get_or_create(code=code, defaults=defaults)
    return agency


def _centres() -> list[tuple[Agency, str]]:
    province = _province_unit()
    pc = _agency(
        demo_codes.PROVINCE_PC,
        name="Ủy ban nhân dân tỉnh Gia Lai",
        short_name="UBND tỉnh",
        kind=Agency.Kind.PEOPLES_COMMITTEE,
        unit=province,
    )
    result = [
        (
            _agency(
                demo_codes.PROVINCE_CENTRE,
                name="Trung tâm Phục vụ hành chính công tỉnh Gia Lai",
                short_name="TTPVHCC tỉnh",
                kind=Agency.Kind.SERVICE_CENTRE,
                unit=province,
                parent=pc,
                address="Số 02 Trần Phú, phường Quy Nhơn, tỉnh Gia Lai",
                phone="0256 3822 888",
            ),
            "province",
        )
    ]
    for code, name in demo_codes.COMMUNE_UNITS.items():
        unit = _commune_unit(code, province)
        commune_pc = _agency(
            demo_codes.commune_pc(code),
            name=f"Ủy ban nhân dân {name[0].lower()}{name[1:]}",
            kind=Agency.Kind.PEOPLES_COMMITTEE,
            unit=unit,
        )
        centre = _agency(
            demo_codes.commune_centre(code),
            name=f"Trung tâm Phục vụ hành chính công {name[0].lower()}{name[1:]}",
            kind=Agency.Kind.SERVICE_CENTRE,
            unit=unit,
            parent=commune_pc,
            address=f"Trụ sở Ủy ban nhân dân {name[0].lower()}{name[1:]}, tỉnh Gia Lai",
        )
        result.append((centre, "commune"))
    return result


def _setup_centre(centre: Agency, service_rows, counter_rows) -> None:
    by_prefix = {}
    for position, (prefix, name, description, priority, minutes) in enumerate(service_rows):
        service, _ = TicketService.objects.get_or_create(
            centre=centre,
            prefix=prefix,
            defaults={
                "name": name,
                "description": description,
                "is_priority": priority,
                "typical_minutes": minutes,
                "position": position,
            },
        )
        by_prefix[prefix] = service
    for number, label, prefixes in counter_rows:
        counter, created = Counter.objects.get_or_create(
            centre=centre, number=number, defaults={"label": label}
        )
        if created:
            counter.services.set([by_prefix[p] for p in prefixes])


def _user(username: str, full_name: str, centre: Agency, role: str, position: str) -> User:
    user = demo_official(username, full_name, password=PASSWORD)
    demo_role(user, centre, role, position, valid_from="2025-07-01")
    return user


def _demo_tickets(centre: Agency, clerk: User) -> None:
    """Take and call a few numbers today, once, so the board and statistics have something to show."""
    if Ticket.objects.filter(centre=centre, day=timezone.localdate()).exists():
        return
    services_by_prefix = {s.prefix: s for s in TicketService.objects.filter(centre=centre)}
    if services.closed_now(centre) is not None:
        return  # a day off or after hours: the kiosk announces when the centre opens again
    for prefix in ["A", "A", "B", "U", "C", "A", "B", "D"]:
        if prefix in services_by_prefix:
            services.take_ticket(services_by_prefix[prefix].pk)
    for number in (1, 3):
        counter = Counter.objects.filter(centre=centre, number=number).first()
        if counter:
            try:
                services.call_next(clerk, counter.pk)
            except services.QueueError:
                pass


def load(out) -> list[tuple[str, str, str]]:
    logins = []
    centres = _centres()
    for centre, _level in centres:  # what each counter receives for (issue 15), once all agencies exist
        if not centre.serves.exists():
            centre.serves.add(*centre.default_served())
    for centre, level in centres:
        if level == "province":
            _setup_centre(centre, PROVINCE_SERVICES, PROVINCE_COUNTERS)
            clerk = _user(
                "quay1.pvhcc.tinh",
                "Trần Thị Mỹ Duyên",
                centre,
                Role.CLERK,
                "Cán bộ tiếp nhận quầy Sở Tư pháp",
            )
            _user("quay3.pvhcc.tinh", "Rơ Châm Hyên", centre, Role.CLERK, "Cán bộ tiếp nhận quầy Sở NN&MT")
            admin = _user(
                "quantri.pvhcc.tinh", "Lê Quang Vinh", centre, Role.AGENCY_ADMIN, "Phó Giám đốc Trung tâm"
            )
            _demo_tickets(centre, clerk)
            logins.append(("Cán bộ quầy số 1, TTPVHCC tỉnh", clerk.username, PASSWORD))
            logins.append(("Quản trị TTPVHCC tỉnh (quầy, dịch vụ)", admin.username, PASSWORD))
        else:
            _setup_centre(centre, COMMUNE_SERVICES, COMMUNE_COUNTERS)
            if centre.code == demo_codes.commune_centre("23575"):
                clerk = _user(
                    "quay1.pvhcc.pleiku", "Nguyễn Văn Hùng", centre, Role.CLERK, "Công chức Tư pháp – Hộ tịch"
                )
                _demo_tickets(centre, clerk)
                logins.append(("Cán bộ quầy số 1, TTPVHCC phường Pleiku", clerk.username, PASSWORD))
    out.write(
        f"  Xếp hàng lấy số: {Counter.objects.count()} quầy, {TicketService.objects.count()} dịch vụ.\n"
    )
    return logins
