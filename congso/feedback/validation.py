"""The rules of a report's input, in ONE place for the page, the staff entry form, the JSON API and
Open311: each returns the value normalised or raises ``InvalidFields`` / ``ServiceError`` with a
Vietnamese message on the field at fault, before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.catalog.selectors import procedure_by_code
from congso.core.errors import InvalidFields, NotFound, ServiceError
from congso.core.uploads import JPEG, MP4, PNG, inspect_upload
from congso.core.validation import validate_email_address, validate_phone
from congso.directory.models import AdministrativeUnit
from congso.dossiers.selectors import visible_dossier

from .models import Category, Channel

TITLE_MIN, TITLE_MAX = 5, 200
DESCRIPTION_MIN, DESCRIPTION_MAX = 10, 4000
ADDRESS_MAX = 300
MAX_PHOTOS = 5
# markup in text is refused, not escaped away: a tag, an entity-encoded tag, a javascript: URL
_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|&lt;|&#|javascript\s*:|on[a-z]+\s*=", re.IGNORECASE)
# (south, north, west, east) per province code; Gia Lai after the 2025 merger (with Bình Định)
DEFAULT_BOUNDS = {"52": (12.9, 14.8, 107.4, 109.4)}
VIETNAM = (8.0, 23.5, 102.1, 117.9)


def bounds(province_code: str) -> tuple[float, float, float, float]:
    configured = getattr(settings, "CONGSO_FEEDBACK_BOUNDS", None) or {}
    return tuple(configured.get(province_code) or DEFAULT_BOUNDS.get(province_code) or VIETNAM)


def check_text(value, field_name: str, label: str, minimum: int, maximum: int) -> str:
    text = " ".join(str(value or "").split()) if field_name != "description" else str(value or "").strip()
    if len(text) < minimum:
        raise ServiceError(
            _("%(label)s cần ít nhất %(n)s ký tự.") % {"label": label, "n": minimum}, field=field_name
        )
    if len(text) > maximum:
        raise ServiceError(
            _("%(label)s dài tối đa %(n)s ký tự (hiện có %(len)s).")
            % {"label": label, "n": maximum, "len": len(text)},
            field=field_name,
        )
    if _MARKUP.search(text):
        raise ServiceError(
            _("%(label)s không được chứa mã HTML hoặc mã lệnh; vui lòng chỉ nhập văn bản.")
            % {"label": label},
            field=field_name,
        )
    return text


def category(code) -> Category:
    cat = Category.objects.filter(code=str(code or "").strip(), is_active=True).first()
    if cat is None:
        raise NotFound(_("Lĩnh vực phản ánh không tồn tại hoặc đã ngừng sử dụng."), code="unknown_category")
    return cat


def commune(code) -> AdministrativeUnit:
    today = timezone.localdate()
    unit = (
        AdministrativeUnit.objects.filter(
            code=str(code or "").strip(), level=AdministrativeUnit.Level.COMMUNE
        )
        .filter(valid_from__lte=today)
        .exclude(valid_to__lte=today)
        .select_related("parent")
        .first()
    )
    if unit is None or unit.parent is None:
        raise ServiceError(_("Vui lòng chọn xã, phường nơi xảy ra sự việc."), field="unit")
    return unit


def point(lat, lon, province: AdministrativeUnit) -> tuple[Decimal | None, Decimal | None]:
    if lat in (None, "") and lon in (None, ""):
        return None, None
    try:
        lat_d, lon_d = Decimal(str(lat)), Decimal(str(lon))
        if not (lat_d.is_finite() and lon_d.is_finite()):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise ServiceError(_("Toạ độ vị trí không hợp lệ (cần cả vĩ độ và kinh độ)."), field="lat") from None
    south, north, west, east = bounds(province.code)
    if not (south <= lat_d <= north and west <= lon_d <= east):
        raise ServiceError(
            _("Vị trí đã chọn nằm ngoài địa bàn %(province)s; vui lòng chọn lại trên bản đồ hoặc bỏ vị trí.")
            % {"province": province.name},
            field="lat",
        )
    return lat_d.quantize(Decimal("0.000001")), lon_d.quantize(Decimal("0.000001"))


def photos(files) -> list:
    files = [f for f in (files or []) if f]
    if len(files) > MAX_PHOTOS:
        raise ServiceError(_("Chỉ được gửi tối đa %(n)s ảnh.") % {"n": MAX_PHOTOS}, field="photos")
    limit = int(getattr(settings, "CONGSO_FEEDBACK_MAX_PHOTO_BYTES", 5 * 1024 * 1024))
    checked = []
    for f in files:
        try:
            checked.append(inspect_upload(f, allowed=(JPEG, PNG), max_bytes=limit))
        except ServiceError as exc:
            raise ServiceError(exc.message, field="photos", code="upload_rejected") from None
    return checked


CODE_MAX = 40


def procedure(code):
    """A procedure of the catalogue by its code (an active one), or None when no code is given."""
    code = str(code or "").strip()
    if not code:
        return None
    found = procedure_by_code(code[:CODE_MAX], active_only=True, with_version=False)
    if found is None or len(code) > CODE_MAX:
        raise ServiceError(
            _("Không tìm thấy thủ tục hành chính có mã “%(code)s” trong danh mục.")
            % {"code": code[:CODE_MAX]},
            field="procedure",
        )
    return found


def dossier(code, actor):
    """One of the reporter's own dossiers by its code (a staff member entering a report: one they may see),
    or None when no code is given. Another person's dossier and a code that does not exist get the same
    answer, so codes cannot be probed."""
    code = str(code or "").strip()
    if not code:
        return None
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise ServiceError(_("Vui lòng đăng nhập để liên kết phản ánh với hồ sơ của mình."), field="dossier")
    found = visible_dossier(actor, code[:CODE_MAX]) if len(code) <= CODE_MAX else None
    if found is None:
        raise ServiceError(
            _("Không tìm thấy hồ sơ “%(code)s” trong các hồ sơ của Ông/Bà.") % {"code": code[:CODE_MAX]},
            field="dossier",
        )
    return found


def video(upload):
    """One short video (MP4), content-checked by ``core.uploads`` (its place and device blanked), within
    ``CONGSO_FEEDBACK_MAX_VIDEO_BYTES`` and ``CONGSO_FEEDBACK_MAX_VIDEO_SECONDS``; None without one."""
    if not upload:
        return None
    limit = int(getattr(settings, "CONGSO_FEEDBACK_MAX_VIDEO_BYTES", 30 * 1024 * 1024))
    seconds = int(getattr(settings, "CONGSO_FEEDBACK_MAX_VIDEO_SECONDS", 60))
    try:
        checked = inspect_upload(upload, allowed=(MP4,), max_bytes=limit)
    except ServiceError as exc:
        raise ServiceError(exc.message, field="video", code="upload_rejected") from None
    if checked.seconds is not None and checked.seconds > seconds:
        raise ServiceError(
            _("Video dài %(len)s giây; chỉ nhận video ngắn tối đa %(n)s giây.")
            % {"len": int(checked.seconds + 0.999), "n": seconds},
            field="video",
            code="upload_rejected",
        )
    return checked


@dataclass
class ReportInput:
    category: Category
    title: str
    description: str
    unit: AdministrativeUnit
    address: str
    lat: Decimal | None
    lon: Decimal | None
    is_public: bool
    show_name: bool
    name: str
    phone: str
    email: str
    channel: str
    photos: list = field(default_factory=list)
    procedure: object = None
    dossier: object = None
    video: object = None


def _flag(value, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("1", "true", "on", "yes")


def clean(data: dict, files=(), *, staff: bool = False, actor=None, video_file=None) -> ReportInput:
    """Every field of a new report, checked; ``InvalidFields`` lists all the fields at fault. ``actor``:
    who files it (a dossier may be linked only by someone who may see it)."""
    errors: dict[str, list[str]] = {}
    values: dict = {}

    def attempt(name, fn):
        try:
            values[name] = fn()
        except ServiceError as exc:
            if isinstance(exc, NotFound):
                raise
            errors.setdefault(exc.field or name, []).append(exc.message)
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)

    if not str(data.get("category") or "").strip():
        errors["category"] = [_("Vui lòng chọn lĩnh vực phản ánh.")]
    else:
        values["category"] = category(data.get("category"))
    attempt("title", lambda: check_text(data.get("title"), "title", _("Tiêu đề"), TITLE_MIN, TITLE_MAX))
    attempt(
        "description",
        lambda: check_text(
            data.get("description"), "description", _("Nội dung"), DESCRIPTION_MIN, DESCRIPTION_MAX
        ),
    )
    attempt("unit", lambda: commune(data.get("unit")))
    attempt("address", lambda: check_text(data.get("address"), "address", _("Địa chỉ"), 3, ADDRESS_MAX))
    if "unit" in values:
        attempt("lat", lambda: point(data.get("lat"), data.get("lon"), values["unit"].parent))
    name = str(data.get("name") or "").strip()
    if name:
        attempt("name", lambda: check_text(name, "name", _("Họ và tên"), 2, 150))
    phone = str(data.get("phone") or "").strip()
    if phone:
        attempt("phone", lambda: validate_phone(phone))
    email = str(data.get("email") or "").strip()
    if email:
        attempt("email", lambda: validate_email_address(email))
    channel = str(data.get("channel") or Channel.WEB)
    if staff:
        if channel not in (Channel.HOTLINE, Channel.EMAIL, Channel.SOCIAL, Channel.IN_PERSON):
            errors["channel"] = [
                _("Vui lòng chọn kênh tiếp nhận (đường dây nóng, thư điện tử, mạng xã hội, trực tiếp).")
            ]
    elif channel not in (Channel.WEB, Channel.OPEN311):
        channel = Channel.WEB
    attempt("procedure", lambda: procedure(data.get("procedure")))
    attempt("dossier", lambda: dossier(data.get("dossier"), actor))
    linked = values.get("dossier")
    if linked is not None:
        of_dossier = linked.procedure_version.procedure
        if values.get("procedure") is not None and values["procedure"].pk != of_dossier.pk:
            errors.setdefault("procedure", []).append(
                _("Hồ sơ %(code)s thuộc thủ tục “%(name)s”, không phải thủ tục đã chọn.")
                % {"code": linked.code, "name": of_dossier.name}
            )
        values["procedure"] = of_dossier
    if video_file and [f for f in (files or []) if f]:
        errors["video"] = [_("Vui lòng gửi ảnh hoặc một video, không gửi cả hai.")]
    if not errors:
        attempt("photos", lambda: photos(files))
        attempt("video", lambda: video(video_file))
    if errors:
        raise InvalidFields(errors)
    lat, lon = values.get("lat") or (None, None)
    return ReportInput(
        category=values["category"],
        title=values["title"],
        description=values["description"],
        unit=values["unit"],
        address=values["address"],
        lat=lat,
        lon=lon,
        is_public=_flag(data.get("is_public"), True),
        show_name=_flag(data.get("show_name"), False),
        name=values.get("name", ""),
        phone=values.get("phone", ""),
        email=values.get("email", ""),
        channel=channel,
        photos=values.get("photos", []),
        procedure=values.get("procedure"),
        dossier=values.get("dossier"),
        video=values.get("video"),
    )
