"""Every dossier transition, declared in one place: start states, roles, requirements, target.

Roles are the directory roles the user holds at the dossier's current agency, plus ``applicant``
for the person who filed it (or a community-team member acting with consent). ``RESUME`` as a
target means "the status the dossier had before it was paused". ``at_steps`` names the kinds of
process step a transition may be taken at (see ``step_kind``): the result is issued only at văn
thư's issue step.
"""

from django.utils.translation import gettext_lazy as _

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

TRANSITIONS = [
    Transition("accept", _("Tiếp nhận hồ sơ"), sources={S.NEW}, target=S.ACCEPTED, roles={Role.CLERK}),
    Transition(
        "refuse",
        _("Từ chối tiếp nhận"),
        sources={S.NEW},
        target=S.NOT_ACCEPTED,
        roles={Role.CLERK},
        requires={"reason"},
    ),
    Transition(
        "request_supplement",
        _("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
        sources={S.NEW, S.ACCEPTED, S.PROCESSING},
        target=S.SUPPLEMENT,
        roles={Role.CLERK, Role.OFFICER, Role.LEADER},
        requires={"reason"},
    ),
    Transition(
        "submit_supplement",
        _("Nộp hồ sơ bổ sung"),
        sources={S.SUPPLEMENT},
        target=RESUME,
        roles={APPLICANT, Role.CLERK},
    ),
    Transition(
        "forward",
        _("Chuyển bước xử lý"),
        sources={S.ACCEPTED, S.PROCESSING},
        target=S.PROCESSING,
        roles={Role.CLERK, Role.OFFICER, Role.LEADER, Role.CLERICAL},
    ),
    Transition(
        "transfer",
        _("Chuyển liên thông sang cơ quan khác"),
        sources={S.ACCEPTED, S.PROCESSING},
        target=S.PROCESSING,
        roles={Role.LEADER},
        requires={"agency", "reason"},
    ),
    Transition(
        "request_payment",
        _("Yêu cầu thực hiện nghĩa vụ tài chính"),
        sources={S.ACCEPTED, S.PROCESSING},
        target=S.FINANCIAL,
        roles={Role.CLERK, Role.OFFICER},
        requires={"amount", "note"},
    ),
    Transition(
        "record_payment",
        _("Xác nhận đã nộp phí, lệ phí"),
        sources={S.FINANCIAL},
        target=RESUME,
        roles={Role.CLERK, PAYMENT_GATEWAY},
    ),
    Transition(
        "extend",
        _("Xin lỗi và gia hạn thời gian giải quyết"),
        sources={S.ACCEPTED, S.PROCESSING},
        target=None,
        roles={Role.OFFICER, Role.LEADER},
        requires={"reason", "new_date"},
    ),
    Transition(
        "stop",
        _("Dừng giải quyết hồ sơ"),
        sources={S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT, S.FINANCIAL},
        target=S.STOPPED,
        roles={Role.LEADER},
        requires={"reason"},
    ),
    Transition(
        "withdraw",
        _("Rút hồ sơ"),
        sources={S.NEW, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT, S.FINANCIAL},
        target=S.WITHDRAWN,
        roles={APPLICANT, Role.CLERK},
        requires={"reason"},
    ),
    Transition(
        "issue_result",
        _("Phát hành kết quả"),
        sources={S.PROCESSING},
        target=S.PROCESSED,
        roles={Role.CLERICAL},
        requires={"document"},
        at_steps={ProcessStep.Kind.ISSUE},
    ),
    Transition(
        "return_result", _("Trả kết quả"), sources={S.PROCESSED}, target=S.RETURNED, roles={Role.CLERK}
    ),
    Transition(
        "attach",
        _("Đính kèm văn bản xử lý"),
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

    A step done by văn thư is the issue step whatever kind it was saved with: templates saved before
    kinds were checked (processes.validate_steps) may call it "handle"."""
    if step is None:
        return None
    if step.role == Role.CLERICAL:
        return ProcessStep.Kind.ISSUE
    return step.kind
