"""The counter's completeness check reads the catalogue's component list: notes are not papers,
optional papers are never required, alternative cases (groups) need only one case, and “Đối với …”
rows in one group are alternatives. Checked against real national records (catalog/tests/samples)."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.catalog.models import Offering, Procedure, ProcedureVersion
from congso.catalog.parser import parse_record
from congso.directory.testing import login_verified
from congso.dossiers import checklist
from congso.dossiers.models import Dossier, Status

from .conftest import pdf

SAMPLES = Path(__file__).resolve().parents[2] / "catalog" / "tests" / "samples"


def record(code):
    return parse_record(json.loads((SAMPLES / f"{code}.json").read_text(encoding="utf-8")))


def keys(cl, *starts):
    return {i.key for i in cl.items for s in starts if i.name.startswith(s)}


def test_temporary_residence_extension_has_three_alternative_cases():
    cl = checklist.build(record("1.002755")["components"])
    assert [c.title[:40] for c in cl.cases] == [
        "Gia hạn tạm trú theo danh sách, hồ sơ gồ",
        "Gia hạn tạm trú tại nơi đơn vị đóng quân",
        "Hồ sơ gia hạn tạm trú gồm",
    ]
    # The note row (“Lưu ý: …”) is not a paper.
    assert not any(name.startswith("Lưu ý") for name in cl.names())
    individual = keys(cl, "Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 53/2023")
    # The papers of one case suffice …
    assert cl.missing(individual) == []
    # … nothing given: the case that needs the fewest papers says what is missing.
    assert cl.missing(set()) == [cl.cases[2].items[0].name]
    # Naming the case checks that case only.
    assert cl.missing(individual, case=0) == [i.name for i in cl.cases[0].items]


def test_one_of_the_doi_voi_rows_suffices():
    cl = checklist.build(record("1.002755")["components"])
    garrison = cl.cases[1]
    form = keys(
        cl, "Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA)."
    )
    police = keys(cl, "Đối với Công an nhân dân")
    assert cl.missing(form | police, case=1) == []
    missing = cl.missing(form, case=1)
    assert len(missing) == 1 and " hoặc " in missing[0]
    assert "Đối với Quân đội nhân dân" in missing[0] and "Đối với Công an nhân dân" in missing[0]
    alternatives = [i for i in garrison.items if i.name.startswith("Đối với")]
    assert len(alternatives) >= 2  # the army's and the police's papers
    assert all(i.alternative for i in alternatives)


def test_categories_are_all_required_and_optional_papers_never():
    cl = checklist.build(record("2.001580")["components"])
    assert cl.cases == []  # “phải nộp” and “phải xuất trình” are headings, not alternatives
    optional = [i.name for i in cl.items if not i.required]
    assert optional == [
        "Danh sách người đi theo tàu (nếu có)",
        "Phương án lai dắt tàu trong trường hợp tàu chạy thử không sử dụng máy của tàu",
    ]
    presented = {i.name for i in cl.items if i.present}
    assert "Chứng chỉ chuyên môn thuyền viên" in presented
    required = {i.key for i in cl.items if i.required}
    assert cl.missing(required) == []
    without_crew = required - keys(cl, "Danh sách thuyền viên")
    assert cl.missing(without_crew) == ["Danh sách thuyền viên"]


def test_birth_registration_notes_and_online_form_are_not_papers():
    cl = checklist.build(record("1.001193")["components"])
    names = cl.names()
    assert not any("điện tử tương tác" in n for n in names)
    assert not any(n.startswith("Cá nhân có quyền lựa chọn") for n in names)  # a “Lưu ý” row
    assert any(n.startswith("Tờ khai đăng ký khai sinh theo mẫu") for n in names)
    # Papers for particular cases (“Trường hợp …”) are listed but optional.
    abandoned = next(i for i in cl.items if "trẻ em bị bỏ rơi" in i.name)
    assert not abandoned.required


@pytest.fixture
def residence_offering(agencies):
    content = record("1.002755")
    procedure = Procedure.objects.create(code="1.002755", name=content["name"], levels="|commune|")
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, content=content, content_hash="r" * 64
    )
    procedure.current_version = version
    procedure.save()
    return Offering.objects.create(agency=agencies["ward"], procedure=procedure)


@pytest.mark.django_db
def test_counter_intake_accepts_one_complete_case(client, staff, residence_offering):
    cl = checklist.build(residence_offering.procedure.current_version.content["components"])
    login_verified(client, staff["clerk"])
    url = f"/mot-cua/tiep-nhan/?offering={residence_offering.pk}"
    page = client.get(url).content.decode()
    assert "Trường hợp của người nộp" in page and "Hồ sơ gia hạn tạm trú gồm" in page
    (key,) = keys(cl, "Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 53/2023")
    response = client.post(
        url,
        {
            "offering": residence_offering.pk,
            "channel": 1,
            "applicant_name": "Ksor H'Bia",
            f"file_{key}": SimpleUploadedFile("ct01.pdf", pdf()),
            "decision": "accept",
        },
        follow=True,
    )
    d = Dossier.objects.get()
    assert d.status == Status.ACCEPTED, response.content.decode()[:2000]


@pytest.mark.django_db
def test_counter_intake_with_a_named_case_asks_for_that_cases_papers(client, staff, residence_offering):
    cl = checklist.build(residence_offering.procedure.current_version.content["components"])
    login_verified(client, staff["clerk"])
    (key,) = keys(cl, "Tờ khai thay đổi thông tin cư trú (của từng người)")
    client.post(
        f"/mot-cua/tiep-nhan/?offering={residence_offering.pk}",
        {
            "offering": residence_offering.pk,
            "channel": 3,
            "applicant_name": "Công ty TNHH Cà phê Ia Grai",
            f"checked_{key}": "on",
            "case": "0",
            "decision": "accept",
        },
    )
    d = Dossier.objects.get()
    assert d.status == Status.SUPPLEMENT
    assert d.timeline.last().data["missing"] == [cl.cases[0].items[1].name]
