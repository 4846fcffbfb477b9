"""Every dossier transition, declared in one place: start states, roles, requirements, target.

Roles are the directory roles the user holds at the dossier's current agency, plus ``applicant``
for the person who filed it (or a community-team member acting with consent). ``RESUME`` as a
target means "the status the dossier had before it was paused". ``at_steps`` names the kinds of
process step a transition may be taken at (see ``step_kind``): the result is issued only at văn
thư's issue step; a leader's step is a decision, approved (``approve``) or returned for revision
(``return_for_revision``), never simply forwarded. ``by_holder`` transitions are taken only by whoever
holds the current step's role. Labels carry the context "thao tác hồ sơ", so a button's label is never
a status's translation ("Rút hồ sơ" the action, not "Withdrawn").
"""

from django.utils.translation import pgettext_lazy

from congso.core.statemachine import StateMachine, Transition
from congso.directory.models import Role

from .models import ProcessStep, Status

APPLICANT = "applicant"
# A pseudo-role no person ever holds: the payment gateway's server-to-server notification (IPN),
# verified by congso.payments, records the payment as the system. Only
# ``services.record_gateway_payment`` acts with it (see ``services.SystemActor``).
PAYMENT_GATEWAY = "payment_gateway"
RESUME = "resume"
S = Status
# Where the handler simply moves the dossier on: not at a leader's decision, nor at văn thư's issue.
FORWARD_STEPS = {
    ProcessStep.Kind.HANDLE,
    ProcessStep.Kind.REVIEW,
    ProcessStep.Kind.RETURN,
    ProcessStep.Kind.TRANSFER,
}

TRANSITIONS = [
    Transition(
        "accept",
        pgettext_lazy("thao tác hồ sơ", "Tiếp nhận hồ sơ"),
        sources={S.NEW},
        target=S.ACCEPTED,
        roles={Role.CLERK},
    ),
    Transition(
        "refuse",
        pgettext_lazy("thao tác hồ sơ", "Từ chối tiếp nhận"),
        sources={S.NEW},
        target=S.NOT_ACCEPTED,
        roles={Role.CLERK},
        requires={"reason"},
    ),
    Transition(
        "request_supplement",
        pgettext_lazy("thao tác hồ sơ", "Yêu cầu bổ sung, hoàn thiện hồ sơ"),
        sources={S.NEW, S.ACCEPTED, S.PROCESSING},
        target=S.SUPPLEMENT,
        roles={Role.CLERK, Role.OFFICER, Role.LEADER},
        requires={"reason"},
    ),
    Transition(
        "submit_supplement",
        pgettext_lazy("thao tác hồ sơ", "Nộp hồ sơ bổ sung"),
        sources={S.SUPPLEMENT},
        target=RESUME,
        roles={APPLICANT, Role.CLERK},
    ),
    Transition(
        "forward",
        pgettext_lazy("thao tác hồ sơ", "Chuyển bước xử lý"),
        sources={S.ACCEPTED, S.PROCESSING},
        target=S.PROCESSING,
        roles={Role.CLERK, Role.OFFICER, Role.LEADER, Role.CLERICAL},
        at_steps=FORWARD_STEPS,
        by_holder=True,
    ),
    Transition(
        "approve",
        pgettext_lazy("thao tác hồ sơ", "Phê duyệt"),
        sources={S.ACCEPTED, S.PROCESSING},
        target=S.PROCESSING,
        roles={Role.LEADER},
        at_steps={ProcessStep.Kind.APPROVE},
        by_holder=True,
    ),
    Transition(
        "return_for_revision",
        pgettext_lazy("thao tác hồ sơ", "Trả lại để xử lý lại"),
        sources={S.PROCESSING},
        target=S.PROCESSING,
        roles={Role.LEADER},
        requires={"reason"},
        at_steps={ProcessStep.Kind.APPROVE},
        by_holder=True,
    ),
    Transition(
        "transfer",
        pgettext_lazy("thao tác hồ sơ", "Chuyển liên thông sang cơ quan khác"),
        sources={S.ACCEPTED, S.PROCESSING},
        target=S.PROCESSING,
        roles={Role.LEADER},
        requires={"agency", "reason"},
    ),
    Transition(
        "request_payment",
        pgettext_lazy("thao tác hồ sơ", "Yêu cầu thực hiện nghĩa vụ tài chính"),
        sources={S.ACCEPTED, S.PROCESSING},
        target=S.FINANCIAL,
        roles={Role.CLERK, Role.OFFICER},
        requires={"amount", "note"},
    ),
    Transition(
        "record_payment",
        pgettext_lazy("thao tác hồ sơ", "Xác nhận đã nộp phí, lệ phí"),
        sources={S.FINANCIAL},
        target=RESUME,
        roles={Role.CLERK, PAYMENT_GATEWAY},
    ),
    Transition(
        "extend",
        pgettext_lazy("thao tác hồ sơ", "Xin lỗi và gia hạn thời gian giải quyết"),
        sources={S.ACCEPTED, S.PROCESSING},
        target=None,
        roles={Role.OFFICER, Role.LEADER},
        requires={"reason", "new_date"},
    ),
    Transition(
        "stop",
        pgettext_lazy("thao tác hồ sơ", "Dừng giải quyết hồ sơ"),
        sources={S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT, S.FINANCIAL},
        target=S.STOPPED,
        roles={Role.LEADER},
        requires={"reason"},
    ),
    Transition(
        "withdraw",
        pgettext_lazy("thao tác hồ sơ", "Rút hồ sơ"),
        sources={S.NEW, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT, S.FINANCIAL},
        target=S.WITHDRAWN,
        roles={APPLICANT, Role.CLERK},
        requires={"reason"},
    ),
    Transition(
        "issue_result",
        pgettext_lazy("thao tác hồ sơ", "Phát hành kết quả"),
        sources={S.PROCESSING},
        target=S.PROCESSED,
        roles={Role.CLERICAL},
        requires={"document"},
        at_steps={ProcessStep.Kind.ISSUE},
        by_holder=True,
    ),
    Transition(
        "return_result",
        pgettext_lazy("thao tác hồ sơ", "Trả kết quả"),
        sources={S.PROCESSED},
        target=S.RETURNED,
        roles={Role.CLERK},
    ),
    Transition(
        "attach",
        pgettext_lazy("thao tác hồ sơ", "Đính kèm văn bản xử lý"),
        sources={S.NEW, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT, S.FINANCIAL},
        target=None,
        roles={Role.CLERK, Role.OFFICER, Role.LEADER, Role.CLERICAL},
        requires={"document"},
    ),
]

DOSSIER = StateMachine(
    "hồ sơ", TRANSITIONS, state_labels=dict(Status.choices), step_labels=dict(ProcessStep.Kind.choices)
)


def step_kind(step: ProcessStep | None) -> str | None:
    """The kind of ``step`` as the transitions' ``at_steps`` see it (None: the dossier is at no step).

    The role decides what is done there, whatever kind the step was saved with: văn thư's step is the
    issue step (templates saved before kinds were checked may call it "handle"), a leader's step is a
    decision (approve, or return for revision: "review" and "approve" alike), and another role's step
    is handled and forwarded. A leader's transfer hand-off stays a transfer (forwarded back)."""
    if step is None:
        return None
    Kind = ProcessStep.Kind
    if step.kind == Kind.TRANSFER:
        return Kind.TRANSFER
    if step.role == Role.CLERICAL:
        return Kind.ISSUE
    if step.role == Role.LEADER:
        return Kind.APPROVE
    return Kind.HANDLE if step.kind in (Kind.APPROVE, Kind.ISSUE) else step.kind
