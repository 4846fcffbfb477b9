"""Issue 14: buttons a role cannot use are not shown. For each role × each state and step of the
default process, the actions offered (the API's list, which the page's is part of) are exactly those
the services accept: every offered action succeeds when invoked with good input, and every other
action is refused — so a clerk never sees "Chuyển bước xử lý" at the specialist's step, nor a leader
at văn thư's, and a leader's step offers "Phê duyệt" and "Trả lại để xử lý lại", not a forward."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from congso.core.errors import ServiceError
from congso.directory.models import Membership, Role
from congso.directory.testing import login_verified
from congso.dossiers import actions, services
from congso.dossiers.models import Channel, Dossier
from congso.dossiers.processes import template_for
from congso.dossiers.services import Upload

from .conftest import _official, pdf

pytestmark = pytest.mark.django_db

REASON = "Hồ sơ cần làm rõ nội dung tờ khai"
STATES = ["new", "handle", "review", "approve", "issue", "supplement", "financial", "processed", "returned"]
ACTORS = ["clerk", "officer", "leader", "clerical", "justice_officer", "other_clerk", "ioc"]


@pytest.fixture
def people(staff, agencies):
    ioc = _official("ioc.gialai", "Đặng Quốc Bảo", agencies["ward"], Role.IOC_VIEWER)
    # a second officer, so that there is someone to assign the specialist's step to
    _official("cv.lan", "Hà Thị Lan", agencies["ward"], Role.OFFICER)
    assert Membership.objects.filter(user=ioc).exists()
    return {**staff, "ioc": ioc}


@pytest.fixture
def build(people, agencies, procedure_version, applicant):
    template_for(agencies["ward"], procedure_version.procedure)  # handle → review → approve → issue

    def make(state) -> Dossier:
        d = services.receive(
            actor=people["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            accept_now=state != "new",
        )
        walk = {"review": 1, "approve": 2, "issue": 3, "processed": 3, "returned": 3}.get(state, 0)
        for who in ["officer", "leader", "leader"][:walk]:
            step = Dossier.objects.get(pk=d.pk).current_step
            (services.approve if step.role == Role.LEADER else services.forward)(d.pk, actor=people[who])
        if state == "supplement":
            services.request_supplement(d.pk, actor=people["officer"], reason=REASON)
        elif state == "financial":
            services.request_payment(d.pk, actor=people["clerk"], amount=50000, description="Lệ phí")
        if state in ("processed", "returned"):
            services.issue_result(
                d.pk,
                actor=people["clerical"],
                number="1/GKS",
                title="Giấy khai sinh",
                upload=Upload("KQ", pdf()),
            )
        if state == "returned":
            services.return_result(d.pk, actor=people["clerk"])
        return Dossier.objects.select_related("current_step").get(pk=d.pk)

    return make


def invoke(name, d, actor, people, agencies):
    """Take action ``name`` with good input, as the page or the API would."""
    pk = d.pk
    candidates = actions.assign_candidates(d) if d.current_step_id else []
    calls = {
        "accept": lambda: services.accept(pk, actor=actor, note="Đủ thành phần"),
        "refuse": lambda: services.refuse(pk, actor=actor, reason=REASON),
        "request_supplement": lambda: services.request_supplement(pk, actor=actor, reason=REASON),
        "submit_supplement": lambda: services.submit_supplement(pk, actor=actor),
        "forward": lambda: services.forward(pk, actor=actor),
        "approve": lambda: services.approve(pk, actor=actor, note="Đồng ý"),
        "return_for_revision": lambda: services.return_for_revision(pk, actor=actor, reason=REASON),
        "transfer": lambda: services.transfer(pk, actor=actor, agency=agencies["justice"], reason=REASON),
        "assign": lambda: services.assign(
            pk, actor=actor, assignee=candidates[0] if candidates else people["officer"]
        ),
        "request_payment": lambda: services.request_payment(
            pk, actor=actor, amount=50000, description="Lệ phí"
        ),
        "record_payment": lambda: services.record_payment(pk, actor=actor, channel="counter"),
        "extend": lambda: services.extend(
            pk,
            actor=actor,
            reason=REASON,
            new_due=(d.due_at or dt.datetime(2099, 1, 1, tzinfo=dt.UTC)) + dt.timedelta(days=3),
        ),
        "stop": lambda: services.stop(pk, actor=actor, reason=REASON),
        "withdraw": lambda: services.withdraw(pk, actor=actor, reason=REASON),
        "issue_result": lambda: services.issue_result(
            pk, actor=actor, number="2/GKS", title="Giấy khai sinh", upload=Upload("KQ", pdf())
        ),
        "return_result": lambda: services.return_result(pk, actor=actor),
        "attach": lambda: services.attach(pk, actor=actor, uploads=[Upload("Biên bản xác minh", pdf())]),
    }
    assert set(calls) == set(actions.ACTIONS), "an action has no row here"
    return calls[name]()


def offered(client, actor, d) -> set[str]:
    login_verified(client, actor)
    response = client.get(f"/api/v1/dossiers/{d.code}")
    if response.status_code == 404:
        return set()
    return {a["name"] for a in response.json()["actions"]}


@pytest.mark.parametrize("state", STATES)
def test_offered_is_exactly_what_the_services_accept(client, build, people, agencies, state):
    d = build(state)
    by_actor = {key: offered(client, people[key], d) for key in ACTORS}
    # every action not offered is refused, changing nothing
    for key in ACTORS:
        for name in sorted(set(actions.ACTIONS) - by_actor[key]):
            version = Dossier.objects.get(pk=d.pk).version
            with pytest.raises((ServiceError, PermissionDenied)):
                invoke(name, d, people[key], people, agencies)
            assert Dossier.objects.get(pk=d.pk).version == version, (state, key, name)
    # every action offered succeeds (on a fresh dossier in the same state)
    for key in ACTORS:
        for name in sorted(by_actor[key]):
            fresh = build(state)
            before = fresh.version
            invoke(name, fresh, people[key], people, agencies)
            assert Dossier.objects.get(pk=fresh.pk).version > before, (state, key, name)

    # what the issue named, checked by name
    if state == "handle":
        assert "forward" in by_actor["officer"]
        assert "forward" not in by_actor["clerk"] and "forward" not in by_actor["leader"]
    if state in ("review", "approve"):
        assert {"approve", "return_for_revision"} <= by_actor["leader"]
        assert "forward" not in by_actor["leader"] and "forward" not in by_actor["clerk"]
    if state == "issue":
        assert "issue_result" in by_actor["clerical"]
        assert "forward" not in by_actor["leader"] and "forward" not in by_actor["clerical"]
    assert by_actor["ioc"] == set() and by_actor["other_clerk"] == set()


def test_the_page_offers_a_part_of_the_api_list(client, build, people):
    d = build("review")
    login_verified(client, people["leader"])
    html = client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert "/thao-tac/approve/" in html and "/thao-tac/return_for_revision/" in html
    assert "/thao-tac/forward/" not in html
    login_verified(client, people["clerk"])
    html = client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert "/thao-tac/forward/" not in html and "/thao-tac/approve/" not in html
