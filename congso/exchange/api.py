"""Exchange API under /api/v1/exchange (văn thư of the agency, system administrators): the outbox and
the inbox with their statuses, and sending a given-up packet again (the same service functions as the pages)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from ninja.pagination import paginate

from congso.core.api_auth import read_auth, write_auth
from congso.core.errors import NotFound
from congso.core.pagination import NumberedPages

from . import selectors, services
from .models import OutgoingPacket

router = Router(tags=["Liên thông văn bản"], auth=read_auth)


class ExchangeOutgoingOut(Schema):
    id: int
    message_id: str
    kind: str
    sender: str
    recipients: list[str]
    document_id: str
    code: str
    subject: str
    business: int
    status_code: str
    state: str
    state_label: str
    attempts: int
    last_error: str
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    delivery: dict[str, str]
    refusal: str

    @staticmethod
    def resolve_message_id(obj) -> str:
        return str(obj.message_id)

    @staticmethod
    def resolve_sender(obj) -> str:
        return obj.sender.code

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())


class ExchangeIncomingOut(Schema):
    id: int
    message_id: str
    kind: str
    recipient: str
    sender: str
    sender_name: str
    document_id: str
    code: str
    subject: str
    business: int
    priority: int
    status_code: str
    verdict: str
    refusal_reason: str
    refusal: str
    signer: str
    verification: dict
    local_status: str
    deliveries: int
    received_at: dt.datetime

    @staticmethod
    def resolve_recipient(obj) -> str:
        return obj.recipient.code

    @staticmethod
    def resolve_sender(obj) -> str:
        return obj.sender_organ_id


def _require_view(user):
    if not selectors.may_view(user):
        raise PermissionDenied("Chỉ văn thư và quản trị hệ thống mới xem được gói tin liên thông.")


@router.get("/outbox", response=list[ExchangeOutgoingOut], summary="Gói tin gửi đi")
@paginate(NumberedPages, page_size=50)
def list_outbox(request):
    _require_view(request.auth)
    return selectors.outbox_for(request.auth)


@router.get("/inbox", response=list[ExchangeIncomingOut], summary="Gói tin đến")
@paginate(NumberedPages, page_size=50)
def list_inbox(request):
    _require_view(request.auth)
    return selectors.inbox_for(request.auth)


@router.get("/outbox/{int:packet_id}", response=ExchangeOutgoingOut, summary="Một gói tin gửi đi")
def get_outgoing(request, packet_id: int):
    _require_view(request.auth)
    p = selectors.outbox_for(request.auth).filter(pk=packet_id).first()
    if p is None:
        raise NotFound("Không tìm thấy gói tin.")
    return p


@router.post(
    "/outbox/{int:packet_id}/resend", response=ExchangeOutgoingOut, auth=write_auth, summary="Gửi lại gói tin"
)
def resend(request, packet_id: int):
    p = services.resend(packet_id, actor=request.auth)
    return OutgoingPacket.objects.select_related("sender").defer("envelope").get(pk=p.pk)
