"""Fully vs partially online (Decree 42/2022) in the filing flow: what must still be done in person is
stated before starting, before submitting and on the submission receipt, and recorded with the dossier."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from congso.catalog.models import OnlineLevel
from congso.core.api_testing import assert_matches_schema
from congso.core.errors import ServiceError
from congso.core.uploads import Upload
from congso.dossiers import services as dossiers
from congso.dossiers.models import Dossier, Status
from congso.dossiers.slips import _form_data
from congso.dossiers.testing import advance
from congso.portal import builder, services

from .conftest import BIRTH_ANSWERS

START = "/dich-vu-cong/?thu-tuc=1.001193&co-quan=H21.23575"
COUNTER = "Nhận kết quả trực tiếp tại bộ phận một cửa: Ủy ban nhân dân phường Pleiku (Quầy số 2, tầng 1)."


def _partial(online):
    procedure = online.procedure
    procedure.online_level = OnlineLevel.PARTIAL
    procedure.save()
    online.counters = "Quầy số 2\ntầng 1"
    online.save()


def _file(citizen, pdf_bytes):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    services.update_draft(draft.pk, citizen, fields=dict(BIRTH_ANSWERS))
    services.stage_upload(
        draft.pk, citizen, component="Giấy chứng sinh", file=SimpleUploadedFile("a.pdf", pdf_bytes)
    )
    return draft, services.submit_draft(draft.pk, citizen)


def test_fully_online(citizen_client, citizen, profile, birth_form, pdf_bytes):
    html = citizen_client.get(START).content.decode()
    assert "Dịch vụ công trực tuyến toàn trình" in html and "bạn không phải đến cơ quan" in html
    _draft, dossier = _file(citizen, pdf_bytes)
    assert dossier.form_data["online"] == {
        "level": "full",
        "result": "online",
        "in_person": [],
        "result_place": "",
    }
    done = citizen_client.get(f"/dich-vu-cong/da-nop/{dossier.code}/").content.decode()
    assert "Dịch vụ công trực tuyến toàn trình" in done and 'id="in-person-steps"' not in done


def test_partially_online(citizen_client, citizen, profile, birth_form, online, pdf_bytes):
    _partial(online)
    html = citizen_client.get(START).content.decode()
    assert "Dịch vụ công trực tuyến một phần" in html
    assert "Mang bản chính của các giấy tờ đã tải lên (Giấy chứng sinh; Văn bản ủy quyền;" in html
    assert COUNTER in html
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    declaration = citizen_client.get(f"/dich-vu-cong/ho-so-nhap/{draft.pk}/cam-doan/").content.decode()
    assert COUNTER in declaration and 'id="in-person-steps"' in declaration
    _draft, dossier = _file(citizen, pdf_bytes)
    online_terms = dossier.form_data["online"]
    assert online_terms["level"] == "partial" and online_terms["result"] == "counter"
    assert online_terms["result_place"] == "Ủy ban nhân dân phường Pleiku (Quầy số 2, tầng 1)"
    assert online_terms["in_person"] == [  # only the papers given
        "Mang bản chính của các giấy tờ đã tải lên (Giấy chứng sinh) để cán bộ đối chiếu khi nhận kết quả."
    ]
    done = citizen_client.get(f"/dich-vu-cong/da-nop/{dossier.code}/").content.decode()
    assert COUNTER in done and "Kết quả không được trả trực tuyến." in done


def test_the_agency_states_its_own_in_person_steps(
    citizen_client, citizen, profile, birth_form, online, ward_admin, pdf_bytes
):
    _partial(online)
    definition = builder.create_definition(ward_admin, procedure_code="1.001193", agency_code="H21.23575")
    builder.update_definition(
        ward_admin,
        definition.pk,
        title="Tờ khai đăng ký khai sinh",
        intro="",
        in_person=["Nộp lệ phí cấp bản sao tại quầy khi nhận kết quả.", " "],
    )
    builder.publish(ward_admin, definition.pk)
    _draft, dossier = _file(citizen, pdf_bytes)
    assert dossier.form_data["online"]["in_person"] == ["Nộp lệ phí cấp bản sao tại quầy khi nhận kết quả."]
    response = citizen_client.get("/api/v1/portal/forms", {"procedure": "1.001193", "agency": "H21.23575"})
    body = assert_matches_schema(response)  # issue 15: its fields were published as the catalogue's FieldOut
    assert body["fields"] and body["online_terms"]["in_person"] == [
        "Nộp lệ phí cấp bản sao tại quầy khi nhận kết quả."
    ]


def test_the_api_reports_the_terms_of_a_filing(
    citizen_client, citizen, profile, birth_form, online, pdf_bytes
):
    _partial(online)
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    services.update_draft(draft.pk, citizen, fields=dict(BIRTH_ANSWERS))
    services.stage_upload(
        draft.pk, citizen, component="Giấy chứng sinh", file=SimpleUploadedFile("a.pdf", pdf_bytes)
    )
    response = citizen_client.post(
        f"/api/v1/portal/drafts/{draft.pk}/submit",
        data=json.dumps({"declaration": True}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["online_terms"]["result"] == "counter"


def test_partially_online_dossiers_carry_their_terms_to_the_office(
    citizen, profile, birth_form, online, staff, pdf_bytes
):
    """The receipt prints what is still done in person, and the result cannot be 'returned online'."""
    import pytest

    _partial(online)
    _draft, dossier = _file(citizen, pdf_bytes)
    dossier = dossiers.accept(dossier.pk, actor=staff["clerk"])
    data = _form_data(dossier, dossier.timeline.filter(action="accept").last())
    assert data.in_person == dossier.form_data["online"]["in_person"] and data.in_person
    assert data.result_place == "Ủy ban nhân dân phường Pleiku (Quầy số 2, tầng 1)"
    for who in ("officer", "leader", "leader"):
        advance(dossier.pk, actor=staff[who])
    dossiers.issue_result(
        dossier.pk,
        actor=staff["clerical"],
        number="12/GKS",
        title="Giấy khai sinh",
        upload=Upload("Kết quả", pdf_bytes, "giay-khai-sinh.pdf"),
    )
    with pytest.raises(ServiceError, match="trả trực tiếp tại bộ phận một cửa"):
        dossiers.return_result(dossier.pk, actor=staff["clerk"], delivery="online")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSED
    assert dossiers.return_result(dossier.pk, actor=staff["clerk"]).status == Status.RETURNED
