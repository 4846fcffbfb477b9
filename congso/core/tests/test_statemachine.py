import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from congso.core import permissions
from congso.core.statemachine import StateMachine, Transition, TransitionConflict, TransitionError

NEW, ACCEPTED, REFUSED, DONE = 1, 2, 3, 9

MACHINE = StateMachine(
    "hồ sơ",
    [
        Transition("accept", "Tiếp nhận", sources={NEW}, target=ACCEPTED, roles={"clerk"}),
        Transition(
            "refuse", "Từ chối tiếp nhận", sources={NEW}, target=REFUSED, roles={"clerk"}, requires={"reason"}
        ),
        Transition("finish", "Hoàn thành", sources={ACCEPTED}, target=DONE, roles={"officer", "leader"}),
    ],
    state_labels={
        NEW: "Mới tiếp nhận",
        ACCEPTED: "Đã tiếp nhận",
        REFUSED: "Không tiếp nhận",
        DONE: "Đã xử lý",
    },
)


def test_allowed_transition_returns_its_target():
    assert MACHINE.check("accept", state=NEW, roles={"clerk"}).target == ACCEPTED


def test_wrong_start_state_is_a_conflict_with_vietnamese_message():
    with pytest.raises(
        TransitionConflict, match="Không thể “Hoàn thành” khi hồ sơ đang ở trạng thái “Mới tiếp nhận”"
    ):
        MACHINE.check("finish", state=NEW, roles={"officer"})


def test_wrong_role_is_refused():
    with pytest.raises(TransitionError, match="không có vai trò") as exc:
        MACHINE.check("accept", state=NEW, roles={"officer"})
    assert exc.value.code == "forbidden_role"


def test_missing_requirement_names_it():
    with pytest.raises(TransitionError, match="Cần nhập lý do") as exc:
        MACHINE.check("refuse", state=NEW, roles={"clerk"}, provided={"reason": "  "[:0]})
    assert exc.value.field == "reason"
    assert (
        MACHINE.check("refuse", state=NEW, roles={"clerk"}, provided={"reason": "Thiếu tờ khai"}).target
        == REFUSED
    )


def test_unknown_transition():
    with pytest.raises(TransitionError, match="không tồn tại"):
        MACHINE.check("teleport", state=NEW, roles={"clerk"})


def test_available_lists_only_what_the_roles_may_do_now():
    assert [t.name for t in MACHINE.available(NEW, {"clerk"})] == ["accept", "refuse"]
    assert [t.name for t in MACHINE.available(ACCEPTED, {"leader"})] == ["finish"]
    assert MACHINE.available(DONE, {"clerk", "leader"}) == []


def test_declaration_errors_are_caught_early():
    with pytest.raises(ValueError, match="unknown requirement"):
        Transition("x", "x", sources={NEW}, target=DONE, requires={"chu_ky_mau"})
    with pytest.raises(ValueError, match="declared twice"):
        StateMachine(
            "x", [Transition("a", "a", sources={1}, target=2), Transition("a", "a", sources={2}, target=3)]
        )


STEPPED = StateMachine(
    "hồ sơ",
    [
        Transition("issue", "Phát hành kết quả", sources={ACCEPTED}, target=DONE, roles={"clerical"}),
        Transition(
            "issue_at_step",
            "Phát hành kết quả",
            sources={ACCEPTED},
            target=DONE,
            roles={"clerical"},
            at_steps={"issue"},
        ),
    ],
    state_labels={ACCEPTED: "Đang xử lý"},
    step_labels={"issue": "Vào sổ, phát hành kết quả"},
)


def test_a_transition_bound_to_a_step_kind_is_refused_elsewhere():
    assert STEPPED.check("issue_at_step", state=ACCEPTED, roles={"clerical"}, step="issue").target == DONE
    with pytest.raises(TransitionConflict, match="đang ở bước “Vào sổ, phát hành kết quả”") as exc:
        STEPPED.check(
            "issue_at_step", state=ACCEPTED, roles={"clerical"}, step="review", step_name="Lãnh đạo xem xét"
        )
    assert exc.value.code == "wrong_step" and "Hiện hồ sơ đang ở bước “Lãnh đạo xem xét”" in exc.value.message
    with pytest.raises(TransitionConflict):  # no step given at all: refused too
        STEPPED.check("issue_at_step", state=ACCEPTED, roles={"clerical"})
    # a transition without at_steps ignores the step
    assert STEPPED.check("issue", state=ACCEPTED, roles={"clerical"}, step="review").target == DONE


def test_available_filters_on_the_step_only_when_given():
    assert [t.name for t in STEPPED.available(ACCEPTED, {"clerical"})] == ["issue", "issue_at_step"]
    assert [t.name for t in STEPPED.available(ACCEPTED, {"clerical"}, step="review")] == ["issue"]
    assert [t.name for t in STEPPED.available(ACCEPTED, {"clerical"}, step="issue")] == [
        "issue",
        "issue_at_step",
    ]


# --- permission rules and timestamps ------------------------------------------------------------

WAITING, CALLED, SERVING = "waiting", "called", "serving"


@pytest.fixture
def desk_rule():
    """A rule ``test.desk``: the actor works at the object's desk."""
    permissions._rules.pop("test.desk", None)
    permissions.rule("test.desk")(lambda user, obj: obj is not None and user.desk == obj.desk)
    yield "test.desk"
    permissions._rules.pop("test.desk", None)


def _ticket_machine():
    return StateMachine(
        "phiếu số",
        [
            Transition("call", "Gọi số", {WAITING}, CALLED, permission="test.desk", stamps="called_at"),
            Transition("start", "Phục vụ", {CALLED}, SERVING, roles={"clerk"}, permission="test.desk"),
            Transition("note", "Ghi chú", {CALLED}, None, stamps="noted_at"),
        ],
        state_labels={WAITING: "Đang chờ", CALLED: "Đã gọi"},
        state_field="state",
    )


def _actor(desk):
    return SimpleNamespace(is_active=True, desk=desk)


def test_permission_rule_allows_the_transition(desk_rule):
    machine, ticket = _ticket_machine(), SimpleNamespace(state=WAITING, desk=3)
    assert machine.authorize("call", _actor(3), ticket).target == CALLED
    assert machine.check("call", state=WAITING, actor=_actor(3), obj=ticket).target == CALLED
    assert [t.name for t in machine.available(WAITING, actor=_actor(3), obj=ticket)] == ["call"]


def test_permission_rule_refuses_with_permission_denied(desk_rule):
    machine, ticket = _ticket_machine(), SimpleNamespace(state=WAITING, desk=3)
    with pytest.raises(PermissionDenied, match="không có quyền"):
        machine.authorize("call", _actor(4), ticket)
    with pytest.raises(PermissionDenied):
        machine.check("call", state=WAITING, actor=_actor(4), obj=ticket)
    with pytest.raises(PermissionDenied):  # anonymous: refused (the rule is not public)
        machine.check("call", state=WAITING, actor=None, obj=ticket)
    assert machine.available(WAITING, actor=_actor(4), obj=ticket) == []
    # roles and the rule are both required: the rule alone is not enough
    with pytest.raises(TransitionError, match="không có vai trò"):
        machine.check("start", state=CALLED, roles={"officer"}, actor=_actor(3), obj=ticket)
    assert (
        machine.check("start", state=CALLED, roles={"clerk"}, actor=_actor(3), obj=ticket).target == SERVING
    )


def test_apply_sets_state_and_stamp_and_names_the_fields():
    machine = _ticket_machine()
    ticket = SimpleNamespace(state=WAITING, called_at=None)
    now = dt.datetime(2026, 12, 7, 8, 30, tzinfo=dt.UTC)
    assert machine.apply(ticket, "call", now=now) == ["state", "called_at"]
    assert ticket.state == CALLED and ticket.called_at == now
    # a transition without a stamp sets only the state; one without a target only its stamp
    assert machine.apply(ticket, "start") == ["state"] and ticket.state == SERVING
    assert machine.apply(ticket, "note") == ["noted_at"] and ticket.state == SERVING
    assert ticket.noted_at is not None  # defaults to the current time


def test_apply_of_an_unknown_transition_is_refused():
    with pytest.raises(TransitionError, match="không tồn tại"):
        _ticket_machine().apply(SimpleNamespace(state=WAITING), "fly")
