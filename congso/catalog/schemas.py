"""Typed shapes of the catalogue: the structured content of a version, and the API's answers."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict, Field


class ProcessingTime(Schema):
    value: float | int | None = Field(None, description="Thời hạn giải quyết (số)")
    unit: str = Field(
        "", description="working_days, days, hours, weeks, months, years, minutes; rỗng nếu hồ sơ gốc không ghi"
    )


class Fee(Schema):
    kind: str = Field(description="free (miễn phí), amount (có mức thu), unknown (không có thông tin)")
    amount: str | None = Field(None, description="Số tiền dạng thập phân, ví dụ '100000'")
    currency: str = Field("", description="VND, USD, EUR")
    description: str = ""


class ChannelTerms(Schema):
    channel: str = Field(description="in_person (trực tiếp), online (trực tuyến), post (bưu chính)")
    time: ProcessingTime | None = None
    fee: Fee | None = None
    description: str = ""


class Component(Schema):
    group: str = ""
    name: str
    forms: list[str] = Field(default_factory=list, description="Tên tệp mẫu đơn, tờ khai")
    originals: int | None = Field(None, description="Số bản chính")
    copies: int | None = Field(None, description="Số bản sao")


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
    levels: list[str] = Field(default_factory=list, description="ministry, province, commune, district, other")
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
    online_level: str = Field("info", description="full (toàn trình), partial (một phần), info (thông tin)")
    fee_set_locally: bool = Field(False, description="Mức phí do HĐND tỉnh quyết định")
