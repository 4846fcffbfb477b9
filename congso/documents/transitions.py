"""The document state machines, declared as data in one place (``core.statemachine``).

Incoming:  registered ──route──▶ routed ──assign──▶ in_progress ──finish──▶ done
           registered/routed ──refuse (received by exchange)──▶ refused
Outgoing:  draft/returned ──submit──▶ in_review ──approve (last step)──▶ to_sign ──sign──▶ signed
           in_review ──approve──▶ in_review (next step);  in_review/to_sign ──return──▶ returned
           signed ──issue──▶ issued ──release──▶ released
           released ──recall (sent through the exchange; a reason)──▶ released, recall requested
           released ──send_update (a corrected signed file, a reason)──▶ released, new file
"""

from django.utils.translation import gettext_lazy as _

from congso.core.statemachine import StateMachine, Transition

from .models import Document

S = Document.Status

INCOMING = StateMachine(
    "văn bản đến",
    [
        Transition("route", _("Trình lãnh đạo"), {S.REGISTERED}, S.ROUTED, permission="documents.route"),
        Transition(
            "assign",
            _("Phân công xử lý"),
            {S.ROUTED, S.IN_PROGRESS},
            S.IN_PROGRESS,
            requires={"assignee"},
            permission="documents.assign",
        ),
        Transition(
            "finish",
            _("Hoàn thành xử lý"),
            {S.IN_PROGRESS},
            S.DONE,
            requires={"note"},
            permission="documents.finish",
            stamps="done_at",
        ),
        Transition(
            "refuse",
            _("Từ chối tiếp nhận"),
            {S.REGISTERED, S.ROUTED},
            S.REFUSED,
            requires={"reason"},
            permission="documents.refuse",
        ),
    ],
    state_labels=dict(S.choices),
)

OUTGOING = StateMachine(
    "văn bản đi",
    [
        Transition(
            "submit", _("Trình duyệt"), {S.DRAFT, S.RETURNED}, S.IN_REVIEW, permission="documents.edit_draft"
        ),
        Transition("approve", _("Duyệt"), {S.IN_REVIEW}, None, permission="documents.review"),
        Transition(
            "return",
            _("Trả lại để chỉnh sửa"),
            {S.IN_REVIEW, S.TO_SIGN},
            S.RETURNED,
            requires={"reason"},
            permission="documents.review",
        ),
        Transition(
            "sign", _("Ký số"), {S.TO_SIGN}, S.SIGNED, permission="documents.sign", stamps="signed_at"
        ),
        Transition("issue", _("Cấp số, đóng dấu"), {S.SIGNED}, S.ISSUED, permission="documents.issue"),
        Transition(
            "release",
            _("Phát hành"),
            {S.ISSUED},
            S.RELEASED,
            requires={"agency"},
            permission="documents.issue",
            stamps="released_at",
        ),
        # the recipients are asked to recall it (edXML business 1); it stays released, its recall stamped
        Transition(
            "recall",
            _("Thu hồi văn bản đã gửi"),
            {S.RELEASED},
            None,
            requires={"reason"},
            permission="documents.recall",
            stamps="recalled_at",
        ),
        # a corrected, signed file goes to the same recipients (edXML business 2); it stays released
        Transition(
            "send_update",
            _("Gửi bản cập nhật"),
            {S.RELEASED},
            None,
            requires={"reason", "document"},
            permission="documents.recall",
        ),
    ],
    state_labels=dict(S.choices),
)
