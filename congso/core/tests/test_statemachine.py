import pytest

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
