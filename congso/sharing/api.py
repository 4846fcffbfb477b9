"""Data-sharing agreements over the API: system administrators list, create and revoke them and read
their log; a citizen lists who read their personal data. The same services and refusals as the pages."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from congso.core.api_auth import read_auth, write_auth
from congso.core.pagination import NumberedPages
from congso.core.permissions import require

from . import selectors, services
from .models import Agreement

router = Router(tags=["Chia sẻ dữ liệu"])
ERR = {400: dict, 401: dict, 403: dict, 404: dict}


class SharingAgreementOut(Schema):
    id: int
    number: str
    agency: str
    agency_name: str
    client_id: str
    application: str
    scopes: list[str]
    purpose: str
    legal_basis: str
    valid_from: datetime.date
    valid_until: datetime.date
    state: str
    status: str
    in_force: bool
    revoked_at: datetime.datetime | None
    revocation_reason: str

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.code

    @staticmethod
    def resolve_agency_name(obj):
        return obj.agency.name

    @staticmethod
    def resolve_client_id(obj):
        return obj.application.client_id

    @staticmethod
    def resolve_application(obj):
        return obj.application.name

    @staticmethod
    def resolve_status(obj):
        return obj.status_label

    @staticmethod
    def resolve_in_force(obj):
        return obj.in_force()


class SharingAgreementIn(Schema):
    client_id: str
    agency: str
    number: str
    scopes: list[str]
    purpose: str
    legal_basis: str
    valid_from: datetime.date
    valid_until: datetime.date


class SharingRevokeIn(Schema):
    reason: str


class SharingReadOut(Schema):
    at: datetime.datetime
    agency: str
    agency_name: str
    agreement: str | None
    purpose: str
    legal_basis: str
    category: str
    category_label: str
    object_type: str
    object_id: str
    outcome: str
    outcome_label: str

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.code

    @staticmethod
    def resolve_agency_name(obj):
        return obj.agency.name

    @staticmethod
    def resolve_agreement(obj):
        return obj.agreement.number if obj.agreement_id else None

    @staticmethod
    def resolve_purpose(obj):
        return obj.agreement.purpose if obj.agreement_id else ""

    @staticmethod
    def resolve_legal_basis(obj):
        return obj.agreement.legal_basis if obj.agreement_id else ""

    @staticmethod
    def resolve_outcome_label(obj):
        return obj.get_outcome_display()


@router.get(
    "/agreements",
    response={200: list[SharingAgreementOut], **ERR},
    auth=read_auth,
    summary="Các thỏa thuận chia sẻ dữ liệu (quản trị hệ thống)",
)
def list_agreements(request):
    require(request.auth, "sharing.manage_agreements")
    return list(selectors.agreements())


@router.post(
    "/agreements",
    response={201: SharingAgreementOut, **ERR},
    auth=write_auth,
    summary="Ghi thỏa thuận chia sẻ dữ liệu mới",
)
def create_agreement(request, data: SharingAgreementIn):
    payload = data.dict()
    agreement = services.create_agreement(request.auth, application=payload.pop("client_id"), **payload)
    return Status(201, agreement)


def _agreement(request, agreement_id: int) -> Agreement:
    require(request.auth, "sharing.manage_agreements")
    return get_object_or_404(Agreement.objects.select_related("agency", "application"), pk=agreement_id)


@router.get(
    "/agreements/{agreement_id}",
    response={200: SharingAgreementOut, **ERR},
    auth=read_auth,
    summary="Một thỏa thuận chia sẻ dữ liệu",
)
def get_agreement(request, agreement_id: int):
    return _agreement(request, agreement_id)


@router.post(
    "/agreements/{agreement_id}/revoke",
    response={200: SharingAgreementOut, **ERR},
    auth=write_auth,
    summary="Thu hồi thỏa thuận chia sẻ dữ liệu",
)
def revoke_agreement(request, agreement_id: int, data: SharingRevokeIn):
    services.revoke_agreement(request.auth, agreement_id, reason=data.reason)
    return _agreement(request, agreement_id)


@router.get(
    "/agreements/{agreement_id}/reads",
    response={200: list[SharingReadOut], **ERR},
    auth=read_auth,
    summary="Nhật ký đọc dữ liệu theo một thỏa thuận",
)
@paginate(NumberedPages, page_size=50)
def agreement_reads(request, agreement_id: int):
    return selectors.reads_of(_agreement(request, agreement_id)).select_related("agreement")


@router.get(
    "/my-reads",
    response=list[SharingReadOut],
    auth=read_auth,
    summary="Ai đã đọc dữ liệu cá nhân của tôi, khi nào, theo thỏa thuận nào, để làm gì",
)
@paginate(NumberedPages, page_size=30)
def my_reads(request):
    require(request.auth, "sharing.view_own_reads", request.auth)
    return selectors.reads_about(request.auth)
