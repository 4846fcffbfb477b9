"""The public index page, a unit's page, the drill-down in and out of scope, exports and open data."""

import io
import json

import pytest
from openpyxl import load_workbook

from congso.core.models import AuditEntry
from congso.directory.testing import login_verified

from .helpers import february, make_late

pytestmark = pytest.mark.django_db

FEB = "ky=month&ngay=2027-02-01"


@pytest.fixture
def figures(province_pc, staff, agencies, procedure_version, applicant):
    done, open_one = february(staff, agencies, procedure_version, applicant)
    late = make_late(staff, open_one)
    return done, late


def test_public_page_ranks_units_without_personal_data(client, figures, agencies):
    page = client.get(f"/chi-so-phuc-vu/?{FEB}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Xếp hạng xã, phường" in text and "Phường Pleiku" in text and "Sở Tư pháp tỉnh Gia Lai" in text
    assert "Nguyễn Văn An" not in text and "052095001234" not in text
    # 2 of 3 finished on time: 20 × 2/3 = 13.333 points for the progress item of the province.
    province = client.get(f"/chi-so-phuc-vu/province/52/?{FEB}").content.decode()
    assert "66,67%" in province and "13,333 / 20" in province
    assert "Không tính" in province and "Chưa kết nối" in province


def test_unit_page_links_lost_points_and_drilldown_lists_the_late_dossier(client, figures, staff, agencies):
    _done, late = figures
    ward = agencies["ward"].code
    page = client.get(f"/chi-so-phuc-vu/agency/{ward}/?{FEB}").content.decode()
    assert f"/chi-so-phuc-vu/agency/{ward}/on_time/" in page
    login_verified(client, staff["leader"])
    drill = client.get(f"/chi-so-phuc-vu/agency/{ward}/on_time/?{FEB}")
    assert drill.status_code == 200
    text = drill.content.decode()
    assert late.code in text and "N. V. A." in text and "Nguyễn Văn An" not in text
    assert AuditEntry.objects.filter(action="scorecard.drilldown").exists()


def test_drilldown_is_refused_outside_scope(client, figures, staff, agencies):
    ward = agencies["ward"].code
    assert client.get(f"/chi-so-phuc-vu/agency/{ward}/on_time/?{FEB}").status_code == 302  # sign in first
    login_verified(client, staff["other_clerk"])
    assert client.get(f"/chi-so-phuc-vu/agency/{ward}/on_time/?{FEB}").status_code == 403
    assert (
        client.get(
            f"/api/v1/scorecards/units/agency/{ward}/drilldown/on_time?{FEB.replace('ky', 'period').replace('ngay', 'at')}"
        ).status_code
        == 403
    )


def test_ioc_viewer_drills_into_the_whole_province(client, figures, ioc):
    login_verified(client, ioc)
    answer = client.get("/api/v1/scorecards/units/province/52/drilldown/on_time?period=month&at=2027-02-01")
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"] == 1 and body["dossiers"][0]["is_late"] is True


def test_bad_period_is_refused_with_a_message(client, figures):
    page = client.get("/chi-so-phuc-vu/?ky=tuan")
    assert page.status_code == 400 and "Kỳ không hợp lệ" in page.content.decode()
    page = client.get("/chi-so-phuc-vu/?ky=custom&tu=2027-03-01&den=2027-02-01")
    assert page.status_code == 400 and "Ngày kết thúc phải sau ngày bắt đầu" in page.content.decode()
    api = client.get("/api/v1/scorecards/index?period=custom&start=2027-03-01")
    assert api.status_code == 400
    assert client.get("/chi-so-phuc-vu/agency/KHONG-CO/").status_code == 404


def test_exports_and_open_data(client, figures):
    xlsx = client.get(f"/chi-so-phuc-vu/xuat.xlsx?{FEB}")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("Hạng", "Loại", "Mã", "Tên") and rows[1][1] == "Tỉnh"
    csv = client.get(f"/chi-so-phuc-vu/xuat.csv?{FEB}").content.decode("utf-8-sig")
    assert "Phường Pleiku" in csv
    data = json.loads(client.get("/chi-so-phuc-vu/du-lieu-mo/chi-so-theo-thang.json").content)
    assert data["province"]["code"] == "52" and len(data["months"]) == 12
    open_csv = client.get("/chi-so-phuc-vu/du-lieu-mo/chi-so-theo-thang.csv").content.decode("utf-8-sig")
    assert open_csv.splitlines()[0].startswith("thang,")


def test_the_api_gives_every_item(client, figures, agencies):
    body = client.get(
        f"/api/v1/scorecards/units/agency/{agencies['ward'].code}?period=month&at=2027-02-01"
    ).json()
    items = {i["code"]: i for i in body["items"]}
    assert items["TD1"]["numerator"] == 2 and items["TD1"]["denominator"] == 3
    assert items["TD1"]["points"] == "13.333" and items["TD1"]["lost"] == "6.667"
    assert items["CK4"]["counted"] is False and items["CK4"]["points"] is None
    assert items["SH2"]["value"] == "100.00"
