"""Extension points of the feedback app (ADR 0090).

``report_changed`` — a report's timeline grew, fired inside the service's transaction (what a subscriber
writes commits or rolls back with it): ``(report, event, from_status)``. ``event`` is the timeline
entry (``models.Event``: its ``action`` is "submit" for a new report, a staff action of
``transitions.STAFF_ACTIONS`` such as "approve" (answer published), "rate" or "reopen" (the reporter
rated the answer), "add_info", "merged_answer" (a merged duplicate got the kept report's answer);
escalation notices are not timeline changes and are not fired);
``from_status`` is the status before (None for a new report); ``report.status`` the one after. The
integration outbox publishes these to webhook subscribers.
"""

from congso.core.hooks import Event

report_changed = Event(
    "feedback.report_changed",
    "A feedback report was received or its timeline grew, in the service's transaction: "
    "(report, event, from_status).",
)
