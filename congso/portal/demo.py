"""Demo online filing: the Justice procedures of the Pleiku ward are open online, and birth
registration (1.001193) has a realistic form. Idempotent; runs after the catalogue and dossiers demos."""

from django.db import transaction
from django.utils import timezone

from congso.catalog.models import Offering, OnlineLevel, Procedure
from congso.directory import demo_codes as dc
from congso.directory.models import Agency

from . import definitions
from .models import FormComponent, FormDefinition, FormField

WARD = "23575"  # phường Pleiku
BIRTH = "1.001193"

RELATIONSHIPS = (
    "cha|Cha\nme|Mẹ\nong_ba|Ông, bà\nnguoi_than|Người thân thích khác\nuy_quyen|Người được ủy quyền"
)
PLACES = "co_so_y_te|Cơ sở y tế\nngoai_co_so_y_te|Ngoài cơ sở y tế"

# (key, label, type, required, help, choices, show_if_field, show_if_value, max_length)
BIRTH_FIELDS = [
    (
        "ho_ten_tre",
        "Họ, chữ đệm và tên của trẻ",
        "text",
        True,
        "Viết in hoa có dấu, ví dụ NGUYỄN MINH KHANG.",
        "",
        "",
        "",
        100,
    ),
    ("gioi_tinh", "Giới tính của trẻ", "select", True, "", "nam|Nam\nnu|Nữ", "", "", None),
    ("ngay_sinh_tre", "Ngày, tháng, năm sinh của trẻ", "birth_date", True, "", "", "", "", None),
    ("noi_sinh_loai", "Nơi sinh", "select", True, "", PLACES, "", "", None),
    (
        "ten_co_so_y_te",
        "Tên cơ sở y tế nơi trẻ sinh ra",
        "text",
        True,
        "Ví dụ: Bệnh viện Đa khoa tỉnh Gia Lai.",
        "",
        "noi_sinh_loai",
        "co_so_y_te",
        200,
    ),
    (
        "dia_chi_noi_sinh",
        "Địa chỉ nơi trẻ sinh ra",
        "text",
        True,
        "Ghi rõ thôn, tổ dân phố, xã, phường.",
        "",
        "noi_sinh_loai",
        "ngoai_co_so_y_te",
        300,
    ),
    ("dan_toc_tre", "Dân tộc của trẻ", "text", True, "", "", "", "", 50),
    ("ho_ten_me", "Họ, chữ đệm và tên người mẹ", "text", True, "", "", "", "", 100),
    ("cccd_me", "Số CCCD của người mẹ", "cccd", False, "", "", "", "", None),
    (
        "ho_ten_cha",
        "Họ, chữ đệm và tên người cha",
        "text",
        False,
        "Để trống nếu chưa xác định được cha.",
        "",
        "",
        "",
        100,
    ),
    ("cccd_cha", "Số CCCD của người cha", "cccd", False, "", "", "", "", None),
    ("quan_he", "Quan hệ của người đi khai sinh với trẻ", "select", True, "", RELATIONSHIPS, "", "", None),
    ("nhan_ban_sao", "Đề nghị cấp thêm bản sao Giấy khai sinh", "checkbox", False, "", "", "", "", None),
    ("so_ban_sao", "Số bản sao đề nghị cấp", "quantity", True, "", "", "nhan_ban_sao", "true", None),
]

# Filled in again from an earlier birth registration (a brother or sister): the parents and the declarant's
# relationship, never the child's own details.
BIRTH_PREFILL = {"ho_ten_me", "cccd_me", "ho_ten_cha", "cccd_cha", "quan_he"}


# The papers uploaded with an online birth registration (the form itself is filled in online).
BIRTH_COMPONENTS = [
    (
        "Giấy chứng sinh",
        True,
        "Không có Giấy chứng sinh: tải lên văn bản của người làm chứng xác nhận việc sinh, "
        "hoặc giấy cam đoan về việc sinh.",
    ),
    (
        "Văn bản ủy quyền",
        False,
        "Chỉ khi người khác được ủy quyền đi khai sinh (trừ ông, bà, người thân thích).",
    ),
    (
        "Giấy tờ chứng minh nơi cư trú",
        False,
        "Chỉ khi cơ quan không khai thác được thông tin cư trú từ Cơ sở dữ liệu quốc gia về dân cư.",
    ),
]


def ensure_birth_form(procedure: Procedure) -> FormDefinition:
    definition, created = FormDefinition.objects.get_or_create(
        procedure=procedure,
        agency=None,
        defaults={
            "title": "Tờ khai đăng ký khai sinh",
            "intro": "Khai theo mẫu tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP). "
            "Người đi khai sinh là cha, mẹ hoặc người thân thích của trẻ.",
        },
    )
    if created or not definition.fields.exists():
        for position, (key, label, kind, required, help_text, choices, sif, siv, max_length) in enumerate(
            BIRTH_FIELDS, start=1
        ):
            FormField.objects.create(
                definition=definition,
                position=position,
                key=key,
                label=label,
                type=kind,
                required=required,
                help_text=help_text,
                choices=choices,
                show_if_field=sif,
                show_if_value=siv,
                max_length=max_length,
                prefill=key in BIRTH_PREFILL,
            )
    if not definition.components.exists():
        for position, (name, required, help_text) in enumerate(BIRTH_COMPONENTS, start=1):
            FormComponent.objects.create(
                definition=definition,
                position=position,
                name=name,
                required=required,
                originals=1,
                copies=0,
                help_text=help_text,
            )
    if definition.published is None:  # seeded data: published as version 1 (the builder audits later ones)
        definition.published = definitions.snapshot(definitions.working_spec(definition))
        definition.version, definition.is_active, definition.has_changes = 1, True, False
        definition.published_at = timezone.now()
        definition.save()
    return definition


def load(out):
    ward = Agency.objects.filter(code=dc.commune_pc(WARD)).first()
    if ward is None:
        out.write("  Nộp hồ sơ trực tuyến: bỏ qua (thiếu cơ quan trình diễn).")
        return []
    with transaction.atomic():
        opened = (
            Offering.objects.filter(agency=ward, is_active=True, online_open=False)
            .exclude(procedure__online_level=OnlineLevel.INFO)
            .update(online_open=True)
        )
        birth = Procedure.objects.filter(code=BIRTH, current_version__isnull=False).first()
        if birth is not None:
            if birth.online_level == OnlineLevel.INFO:
                # The demo offers it online: kept as an administrator's correction, which imports keep.
                birth.online_level_override = OnlineLevel.FULL
                birth.apply_state()
                birth.save(update_fields=["online_level_override", "online_level", "updated_at"])
            Offering.objects.update_or_create(
                agency=ward, procedure=birth, defaults={"is_active": True, "online_open": True}
            )
            ensure_birth_form(birth)
    online = Offering.objects.filter(agency=ward, is_active=True, online_open=True).count()
    out.write(
        f"  Nộp hồ sơ trực tuyến: {ward.name} nhận trực tuyến {online} thủ tục ({opened} vừa mở); "
        f"tờ khai đăng ký khai sinh có {len(BIRTH_FIELDS)} trường."
    )
    return []
