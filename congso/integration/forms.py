"""The subscriber form: it only collects the fields; ``services.clean_subscriber`` validates them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .events import EVENT_TYPES, SUBSCRIBABLE


class SubscriberForm(forms.Form):
    name = forms.CharField(label=_("Tên hệ thống nhận"), required=False, max_length=400)
    url = forms.CharField(
        label=_("Địa chỉ nhận (URL)"),
        required=False,
        max_length=1000,
        help_text=_("URL https:// của hệ thống nhận; không được là địa chỉ mạng nội bộ."),
        widget=forms.URLInput,
    )
    event_types = forms.MultipleChoiceField(
        label=_("Các loại sự kiện nhận"),
        required=False,
        choices=[("*", _("Tất cả sự kiện"))] + [(k, EVENT_TYPES[k]) for k in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple,
    )
    secret = forms.CharField(
        label=_("Khoá bí mật ký HMAC"),
        required=False,
        max_length=400,
        help_text=_("Để trống: hệ thống tự tạo khoá (khi sửa: giữ khoá cũ)."),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)
