"""Signature verification and issued-document records in the JSON API (/api/v1/signatures/...)."""

from uuid import UUID

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from congso.core.api_errors import ApiError

from .models import IssuedDocument
from .services import record_url, status_url, verify_document

router = Router(tags=["Chữ ký số"])


class SignatureOut(Schema):
    field_name: str
    signer: str
    organisation: str
    issuer: str
    certificate_fingerprint: str
    signing_time: str | None
    timestamp: str | None
    level: str
    intact: bool
    valid: bool
    trusted: bool
    expired: bool
    modified_after_signing: bool
    later_signatures_only: bool
    chain: list[str]
    integrity: str
    trust: str
    problems: list[str]
    ok: bool


class RecordRef(Schema):
    id: UUID
    kind: str
    code: str
    url: str


class VerifyOut(Schema):
    ok: bool
    summary: str
    sha256: str
    error: str | None
    signatures: list[SignatureOut]
    record: RecordRef | None = None


class SignatureRecordOut(Schema):
    signer: str
    kind: str
    signed_at: str
    level: str
    certificate_fingerprint: str


class SignedDocumentOut(Schema):
    id: UUID
    kind: str
    kind_label: str
    code: str
    title: str
    agency_code: str
    agency_name: str
    issued_at: str
    sha256: str
    signatures: list[SignatureRecordOut]
    status_url: str = Field(
        "",
        description="Với giấy tiếp nhận và biên nhận: đường dẫn tra cứu tình trạng hồ sơ (chỉ trạng thái và "
        "ngày tháng); rỗng với các văn bản khác.",
    )


@router.post(
    "/verify",
    response={200: VerifyOut, 413: ApiError},
    summary="Xác thực chữ ký số trên tệp PDF",
    description="Gửi tệp PDF (multipart, trường `file`). Trả về từng chữ ký: người ký, thời điểm, "
    "tính toàn vẹn, tài liệu có bị sửa sau khi ký không, và chuỗi tin cậy. `ok` chỉ đúng khi mọi chữ ký hợp lệ.",
    auth=None,
)
def verify(request, file: File[UploadedFile]):
    limit = getattr(settings, "CONGSO_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
    if file.size > limit:
        return Status(
            413, {"detail": f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB.", "code": "too_large"}
        )
    report, record = verify_document(file.read(), actor=request.user)
    body = report.as_dict()
    if record is not None:
        body["record"] = {
            "id": record.pk,
            "kind": record.kind,
            "code": record.code,
            "url": record_url(record),
        }
    return Status(200, body)


@router.get(
    "/records/{uuid:pk}",
    response=SignedDocumentOut,
    summary="Bản ghi văn bản đã phát hành (mã QR)",
    auth=None,
)
def record(request, pk: UUID):
    document = get_object_or_404(IssuedDocument.objects.select_related("agency"), pk=pk)
    return {
        "id": document.pk,
        "kind": document.kind,
        "kind_label": str(document.get_kind_display()),
        "code": document.code,
        "title": document.title,
        "agency_code": document.agency.code,
        "agency_name": document.agency.name,
        "issued_at": document.issued_at.isoformat(),
        "sha256": document.sha256,
        "signatures": [
            {
                "signer": s.signer_name,
                "kind": s.kind,
                "signed_at": s.signed_at.isoformat(),
                "level": s.level,
                "certificate_fingerprint": s.certificate_fingerprint,
            }
            for s in document.signatures.order_by("signed_at")
        ],
        "status_url": status_url(document, absolute=True),
    }
