"""Every declared transition against every status and every relevant role (issue 5: "tests cover every
allowed and refused transition").

For each (transition, status) a dossier is put in that status, then every role tries the transition:
the roles the declaration (workflow.TRANSITIONS) allows must succeed, reaching the declared target;
every other role, and every role in a status the transition does not start from, must be refused with
a Vietnamese message and change nothing — status, version, timeline and audit trail."""

import datetime as dt

import pytest

from congso.accounts.models import User
from congso.core.errors import ServiceError
from congso.core.models import AuditEntry
from congso.directory.models import Membership, Role
from congso.dossiers import services
from congso.dossiers.models import Channel, Dossier, ProcessStep, Status, TimelineEntry
from congso.dossiers.processes import template_for
from congso.dossiers.services import SystemActor, Upload
from congso.dossiers.testing import advance
from congso.dossiers.workflow import APPLICANT, DOSSIER, PAYMENT_GATEWAY, RESUME, step_kind

from .conftest import pdf

pytestmark = pytest.mark.django_db

# who tries, and the workflow roles each one holds at the ward (where the dossiers are)
ROLES = {
    "applicant": {APPLICANT},
    "clerk": {Role.CLERK},
    "officer": {Role.OFFICER},
    "leader": {Role.LEADER},
    "clerical": {Role.CLERICAL},
    "agency_admin": {Role.AGENCY_ADMIN},
    "other_clerk": set(),  # a clerk of another commune
    "justice_officer": set(),  # an officer of the provincial department
    "payment_gateway": {PAYMENT_GATEWAY},
}
# A template where every working role has a step with a following step (so "forward" can succeed).
STEPS = [
    ("handle", "Kiểm tra hồ sơ tại bộ phận một cửa", Role.CLERK),
    ("handle", "Công chức tư pháp - hộ tịch thẩm định", Role.OFFICER),
    ("approve", "Chủ tịch UBND phường ký", Role.LEADER),
    ("issue", "Văn thư vào sổ, phát hành", Role.CLERICAL),
    ("handle", "Lưu hồ sơ", Role.OFFICER),
]
REASON = "Lý do ghi rõ cho người nộp"


@pytest.fixture
def actors(staff, citizen, agencies):
    admin = User.objects.create_user(
        "qt.pleiku", password="Mat-khau-dai-2026!", full_name="Trịnh Thu Phương", kind="official"
    )
    Membership.objects.create(user=admin, agency=agencies["ward"], role=Role.AGENCY_ADMIN)
    return {
        **{
            key: staff[key]
            for key in ("clerk", "officer", "leader", "clerical", "other_clerk", "justice_officer")
        },
        "applicant": citizen,
        "agency_admin": admin,
        "payment_gateway": SystemActor(PAYMENT_GATEWAY, "Cổng thanh toán VNPAY"),
    }


@pytest.fixture
def build(staff, agencies, procedure_version, applicant, citizen):
    template = template_for(agencies["ward"], procedure_version.procedure)
    template.steps.all().delete()
    steps = [
        ProcessStep.objects.create(
            template=template, position=i, kind=kind, name=name, role=role, share_percent=15
        )
        for i, (kind, name, role) in enumerate(STEPS, start=1)
    ]

    def make(status: Status, at_role: str | None = None) -> Dossier:
        """A dossier of the ward in ``status``; in 2 or 4, standing at the first step done by ``at_role``."""
        if status == Status.NEW or status == Status.NOT_ACCEPTED:
            d = services.receive(
                actor=citizen,
                agency=agencies["ward"],
                procedure_version=procedure_version,
                channel=Channel.ONLINE,
                applicant=applicant,
            )
            if status == Status.NOT_ACCEPTED:
                services.refuse(d.pk, actor=staff["clerk"], reason=REASON)
            return Dossier.objects.get(pk=d.pk)
        d = services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            accept_now=True,
        )
        if status in (Status.PROCESSING, Status.PROCESSED, Status.RETURNED):
            advance(d.pk, actor=staff["clerk"])  # → processing, at the officer's step
        if status == Status.SUPPLEMENT:
            services.request_supplement(d.pk, actor=staff["clerk"], reason=REASON)
        elif status == Status.FINANCIAL:
            services.request_payment(d.pk, actor=staff["clerk"], amount=50000, description="Lệ phí")
        elif status == Status.WITHDRAWN:
            services.withdraw(d.pk, actor=citizen, reason=REASON)
        elif status == Status.STOPPED:
            services.stop(d.pk, actor=staff["leader"], reason=REASON)
        elif status in (Status.PROCESSED, Status.RETURNED):
            for who in ("officer", "leader"):
                advance(d.pk, actor=staff[who])
            services.issue_result(
                d.pk, actor=staff["clerical"], number="1/GKS", title="GKS", upload=Upload("KQ", pdf())
            )
            if status == Status.RETURNED:
                services.return_result(d.pk, actor=staff["clerk"])
        if at_role and status in (Status.ACCEPTED, Status.PROCESSING):
            step = next(s for s in steps if s.role == at_role)
            Dossier.objects.filter(pk=d.pk).update(current_step=step, holder_role=step.role)
        d = Dossier.objects.get(pk=d.pk)
        assert d.status == status
        return d

    return make


def attempt(name, d, actor, agencies):
    pk = d.pk
    calls = {
        "accept": lambda: services.accept(pk, actor=actor),
        "refuse": lambda: services.refuse(pk, actor=actor, reason=REASON),
        "request_supplement": lambda: services.request_supplement(pk, actor=actor, reason=REASON),
        "submit_supplement": lambda: services.submit_supplement(pk, actor=actor),
        "forward": lambda: services.forward(pk, actor=actor),
        "approve": lambda: services.approve(pk, actor=actor),
        "return_for_revision": lambda: services.return_for_revision(pk, actor=actor, reason=REASON),
        "transfer": lambda: services.transfer(pk, actor=actor, agency=agencies["justice"], reason=REASON),
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
    assert set(calls) == set(DOSSIER.transitions), "a declared transition has no row in this table"
    return calls[name]()


def snapshot(d):
    d = Dossier.objects.get(pk=d.pk)
    return (
        d.status,
        d.version,
        d.current_step_id,
        d.current_agency_id,
        TimelineEntry.objects.count(),
        AuditEntry.objects.count(),
    )


WORKING = {Role.CLERK, Role.OFFICER, Role.LEADER, Role.CLERICAL}


@pytest.mark.parametrize("status", list(Status), ids=[f"{int(s)}-{s.name.lower()}" for s in Status])
def test_every_transition_from_every_status_by_every_role(status, build, actors, agencies):
    """One dossier in ``status`` takes every refused (transition, role) pair — refusals change nothing,
    so it stays in ``status`` — then each allowed pair runs on a fresh dossier in ``status``."""
    d = build(status)
    allowed = []
    for t in DOSSIER:
        for key, roles in ROLES.items():
            # at the step of the actor's own role (build(at_role=)): the step's kind must suit the
            # transition (a leader approves at their step; nobody forwards at văn thư's issue step)
            at = next((kind for kind, _name, role in STEPS if role in roles), None)
            at = step_kind(ProcessStep(kind=at, role=next(iter(roles & WORKING)))) if at else None
            if status in t.sources and roles & t.roles and (not t.at_steps or at in t.at_steps):
                allowed.append((t, key))
                continue
            before = snapshot(d)
            with pytest.raises(ServiceError) as refusal:
                attempt(t.name, d, actors[key], agencies)
            assert refusal.value.message.strip(), (t.name, key)
            assert snapshot(d) == before, (t.name, key)
    for t, key in allowed:
        d = build(status, at_role=next(iter(ROLES[key] & WORKING), None))
        before = snapshot(d)
        attempt(t.name, d, actors[key], agencies)
        after = Dossier.objects.get(pk=d.pk)
        expected = {None: status, RESUME: Status.ACCEPTED}.get(t.target, t.target)
        assert after.status == expected, (t.name, key)
        assert after.version > before[1], (t.name, key)
        assert TimelineEntry.objects.filter(dossier=after).latest("id").action == t.name, (t.name, key)
        assert AuditEntry.objects.count() > before[-1], (t.name, key)
    # What the declaration allows in each status (guards against a table that silently allows nothing).
    expected_allowed = {
        Status.NEW: {"accept", "refuse", "request_supplement", "withdraw", "attach"},
        Status.ACCEPTED: {
            "request_supplement",
            "forward",
            "approve",
            "transfer",
            "request_payment",
            "extend",
            "stop",
            "withdraw",
            "attach",
        },
        Status.PROCESSING: {
            "request_supplement",
            "forward",
            "approve",
            "return_for_revision",
            "transfer",
            "request_payment",
            "extend",
            "stop",
            "withdraw",
            "issue_result",
            "attach",
        },
        Status.SUPPLEMENT: {"submit_supplement", "stop", "withdraw", "attach"},
        Status.FINANCIAL: {"record_payment", "stop", "withdraw", "attach"},
        Status.PROCESSED: {"return_result"},
    }
    assert {t.name for t, _key in allowed} == expected_allowed.get(status, set())


def test_the_table_covers_every_role_a_transition_names():
    named = set().union(*(t.roles for t in DOSSIER))
    assert named <= set().union(*ROLES.values())
