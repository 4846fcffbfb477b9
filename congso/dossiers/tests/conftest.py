"""Realistic fixtures: a commune of Gia Lai receives a birth-registration dossier, the provincial
Department of Justice handles an inter-agency step, and every role is staffed."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfWriter

from congso.accounts.models import User
from congso.catalog.models import Procedure, ProcedureVersion
from congso.directory.models import AdministrativeUnit, Agency, Membership, Role
from congso.dossiers.services import Applicant, Upload

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(*args):
    return dt.datetime(*args, tzinfo=VN)


def pdf(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=420, height=595)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def units(db):
    province = AdministrativeUnit.objects.create(code="52", name="Tỉnh Gia Lai", kind="province", level=1)
    commune = AdministrativeUnit.objects.create(
        code="23575", name="Phường Pleiku", kind="ward", level=3, parent=province
    )
    return province, commune


@pytest.fixture
def agencies(units):
    province, commune = units
    ward_pc = Agency.objects.create(
        code="H21.23575", name="Ủy ban nhân dân phường Pleiku", kind="peoples_committee", unit=commune
    )
    justice = Agency.objects.create(
        code="000.00.12.H21", name="Sở Tư pháp tỉnh Gia Lai", kind="department", unit=province
    )
    other_ward = Agency.objects.create(
        code="H21.23764", name="Ủy ban nhân dân xã Ia Grai", kind="peoples_committee", unit=commune
    )
    return {"ward": ward_pc, "justice": justice, "other": other_ward}


def _official(username, full_name, agency, role):
    user = User.objects.create_user(
        username, password="Mat-khau-dai-2026!", full_name=full_name, kind="official"
    )
    Membership.objects.create(user=user, agency=agency, role=role, position=str(Role(role).label))
    return user


@pytest.fixture
def staff(agencies):
    ward, justice, other = agencies["ward"], agencies["justice"], agencies["other"]
    return {
        "clerk": _official("mc.hoa", "Lê Thị Hoa", ward, Role.CLERK),
        "officer": _official("cv.nam", "Phạm Văn Nam", ward, Role.OFFICER),
        "leader": _official("ld.tuan", "Nguyễn Minh Tuấn", ward, Role.LEADER),
        "clerical": _official("vt.mai", "Đỗ Thị Mai", ward, Role.CLERICAL),
        "justice_officer": _official("stp.khanh", "Võ Quốc Khánh", justice, Role.OFFICER),
        "other_clerk": _official("mc.iagrai", "Rơ Châm H'Len", other, Role.CLERK),
    }


@pytest.fixture
def citizen(db):
    return User.objects.create_user(
        "cd.an", password="Mat-khau-dai-2026!", full_name="Nguyễn Văn An", kind="citizen"
    )


@pytest.fixture
def procedure_version(db):
    procedure = Procedure.objects.create(
        code="1.001193", name="Thủ tục đăng ký khai sinh", levels="|commune|"
    )
    content = {
        "code": "1.001193",
        "name": "Thủ tục đăng ký khai sinh",
        "channels": [
            {
                "channel": "in_person",
                "time": {"value": 3, "unit": "working_days"},
                "fee": None,
                "description": "",
            },
            {
                "channel": "online",
                "time": {"value": 3, "unit": "working_days"},
                "fee": None,
                "description": "",
            },
        ],
        "components": [
            {"group": "", "name": "Tờ khai đăng ký khai sinh", "forms": [], "originals": 1, "copies": 0},
            {"group": "", "name": "Giấy chứng sinh", "forms": [], "originals": 1, "copies": 0},
        ],
    }
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, content=content, content_hash="x" * 64
    )
    procedure.current_version = version
    procedure.save()
    return version


@pytest.fixture
def applicant(citizen):
    return Applicant(
        name="Nguyễn Văn An",
        id_number="052095001234",
        phone="0905123456",
        email="an.nguyen@example.vn",
        address="Tổ 3, phường Pleiku, tỉnh Gia Lai",
        user=citizen,
    )


@pytest.fixture
def components():
    return [
        Upload("Tờ khai đăng ký khai sinh", pdf(), "to-khai.pdf"),
        Upload("Giấy chứng sinh", pdf(2), "giay-chung-sinh.pdf"),
    ]
