"""Demo people: officials in every role (with TOTP), citizens, a business and a community helper.

Demo only: each official gets a TOTP device whose otpauth URI is printed, so the demo can be
signed into with any authenticator app (or `congso otp_code <username>` outside production).
"""

import datetime

from django_otp.plugins.otp_totp.models import TOTPDevice

from congso.directory import demo_codes as dc
from congso.directory.models import AdministrativeUnit, Agency, Membership, Role

from . import services
from .models import (
    AssistanceConsent,
    CitizenProfile,
    CommunityHelper,
    CommunityTeam,
    Organisation,
    Representative,
    User,
)

DEMO_PASSWORD = "GiaLai-demo-2026"  # noqa: S105 — printed demo login, demo data only

# (username, full name, role, agency code, position, include_subtree)
OFFICIALS = [
    ("quantri.hethong", "Phạm Minh Tuấn", Role.SYSADMIN, dc.PROVINCE_PC, "Quản trị hệ thống, Sở KH&CN", True),
    (
        "quantri.sotuphap",
        "Lê Thị Hồng",
        Role.AGENCY_ADMIN,
        dc.DEPT_JUSTICE,
        "Chánh Văn phòng Sở Tư pháp",
        True,
    ),
    (
        "quantri.pleiku",
        "Nguyễn Văn Hùng",
        Role.AGENCY_ADMIN,
        dc.commune_pc("23575"),
        "Chánh Văn phòng HĐND-UBND",
        True,
    ),
    ("motcua.tinh", "Trần Thị Mai", Role.CLERK, dc.PROVINCE_CENTRE, "Công chức một cửa", False),
    ("motcua.pleiku", "Đinh Thị Hoa", Role.CLERK, dc.commune_centre("23575"), "Công chức một cửa", False),
    ("chuyenvien.tuphap", "Võ Văn Nam", Role.OFFICER, dc.DEPT_JUSTICE_CIVIL, "Chuyên viên", False),
    ("chuyenvien.xaydung", "Huỳnh Thị Thu", Role.OFFICER, dc.DEPT_CONSTRUCTION, "Chuyên viên", False),
    ("lanhdao.tuphap", "Nguyễn Quang Vinh", Role.LEADER, dc.DEPT_JUSTICE, "Phó Giám đốc Sở Tư pháp", True),
    ("lanhdao.pleiku", "Rơ Mah Tuấn", Role.LEADER, dc.commune_pc("23575"), "Phó Chủ tịch UBND phường", True),
    ("vanthu.tuphap", "Phan Thị Lan", Role.CLERICAL, dc.DEPT_JUSTICE, "Văn thư", False),
    (
        "ioc.gialai",
        "Đặng Quốc Bảo",
        Role.IOC_VIEWER,
        dc.PROVINCE_PC,
        "Trung tâm Giám sát, điều hành thông minh",
        True,
    ),
]

# (username, full name, CCCD, date of birth, commune code, address, phone)
CITIZENS = [
    (
        "congdan.an",
        "Nguyễn Văn An",
        "064090001234",
        datetime.date(1990, 5, 12),
        "23575",
        "25 Hùng Vương, tổ 3",
        "0905 123 456",
    ),
    (
        "congdan.binh",
        "Trần Thị Bình",
        "052195004321",
        datetime.date(1995, 9, 2),
        "21583",
        "112 Nguyễn Huệ",
        "0914 222 333",
    ),
    (
        "congdan.hbia",
        "Ksor H'Bia",
        "064301007788",
        datetime.date(2001, 3, 8),
        "23764",
        "Làng Dốc Lăng",
        "0386 555 777",
    ),
    ("congdan.thoi", "Rah Lan Thơi", "064050002468", datetime.date(1950, 11, 20), "23764", "Làng Hrang", ""),
]

HELPER = ("tocns.iagrai", "Nguyễn Thị Thanh Xuân", "064198003579", datetime.date(1998, 7, 15))


def _user(username, full_name, kind, password=DEMO_PASSWORD, **extra):
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "kind": kind, **extra}
    )
    # get_or_create stores an empty password, which Django counts as "usable": set the printed one.
    if created or not user.password:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def demo_official(username, full_name, *, password=DEMO_PASSWORD, **extra) -> User:
    """An official of another app's demo, signed in like the others: the printed password and a TOTP
    device (``congso otp_code <username>``). Every demo module creates its officials through this one
    function, so no printed login is left without its password or second factor."""
    user = _user(username, full_name, User.Kind.OFFICIAL, password=password, **extra)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)
    return user


def _commune(code):
    return AdministrativeUnit.objects.get(code=code, valid_from=datetime.date(2025, 7, 1))


def load(out):
    logins = []
    otp_lines = []
    for username, name, role, agency_code, position, subtree in OFFICIALS:
        sysadmin = role == Role.SYSADMIN
        user = _user(
            username,
            name,
            User.Kind.OFFICIAL,
            email=f"{username}@gialai.gov.vn",
            is_staff=sysadmin,
            is_superuser=sysadmin,
        )
        Membership.objects.update_or_create(
            user=user,
            agency=Agency.objects.get(code=agency_code),
            role=role,
            defaults={
                "position": position,
                "position_en": dc.position_en(username),
                "include_subtree": subtree,
                "valid_from": datetime.date(2025, 7, 1),
            },
        )
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)
        logins.append((f"{Role(role).label} — {name}", username, DEMO_PASSWORD))
        otp_lines.append(f"  {username}: {device.config_url}")

    for username, name, cccd, dob, commune, address, phone in CITIZENS:
        user = _user(username, name, User.Kind.CITIZEN, phone=phone, email=f"{username}@example.vn")
        CitizenProfile.objects.update_or_create(
            user=user,
            defaults={"cccd": cccd, "date_of_birth": dob, "commune": _commune(commune), "address": address},
        )
        logins.append((f"Công dân — {name}", username, DEMO_PASSWORD))

    business, _ = Organisation.objects.update_or_create(
        tax_code="5901234563",
        defaults={
            "name": "Công ty TNHH Cà phê Phố Núi",
            "kind": Organisation.Kind.BUSINESS,
            "phone": "0269 3826 888",
            "email": "lienhe@caphephonui.vn",
            "address": "45 Trần Hưng Đạo",
            "commune": _commune("23575"),
        },
    )
    Representative.objects.get_or_create(
        organisation=business,
        user=User.objects.get(username="congdan.an"),
        defaults={"kind": Representative.Kind.LEGAL},
    )

    username, name, cccd, dob = HELPER
    helper = _user(username, name, User.Kind.CITIZEN, phone="0977 888 999")
    CitizenProfile.objects.update_or_create(
        user=helper, defaults={"cccd": cccd, "date_of_birth": dob, "commune": _commune("23764")}
    )
    team, _ = CommunityTeam.objects.get_or_create(
        name="Tổ công nghệ số cộng đồng làng Hrang, xã Ia Grai",
        defaults={"commune": _commune("23764"), "agency": Agency.objects.get(code=dc.commune_pc("23764"))},
    )
    CommunityHelper.objects.get_or_create(
        team=team, user=helper, defaults={"valid_from": datetime.date(2025, 7, 1)}
    )
    elder = User.objects.get(username="congdan.thoi")
    if not AssistanceConsent.objects.filter(citizen=elder, helper=helper).exists():
        services.grant_consent(
            elder,
            citizen=elder,
            helper=helper,
            days=90,
            purpose="Khai và nộp hồ sơ đăng ký khai sinh cho cháu nội",
        )
    logins.append((f"Tổ công nghệ số cộng đồng — {name}", username, DEMO_PASSWORD))

    out.write("\nMã xác thực hai lớp (TOTP) của cán bộ trình diễn — thêm vào ứng dụng xác thực,")
    out.write("hoặc lấy mã hiện tại bằng: congso otp_code <tên đăng nhập>  (chỉ ngoài môi trường production)")
    for line in otp_lines:
        out.write(line)
    return logins
