"""edXML packets (Circular 10/2016/TT-BTTTT, QCVN 102:2016/BTTTT): typed values, building and parsing.

A packet is an ``edXMLEnvelope`` in the namespace ``http://www.mic.gov.vn/TBT/QCVN_102_2016``:

    edXMLEnvelope
      edXMLHeader
        MessageHeader   From, To*, DocumentId, Code, PromulgationInfo, DocumentType, Subject, Content,
                        SignerInfo, DueDate, ToPlaces, OtherInfo, ResponseFor*, SteeringType
        TraceHeaderList TraceHeader* (OrganId, Timestamp), Bussiness (BussinessDocType, …)
        ds:Signature    XML-DSig, enveloped, over the whole envelope (``xmlsig.py``)
      edXMLBody
        edXMLManifest   Reference* (ContentId, AttachmentName, ContentType, Description)
        Attachments     Attachment* (ContentId attribute, the file in base64)

A status message (arrived, accepted, assigned, in process, done, refused, …) is an envelope whose
header holds a ``Status`` instead of a ``MessageHeader``. ``MessageId`` (a UUID) names each packet and
status message for idempotency: the working implementations carry one in their transport, and we keep
it inside the signed envelope so it cannot be changed in transit (ADR 0153).

Parsing refuses, before lxml sees the bytes, every DTD, entity declaration and external reference
(defusedxml: billion laughs, XXE), and anything over ``CONGSO_EXCHANGE_MAX_PACKET_BYTES``. Every
refusal is a ``PacketError`` with a Vietnamese reason and a machine code for the hub.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from dataclasses import dataclass, field

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from lxml import etree

from congso.core.errors import ServiceError

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DS = "http://www.w3.org/2000/09/xmldsig#"
NSMAP = {"edXML": NS}
E = "{%s}" % NS  # noqa: UP031 — a Clark-notation prefix

VN_TZ = dt.timezone(dt.timedelta(hours=7))

# Priority (OtherInfo/Priority) and SteeringType: the codes the working implementations use.
PRIORITIES = {
    0: _l("Thường"),
    1: _l("Khẩn"),
    2: _l("Thượng khẩn"),
    3: _l("Hỏa tốc"),
    4: _l("Hỏa tốc hẹn giờ"),
}
STEERING_TYPES = {
    0: _l("Không phải văn bản chỉ đạo"),
    1: _l("Văn bản chỉ đạo"),
    2: _l("Báo cáo thực hiện chỉ đạo"),
}


class Business:
    """TraceHeaderList/Bussiness/BussinessDocType: what the packet does to the document."""

    NEW = 0
    RECALL = 1
    UPDATE = 2
    REPLACE = 3
    LABELS = {NEW: _l("Văn bản mới"), RECALL: _l("Thu hồi"), UPDATE: _l("Cập nhật"), REPLACE: _l("Thay thế")}


class PacketError(ServiceError):
    """A packet that cannot be accepted; ``reason`` is the machine code the hub is told."""

    code = "exchange_packet_refused"

    def __init__(self, message, reason: str = "malformed"):
        super().__init__(message)
        self.reason = reason


# --- values ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Organ:
    organ_id: str
    name: str = ""
    in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class Signer:
    competence: str = ""  # TM., KT., Q., TL., TUQ.
    position: str = ""
    full_name: str = ""


@dataclass(frozen=True)
class ResponseFor:
    organ_id: str
    code: str = ""  # "15/QĐ-UBND"
    promulgation_date: dt.date | None = None
    document_id: str = ""


@dataclass(frozen=True)
class TraceHeader:
    organ_id: str
    timestamp: dt.datetime


@dataclass(frozen=True)
class Attachment:
    content_id: str
    name: str
    content_type: str
    data: bytes
    description: str = ""


@dataclass
class Packet:
    """One document (new, recall, update or replace) from one organ to one or more organs."""

    sender: Organ
    recipients: list[Organ]
    code_number: str
    code_notation: str
    promulgation_date: dt.date
    subject: str
    place: str = ""
    document_type: str = "1"
    type_name: str = ""
    content: str = ""
    signer: Signer = field(default_factory=Signer)
    due_date: dt.date | None = None
    to_places: list[str] = field(default_factory=list)
    priority: int = 0
    sphere: str = ""
    typer_notation: str = ""
    promulgation_amount: int = 0
    page_amount: int = 0
    steering_type: int = 0
    response_for: list[ResponseFor] = field(default_factory=list)
    trace: list[TraceHeader] = field(default_factory=list)
    business: int = Business.NEW
    business_reason: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    message_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def code(self) -> str:
        """The code as printed: number/notation, e.g. ``15/QĐ-UBND``."""
        return f"{self.code_number}/{self.code_notation}" if self.code_number else self.code_notation

    @property
    def document_id(self) -> str:
        """``{OrganId},{YYYY/MM/DD},{number}/{notation}``: the same document across recalls and updates."""
        return f"{self.sender.organ_id},{self.promulgation_date:%Y/%m/%d},{self.code}"


STATUS_CODES = {
    "01": _l("Đã đến"),
    "02": _l("Từ chối tiếp nhận"),
    "03": _l("Đã tiếp nhận, vào sổ"),
    "04": _l("Đã phân công"),
    "05": _l("Đang xử lý"),
    "06": _l("Hoàn thành"),
    "13": _l("Đề nghị thu hồi"),
    "15": _l("Đồng ý thu hồi / cập nhật"),
    "16": _l("Từ chối thu hồi / cập nhật"),
}


@dataclass
class Status:
    """A status message from the receiver back to the sender of a document."""

    sender: Organ
    response_for: ResponseFor
    status_code: str
    description: str = ""
    timestamp: dt.datetime = field(default_factory=lambda: dt.datetime.now(VN_TZ))
    department: str = ""
    staff: str = ""
    email: str = ""
    mobile: str = ""
    message_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def label(self) -> str:
        return str(STATUS_CODES.get(self.status_code, self.status_code))


# --- building ----------------------------------------------------------------------------------


def _sub(parent, tag: str, text=None):
    el = etree.SubElement(parent, E + tag)
    if text is not None:
        el.text = str(text)
    return el


def _date(value: dt.date | None) -> str:
    return value.strftime("%Y/%m/%d") if value else ""


def _stamp(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive timestamp")
    return value.astimezone(VN_TZ).strftime("%Y/%m/%d %H:%M:%S")


def _organ(parent, tag: str, organ: Organ):
    el = _sub(parent, tag)
    _sub(el, "OrganId", organ.organ_id)
    _sub(el, "OrganName", organ.name)
    _sub(el, "OrganInCharge", organ.in_charge)
    _sub(el, "OrganAdd", organ.address)
    _sub(el, "Email", organ.email)
    _sub(el, "Telephone", organ.telephone)
    _sub(el, "Fax", organ.fax)
    _sub(el, "Website", organ.website)
    return el


def _response_for(parent, rf: ResponseFor):
    el = _sub(parent, "ResponseFor")
    _sub(el, "OrganId", rf.organ_id)
    _sub(el, "Code", rf.code)
    _sub(el, "PromulgationDate", _date(rf.promulgation_date))
    _sub(el, "DocumentId", rf.document_id)
    return el


def _envelope():
    root = etree.Element(E + "edXMLEnvelope", nsmap=NSMAP)
    header = _sub(root, "edXMLHeader")
    return root, header


def _signature_placeholder(header):
    """Where ``xmlsig.sign`` puts the enveloped signature (signxml's placeholder convention)."""
    etree.SubElement(header, "{%s}Signature" % DS, Id="placeholder", nsmap={"ds": DS})  # noqa: UP031


def build_packet(packet: Packet) -> etree._Element:
    """The unsigned envelope of ``packet`` (sign it with ``xmlsig.sign``)."""
    check_packet(packet)
    root, header = _envelope()
    mh = _sub(header, "MessageHeader")
    _sub(mh, "MessageId", packet.message_id)
    _organ(mh, "From", packet.sender)
    for organ in packet.recipients:
        _organ(mh, "To", organ)
    _sub(mh, "DocumentId", packet.document_id)
    code = _sub(mh, "Code")
    _sub(code, "CodeNumber", packet.code_number)
    _sub(code, "CodeNotation", packet.code_notation)
    info = _sub(mh, "PromulgationInfo")
    _sub(info, "Place", packet.place)
    _sub(info, "PromulgationDate", _date(packet.promulgation_date))
    doc_type = _sub(mh, "DocumentType")
    _sub(doc_type, "Type", packet.document_type)
    _sub(doc_type, "TypeName", packet.type_name)
    _sub(mh, "Subject", packet.subject)
    _sub(mh, "Content", packet.content)
    signer = _sub(mh, "SignerInfo")
    _sub(signer, "Competence", packet.signer.competence)
    _sub(signer, "Position", packet.signer.position)
    _sub(signer, "FullName", packet.signer.full_name)
    _sub(mh, "DueDate", _date(packet.due_date))
    places = _sub(mh, "ToPlaces")
    for place in packet.to_places:
        _sub(places, "Place", place)
    other = _sub(mh, "OtherInfo")
    _sub(other, "Priority", packet.priority)
    _sub(other, "SphereOfPromulgation", packet.sphere)
    _sub(other, "TyperNotation", packet.typer_notation)
    _sub(other, "PromulgationAmount", packet.promulgation_amount)
    _sub(other, "PageAmount", packet.page_amount)
    for rf in packet.response_for:
        _response_for(mh, rf)
    _sub(mh, "SteeringType", packet.steering_type)
    traces = _sub(header, "TraceHeaderList")
    for trace in packet.trace:
        th = _sub(traces, "TraceHeader")
        _sub(th, "OrganId", trace.organ_id)
        _sub(th, "Timestamp", _stamp(trace.timestamp))
    business = _sub(traces, "Bussiness")
    _sub(business, "BussinessDocType", packet.business)
    _sub(business, "BussinessDocReason", packet.business_reason)
    _signature_placeholder(header)
    body = _sub(root, "edXMLBody")
    manifest = _sub(body, "edXMLManifest")
    for a in packet.attachments:
        ref = _sub(manifest, "Reference")
        _sub(ref, "ContentId", a.content_id)
        _sub(ref, "AttachmentName", a.name)
        _sub(ref, "ContentType", a.content_type)
        _sub(ref, "Description", a.description)
    files = _sub(body, "Attachments")
    for a in packet.attachments:
        el = _sub(files, "Attachment", base64.b64encode(a.data).decode("ascii"))
        el.set("ContentId", a.content_id)
    return root


def build_status(status: Status) -> etree._Element:
    """The unsigned envelope of a status message."""
    if status.status_code not in STATUS_CODES:
        raise PacketError(_("Mã trạng thái không hợp lệ: %(code)s.") % {"code": status.status_code}, "status")
    root, header = _envelope()
    st = _sub(header, "Status")
    _sub(st, "MessageId", status.message_id)
    _response_for(st, status.response_for)
    _organ(st, "From", status.sender)
    _sub(st, "StatusCode", status.status_code)
    _sub(st, "Description", status.description)
    _sub(st, "Timestamp", _stamp(status.timestamp))
    staff = _sub(st, "StaffInfo")
    _sub(staff, "Department", status.department)
    _sub(staff, "Staff", status.staff)
    _sub(staff, "Email", status.email)
    _sub(staff, "Mobile", status.mobile)
    _signature_placeholder(header)
    return root


def to_bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# --- checking ----------------------------------------------------------------------------------


def check_packet(packet: Packet) -> None:
    """The rules a packet must meet, for building and after parsing (one place)."""
    problems = []
    if not packet.sender.organ_id:
        problems.append(_("thiếu mã định danh cơ quan gửi (From/OrganId)"))
    if not packet.recipients or any(not r.organ_id for r in packet.recipients):
        problems.append(_("thiếu mã định danh cơ quan nhận (To/OrganId)"))
    if not packet.code_notation:
        problems.append(_("thiếu ký hiệu văn bản (CodeNotation)"))
    if not packet.subject.strip():
        problems.append(_("thiếu trích yếu (Subject)"))
    if packet.priority not in PRIORITIES:
        problems.append(_("độ khẩn (Priority) không hợp lệ"))
    if packet.steering_type not in STEERING_TYPES:
        problems.append(_("loại chỉ đạo (SteeringType) không hợp lệ"))
    if packet.business not in Business.LABELS:
        problems.append(_("loại nghiệp vụ (BussinessDocType) không hợp lệ"))
    if packet.business != Business.NEW and not packet.response_for:
        problems.append(_("văn bản thu hồi/cập nhật phải nêu văn bản gốc (ResponseFor)"))
    ids = [a.content_id for a in packet.attachments]
    if len(ids) != len(set(ids)):
        problems.append(_("trùng mã tệp đính kèm (ContentId)"))
    try:
        uuid.UUID(packet.message_id)
    except (ValueError, TypeError):
        problems.append(_("mã gói tin (MessageId) không hợp lệ"))
    if problems:
        raise PacketError(_("Gói tin edXML không hợp lệ: %(p)s.") % {"p": "; ".join(problems)}, "invalid")


# --- parsing -----------------------------------------------------------------------------------

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
)


def max_bytes() -> int:
    return getattr(settings, "CONGSO_EXCHANGE_MAX_PACKET_BYTES", 50 * 1024 * 1024)


def safe_parse(data: bytes) -> etree._Element:
    """Parse untrusted bytes: size limit, then defusedxml's refusals on the prolog, then lxml without DTD,
    entities or network."""
    if not isinstance(data, bytes | bytearray):
        raise PacketError(_("Gói tin phải là dữ liệu nhị phân XML."), "malformed")
    if len(data) > max_bytes():
        raise PacketError(_("Gói tin quá lớn."), "too_large")
    _refuse_declarations(data)
    try:
        root = etree.fromstring(bytes(data), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PacketError(_("Gói tin không phải XML hợp lệ: %(e)s") % {"e": exc}, "malformed") from exc
    if root.getroottree().docinfo.doctype:  # lxml itself: a DOCTYPE the gate did not see
        raise PacketError(_xml_attack(), "xml_attack")
    if root.tag != E + "edXMLEnvelope":
        raise PacketError(_("Gói tin không phải phong bì edXML (edXMLEnvelope)."), "malformed")
    return root


def _xml_attack() -> str:
    return _("Gói tin chứa khai báo DTD hoặc thực thể XML (có thể là tấn công XML) nên bị từ chối.")


_GATE_CHUNK = 64 * 1024


class _RootReached(Exception):
    """The gate saw the root element's start tag: the prolog, the only place for a DOCTYPE, is over."""


class _Gate:
    """A parser target that stops at the root element (the expat parser builds no tree)."""

    def start(self, tag, attrib):
        raise _RootReached


def _refuse_declarations(data: bytes) -> None:
    """defusedxml (expat) reads the prolog, up to the root element's start tag, and refuses a DTD, an
    entity declaration or an external reference: an XML attack (billion laughs, XXE) needs one there, as
    XML allows a DOCTYPE nowhere else. The element content, most of a packet (its base64 attachments),
    is left to lxml, which resolves no entity and loads no DTD, so it is not parsed twice (ADR 0189)."""
    parser = safe_et.DefusedXMLParser(
        target=_Gate(), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    try:
        for start in range(0, len(data), _GATE_CHUNK):
            parser.feed(bytes(data[start : start + _GATE_CHUNK]))
        parser.close()  # never reached the root: no element, or cut short
    except _RootReached:
        return
    except DefusedXmlException as exc:
        raise PacketError(_xml_attack(), "xml_attack") from exc
    except (safe_et.ParseError, ValueError) as exc:
        raise PacketError(_("Gói tin không phải XML hợp lệ: %(e)s") % {"e": exc}, "malformed") from exc


def _t(parent, path: str) -> str:
    if parent is None:
        return ""
    el = parent.find(path, NSMAP)
    return (el.text or "").strip() if el is not None else ""


def _int(parent, path: str, name: str, default: int = 0) -> int:
    text = _t(parent, path)
    if not text:
        return default
    if not text.isascii() or not text.lstrip("-").isdigit():
        raise PacketError(_("Trường %(f)s phải là số.") % {"f": name}, "malformed")
    return int(text)


def _parse_date(text: str, name: str) -> dt.date | None:
    if not text:
        return None
    for fmt in ("%Y/%m/%d", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise PacketError(_("Ngày %(f)s không đúng dạng YYYY/MM/DD: %(v)s") % {"f": name, "v": text}, "malformed")


def _parse_stamp(text: str) -> dt.datetime:
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            value = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return value if value.tzinfo else value.replace(tzinfo=VN_TZ)
    raise PacketError(_("Thời điểm không đúng dạng: %(v)s") % {"v": text}, "malformed")


def _parse_organ(el) -> Organ:
    return Organ(
        organ_id=_t(el, "edXML:OrganId"),
        name=_t(el, "edXML:OrganName"),
        in_charge=_t(el, "edXML:OrganInCharge"),
        address=_t(el, "edXML:OrganAdd"),
        email=_t(el, "edXML:Email"),
        telephone=_t(el, "edXML:Telephone"),
        fax=_t(el, "edXML:Fax"),
        website=_t(el, "edXML:Website"),
    )


def _parse_response_for(el) -> ResponseFor:
    return ResponseFor(
        organ_id=_t(el, "edXML:OrganId"),
        code=_t(el, "edXML:Code"),
        promulgation_date=_parse_date(_t(el, "edXML:PromulgationDate"), "ResponseFor/PromulgationDate"),
        document_id=_t(el, "edXML:DocumentId"),
    )


def kind_of(root) -> str:
    """``"packet"`` or ``"status"``."""
    header = root.find("edXML:edXMLHeader", NSMAP)
    if header is not None and header.find("edXML:MessageHeader", NSMAP) is not None:
        return "packet"
    if header is not None and header.find("edXML:Status", NSMAP) is not None:
        return "status"
    raise PacketError(_("Phong bì edXML không có MessageHeader hay Status."), "malformed")


def packet_from_tree(root) -> Packet:
    """The typed packet of a parsed envelope (``safe_parse``, or the signed part ``xmlsig.verify`` returns)."""
    mh = root.find("edXML:edXMLHeader/edXML:MessageHeader", NSMAP)
    if mh is None:
        raise PacketError(_("Gói tin thiếu MessageHeader."), "malformed")
    sender_el = mh.find("edXML:From", NSMAP)
    if sender_el is None:
        raise PacketError(_("Gói tin thiếu cơ quan gửi (From)."), "malformed")
    traces = root.find("edXML:edXMLHeader/edXML:TraceHeaderList", NSMAP)
    refs = {}
    for ref in root.iterfind("edXML:edXMLBody/edXML:edXMLManifest/edXML:Reference", NSMAP):
        refs[_t(ref, "edXML:ContentId")] = ref
    attachments = []
    for el in root.iterfind("edXML:edXMLBody/edXML:Attachments/edXML:Attachment", NSMAP):
        cid = el.get("ContentId", "")
        ref = refs.pop(cid, None)
        if ref is None:
            raise PacketError(_("Tệp đính kèm %(c)s không có trong danh mục.") % {"c": cid}, "malformed")
        try:
            # XML whitespace (line breaks every 76 characters) dropped, then strict base64, both in C
            data = binascii.a2b_base64(
                (el.text or "").encode("ascii").translate(None, b" \t\r\n"), strict_mode=True
            )
        except (binascii.Error, ValueError) as exc:
            raise PacketError(_("Tệp đính kèm %(c)s không phải base64.") % {"c": cid}, "malformed") from exc
        attachments.append(
            Attachment(
                content_id=cid,
                name=_t(ref, "edXML:AttachmentName"),
                content_type=_t(ref, "edXML:ContentType"),
                description=_t(ref, "edXML:Description"),
                data=data,
            )
        )
    if refs:
        raise PacketError(
            _("Danh mục nêu tệp đính kèm không có trong gói tin: %(c)s.") % {"c": ", ".join(refs)},
            "malformed",
        )
    packet = Packet(
        message_id=_t(mh, "edXML:MessageId"),
        sender=_parse_organ(sender_el),
        recipients=[_parse_organ(el) for el in mh.iterfind("edXML:To", NSMAP)],
        code_number=_t(mh, "edXML:Code/edXML:CodeNumber"),
        code_notation=_t(mh, "edXML:Code/edXML:CodeNotation"),
        place=_t(mh, "edXML:PromulgationInfo/edXML:Place"),
        promulgation_date=_parse_date(
            _t(mh, "edXML:PromulgationInfo/edXML:PromulgationDate"), "PromulgationDate"
        )
        or _missing("PromulgationDate"),
        document_type=_t(mh, "edXML:DocumentType/edXML:Type"),
        type_name=_t(mh, "edXML:DocumentType/edXML:TypeName"),
        subject=_t(mh, "edXML:Subject"),
        content=_t(mh, "edXML:Content"),
        signer=Signer(
            competence=_t(mh, "edXML:SignerInfo/edXML:Competence"),
            position=_t(mh, "edXML:SignerInfo/edXML:Position"),
            full_name=_t(mh, "edXML:SignerInfo/edXML:FullName"),
        ),
        due_date=_parse_date(_t(mh, "edXML:DueDate"), "DueDate"),
        to_places=[(el.text or "").strip() for el in mh.iterfind("edXML:ToPlaces/edXML:Place", NSMAP)],
        priority=_int(mh, "edXML:OtherInfo/edXML:Priority", "Priority"),
        sphere=_t(mh, "edXML:OtherInfo/edXML:SphereOfPromulgation"),
        typer_notation=_t(mh, "edXML:OtherInfo/edXML:TyperNotation"),
        promulgation_amount=_int(mh, "edXML:OtherInfo/edXML:PromulgationAmount", "PromulgationAmount"),
        page_amount=_int(mh, "edXML:OtherInfo/edXML:PageAmount", "PageAmount"),
        steering_type=_int(mh, "edXML:SteeringType", "SteeringType"),
        response_for=[_parse_response_for(el) for el in mh.iterfind("edXML:ResponseFor", NSMAP)],
        trace=[
            TraceHeader(organ_id=_t(el, "edXML:OrganId"), timestamp=_parse_stamp(_t(el, "edXML:Timestamp")))
            for el in (traces.iterfind("edXML:TraceHeader", NSMAP) if traces is not None else [])
        ],
        business=_int(traces, "edXML:Bussiness/edXML:BussinessDocType", "BussinessDocType"),
        business_reason=_t(traces, "edXML:Bussiness/edXML:BussinessDocReason"),
        attachments=attachments,
    )
    check_packet(packet)
    declared = _t(mh, "edXML:DocumentId")
    if declared and declared != packet.document_id:
        raise PacketError(
            _("DocumentId không khớp với cơ quan, ngày và số ký hiệu của văn bản."), "malformed"
        )
    return packet


def _missing(name: str):
    raise PacketError(_("Gói tin thiếu trường %(f)s.") % {"f": name}, "malformed")


def status_from_tree(root) -> Status:
    st = root.find("edXML:edXMLHeader/edXML:Status", NSMAP)
    if st is None:
        raise PacketError(_("Thông điệp trạng thái thiếu phần Status."), "malformed")
    rf = st.find("edXML:ResponseFor", NSMAP)
    sender = st.find("edXML:From", NSMAP)
    if rf is None or sender is None:
        raise PacketError(_("Thông điệp trạng thái thiếu ResponseFor hoặc From."), "malformed")
    status = Status(
        message_id=_t(st, "edXML:MessageId"),
        response_for=_parse_response_for(rf),
        sender=_parse_organ(sender),
        status_code=_t(st, "edXML:StatusCode"),
        description=_t(st, "edXML:Description"),
        timestamp=_parse_stamp(_t(st, "edXML:Timestamp")),
        department=_t(st, "edXML:StaffInfo/edXML:Department"),
        staff=_t(st, "edXML:StaffInfo/edXML:Staff"),
        email=_t(st, "edXML:StaffInfo/edXML:Email"),
        mobile=_t(st, "edXML:StaffInfo/edXML:Mobile"),
    )
    if status.status_code not in STATUS_CODES:
        raise PacketError(
            _("Mã trạng thái không hợp lệ: %(code)s.") % {"code": status.status_code}, "malformed"
        )
    if not status.sender.organ_id or not status.response_for.document_id:
        raise PacketError(_("Thông điệp trạng thái thiếu cơ quan gửi hoặc mã văn bản."), "malformed")
    try:
        uuid.UUID(status.message_id)
    except ValueError as exc:
        raise PacketError(_("Mã thông điệp (MessageId) không hợp lệ."), "malformed") from exc
    return status


def parse_packet(data: bytes) -> Packet:
    """Parse without verifying the signature (tests, the hub's routing); receivers use ``xmlsig.open``."""
    return packet_from_tree(safe_parse(data))


def parse_status(data: bytes) -> Status:
    return status_from_tree(safe_parse(data))


def peek_route(data: bytes) -> tuple[str, str, str, list[str]]:
    """(kind, message id, from organ id, [to organ ids]) of an envelope: what the hub needs to route it.

    A status message goes to the organ named in its ResponseFor (the document's sender)."""
    root = safe_parse(data)
    kind = kind_of(root)
    if kind == "packet":
        mh = root.find("edXML:edXMLHeader/edXML:MessageHeader", NSMAP)
        to = [_t(el, "edXML:OrganId") for el in mh.iterfind("edXML:To", NSMAP)]
        return kind, _t(mh, "edXML:MessageId"), _t(mh, "edXML:From/edXML:OrganId"), to
    st = root.find("edXML:edXMLHeader/edXML:Status", NSMAP)
    return (
        kind,
        _t(st, "edXML:MessageId"),
        _t(st, "edXML:From/edXML:OrganId"),
        [_t(st, "edXML:ResponseFor/edXML:OrganId")],
    )
