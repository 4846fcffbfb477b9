from django import forms
from django.utils.translation import gettext_lazy as _

from congso.core.forms import DayField

from .models import AdministrativeUnit, Agency, Membership, Role


def _limit(model, name: str) -> int:
    """The column's length: the one limit the forms, the service functions and the API share."""
    return model._meta.get_field(name).max_length


class PositionEnField(forms.CharField):
    """A member's English title (``Membership.position_en``), as the portals' English pages show it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Chức vụ (tiếng Anh)"))
        kwargs.setdefault("help_text", _("Ví dụ: Vice Chairman of the People's Committee of Pleiku Ward."))
        super().__init__(max_length=_limit(Membership, "position_en"), required=False, **kwargs)


class AgencyForm(forms.Form):
    code = forms.CharField(
        label=_("Mã định danh điện tử"),
        max_length=35,
        help_text=_("Chữ số, chữ in hoa A–Z và dấu chấm, tối đa 35 ký tự, ví dụ 000.00.12.H21."),
    )
    name = forms.CharField(label=_("Tên cơ quan"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=100, required=False)
    name_en = forms.CharField(
        label=_("Tên tiếng Anh"),
        max_length=_limit(Agency, "name_en"),
        required=False,
        help_text=_(
            "Tên giao dịch chính thức bằng tiếng Anh, hiện trên trang tiếng Anh của cổng thông tin; "
            "ví dụ: Department of Justice of Gia Lai Province."
        ),
    )
    kind = forms.ChoiceField(label=_("Loại cơ quan"), choices=Agency.Kind.choices)
    unit_code = forms.CharField(
        label=_("Mã đơn vị hành chính (địa bàn)"),
        max_length=10,
        help_text=_("Ví dụ 52 là tỉnh Gia Lai, 23575 là phường Pleiku."),
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)


class AgencyEditForm(AgencyForm):
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].disabled = True
        self.fields["code"].required = False


class GrantRoleForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập của cán bộ"), max_length=150)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    position_en = PositionEnField()
    include_subtree = forms.BooleanField(label=_("Áp dụng cho cả đơn vị trực thuộc"), required=False)


class OfficialForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"), max_length=150, help_text=_("Chữ không dấu, ví dụ nguyen.van.an")
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    email = forms.EmailField(
        label=_("Thư điện tử công vụ"), help_text=_("Đường dẫn đặt mật khẩu sẽ được gửi tới địa chỉ này.")
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    position_en = PositionEnField()
    include_subtree = forms.BooleanField(label=_("Áp dụng cho cả đơn vị trực thuộc"), required=False)


class HistoricalUnitForm(forms.Form):
    code = forms.CharField(label=_("Mã đơn vị hành chính"), max_length=10)
    name = forms.CharField(label=_("Tên đơn vị"), max_length=150)
    kind = forms.ChoiceField(label=_("Loại"), choices=AdministrativeUnit.Kind.choices)
    level = forms.TypedChoiceField(label=_("Cấp"), choices=AdministrativeUnit.Level.choices, coerce=int)
    valid_from = DayField(label=_("Hiệu lực từ"))
    valid_to = DayField(label=_("Hết hiệu lực"))
    parent_code = forms.CharField(label=_("Mã đơn vị cấp trên"), max_length=10, required=False)
    replaced_by_code = forms.CharField(label=_("Mã đơn vị kế thừa"), max_length=10, required=False)
