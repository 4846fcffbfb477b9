"""Extension points of the documents app (ADR 0090).

``document_changed`` — a document moved in its life, fired inside the service's transaction (what a
subscriber writes commits or rolls back with the change): ``(document, action, from_status, actor)``.
``action`` is the use case: "register" (an incoming document entered the incoming register;
``from_status`` None), "route", "assign", "finish" (incoming), "submit", "approve", "return", "sign",
"issue", "cancel_number", "release" (outgoing). ``document.status`` is the state after the change; an
action may leave it unchanged (a second review step, a re-assignment). The integration outbox
publishes these to webhook subscribers.
"""

from congso.core.hooks import Event

document_changed = Event(
    "documents.document_changed",
    "A document was registered or changed state, in the service's transaction: "
    "(document, action, from_status, actor).",
)
