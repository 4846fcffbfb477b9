"""The pages' forms. They only render and carry the input: every rule is in ``validation.py`` (through
the services), whose errors ``core.forms.service_error_to_form`` puts on the fields."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.directory.models import AdministrativeUnit

from .models import Category, Channel, RejectReason


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return list(data)
        return [data] if data else []


def category_choices():
    rows = [("", _("— Chọn lĩnh vực —"))]
    for c in (
        Category.objects.filter(is_active=True)
        .select_related("parent")
        .order_by("parent__name", "order", "name")
    ):
        rows.append((c.code, f"{c.parent.name} › {c.name}" if c.parent_id else c.name))
    return rows


def served_provinces() -> set[int]:
    """The provinces the platform serves: those where an active agency sits (at province or commune
    level). The directory holds the whole country's units; a reporter picks among their own province's."""
    Level = AdministrativeUnit.Level
    rows = AdministrativeUnit.objects.filter(agencies__is_active=True).values_list("pk", "level", "parent_id")
    return {
        pk if level == Level.PROVINCE else parent
        for pk, level, parent in rows
        if parent or level == Level.PROVINCE
    }


def commune_choices():
    today = timezone.localdate()
    units = (
        AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE, valid_from__lte=today)
        .exclude(valid_to__lte=today)
        .order_by("name")
    )
    provinces = served_provinces()
    if provinces:
        units = units.filter(parent_id__in=provinces)
    return [("", _("— Chọn xã, phường —"))] + [(u.code, u.name) for u in units]


class ReportForm(forms.Form):
    use_required_attribute = False

    category = forms.CharField(label=_("Lĩnh vực"), required=False, widget=forms.Select)
    title = forms.CharField(
        label=_("Tiêu đề"),
        required=False,
        max_length=200,
        help_text=_("Ví dụ: Ổ gà lớn trên đường Hùng Vương"),
    )
    description = forms.CharField(
        label=_("Nội dung phản ánh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Mô tả sự việc; không ghi thông tin cá nhân của người khác."),
    )
    unit = forms.CharField(label=_("Xã, phường"), required=False, widget=forms.Select)
    address = forms.CharField(label=_("Địa chỉ, địa điểm cụ thể"), required=False, max_length=300)
    lat = forms.CharField(
        label=_("Vĩ độ (không bắt buộc)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    lon = forms.CharField(
        label=_("Kinh độ (không bắt buộc)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    procedure = forms.CharField(
        label=_("Mã thủ tục hành chính (không bắt buộc)"),
        required=False,
        max_length=40,
        help_text=_("Khi phản ánh về một thủ tục: mã trong danh mục, ví dụ 1.001193."),
    )
    dossier = forms.CharField(
        label=_("Mã hồ sơ của Ông/Bà (không bắt buộc)"),
        required=False,
        max_length=40,
        help_text=_("Chỉ hồ sơ của chính Ông/Bà (cần đăng nhập); mã hồ sơ không được công khai."),
    )
    photos = MultipleFileField(
        label=_("Ảnh (tối đa 5 ảnh JPEG hoặc PNG)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_("Thông tin vị trí, thiết bị trong ảnh được xoá trước khi lưu."),
    )
    video = forms.FileField(
        label=_("Hoặc một video ngắn (MP4)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4"}),
        help_text=_("Thay cho ảnh; thông tin vị trí, thiết bị trong video được xoá trước khi lưu."),
    )
    is_public = forms.BooleanField(
        label=_("Công khai phản ánh trên trang Phản ánh, kiến nghị"), required=False, initial=True
    )
    show_name = forms.BooleanField(label=_("Hiện tên tôi (viết tắt) khi công khai"), required=False)
    name = forms.CharField(label=_("Họ và tên"), required=False, max_length=150)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        required=False,
        max_length=20,
        help_text=_("Không bao giờ công khai; chỉ cơ quan xử lý liên hệ khi cần."),
    )
    email = forms.CharField(
        label=_("Thư điện tử"),
        required=False,
        max_length=254,
        help_text=_("Để nhận thông báo kết quả xử lý; không bao giờ công khai."),
    )
    website = forms.CharField(label=_("Để trống ô này"), required=False)  # honeypot, hidden by CSS
    channel = forms.CharField(label=_("Kênh tiếp nhận"), required=False, widget=forms.Select)

    def __init__(self, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        # read when the form is drawn, not for a report that is filed (135 communes: 5 ms a submission)
        self.fields["category"].widget.choices = category_choices
        self.fields["unit"].widget.choices = commune_choices
        if staff:
            self.fields["channel"].widget.choices = [("", _("— Chọn kênh —"))] + [
                (c.value, c.label) for c in Channel if c not in (Channel.WEB, Channel.OPEN311)
            ]
        else:
            del self.fields["channel"]


class ActionForm(forms.Form):
    use_required_attribute = False
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    agency = forms.CharField(label=_("Mã cơ quan nhận"), required=False)


REJECT_CHOICES = list(RejectReason.choices)
