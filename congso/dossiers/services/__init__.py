"""Use cases of the one-stop back office. Each runs in one transaction, locks the dossier row,
checks the transition declared in ``workflow.py`` against the actor's roles, changes state, writes
the timeline entry and the audit entry, and returns the dossier — or raises a ServiceError with a
Vietnamese message, having changed nothing.

The package keeps one module per seam: ``roles`` (who acts as what), ``kernel`` (lock, versioned save,
timeline and audit events, files, the clock's step runs), ``intake`` (receive, accept, counter intake),
``processing`` (forward, approve, return for revision, transfer, assign, attach, process templates), ``pauses`` (supplements, fees,
extensions) and ``closing`` (results, return, refuse, withdraw, stop). Import use cases from here:
``from congso.dossiers import services; services.receive(...)``.
"""

from congso.core.uploads import Upload

from .closing import issue_result, refuse, return_result, signed_draft, stop, withdraw
from .intake import (
    INTAKE_DECISIONS,
    Applicant,
    Terms,
    accept,
    clean_applicant,
    receive,
    receive_at_counter,
    terms_for,
)
from .kernel import EARLIEST_YEAR, LATEST_YEAR, aware_moment, next_code
from .pauses import (
    extend,
    record_gateway_payment,
    record_payment,
    request_payment,
    request_supplement,
    submit_supplement,
)
from .processing import (
    BULK_LIMIT,
    TRANSFER_ROLES,
    approve,
    assign,
    assign_many,
    attach,
    forward,
    return_for_revision,
    save_process,
    transfer,
)
from .roles import (
    CounterScope,
    SystemActor,
    acts_as_applicant,
    available_transitions,
    check_transition,
    counter_roles,
    counter_scope,
    drafts,
    may_assign,
    personal_key,
    roles_for,
)

__all__ = [
    "Applicant",
    "CounterScope",
    "clean_applicant",
    "counter_scope",
    "BULK_LIMIT",
    "EARLIEST_YEAR",
    "INTAKE_DECISIONS",
    "LATEST_YEAR",
    "SystemActor",
    "TRANSFER_ROLES",
    "Terms",
    "Upload",
    "accept",
    "acts_as_applicant",
    "approve",
    "assign",
    "assign_many",
    "attach",
    "available_transitions",
    "check_transition",
    "aware_moment",
    "counter_roles",
    "drafts",
    "extend",
    "forward",
    "issue_result",
    "may_assign",
    "next_code",
    "personal_key",
    "receive",
    "receive_at_counter",
    "record_gateway_payment",
    "record_payment",
    "refuse",
    "request_payment",
    "request_supplement",
    "return_for_revision",
    "return_result",
    "roles_for",
    "save_process",
    "signed_draft",
    "stop",
    "submit_supplement",
    "terms_for",
    "transfer",
    "withdraw",
]
