"""Open311 GeoReport v2 over real HTTP (live_server): reads with the ``georeport`` PyPI client, POST and
tokens with plain ``requests``; JSON and XML; the standard error format."""

import pytest
import requests
import xmltodict
from georeport import GeoReport

from .. import services
from ..models import Report
from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def key(world):
    _key, raw = services.issue_api_key(actor=world.users["sysadmin"], name="Ứng dụng phản ánh thử nghiệm")
    return raw


def post(base, key, **extra):
    data = {
        "api_key": key,
        "service_code": "giao-thong",
        "lat": "13.9833",
        "long": "108.0004",
        "address_string": "120 Hùng Vương",
        "description": "Ổ gà sâu giữa làn xe máy trước số 120 Hùng Vương, rất nguy hiểm ban đêm.",
        "attribute[xa_phuong]": "23575",
        "first_name": "An",
        "last_name": "Nguyễn Văn",
        "email": "an@example.vn",
        "phone": "0905123456",
    }
    data.update(extra)
    return requests.post(
        f"{base}/requests.json", data=data, files={"media": ("o-ga.jpg", jpeg_with_gps().read())}, timeout=30
    )


def test_georeport_client_reads_services_and_a_posted_request(world, key, live_server):
    base = f"{live_server.url}/open311/v2"
    client = GeoReport(base)
    services_list = client.get_service_list()
    codes = {s["service_code"] for s in services_list}
    assert {"giao-thong", "moi-truong", "ha-tang-duong"} <= codes
    assert next(s for s in services_list if s["service_code"] == "ha-tang-duong")["group"] == "Giao thông"
    definition = client.get_service_definition("giao-thong")
    assert definition["attributes"][0]["code"] == "xa_phuong" and definition["attributes"][0]["required"]

    resp = post(base, key)
    assert resp.status_code == 201, resp.text
    (created,) = resp.json()
    code, token = created["service_request_id"], created["token"]
    assert requests.get(f"{base}/tokens/{token}.json", timeout=30).json() == [
        {"service_request_id": code, "token": token}
    ]
    req = client.get_service_request(code)  # the client unwraps the standard's array
    assert requests.get(f"{base}/requests/{code}.json", timeout=30).json()[0] == req
    assert req["status"] == "open" and req["service_code"] == "giao-thong"
    assert req["agency_responsible"] == "Ủy ban nhân dân phường Pleiku"
    assert req["requested_datetime"].endswith("+07:00") and req["media_url"]
    assert "Nguyễn" not in str(req) and "0905123456" not in str(req) and "an@example.vn" not in str(req)
    # the list shows public reports once accepted; then the handling closes it
    assert code not in str(client.get_service_requests())
    services.act(code, "accept", actor=world.users["ward_officer"])
    assert [r["service_request_id"] for r in client.get_service_requests(service_code="giao-thong")] == [code]
    assert client.get_service_requests(status="closed") == []
    services.act(code, "draft", actor=world.users["ward_officer"], note="Phường đã vá ổ gà.")
    services.act(code, "approve", actor=world.users["ward_leader"])
    req = client.get_service_request(code)
    assert req["status"] == "closed" and req["status_notes"] == "Phường đã vá ổ gà."


def test_xml_and_errors(world, key, live_server):
    base = f"{live_server.url}/open311/v2"
    xml = GeoReport(base, output_format="xml")
    assert any(s["service_code"] == "giao-thong" for s in xml.get_service_list())
    doc = xmltodict.parse(requests.get(f"{base}/discovery.xml", timeout=30).content)
    assert (
        doc["discovery"]["endpoints"]["endpoint"]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    )
    bad_key = post(base, "khong-dung")
    assert bad_key.status_code == 403 and bad_key.json()[0]["code"] == 403
    outside = post(base, key, lat="21.0285", long="105.8542")
    assert outside.status_code == 400 and "ngoài địa bàn" in outside.json()[0]["description"]
    unknown = post(base, key, service_code="khong-co")
    assert unknown.status_code == 404
    xml_err = requests.get(f"{base}/requests/PAKHONGCO.xml", timeout=30)
    assert xml_err.status_code == 404
    assert xmltodict.parse(xml_err.content)["errors"]["error"]["code"] == "404"
    bad_status = requests.get(f"{base}/requests.json?status=done", timeout=30)
    assert bad_status.status_code == 400
    assert not Report.objects.exists()
