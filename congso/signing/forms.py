"""Web forms of the signing app."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp PDF cần xác thực"),
        help_text=_("Chọn tệp PDF đã ký số (tối đa 20 MB). Tệp không được lưu lại trên hệ thống."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = getattr(settings, "CONGSO_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
        if upload.size > limit:
            raise forms.ValidationError(_("Tệp quá lớn: tối đa %(mb)d MB.") % {"mb": limit // (1024 * 1024)})
        return upload
