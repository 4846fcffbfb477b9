"""The pages: an administrator builds a framework, a unit self-assesses with evidence, the evaluator
corrects, the round closes; results, Excel and forbidden cases (no JavaScript needed)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congso.directory.testing import login_verified
from congso.evaluations import services
from congso.evaluations.models import Criterion, Entry, Round
from congso.evaluations.testing import build_evaluation_world, leaf, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def ew():
    return build_evaluation_world()


def test_an_administrator_builds_a_framework_on_its_pages(client, ew):
    login_verified(client, ew.users["province_admin"])
    assert client.get(reverse("evaluations:index")).status_code == 200
    response = client.post(
        reverse("evaluations:framework_create"),
        {
            "owner": ew.agencies["province_pc"].code,
            "name": "Kế hoạch 14 chỉ tiêu",
            "year": "2021",
            "applies_to": ["commune"],
            "level_1_min": "9",
            "level_2_min": "7",
            "level_3_min": "5",
            "level_4_min": "6",
        },
    )
    assert response.status_code == 200
    assert "giảm dần" in response.content.decode()
    response = client.post(
        reverse("evaluations:framework_create"),
        {
            "owner": ew.agencies["province_pc"].code,
            "name": "Kế hoạch 14 chỉ tiêu",
            "year": "2021",
            "applies_to": ["commune"],
            "level_1_min": "12",
            "level_2_min": "10",
            "level_3_min": "8",
            "level_4_min": "6",
        },
    )
    assert response.status_code == 302
    url = response["Location"]
    page = client.post(
        url,
        {
            "what": "criterion",
            "c-kind": "indicator",
            "c-code": "1",
            "c-name": "Tỷ lệ hồ sơ trực tuyến",
            "c-max_points": "1",
            "c-source": "metric",
            "c-metric_key": "scorecard.online_filing",
            "c-value_kind": "rate",
            "c-target": "50",
        },
    )
    assert page.status_code == 302
    c = Criterion.objects.get(code="1", framework__name="Kế hoạch 14 chỉ tiêu")
    assert c.metric_key == "scorecard.online_filing" and c.target == 50
    page = client.post(
        url,
        {
            "what": "criterion",
            "c-kind": "indicator",
            "c-code": "2",
            "c-name": "Thiếu nguồn",
            "c-max_points": "1",
        },
    )
    assert page.status_code == 200 and "Vui lòng chọn nguồn số liệu" in page.content.decode()
    page = client.get(url)
    assert "Tỷ lệ hồ sơ trực tuyến" in page.content.decode()
    copied = client.post(url, {"what": "copy", "k-year": "2022", "k-name": ""})
    assert copied.status_code == 302 and copied["Location"] != url
    assert Criterion.objects.filter(code="1", framework__name="Kế hoạch 14 chỉ tiêu").count() == 2


def test_forbidden_pages(client, ew):
    round_ = services.open_round(ew.users["evaluator"], ew.framework, year=2025)
    justice = ew.agencies["justice"]
    login_verified(client, ew.users["other_admin"])  # Sở Xây dựng's administrator
    assert client.get(reverse("evaluations:unit", args=[round_.pk, justice.code])).status_code == 403
    assert client.get(reverse("evaluations:results", args=[round_.pk])).status_code == 403
    assert client.get(reverse("evaluations:framework_create")).status_code == 403
    client.force_login(ew.users["citizen"])
    assert client.get(reverse("evaluations:index")).status_code == 403
    assert client.get(reverse("evaluations:round", args=[round_.pk])).status_code == 403


def test_a_round_on_its_pages(client, ew):
    a, u = ew.agencies, ew.users
    ew.source.values[a["justice"].code] = "97"
    round_ = services.open_round(u["evaluator"], ew.framework, year=2025)
    justice_url = reverse("evaluations:unit", args=[round_.pk, a["justice"].code])
    c11 = leaf(ew.framework, "1.1")
    login_verified(client, u["agency_admin"])
    page = client.get(justice_url).content.decode()
    assert "Lưu chỉ số 1.1" in page and "Lưu chỉ số 2.1" not in page  # 2.1 is a platform metric
    response = client.post(
        justice_url,
        {
            "what": "value",
            "target": c11.pk,
            f"v{c11.pk}-value": "9",
            f"v{c11.pk}-note": "Bồi dưỡng 40 cán bộ",
        },
    )
    assert response.status_code == 200 and "tệp minh chứng" in response.content.decode()
    response = client.post(
        justice_url,
        {
            "what": "value",
            "target": c11.pk,
            "anchor": c11.pk,
            f"v{c11.pk}-value": "9",
            f"v{c11.pk}-note": "Bồi dưỡng 40 cán bộ",
            f"v{c11.pk}-evidence": SimpleUploadedFile("danh-sach.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get(round=round_, unit=a["justice"], criterion=c11)
    assert client.get(reverse("evaluations:evidence", args=[entry.pk])).status_code == 200

    login_verified(client, u["evaluator"])
    client.post(reverse("evaluations:round", args=[round_.pk]), {"action": "start_review"})
    page = client.get(justice_url).content.decode()
    assert "Thẩm định chỉ số 1.1" in page
    response = client.post(
        justice_url,
        {"what": "review", "target": entry.pk, f"r{entry.pk}-action": "correct", f"r{entry.pk}-value": "6"},
    )
    assert response.status_code == 200 and "lý do" in response.content.decode()
    response = client.post(
        justice_url,
        {
            "what": "review",
            "target": entry.pk,
            f"r{entry.pk}-action": "correct",
            f"r{entry.pk}-value": "6",
            f"r{entry.pk}-reason": "Chỉ 30 người có chứng chỉ",
        },
    )
    assert response.status_code == 302
    # The evaluator's own unit shows no review form.
    own = client.get(reverse("evaluations:unit", args=[round_.pk, a["construction"].code])).content.decode()
    assert "Thẩm định chỉ số" not in own
    client.post(reverse("evaluations:round", args=[round_.pk]), {"action": "close"})
    round_.refresh_from_db()
    assert round_.state == Round.State.CLOSED
    results = client.get(reverse("evaluations:results", args=[round_.pk])).content.decode()
    # 6 + 0 + 97/98×20 = 25.796 → level III
    assert "25,796" in results and "Mức III" in results and "Chưa đạt" in results
    xlsx = client.get(reverse("evaluations:results_xlsx", args=[round_.pk]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
