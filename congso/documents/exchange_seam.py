"""The documents side of inter-agency exchange (issue 18): subscribers to ``congso.exchange.hooks``.

``exchange`` is a lower layer: it receives, verifies and records packets, then fires its hooks inside
the transaction that records the delivery. Here:

- ``on_packet_received``: a new document addressed to one of our agencies is registered by the system
  in that agency's incoming register (metadata from the packet's header, the signed PDF attached, the
  signatures' verification kept), once per edXML DocumentId; the status "03 đã tiếp nhận, vào sổ" goes
  back through the exchange outbox. A recall marks that document recalled (out of handling), an update
  or replacement gives it the new metadata and file and keeps the old as a revision (ADR 0169); the
  sender is told "15" (agreed) or "16".
- ``on_status_received``: a receiver's status updates the recipient on our outgoing document, so the
  sender sees "Hoàn thành" (or the refusal and its reason); after we recalled the document, its answer
  (15 agreed, 16 refused) is kept on the recipient, the answer to an update traced
  (``services.record_answer``).

Both run in the exchange's transaction: what they write commits with the inbox row.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.compiled import CompiledQuery, fields_of
from congso.core.errors import ServiceError
from congso.exchange import edxml

from . import services
from .models import HAS_EXCHANGE_ID, Document, DocumentType, Note, Recipient

log = logging.getLogger("congso.documents")


def _types_named(with_name: bool, with_head: bool) -> CompiledQuery:
    """The candidate types of a packet: a công văn, the type named (``with_name``), the type of the
    notation's abbreviation (``with_head``); the arguments are the name and the abbreviation given.
    ``_doc_type`` picks among them by its own exact rules, so a candidate too many is harmless (SQLite's
    ``iexact`` is a LIKE, whose wildcards the ORM escapes and a compiled query's bound value does not)."""

    def build(*values):
        given = iter(values)
        wanted = Q(name="Công văn")
        if with_name:
            wanted |= Q(name__iexact=next(given))
        if with_head:
            wanted |= Q(abbreviation=next(given))
        return DocumentType.objects.filter(wanted, is_active=True).values_list(*fields_of(DocumentType))

    return CompiledQuery(build, model=DocumentType)


# the candidate types of every received packet, in "order": compiled once per shape (congso.core.compiled)
_TYPES_NAMED = {(n, h): _types_named(n, h) for n in (False, True) for h in (False, True)}


def _doc_type(packet: edxml.Packet) -> DocumentType | None:
    """The type named in the header, else the abbreviation before the notation's dash (QĐ-UBND), else a
    công văn (its notation has no type abbreviation: UBND-VP)."""
    name = packet.type_name.strip()
    head = packet.code_notation.split("-", 1)[0].strip()
    candidates = _TYPES_NAMED[bool(name), bool(head)].instances(*(v for v in (name, head) if v))
    for match in (
        lambda t: name and t.name.lower() == name.lower(),
        lambda t: head and t.abbreviation == head,
        lambda t: t.name == "Công văn",
    ):
        found = next((t for t in candidates if match(t)), None)
        if found is not None:
            return found
    return None


def metadata_from(packet: edxml.Packet) -> dict:
    """Appendix VI metadata from the edXML message header (checked by ``validation.clean_metadata``)."""
    doc_type = _doc_type(packet)
    return {
        "doc_type": doc_type,  # the type itself: validation.document_type takes it as it is
        "subject": packet.subject,
        "number": packet.code_number[:20],
        "symbol": packet.code[:100],
        "issued_on": packet.promulgation_date,
        "issuing_organ": (packet.sender.name or packet.sender.organ_id)[:255],
        "signer_name": packet.signer.full_name[:200],
        "signer_position": packet.signer.position[:200],
        "signer_authority": packet.signer.competence
        if packet.signer.competence in ("TM.", "KT.", "Q.", "TL.", "TUQ.")
        else "",
        "urgency": min(int(packet.priority or 0), 3),
        "pages": packet.page_amount or None,
        "due_date": packet.due_date,
        "recipients_text": "\n".join(packet.to_places),
    }


def _pdf(packet: edxml.Packet) -> bytes | None:
    for a in packet.attachments:
        if a.content_type == "application/pdf" or a.name.lower().endswith(".pdf"):
            return a.data
    return None


def _signatures(incoming) -> list:
    """The verification kept with the document: the packet's XML signature and each PDF's PAdES result."""
    v = incoming.verification or {}
    out = [
        {
            "kind": "edxml",
            "signer": v.get("signer", ""),
            "certificate": v.get("certificate", ""),
            "valid": True,
        }
    ]
    for cid, a in (v.get("attachments") or {}).items():
        out.append({"kind": "pdf", "content_id": cid, "valid": bool(a.get("ok")), **a})
    return out


# every received document: registered already? Compiled once (congso.core.compiled)
_REGISTERED = CompiledQuery(
    lambda agency_id, exchange_id: (
        Document.objects.filter(HAS_EXCHANGE_ID, agency_id=agency_id, exchange_id=exchange_id)
        .order_by()
        .values_list("pk")[:1]
    ),
    model=Document,
)


def on_packet_received(*, incoming, packet: edxml.Packet) -> Document | None:
    """Register a new document received through the hub in the receiving agency's incoming register."""
    agency = incoming.recipient
    if packet.business != edxml.Business.NEW:
        return on_recall_or_update(incoming=incoming, packet=packet)
    if _REGISTERED.rows(agency.pk, packet.document_id[:300]):
        log.info("document %s already registered at %s", packet.document_id, agency.code)
        return None
    try:
        with transaction.atomic():
            return services.register_incoming(
                actor=None,
                agency=agency,
                metadata=metadata_from(packet),
                source=Document.Source.EXCHANGE,
                pdf=_pdf(packet),
                signatures=_signatures(incoming),
                as_system=True,
                exchange_packet=incoming,
                exchange_id=packet.document_id,
            )
    except IntegrityError:  # registered by a concurrent delivery of the same document
        log.info("document %s registered concurrently at %s", packet.document_id, agency.code)
        return None
    except ServiceError as exc:
        # No register, metadata Decree 30 cannot take …: the packet stays in the exchange inbox (accepted,
        # arrival confirmed) for văn thư to register by hand; the hub is not asked to deliver it again.
        log.warning("exchange packet %s not registered at %s: %s", incoming.pk, agency.code, exc.message)
        audit.record(
            "documents.exchange_not_registered", obj=incoming, data={"error": str(exc.message)[:500]}
        )
        return None


def on_recall_or_update(*, incoming, packet: edxml.Packet) -> Document | None:
    """A recall marks the document we registered from the original (found by its edXML DocumentId) as
    recalled; an update or a replacement gives it the new metadata and file, the old kept as history.
    A recall or update of a document we never registered stays in the exchange inbox."""
    ids = [r.document_id for r in packet.response_for if r.document_id] or [packet.document_id]
    doc = Document.objects.filter(
        HAS_EXCHANGE_ID, agency=incoming.recipient, exchange_id__in=ids, direction="in"
    ).first()
    if doc is None:
        log.info("exchange packet %s (business %s): no registered document", incoming.pk, packet.business)
        return None
    try:
        with transaction.atomic():
            if packet.business == edxml.Business.RECALL:
                return services.apply_recall(doc, reason=packet.business_reason, packet_row=incoming)
            return services.apply_update(
                doc,
                metadata=metadata_from(packet),
                pdf=_pdf(packet),
                reason=packet.business_reason,
                business=packet.business,
                signatures=_signatures(incoming),
                packet_row=incoming,
            )
    except ServiceError as exc:
        log.warning("exchange packet %s not applied to document %s: %s", incoming.pk, doc.pk, exc.message)
        audit.record("documents.exchange_not_applied", obj=incoming, data={"error": str(exc.message)[:500]})
        return None


def _moves_forward(current: str, code: str) -> bool:
    """A refusal (02) always stands; otherwise only a later step (01 < 03 < 04 < 05 < 06) replaces the
    recipient's status. Recall answers (15, 16) go to the recipient's recall answer, not here."""
    order = services.STATUS_ORDER
    if code == "02":
        return current != "02"
    if code not in order or current == "02":
        return False
    return current not in order or order.index(code) > order.index(current)


def on_status_received(*, incoming, status: edxml.Status, outgoing=None) -> list[Recipient]:
    """A receiver's status message updates its recipient row on our outgoing document."""
    qs = Recipient.objects.select_for_update().filter(
        document__agency=incoming.recipient, organ_id=status.sender.organ_id
    )
    if outgoing is not None:
        # the packet answered, or the original of the same document when it answers a recall or update
        qs = qs.filter(Q(packet=outgoing) | Q(packet__document_id=outgoing.document_id))
    else:
        qs = qs.filter(packet__document_id=status.response_for.document_id)
    updated = []
    code = status.status_code
    if code in Recipient.RECALL_ANSWERS:
        for r in qs.select_related("document"):
            if services.record_answer(r, code, status.description):
                updated.append(r)
        return updated
    for r in qs.select_related("document"):
        if not _moves_forward(r.status_code, code):
            continue  # a repeat, or a status a retry delayed behind a later one
        r.state = Recipient.State.SENT
        r.status_code = status.status_code
        r.updated_at = timezone.now()
        r.save(update_fields=["state", "status_code", "updated_at"])
        label = status.label
        text = _("%(organ)s: %(status)s.") % {"organ": r.name, "status": label}
        if status.status_code == "02" and status.description:
            text = _("%(organ)s từ chối tiếp nhận: %(reason)s") % {
                "organ": r.name,
                "reason": status.description,
            }
        Note.objects.create(document=r.document, kind=Note.Kind.TRACE, author=None, text=text)
        audit.record("documents.status", obj=r.document, data={"recipient": r.pk, "code": status.status_code})
        updated.append(r)
    return updated
