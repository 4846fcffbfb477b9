"""Issue 14: the online form uses the same rules as the counter (core.validation, ADR 0147) — the
builder's field types, the filing pages and the API; and marriage registration takes both spouses."""

import json

import pytest

from congso.catalog.models import Offering, OnlineLevel, Procedure, ProcedureVersion
from congso.portal import definitions, services
from congso.portal.definitions import FieldSpec, FormSpec
from congso.portal.forms import FieldForm
from congso.portal.models import Draft, FieldType

pytestmark = pytest.mark.django_db


def test_builder_field_types_birth_date_and_quantity():
    spec = FormSpec(
        title="Tờ khai",
        fields=[
            FieldSpec("ngay_sinh", "Ngày sinh của trẻ", FieldType.BIRTH_DATE, True),
            FieldSpec("so_ban", "Số bản sao", FieldType.QUANTITY, True),
        ],
    )
    cleaned, errors = definitions.validate(spec, {"ngay_sinh": "01/06/2030", "so_ban": "-5"})
    assert errors == {
        "ngay_sinh": "Ngày sinh không thể ở tương lai.",
        "so_ban": "Nhập một số nguyên dương, ví dụ 2 (không nhập số âm, số thập phân hay chữ).",
    }
    cleaned, errors = definitions.validate(spec, {"ngay_sinh": "02/11/2026", "so_ban": "100"})
    assert errors == {"so_ban": "Số lượng phải từ 1 đến 99."}
    cleaned, errors = definitions.validate(spec, {"ngay_sinh": "2026-11-02", "so_ban": "3"})
    assert errors == {} and cleaned == {"ngay_sinh": "2026-11-02", "so_ban": 3}


def test_builder_offers_the_new_types_and_phone_uses_the_shared_rule():
    form = FieldForm(data={"label": "Số bản sao", "key": "so_ban", "type": "quantity"})
    assert form.is_valid(), form.errors
    assert {"birth_date", "quantity"} <= {value for value, _label in form.fields["type"].choices}
    spec = FormSpec(title="Tờ khai", fields=[FieldSpec("dt", "Điện thoại", FieldType.PHONE)])
    assert "Số điện thoại không đúng" in definitions.validate(spec, {"dt": "abc"})[1]["dt"]
    assert definitions.validate(spec, {"dt": "+84 905 123 456"})[0] == {"dt": "0905123456"}


def _start(client):
    response = client.post("/dich-vu-cong/", {"thu-tuc": "1.001193", "co-quan": "H21.23575"})
    assert response.status_code == 302
    return Draft.objects.get(), response["Location"]


def test_online_form_refuses_a_child_born_in_2030_and_minus_five_copies(citizen_client, birth_form, answers):
    draft, url = _start(citizen_client)
    details = url.replace("/nguoi-nop/", "/thong-tin/")
    posted = {f"f_{k}": v for k, v in answers.items()}
    posted.update({"f_ngay_sinh_tre": "2030-05-01", "f_nhan_ban_sao": "true", "f_so_ban_sao": "-5"})
    html = citizen_client.post(details, posted).content.decode()
    assert "Ngày sinh không thể ở tương lai." in html
    assert "Nhập một số nguyên dương" in html
    draft.refresh_from_db()
    assert services.check(draft)["details"].keys() >= {"ngay_sinh_tre", "so_ban_sao"}


def test_api_refuses_the_same(citizen_client, birth_form, answers):
    draft, _url = _start(citizen_client)
    response = citizen_client.patch(
        f"/api/v1/portal/drafts/{draft.pk}",
        json.dumps(
            {"fields": {**answers, "ngay_sinh_tre": "2030-05-01", "nhan_ban_sao": True, "so_ban_sao": "-5"}}
        ),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    errors = response.json()["errors"]
    assert errors["ngay_sinh_tre"] == "Ngày sinh không thể ở tương lai."
    assert "số nguyên dương" in errors["so_ban_sao"]


def test_applicant_step_refuses_a_date_of_birth_in_the_future(citizen_client, birth_form):
    draft, url = _start(citizen_client)
    applicant = {**draft.data["applicant"], "date_of_birth": "2031-01-01"}
    html = citizen_client.post(url, applicant).content.decode()
    assert "Ngày sinh không thể ở tương lai." in html


@pytest.fixture
def marriage(agencies):
    procedure = Procedure.objects.create(
        code="1.000894", name="Thủ tục đăng ký kết hôn", levels="|commune|", online_level=OnlineLevel.FULL
    )
    content = {
        "code": "1.000894",
        "name": "Thủ tục đăng ký kết hôn",
        "channels": [{"channel": "online", "time": {"value": 5, "unit": "working_days"}, "fee": None}],
        "components": [],
    }
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, content=content, content_hash="k" * 64
    )
    procedure.current_version = version
    procedure.save()
    return Offering.objects.create(agency=agencies["ward"], procedure=procedure, online_open=True)


def test_online_marriage_takes_both_spouses(citizen_client, marriage):
    response = citizen_client.post("/dich-vu-cong/", {"thu-tuc": "1.000894", "co-quan": "H21.23575"})
    draft = Draft.objects.get()
    url = response["Location"]
    html = citizen_client.get(url).content.decode()
    assert "Bên thứ hai đăng ký kết hôn (vợ hoặc chồng)</legend>" in html and 'id="id_co_name"' in html
    applicant = dict(draft.data["applicant"])
    html = citizen_client.post(url, applicant).content.decode()
    assert "Cần nhập thông tin này." in html  # the spouse's name and CCCD
    spouse = {
        "co_name": "Rơ Châm H'Hoa",
        "co_id_number": "064195002222",
        "co_phone": "0914333444",
        "co_address": "Làng Ia Kênh, phường Pleiku",
    }
    response = citizen_client.post(url, {**applicant, **spouse})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert services.co_applicants_of(draft.data["applicant"])[0]["id_number"] == "064195002222"
    html = citizen_client.post(url, {**applicant, **spouse, "co_id_number": "0641950022"}).content.decode()
    assert "đúng 12 chữ số" in html
