"""The agreement's state machine, as data (``core.statemachine``).

    active ──revoke──▶ revoked

Expiry is not a state: an agreement is in force between ``valid_from`` and ``valid_until`` (both
inclusive, local dates) while it is active; past its last day it is read as expired.
"""

from django.utils.translation import gettext_lazy as _

from congso.core.statemachine import StateMachine, Transition

from .models import Agreement

S = Agreement.State

AGREEMENTS = StateMachine(
    "thỏa thuận chia sẻ dữ liệu",
    [
        Transition(
            "revoke",
            _("Thu hồi thỏa thuận"),
            {S.ACTIVE},
            S.REVOKED,
            permission="sharing.manage_agreements",
            stamps="revoked_at",
        ),
    ],
    state_labels=dict(Agreement.State.choices),
    state_field="state",
)
