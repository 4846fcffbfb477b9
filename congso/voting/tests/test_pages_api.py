"""Pages and the JSON API: a member answers from the page and the API, the live fragment and JSON follow
the ballot, the secretary follows and closes; other people get 404/403, bad input a clear 4xx and
nothing written."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from congso.core.api_testing import assert_matches_schema
from congso.directory.testing import login_verified
from congso.voting import polls, services
from congso.voting.models import Ballot, Poll, Receipt, Rule

from .conftest import member_ids

pytestmark = pytest.mark.django_db


def _poll(world):
    return polls.create_poll(
        body_id=world.body.pk,
        by=world.users["secretary"],
        title="Dự thảo Quy chế làm việc sửa đổi",
        text="Đề nghị các đồng chí cho ý kiến.",
        deadline=timezone.now() + dt.timedelta(days=2),
    )


def _client(user):
    client = Client()
    login_verified(client, user)
    return client


def test_member_answers_on_the_page(world):
    poll = _poll(world)
    c = _client(world.users["member1"])
    listing = c.get("/bieu-quyet/lay-y-kien/").content.decode()
    assert poll.title in listing and "Chưa trả lời" in listing
    page = c.get(f"/bieu-quyet/lay-y-kien/{poll.pk}/")
    assert page.status_code == 200 and "Gửi ý kiến" in page.content.decode()
    resp = c.post(f"/bieu-quyet/lay-y-kien/{poll.pk}/", {"choice": "other", "comment": ""})
    assert resp.status_code == 400 and "ghi rõ ý kiến khác" in resp.content.decode()
    assert not Receipt.objects.exists()
    resp = c.post(f"/bieu-quyet/lay-y-kien/{poll.pk}/", {"choice": "other", "comment": "Sửa điều 5."})
    assert resp.status_code == 302
    resp = c.post(f"/bieu-quyet/lay-y-kien/{poll.pk}/", {"choice": "agree"})
    assert resp.status_code == 409 and "một lần" in resp.content.decode()
    assert Receipt.objects.count() == 1


def test_others_cannot_see_a_poll(world):
    poll = _poll(world)
    for who in ("outsider", "citizen"):
        c = _client(world.users[who])
        assert c.get(f"/bieu-quyet/lay-y-kien/{poll.pk}/").status_code == 404
        assert c.post(f"/bieu-quyet/lay-y-kien/{poll.pk}/", {"choice": "agree"}).status_code == 404
        assert c.get(f"/bieu-quyet/phieu/{poll.ballot_id}/truc-tiep/").status_code == 404
        assert c.get(f"/api/v1/voting/polls/{poll.pk}").status_code == 404
        assert c.get(f"/api/v1/voting/ballots/{poll.ballot_id}/live").status_code == 404
        assert c.post(f"/bieu-quyet/lay-y-kien/{poll.pk}/ket-thuc/").status_code == 404
    assert Client().get(f"/bieu-quyet/lay-y-kien/{poll.pk}/").status_code == 302  # sign in first
    assert not Receipt.objects.exists()


def test_live_fragment_answers_204_until_the_ballot_changes(world):
    poll = _poll(world)
    c = _client(world.users["member2"])
    version = Ballot.objects.get(pk=poll.ballot_id).version
    url = f"/bieu-quyet/phieu/{poll.ballot_id}/truc-tiep/"
    assert c.get(url, {"v": version}).status_code == 204
    polls.close_poll(poll.pk, by=world.users["secretary"])
    resp = c.get(url, {"v": version})
    assert resp.status_code == 200 and "không được thông qua" in resp.content.decode()


def test_api_member_answers_and_live_json_with_etag(world):
    poll = _poll(world)
    c = _client(world.users["member1"])
    rows = c.get("/api/v1/voting/polls")
    assert_matches_schema(rows)
    assert [r["id"] for r in rows.json()] == [poll.pk]
    bad = c.post(
        f"/api/v1/voting/polls/{poll.pk}/answer", {"choice": "maybe"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["field"] == "choice"
    ok = c.post(
        f"/api/v1/voting/polls/{poll.pk}/answer", {"choice": "agree"}, content_type="application/json"
    )
    assert ok.status_code == 201 and ok.json()["my_choice"] == "agree"
    assert_matches_schema(ok)
    again = c.post(
        f"/api/v1/voting/polls/{poll.pk}/answer", {"choice": "agree"}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "already_voted"
    live = c.get(f"/api/v1/voting/ballots/{poll.ballot_id}/live")
    assert live.status_code == 200 and live.json()["voted"] == 1
    assert_matches_schema(live)
    etag = live["ETag"]
    assert (
        c.get(f"/api/v1/voting/ballots/{poll.ballot_id}/live", headers={"if-none-match": etag}).status_code
        == 304
    )
    # the member may not remind nor close
    assert c.post(f"/api/v1/voting/polls/{poll.pk}/remind").status_code == 403
    assert c.post(f"/api/v1/voting/polls/{poll.pk}/close").status_code == 403


def test_api_secretary_sends_follows_and_closes(world):
    c = _client(world.users["secretary"])
    deadline = (timezone.now() + dt.timedelta(days=1)).isoformat()
    bad = c.post(
        "/api/v1/voting/polls", {"body": world.body.pk, "title": "", "text": "x", "deadline": deadline}
    )
    assert bad.status_code == 400 and not Poll.objects.exists()
    resp = c.post(
        "/api/v1/voting/polls",
        {"body": world.body.pk, "title": "Xin ý kiến", "text": "Nội dung", "deadline": deadline},
    )
    assert resp.status_code == 201, resp.content
    assert_matches_schema(resp)
    pk = resp.json()["id"]
    assert c.post(f"/api/v1/voting/polls/{pk}/remind").json() == {"reminded": 5}
    closed = c.post(f"/api/v1/voting/polls/{pk}/close")
    assert closed.status_code == 200 and closed.json()["tally"]["closed"] is True
    assert len(closed.json()["answers"]) == 5
    # another body's member cannot send to this body
    m = _client(world.users["member1"])
    refused = m.post(
        "/api/v1/voting/polls",
        {"body": world.body.pk, "title": "Xin ý kiến", "text": "x", "deadline": deadline},
    )
    assert refused.status_code == 403


def test_secret_ballot_through_someone_elses_session_counts_for_them_only(world):
    """A vote is the session's user's: another member's id in the payload is not an input."""
    ballot = services.open_ballot(
        subject="test.item:9",
        title="Bầu trưởng ban",
        electorate=member_ids(world),
        rule=world.rules["ubnd-tap-the"],
        secret=True,
        by=world.users["member1"],
    )
    c = _client(world.users["outsider"])
    resp = c.post(
        f"/api/v1/voting/ballots/{ballot.pk}/votes",
        {"choice": "agree", "voter": world.users["member2"].pk},
        content_type="application/json",
    )
    assert resp.status_code == 403
    c = _client(world.users["member2"])
    resp = c.post(
        f"/api/v1/voting/ballots/{ballot.pk}/votes", {"choice": "agree"}, content_type="application/json"
    )
    assert resp.status_code == 201
    live = c.get(f"/api/v1/voting/ballots/{ballot.pk}/live").json()
    assert live["voted"] == 1 and live["counts"] is None


def test_rules_page_for_administrators_only(world):
    admin = world.users["sysadmin"] if "sysadmin" in world.users else None
    assert admin is not None
    c = _client(admin)
    assert c.get("/bieu-quyet/quy-tac/").status_code == 200
    rule = world.rules["hai-phan-ba"]
    data = {
        "code": rule.code,
        "name": rule.name,
        "description": "",
        "quorum_num": 2,
        "quorum_den": 3,
        "quorum_strict": "",
        "basis": "members",
        "threshold_num": 5,
        "threshold_den": 3,
        "non_answer": "not_counted",
        "is_active": "on",
    }
    resp = c.post(f"/bieu-quyet/quy-tac/{rule.pk}/", data)
    assert resp.status_code == 400 and "phân số" in resp.content.decode()
    data["threshold_num"] = 3
    data["threshold_den"] = 4
    assert c.post(f"/bieu-quyet/quy-tac/{rule.pk}/", data).status_code == 302
    rule.refresh_from_db()
    assert (rule.threshold_num, rule.threshold_den) == (3, 4)
    member = _client(world.users["member1"])
    assert member.get("/bieu-quyet/quy-tac/").status_code == 403
    assert member.post(f"/bieu-quyet/quy-tac/{rule.pk}/", data).status_code == 403
    assert Rule.objects.get(pk=rule.pk).threshold_num == 3
