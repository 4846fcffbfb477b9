"""Extension points of inter-agency exchange, for the documents app (ADR 0090, 0153).

Both fire inside the transaction that records the delivery, after the signature checks passed: a
subscriber's writes commit with the inbox row, and its exception refuses nothing but aborts the
recording (the hub delivers again later).
"""

from congso.core.hooks import Event

packet_received = Event(
    "exchange.packet_received",
    "A document packet arrived and its signatures were verified: (incoming: IncomingPacket, packet: "
    "edxml.Packet with its attachments). Fired for new documents, recalls and updates (packet.business).",
)

status_received = Event(
    "exchange.status_received",
    "A receiver reported a document's status: (incoming: IncomingPacket, status: edxml.Status, "
    "outgoing: OutgoingPacket or None, the document packet it answers).",
)
