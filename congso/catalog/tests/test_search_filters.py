"""Search filters: the HTML page and GET /api/v1/procedures accept the same filters with the same meaning;
an invalid value is left out (and named), never the whole query."""

import re

import pytest

from congso.catalog.models import Offering, ProcedureField
from congso.catalog.search import clean_filters
from congso.catalog.services import get_procedure

pytestmark = pytest.mark.django_db


def page_codes(html):
    return re.findall(r'<h3 class="procedure-item__title"><a href="/thu-tuc/([^/]+)/">', html)


def api_codes(client, params):
    body = client.get("/api/v1/procedures", params | {"limit": 20}).json()
    return [item["code"] for item in body["items"]], body


def test_an_invalid_level_keeps_the_query(client, imported):
    response = client.get("/thu-tuc/", {"q": "khai sinh", "level": "vutru"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1.001193" in page_codes(html)
    assert page_codes(html) == page_codes(client.get("/thu-tuc/", {"q": "khai sinh"}).content.decode())
    summary = html[
        html.index('class="error-summary"') : html.index("</div>", html.index('class="error-summary"'))
    ]
    assert "Cấp thực hiện" in summary and "Không có cấp thực hiện “vutru”; đã bỏ qua bộ lọc này." in summary
    assert 'href="#id_level"' in summary
    assert (
        "vutru"
        not in html[html.index('id="id_level"') : html.index("</select>", html.index('id="id_level"'))]
    )


def test_one_bad_filter_among_good_ones(client, imported):
    params = {"q": "dang ky", "level": "commune", "field": "Hộ tịch", "online": "sieu-toc"}
    html = client.get("/thu-tuc/", params).content.decode()
    good = {"q": "dang ky", "level": "commune", "field": "Hộ tịch"}
    assert page_codes(html) == page_codes(client.get("/thu-tuc/", good).content.decode())
    assert "Không có mức độ trực tuyến “sieu-toc”" in html
    assert '<option value="commune" selected>' in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "khai sinh", "level": "vutru"},
        {"q": "dang ky", "level": "commune", "online": "partial"},
        {"q": "", "field": "ho tich"},  # a field without diacritics
        {"q": "", "subject": "doanh nghiep viet nam"},  # a subject without diacritics
        {"q": "", "subject": "Cán bộ, công chức, viên chức"},
        {"q": "giay phep", "subject": "Người sao Hỏa"},  # unknown subject: ignored
        {"q": "", "agency": "H21.23575"},
        {"q": "khai sinh", "agency": "KHONG-CO"},  # unknown agency: ignored
        {"q": "", "level": "district"},  # a former level: valid, nothing today
    ],
)
def test_the_page_and_the_api_agree(client, imported, agencies, params):
    Offering.objects.create(agency=agencies["pleiku"], procedure=get_procedure("1.001193"))
    codes, body = api_codes(client, params)
    html = client.get("/thu-tuc/", params).content.decode()
    assert page_codes(html) == codes
    valid, ignored = clean_filters(params)
    assert set(body["ignored"]) == set(ignored)
    for message in ignored.values():
        assert message.replace("“", "&ldquo;") in html or message in html


def test_fields_by_number_or_name_and_canonical_values(client, imported, agencies):
    civil = ProcedureField.objects.get(name="Hộ tịch")
    by_number, _ = api_codes(client, {"field": str(civil.pk)})
    by_name, _ = api_codes(client, {"field": "Hộ tịch"})
    assert by_number == by_name and "1.001193" in by_name
    assert page_codes(client.get("/thu-tuc/", {"field": str(civil.pk)}).content.decode()) == by_name
    filters, ignored = clean_filters(
        {"field": "ho tich", "subject": "DOANH NGHIỆP VIỆT NAM", "level": "commune"}
    )
    assert filters["field"] == "Hộ tịch" and filters["subject"] == "Doanh nghiệp Việt Nam" and not ignored
    _, ignored = clean_filters({"field": "99999", "agency": "x" * 500, "online": "FULL"})
    assert set(ignored) == {"field", "agency", "online"}
    # an agency that offers nothing yet is a valid filter with no result, shown as chosen
    html = client.get("/thu-tuc/", {"agency": "H21.23764"}).content.decode()
    assert "Có lỗi cần sửa" not in html and "Tìm thấy 0 thủ tục" in html
    assert '<option value="H21.23764" selected>Ủy ban nhân dân xã Ia Grai</option>' in html


def test_next_pages_do_not_carry_the_bad_value(client, imported):
    response = client.get("/thu-tuc/", {"q": "", "level": "vutru", "online": "partial", "trang": "2"})
    assert response.context["querystring"] == "q=&online=partial"  # what the page links carry
