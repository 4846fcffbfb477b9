"""Personal data store API: the owner's papers (list, upload, download, remove, reuse history) and
registry look-ups. The same service calls and refusals as the pages; another person's paper is 404."""

from __future__ import annotations

import datetime
import uuid

from django.http import FileResponse
from ninja import File, Form, Router, Schema, Status, UploadedFile

from congso.accounts.hooks import personal_data_served
from congso.core.api_auth import read_auth, write_auth

from . import registries, services
from .views import download_name

router = Router(tags=["Kho dữ liệu cá nhân"])
ERR = {400: dict, 401: dict, 403: dict, 404: dict}


class StoredDocumentOut(Schema):
    id: uuid.UUID
    title: str
    source: str
    source_label: str
    original_name: str
    kind: str
    size: int
    sha256: str
    issued_number: str
    valid_until: datetime.date | None
    is_valid: bool | None
    dossier: str | None
    created_at: datetime.datetime
    reuse_count: int
    download_url: str

    @staticmethod
    def resolve_source_label(obj):
        return obj.get_source_display()

    @staticmethod
    def resolve_is_valid(obj):
        from django.utils import timezone

        return None if obj.valid_until is None else obj.valid_until >= timezone.localdate()

    @staticmethod
    def resolve_dossier(obj):
        return obj.dossier.code if obj.dossier_id else None

    @staticmethod
    def resolve_reuse_count(obj):
        count = getattr(obj, "reuse_count", None)
        return obj.reuses.count() if count is None else count

    @staticmethod
    def resolve_download_url(obj):
        return f"/api/v1/datastore/documents/{obj.pk}/file"


class ReuseOut(Schema):
    dossier: str
    component: str
    reused_at: datetime.datetime
    reused_by: str

    @staticmethod
    def resolve_dossier(obj):
        return obj.dossier.code

    @staticmethod
    def resolve_reused_by(obj):
        return str(obj.reused_by)


class AnswerOut(Schema):
    registry: str
    registry_name: str
    identifier: str
    connected: bool
    authoritative: bool
    found: bool
    source: str
    origin: str
    message: str
    data: dict
    checked_at: datetime.datetime


class RegistryStatusOut(Schema):
    registry: str
    registry_name: str
    connected: bool
    authoritative: bool
    source: str


class MineOut(Schema):
    cccd: str | None
    person: AnswerOut | None
    organisations: list[AnswerOut]
    status: list[RegistryStatusOut]


class PersonLookupIn(Schema):
    cccd: str
    agency: str | None = None
    purpose: str = ""


class BusinessLookupIn(Schema):
    tax_code: str
    agency: str | None = None
    purpose: str = ""


@router.get(
    "/documents",
    response=list[StoredDocumentOut],
    auth=read_auth,
    summary="Giấy tờ trong kho dữ liệu của tôi",
)
def list_documents(request):
    return list(services.documents_with_usage(request.auth).select_related("dossier"))


@router.post(
    "/documents",
    response={201: StoredDocumentOut, **ERR},
    auth=write_auth,
    summary="Thêm giấy tờ (multipart: title, file, issued_number, valid_until)",
)
def upload_document(
    request,
    title: Form[str],
    file: File[UploadedFile],
    issued_number: Form[str] = "",
    valid_until: Form[datetime.date | None] = None,
):
    document = services.store(
        request.auth, file, title=title, issued_number=issued_number, valid_until=valid_until
    )
    return Status(201, document)


@router.get(
    "/documents/{document_id}",
    response={200: StoredDocumentOut, **ERR},
    auth=read_auth,
    summary="Một giấy tờ",
)
def get_document(request, document_id: str):
    document = services.get_owned(request.auth, document_id)
    _served(request, document)
    return document


def _served(request, document) -> None:
    personal_data_served(
        request,
        "datastore.document",
        subject=document.owner,
        object_type="datastore.personaldocument",
        object_id=document.pk,
    )


@router.get("/documents/{document_id}/file", auth=read_auth, summary="Tải tệp giấy tờ (chỉ chủ sở hữu)")
def download_document(request, document_id: str):
    document = services.get_owned(request.auth, document_id)
    _served(request, document)
    document, handle = services.open_file(request.auth, document_id)
    response = FileResponse(handle, as_attachment=True, filename=download_name(document))
    response["Content-Type"] = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}.get(
        document.kind, "application/octet-stream"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@router.delete(
    "/documents/{document_id}", response={204: None, **ERR}, auth=write_auth, summary="Xoá giấy tờ"
)
def delete_document(request, document_id: str):
    services.remove(request.auth, document_id)
    return Status(204, None)


@router.get(
    "/documents/{document_id}/reuses",
    response={200: list[ReuseOut], **ERR},
    auth=read_auth,
    summary="Lịch sử dùng lại giấy tờ: hồ sơ, thành phần, thời điểm, người dùng",
)
def document_reuses(request, document_id: str):
    _document, reuses = services.reuses_for(request.auth, document_id)
    return list(reuses)


@router.get(
    "/registries", response=list[RegistryStatusOut], auth=read_auth, summary="Các cơ sở dữ liệu đã kết nối"
)
def registry_status(request):
    return registries.status()


@router.get(
    "/registries/me",
    response=MineOut,
    auth=read_auth,
    summary="Dữ liệu của tôi từ các cơ sở dữ liệu (dân cư, đăng ký doanh nghiệp)",
)
def registry_mine(request):
    data = registries.my_registry_data(request.auth)
    return {
        **data,
        "person": data["person"].as_dict() if data["person"] else None,
        "organisations": [a.as_dict() for a in data["organisations"]],
    }


@router.post(
    "/registries/population/lookup",
    response={200: AnswerOut, **ERR},
    auth=read_auth,
    summary="Tra cứu công dân theo số CCCD (có kiểm tra quyền và ghi nhật ký)",
)
def lookup_person(request, data: PersonLookupIn):
    identifier = registries.normalise(registries.POPULATION, data.cccd)
    grants = personal_data_served(
        request,
        "registry.population",
        identifier=identifier,
        object_type="registry.population",
        object_id=identifier,
    )
    return registries.lookup_person(
        request.auth,
        identifier,
        agency=data.agency,
        purpose=data.purpose,
        grant=grants[0] if grants else None,
    ).as_dict()


@router.post(
    "/registries/business/lookup",
    response={200: AnswerOut, **ERR},
    auth=read_auth,
    summary="Tra cứu doanh nghiệp theo mã số thuế (có kiểm tra quyền và ghi nhật ký)",
)
def lookup_business(request, data: BusinessLookupIn):
    identifier = registries.normalise(registries.BUSINESS, data.tax_code)
    grants = personal_data_served(
        request,
        "registry.business",
        identifier=identifier,
        object_type="registry.business",
        object_id=identifier,
    )
    return registries.lookup_business(
        request.auth,
        identifier,
        agency=data.agency,
        purpose=data.purpose,
        grant=grants[0] if grants else None,
    ).as_dict()
