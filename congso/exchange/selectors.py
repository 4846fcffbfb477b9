"""Reads of inter-agency exchange that pages, the API and the documents app share."""

from __future__ import annotations

from django.db.models import QuerySet

from congso.directory.models import Agency
from congso.directory.scope import agencies_for, is_sysadmin

from .models import IncomingPacket, OutgoingPacket
from .permissions import EXCHANGE_ROLES


def received_packets(agency: Agency, *, kind: str | None = None, verdict: str | None = None) -> QuerySet:
    """An agency's inbox, newest first; ``kind`` "document"/"status", ``verdict`` "accepted"/"refused".

    The documents app registers accepted documents from it (``services.packet_of`` gives the contents)."""
    qs = IncomingPacket.objects.filter(recipient=agency)
    if kind:
        qs = qs.filter(kind=kind)
    if verdict:
        qs = qs.filter(verdict=verdict)
    return qs


def sent_packets(agency: Agency) -> QuerySet:
    return OutgoingPacket.objects.filter(sender=agency)


def visible_agencies(user) -> QuerySet | None:
    """None: every agency (a system administrator); else the agencies where ``user`` is văn thư."""
    if is_sysadmin(user):
        return None
    return agencies_for(user, EXCHANGE_ROLES[0])


def outbox_for(user) -> QuerySet:
    qs = OutgoingPacket.objects.select_related("sender").defer("envelope")
    agencies = visible_agencies(user)
    return qs if agencies is None else qs.filter(sender__in=agencies)


def inbox_for(user) -> QuerySet:
    qs = IncomingPacket.objects.select_related("recipient").defer("envelope")
    agencies = visible_agencies(user)
    return qs if agencies is None else qs.filter(recipient__in=agencies)


def may_view(user) -> bool:
    agencies = visible_agencies(user)
    return agencies is None or agencies.exists()
