"""Fixtures of the signing tests: a demo agency with staff, the demo CA, keys, a one-page PDF."""

import datetime

import pytest

from congso.directory import demo_codes
from congso.directory.models import AdministrativeUnit, Agency, Membership, Role
from congso.signing import demo, keystore
from congso.signing.models import SigningKey
from congso.signing.official_forms import AgencyInfo, ApplicantInfo, Component, FormData

PASSWORD = "Mat-khau-thu-nghiem-2026"


@pytest.fixture(autouse=True)
def _fresh_signer_cache():
    keystore.forget_cached_signers()
    yield
    keystore.forget_cached_signers()


@pytest.fixture
def province(db):
    return AdministrativeUnit.objects.create(
        code=demo_codes.PROVINCE_UNIT, name="Tỉnh Gia Lai", kind="province", level=1
    )


@pytest.fixture
def centre(province):
    pc = Agency.objects.create(
        code=demo_codes.PROVINCE_PC,
        name="Ủy ban nhân dân tỉnh Gia Lai",
        kind="peoples_committee",
        unit=province,
    )
    return Agency.objects.create(
        code=demo_codes.PROVINCE_CENTRE,
        name="Trung tâm Phục vụ hành chính công tỉnh Gia Lai",
        kind="service_centre",
        unit=province,
        parent=pc,
        address="Số 01 Trần Phú, phường Quy Nhơn",
        phone="0256 3822 222",
    )


@pytest.fixture
def justice(province):
    return Agency.objects.create(
        code=demo_codes.DEPT_JUSTICE, name="Sở Tư pháp tỉnh Gia Lai", kind="department", unit=province
    )


def _official(django_user_model, username, full_name, agency, role, position=""):
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, full_name=full_name, kind="official"
    )
    Membership.objects.create(user=user, agency=agency, role=role, position=position)
    return user


@pytest.fixture
def clerk(django_user_model, centre):
    return _official(django_user_model, "tiepnhan.lan", "Trần Thị Lan", centre, Role.CLERK)


@pytest.fixture
def leader(django_user_model, centre):
    return _official(django_user_model, "giamdoc.hung", "Nguyễn Văn Hùng", centre, Role.LEADER, "Giám đốc")


@pytest.fixture
def agency_admin(django_user_model, centre):
    return _official(django_user_model, "quantri.minh", "Lê Quang Minh", centre, Role.AGENCY_ADMIN)


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user(
        username="congdan.hoa", password=PASSWORD, full_name="Phạm Thị Hoa", kind="citizen"
    )


@pytest.fixture
def demo_ca(db):
    return demo.ensure_ca()


@pytest.fixture
def seal_key(centre, demo_ca):
    return demo.demo_key(
        label="con-dau-ttphvc",
        kind=SigningKey.Kind.SEAL,
        common_name=centre.name,
        organisation=centre.code,
        agency=centre,
    )


@pytest.fixture
def leader_key(leader, centre, demo_ca):
    return demo.demo_key(
        label="chu-ky-giam-doc",
        kind=SigningKey.Kind.PERSONAL,
        common_name="Nguyễn Văn Hùng",
        organisation=centre.name,
        user=leader,
        agency=centre,
        position="Giám đốc",
    )


@pytest.fixture
def one_page_pdf():
    from weasyprint import HTML

    html = (
        "<html lang='vi'><body><h1>Quyết định cấp giấy phép</h1>"
        "<p>Ủy ban nhân dân tỉnh Gia Lai cấp giấy phép cho bà Phạm Thị Hoa.</p></body></html>"
    )
    return HTML(string=html).write_pdf()


@pytest.fixture
def receipt_data(centre):
    received = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.UTC)
    return FormData(
        dossier_code=f"{centre.code}-261120-0007",
        agency=AgencyInfo(
            name=centre.name,
            code=centre.code,
            parent_name="Ủy ban nhân dân tỉnh Gia Lai",
            address=centre.address,
            phone=centre.phone,
        ),
        procedure_name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        applicant=ApplicantInfo(
            name="Phạm Thị Hoa",
            id_number="052186001234",
            address="Tổ 3, phường Pleiku, tỉnh Gia Lai",
            phone="0905 123 456",
        ),
        received_at=received,
        appointment_at=received + datetime.timedelta(days=14),
        components=[
            Component("Đơn đề nghị cấp giấy phép xây dựng", 1, 0),
            Component("Giấy chứng nhận quyền sử dụng đất", 0, 1),
            Component("Bản vẽ thiết kế xây dựng", 2, 0),
        ],
        channel="Trực tiếp",
        staff_name="Trần Thị Lan",
        place="Gia Lai",
        reasons=["Bổ sung bản vẽ mặt bằng móng công trình", "Bản sao giấy chứng nhận chưa chứng thực"],
    )
