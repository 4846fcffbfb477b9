"""Typed shapes of the catalogue: the structured content of a version, and the API's answers."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

# The codes the structured content may hold (the same as the models' choices: a test checks it). Plain
# literals, not Django's TextChoices, so the OpenAPI names do not collide with other apps' "Channel".
ChannelCode = Literal["in_person", "online", "post"]
TimeUnitCode = Literal[
    "", "working_days", "days", "hours", "weeks", "months", "years", "minutes", "immediate", "same_day"
]
FeeKind = Literal["free", "amount", "unknown"]
CurrencyCode = Literal["", "VND", "USD", "EUR"]
LevelCode = Literal["ministry", "province", "district", "commune", "other"]
OnlineLevelCode = Literal["full", "partial", "info"]


class ProcessingTime(Schema):
    value: float | int | None = Field(None, ge=0, description="Thời hạn giải quyết (số)")
    unit: TimeUnitCode = Field(
        "",
        description=(
            "working_days, days, hours, weeks, months, years, minutes, immediate (trả ngay), "
            "same_day (trong ngày làm việc); rỗng nếu hồ sơ gốc không ghi"
        ),
    )


class Fee(Schema):
    kind: FeeKind = Field(description="free (miễn phí), amount (có mức thu), unknown (không có thông tin)")
    amount: str | None = Field(None, description="Số tiền dạng thập phân, ví dụ '100000'")
    currency: CurrencyCode = Field("", description="VND, USD, EUR")
    description: str = ""

    @field_validator("amount")
    @classmethod
    def _decimal(cls, value):
        if value in (None, ""):
            return value
        try:
            number = Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            raise ValueError("số tiền phải là số thập phân") from None
        if not number.is_finite() or number < 0:
            raise ValueError("số tiền phải là số không âm")
        return value


class ChannelTerms(Schema):
    channel: ChannelCode = Field(description="in_person (trực tiếp), online (trực tuyến), post (bưu chính)")
    time: ProcessingTime | None = None
    fee: Fee | None = None
    description: str = ""


class Component(Schema):
    group: str = ""
    name: str
    forms: list[str] = Field(default_factory=list, description="Tên tệp mẫu đơn, tờ khai")
    originals: int | None = Field(None, ge=0, description="Số bản chính")
    copies: int | None = Field(None, ge=0, description="Số bản sao")


class LegalDocument(Schema):
    title: str
    number: str = ""


class Result(Schema):
    name: str
    code: str = ""


class ProcedureContent(Schema):
    """The structured record of one procedure version."""

    model_config = ConfigDict(extra="allow")

    code: str
    name: str
    decision: str = Field("", description="Số quyết định công bố")
    kind: str = Field("", description="Loại thủ tục")
    field: str = Field("", description="Lĩnh vực")
    levels: list[LevelCode] = Field(
        default_factory=list, description="ministry, province, commune, district, other"
    )
    level_text: str = ""
    subjects: list[str] = Field(default_factory=list, description="Đối tượng thực hiện")
    competent_agency: str = ""
    implementing_agency: str = ""
    authorised_agency: str = ""
    coordinating_agency: str = ""
    receiving_address: str = ""
    related: str = ""
    steps: str = ""
    channels: list[ChannelTerms] = Field(default_factory=list)
    components: list[Component] = Field(default_factory=list)
    conditions: str = ""
    legal_basis: list[LegalDocument] = Field(default_factory=list)
    results: list[Result] = Field(default_factory=list)
    result_description: str = ""
    source_url: str = ""
    online_level: OnlineLevelCode = Field(
        "info", description="full (toàn trình), partial (một phần), info (thông tin)"
    )
    fee_set_locally: bool = Field(False, description="Mức phí do HĐND tỉnh quyết định")
    issuing_agency: str = Field("", description="Cơ quan ban hành (từ danh sách thủ tục)")
    list_fields: list[str] = Field(
        default_factory=list, description="Các trường lấy từ danh sách thủ tục (bản ghi chi tiết không ghi)"
    )
    summary_only: bool = Field(False, description="Chỉ biết từ danh sách thủ tục, chưa có bản ghi chi tiết")
