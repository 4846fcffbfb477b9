"""The pages' forms. They only render and carry the input: every rule is in ``validation.py`` (through
the services), whose errors ``core.forms.service_error_to_form`` puts on the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Form, Means
from .selectors import request_agencies


def agency_choices():
    return [("", _("— Chọn cơ quan —"))] + [(a.code, a.name) for a in request_agencies()]


class RequestForm(forms.Form):
    use_required_attribute = False

    agency = forms.CharField(label=_("Cơ quan được yêu cầu"), widget=forms.Select)
    name = forms.CharField(
        label=_("Họ và tên"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    id_number = forms.CharField(
        label=_("Số căn cước công dân"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("12 chữ số; chỉ cơ quan được yêu cầu xem được."),
    )
    address = forms.CharField(
        label=_("Nơi cư trú"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        help_text=_("Số nhà, thôn, tổ dân phố; xã, phường; tỉnh."),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Bắt buộc khi nhận thông tin qua mạng điện tử; cần số điện thoại hoặc thư điện tử."),
    )
    information = forms.CharField(
        label=_("Thông tin yêu cầu cung cấp"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Tên văn bản, hồ sơ, tài liệu; số, ký hiệu, ngày ban hành nếu biết."),
    )
    purpose = forms.CharField(label=_("Mục đích yêu cầu"), widget=forms.Textarea(attrs={"rows": 3}))
    form = forms.ChoiceField(label=_("Hình thức cung cấp"), choices=Form.choices, widget=forms.RadioSelect)
    means = forms.ChoiceField(label=_("Phương thức nhận"), choices=Means.choices, widget=forms.RadioSelect)
    copies = forms.CharField(
        label=_("Số bản (khi nhận bản sao giấy)"),
        required=False,
        max_length=3,
        initial="1",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    website = forms.CharField(label=_("Để trống ô này"), required=False)  # honeypot, hidden by CSS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].widget.choices = agency_choices()
        for f in self.fields.values():
            f.required = False  # the rules are in validation.py: one message per field, in Vietnamese


class ActionForm(forms.Form):
    use_required_attribute = False
    note = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label=_("Lý do"), required=False)
    file = forms.FileField(label=_("Tệp đính kèm"), required=False)


class DisclosureForm(forms.Form):
    use_required_attribute = False
    category = forms.CharField(label=_("Nhóm thông tin (Điều 17)"), required=False, widget=forms.Select)
    title = forms.CharField(label=_("Tên thông tin"), required=False, max_length=300)
    url = forms.CharField(label=_("Đường dẫn"), required=False, max_length=500)
    how = forms.CharField(label=_("Hình thức công khai"), required=False, max_length=300)
    published_on = forms.CharField(
        label=_("Ngày công khai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
