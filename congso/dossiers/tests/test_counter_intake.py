"""Counter intake of issue 14: the same validation rules as everywhere (page and API), the procedure
picker (by agency, most received first, searchable without diacritics) and two applicants."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.catalog.models import Offering, Procedure, ProcedureVersion
from congso.core.errors import ServiceError
from congso.directory.testing import login_verified
from congso.dossiers import services
from congso.dossiers.models import Channel, Dossier, Status

from .conftest import pdf

pytestmark = pytest.mark.django_db
URL = "/mot-cua/tiep-nhan/"


@pytest.fixture
def offering(agencies, procedure_version):
    return Offering.objects.create(agency=agencies["ward"], procedure=procedure_version.procedure)


@pytest.fixture
def marriage(agencies):
    procedure = Procedure.objects.create(code="1.000894", name="Thủ tục đăng ký kết hôn", levels="|commune|")
    content = {
        "code": "1.000894",
        "name": "Thủ tục đăng ký kết hôn",
        "channels": [{"channel": "in_person", "time": {"value": 5, "unit": "working_days"}, "fee": None}],
        "components": [{"group": "", "name": "Tờ khai đăng ký kết hôn", "originals": 1, "copies": 0}],
    }
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, content=content, content_hash="m" * 64
    )
    procedure.current_version = version
    procedure.save()
    return Offering.objects.create(agency=agencies["ward"], procedure=procedure)


def _post(client, offering, **fields):
    data = {
        "offering": offering.pk,
        "channel": 1,
        "applicant_name": "Hoàng Thị Lan",
        "applicant_id_number": "064190001234",
        "applicant_phone": "0988777666",
        "file_0": SimpleUploadedFile("to-khai.pdf", pdf()),
        "checked_1": "on",
        "decision": "accept",
        **fields,
    }
    return client.post(f"{URL}?offering={offering.pk}", data)


# --- one set of rules: the page and the API --------------------------------------------------------


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("applicant_id_number", "06419000123", "Số CCCD phải gồm đúng 12 chữ số (đã nhập 11 chữ số)"),
        ("applicant_phone", "abc", "Số điện thoại không đúng"),
        ("applicant_email", "lan@", "Địa chỉ thư điện tử không đúng"),
    ],
)
def test_counter_page_refuses_bad_identity_phone_email(client, staff, offering, field, value, message):
    login_verified(client, staff["clerk"])
    response = _post(client, offering, **{field: value})
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert f'id="id_{field}"' in html and 'aria-invalid="true"' in html
    assert Dossier.objects.count() == 0


def test_counter_page_normalises_what_it_accepts(client, staff, offering):
    login_verified(client, staff["clerk"])
    _post(client, offering, applicant_id_number="064 190 001 234", applicant_phone="+84 988 777 666")
    d = Dossier.objects.get()
    assert (d.applicant_id_number, d.applicant_phone) == ("064190001234", "0988777666")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("applicant_id_number", "06419000123", "đúng 12 chữ số"),
        ("applicant_phone", "abc", "Số điện thoại không đúng"),
    ],
)
def test_api_refuses_the_same(client, staff, agencies, procedure_version, field, value, message):
    login_verified(client, staff["clerk"])
    response = client.post(
        "/api/v1/dossiers",
        {"agency": "H21.23575", "procedure": "1.001193", "applicant_name": "Trần Thị Bình", field: value},
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert message in body["detail"] and field in body["errors"]
    assert Dossier.objects.count() == 0


def test_service_refuses_for_every_channel(staff, agencies, procedure_version):
    with pytest.raises(ServiceError) as exc:
        services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.POST,
            applicant=services.Applicant(name="Trần Thị Bình", phone="abc"),
        )
    assert "applicant_phone" in exc.value.errors
    assert Dossier.objects.count() == 0


# --- the picker --------------------------------------------------------------------------------------


def test_picker_groups_by_agency_without_the_repeated_prefix(client, staff, offering, marriage):
    login_verified(client, staff["clerk"])
    html = client.get(URL).content.decode()
    assert "<h2" in html and "Ủy ban nhân dân phường Pleiku</h2>" in html
    assert ">Đăng ký khai sinh</a>" in html and ">Đăng ký kết hôn</a>" in html
    assert "Ủy ban nhân dân phường Pleiku — " not in html


def test_picker_search_without_diacritics_works_without_javascript(client, staff, offering, marriage):
    login_verified(client, staff["clerk"])
    html = client.get(URL, {"q": "dang ky KET hon"}).content.decode()
    assert ">Đăng ký kết hôn</a>" in html and "khai sinh</a>" not in html
    assert ">Đăng ký khai sinh</a>" in client.get(URL, {"q": "1.001193"}).content.decode()
    assert "Không có thủ tục nào khớp" in client.get(URL, {"q": "khai tu"}).content.decode()


def test_picker_lists_the_most_received_first(client, staff, agencies, offering, marriage, applicant):
    for _ in range(2):
        services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=offering.procedure.current_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
        )
    login_verified(client, staff["clerk"])
    html = client.get(URL).content.decode()
    assert html.index("Đăng ký khai sinh</a>") < html.index("Đăng ký kết hôn</a>")
    assert "2 hồ sơ trong năm" in html
    Dossier.objects.all().delete()
    html = client.get(URL).content.decode()
    assert html.index("Đăng ký kết hôn</a>") < html.index("Đăng ký khai sinh</a>")  # then by name


def test_picker_shows_only_the_clerks_agencies(client, staff, agencies, offering, procedure_version):
    Offering.objects.create(agency=agencies["other"], procedure=procedure_version.procedure)
    login_verified(client, staff["clerk"])
    html = client.get(URL).content.decode()
    assert "phường Pleiku" in html and "xã Ia Grai" not in html
    other = Offering.objects.get(agency=agencies["other"])
    assert 'name="applicant_name"' not in client.get(URL, {"offering": other.pk}).content.decode()


# --- two applicants: the marriage registration ------------------------------------------------------


def test_marriage_needs_the_second_spouse_at_the_counter(client, staff, marriage):
    login_verified(client, staff["clerk"])
    form = client.get(URL, {"offering": marriage.pk}).content.decode()
    assert "Bên thứ hai đăng ký kết hôn (vợ hoặc chồng)</legend>" in form
    response = client.post(
        f"{URL}?offering={marriage.pk}",
        {
            "offering": marriage.pk,
            "channel": 1,
            "applicant_name": "Nguyễn Văn Bình",
            "applicant_id_number": "052090001111",
            "co_applicant_name": "Rơ Châm H'Hoa",
            "co_applicant_id_number": "06419500222",
            "checked_0": "on",
            "decision": "accept",
        },
    )
    assert "Số CCCD phải gồm đúng 12 chữ số" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_marriage_records_both_spouses_and_shows_them(client, staff, marriage):
    login_verified(client, staff["clerk"])
    response = client.post(
        f"{URL}?offering={marriage.pk}",
        {
            "offering": marriage.pk,
            "channel": 1,
            "applicant_name": "Nguyễn Văn Bình",
            "applicant_id_number": "052090001111",
            "applicant_phone": "0905111222",
            "co_applicant_name": "Rơ Châm H'Hoa",
            "co_applicant_id_number": "064195002222",
            "co_applicant_phone": "0914 333 444",
            "co_applicant_email": "hoa.rocham@example.vn",
            "checked_0": "on",
            "decision": "accept",
        },
        follow=True,
    )
    d = Dossier.objects.get()
    assert d.status == Status.ACCEPTED
    assert d.co_applicants == [
        {
            "label": "Bên thứ hai đăng ký kết hôn (vợ hoặc chồng)",
            "name": "Rơ Châm H'Hoa",
            "id_number": "064195002222",
            "phone": "0914333444",
            "email": "hoa.rocham@example.vn",
            "address": "",
        }
    ]
    html = response.content.decode()
    assert "Rơ Châm H&#x27;Hoa" in html and "064195002222" in html
    api = client.get(f"/api/v1/dossiers/{d.code}").json()
    assert api["co_applicants"][0]["name"] == "Rơ Châm H'Hoa"


def test_one_applicant_procedure_refuses_a_co_applicant(staff, agencies, procedure_version, applicant):
    with pytest.raises(ServiceError, match="chỉ có một người nộp"):
        services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            co_applicants=[services.Applicant(name="Trần Thị Bình")],
        )


def test_marriage_over_api_without_the_second_spouse_is_refused(client, staff, marriage):
    login_verified(client, staff["clerk"])
    response = client.post(
        "/api/v1/dossiers",
        {
            "agency": "H21.23575",
            "procedure": "1.000894",
            "applicant_name": "Nguyễn Văn Bình",
            "components": ["Tờ khai đăng ký kết hôn"],
            "files": [io.BytesIO(pdf())],
        },
    )
    assert response.status_code == 400 and "co_applicant_name" in response.json()["errors"]
