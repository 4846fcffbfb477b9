"""The rating page, the statistics page and the API: allowed and forbidden."""

import datetime as dt

import pytest
from django.utils import timezone

from congso.accounts.models import User
from congso.core.api_testing import assert_matches_schema
from congso.directory.testing import login_verified
from congso.ratings import services
from congso.ratings.models import Rating

from .conftest import file_and_finish

pytestmark = pytest.mark.django_db


def test_rating_page_for_the_applicant(client, citizen, finished, answers):
    client.force_login(citizen)
    page = client.get(f"/danh-gia/{finished.code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<fieldset" in html and "<legend>" in html and 'type="radio"' in html
    response = client.post(f"/danh-gia/{finished.code}/", answers)
    assert response.status_code == 302 and response["Location"] == f"/danh-gia/{finished.code}/"
    done = client.get(f"/danh-gia/{finished.code}/").content.decode()
    assert "đã đánh giá hồ sơ" in done and "Hài lòng" in done and "Cảm ơn" in done
    again = client.post(f"/danh-gia/{finished.code}/", {**answers, "overall": "dissatisfied"}, follow=True)
    assert "đã đánh giá hồ sơ" in again.content.decode()
    assert Rating.objects.get().overall == "satisfied"


def test_missing_answer_shows_the_error_summary(client, citizen, finished, answers):
    client.force_login(citizen)
    response = client.post(f"/danh-gia/{finished.code}/", {**answers, "attitude": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in html and "Vui lòng trả lời câu hỏi: Thái độ" in html
    assert 'href="#r-attitude-0"' in html and 'id="attitude-error"' in html
    assert 'value="satisfied" checked' in html  # answers given are kept
    assert not Rating.objects.exists()


def test_not_finished_page(client, staff, citizen, agencies, procedure_version, applicant):
    d = file_and_finish(staff, agencies, procedure_version, applicant, finish=False)
    client.force_login(citizen)
    response = client.get(f"/danh-gia/{d.code}/")
    assert response.status_code == 400 and "chưa có kết quả" in response.content.decode()


def test_others_on_the_page(client, staff, finished, answers):
    stranger = User.objects.create_user("cd.binh", password="x", full_name="Trần Văn Bình", kind="citizen")
    client.force_login(stranger)
    assert client.get(f"/danh-gia/{finished.code}/").status_code == 404
    assert client.post(f"/danh-gia/{finished.code}/", answers).status_code == 404
    client.logout()
    login_verified(client, staff["clerk"])
    response = client.post(f"/danh-gia/{finished.code}/", answers)
    assert response.status_code == 403 and "Chỉ người nộp hồ sơ" in response.content.decode()
    client.logout()
    assert client.get(f"/danh-gia/{finished.code}/").status_code == 302  # to the login page
    assert not Rating.objects.exists()


def test_api_submit_and_read(client, citizen, finished, answers):
    client.force_login(citizen)
    url = f"/api/v1/ratings/{finished.code}"
    assert client.get(url).status_code == 404  # not rated yet
    response = client.post(url, answers, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["dossier"] == finished.code
        and body["overall"] == "satisfied"
        and body["receiving_agency"] == "H21.23575"
    )
    assert client.get(url).json()["comment"] == answers["comment"]
    second = client.post(url, answers, content_type="application/json")
    assert second.status_code == 409 and second.json()["code"] == "already_rated"
    bad = client.post(url, {**answers, "overall": "tuyệt vời"}, content_type="application/json")
    assert bad.status_code == 400 and Rating.objects.get().overall == "satisfied"


def test_api_validation_and_refusals(client, staff, citizen, finished, answers):
    url = f"/api/v1/ratings/{finished.code}"
    assert client.post(url, answers, content_type="application/json").status_code == 401
    client.force_login(citizen)
    bad = client.post(url, {**answers, "guidance": "maybe"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "guidance"
    assert client.post(url, {"overall": "satisfied"}, content_type="application/json").status_code == 422
    client.logout()
    login_verified(client, staff["clerk"])
    forbidden = client.post(url, answers, content_type="application/json")
    assert forbidden.status_code == 403 and "Chỉ người nộp hồ sơ" in forbidden.json()["detail"]
    assert client.get(url).status_code == 403
    assert not Rating.objects.exists()


def test_api_questions_are_public(client):
    body = client.get("/api/v1/ratings/questions").json()
    assert [q["key"] for q in body][:3] == ["overall", "on_time", "contacts"]
    assert body[0]["choices"][0] == {"value": "satisfied", "label": "Hài lòng"}


def test_statistics_page_and_api(client, staff, citizen, finished, answers, agencies):
    services.rate(finished, actor=citizen, answers=answers)
    today = timezone.localdate()
    login_verified(client, staff["leader"])
    page = client.get("/danh-gia/thong-ke/")
    html = page.content.decode()
    assert page.status_code == 200 and "Tỷ lệ hài lòng: <strong>100,00%</strong>" in html, html[
        html.find("<main") :
    ]
    q = f"agency=H21.23575&start={today.replace(day=1)}&end={today}"
    # issue 15: the published schema of this answer was the counters' StatsRow
    body = assert_matches_schema(client.get(f"/api/v1/ratings/stats?{q}"))
    assert body[0]["total"] == 1 and body[0]["satisfaction_rate"] == "100.00"
    assert body[0]["criteria"]["contacts"]["answers"]["1"]["count"] == 1
    bad = client.get(
        f"/api/v1/ratings/stats?agency=H21.23575&start={today}&end={today - dt.timedelta(days=1)}"
    )
    assert bad.status_code == 400
    assert client.get(f"/api/v1/ratings/stats?agency=KHONG.CO&start={today}&end={today}").status_code == 404
    client.logout()
    login_verified(client, staff["officer"])  # an officer does not read statistics
    assert client.get("/danh-gia/thong-ke/").status_code == 404
    assert client.get(f"/api/v1/ratings/stats?{q}").status_code == 403
    login_verified(client, staff["other_clerk"])  # another commune's clerk: not this agency
    assert client.get(f"/api/v1/ratings/stats?{q}").status_code == 403
    client.logout()
    client.force_login(citizen)
    assert client.get("/danh-gia/thong-ke/").status_code == 404
