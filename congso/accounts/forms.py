from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from congso.core.forms import DayField

from .models import Organisation


class LoginForm(AuthenticationForm):
    """Never says whether the account exists: one message for every failure."""

    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng kiểm tra lại."),
        "inactive": _("Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng kiểm tra lại."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})


class OTPForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực"),
        max_length=12,
        help_text=_("6 chữ số trong ứng dụng xác thực, hoặc một mã dự phòng 8 chữ số."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class CongsoPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Thư điện tử đã đăng ký"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ProfileForm(forms.Form):
    cccd = forms.CharField(
        label=_("Số CCCD"), max_length=20, required=False, help_text=_("12 chữ số trên thẻ căn cước.")
    )
    date_of_birth = DayField(label=_("Ngày sinh"), required=False)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ (số nhà, đường, thôn, tổ)"), max_length=300, required=False)
    commune_code = forms.CharField(
        label=_("Mã xã, phường, đặc khu"),
        max_length=10,
        required=False,
        help_text=_("Ví dụ 23575 là phường Pleiku."),
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Tên tổ chức, doanh nghiệp"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại"), choices=Organisation.Kind.choices)
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        max_length=20,
        help_text=_("10 chữ số, hoặc 13 chữ số dạng 0123456789-001 với đơn vị phụ thuộc."),
    )
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ trụ sở"), max_length=300, required=False)
    commune_code = forms.CharField(label=_("Mã xã, phường, đặc khu"), max_length=10, required=False)


class ConsentForm(forms.Form):
    helper = forms.CharField(label=_("Tên đăng nhập của thành viên tổ công nghệ số"), max_length=150)
    purpose = forms.CharField(
        label=_("Việc được hỗ trợ"),
        max_length=300,
        help_text=_("Ví dụ: Nộp hồ sơ đăng ký khai sinh cho con."),
    )
    procedure_code = forms.CharField(
        label=_("Mã thủ tục (nếu có)"),
        max_length=40,
        required=False,
        help_text=_("Để trống nếu đồng ý cho mọi thủ tục trong thời hạn."),
    )
    days = forms.IntegerField(label=_("Thời hạn đồng ý (ngày)"), min_value=1, max_value=365, initial=30)


class PaperConsentForm(ConsentForm):
    citizen_cccd = forms.CharField(label=_("Số CCCD của công dân"), max_length=20)
    paper_reference = forms.CharField(label=_("Số, ký hiệu giấy đồng ý"), max_length=100)

    field_order = ["citizen_cccd", "helper", "purpose", "procedure_code", "days", "paper_reference"]


class HelperForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Tổ công nghệ số cộng đồng"), queryset=None)
    username = forms.CharField(
        label=_("Tên đăng nhập của thành viên"),
        max_length=150,
        help_text=_("Thành viên đăng ký tài khoản công dân trước."),
    )

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
