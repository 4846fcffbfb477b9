"""Lost updates (issue 15): every state-changing call carries the version it acts on, a stale one is
409, and the loser of a race is told so (never "no process" from a half-read row)."""

import io
import threading

import pytest
from django.db import connection
from django.test import Client

from congso.core.errors import ServiceError
from congso.directory.testing import login_verified
from congso.dossiers import services
from congso.dossiers.models import Channel, Dossier
from congso.dossiers.testing import advance

from .conftest import pdf

NO_PROCESS = "Hồ sơ chưa có quy trình xử lý."


def _at_leader_step(staff, agencies, procedure_version, applicant) -> Dossier:
    d = services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
    )
    return advance(d.pk, actor=staff["officer"], expected_version=d.version)


def _forward(client, d, version):
    return client.post(
        f"/api/v1/dossiers/{d.code}/actions/approve",  # at the leader's step
        {"expected_version": version},
        content_type="application/json",
    )


@pytest.mark.django_db
def test_two_forwards_with_the_same_version_move_one_step(staff, agencies, procedure_version, applicant):
    d = _at_leader_step(staff, agencies, procedure_version, applicant)
    step, version = d.current_step_id, d.version
    client = Client()
    login_verified(client, staff["leader"])
    first, second = _forward(client, d, version), _forward(client, d, version)
    assert first.status_code == 200
    assert second.status_code == 409 and "vừa được người khác cập nhật" in second.json()["detail"]
    d.refresh_from_db()
    assert d.version == version + 1 and d.current_step_id != step
    assert d.timeline.filter(action="forward").count() == 1  # the officer's
    assert d.timeline.filter(action="approve").count() == 1  # then one leader's


@pytest.mark.django_db
def test_an_action_without_its_version_is_refused_without_a_write(
    client, staff, agencies, procedure_version, applicant
):
    d = _at_leader_step(staff, agencies, procedure_version, applicant)
    version = d.version
    login_verified(client, staff["leader"])
    url = f"/api/v1/dossiers/{d.code}"
    missing = client.post(f"{url}/actions/forward", {}, content_type="application/json")
    assert missing.status_code == 400
    assert missing.json()["code"] == "version_required" and "phiên bản" in missing.json()["detail"]
    attach = client.post(f"{url}/attachments", {"files": [io.BytesIO(pdf())], "components": ["Tờ trình"]})
    assert attach.status_code == 400 and attach.json()["code"] == "version_required"
    d.refresh_from_db()
    assert d.version == version and d.attachments.count() == 0


def _require_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are tested on PostgreSQL")


def _race(n, target):
    barrier = threading.Barrier(n)
    results, errors = [None] * n, []

    def worker(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_leaders_forwarding_at_once_one_wins_the_other_gets_409(
    staff, agencies, procedure_version, applicant
):
    _require_postgres()
    d = _at_leader_step(staff, agencies, procedure_version, applicant)
    version = d.version
    clients = [Client(), Client()]
    for c in clients:
        login_verified(c, staff["leader"])
    results, errors = _race(2, lambda i: _forward(clients[i], d, version))
    assert not errors
    assert sorted(r.status_code for r in results) == [200, 409]
    d.refresh_from_db()
    assert d.version == version + 1
    assert d.timeline.filter(action="approve").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_loser_of_a_lock_reads_the_winners_step_not_a_null_one(
    staff, agencies, procedure_version, applicant
):
    """Without a version (a system call), the second forward waits for the lock and then sees the step
    the first one left, fresh: never a null ``current_step`` from the join read before the wait."""
    _require_postgres()
    d = _at_leader_step(staff, agencies, procedure_version, applicant)
    version = d.version
    _results, errors = _race(2, lambda i: advance(d.pk, actor=staff["leader"]).version)
    # the loser waits, then reads the winner's step afresh: it forwards from there (the template has two
    # leader steps) or is refused for that step, but is never told the dossier has no process
    assert all(isinstance(e, ServiceError) and str(e) != NO_PROCESS for e in errors), errors
    d.refresh_from_db()
    assert d.version == version + 2 - len(errors)
    assert d.timeline.filter(action="approve").count() == 2 - len(errors)
