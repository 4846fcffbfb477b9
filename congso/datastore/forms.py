from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from congso.core.forms import DayField


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Tên giấy tờ"),
        max_length=500,
        help_text=_("Ví dụ: Giấy chứng nhận kết hôn, Căn cước công dân (bản chụp)."),
        error_messages={"required": _("Vui lòng nhập tên giấy tờ.")},
    )
    file = forms.FileField(
        label=_("Tệp giấy tờ"),
        error_messages={
            "required": _("Vui lòng chọn tệp giấy tờ."),
            "empty": _("Tệp đã chọn rỗng."),
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )
    issued_number = forms.CharField(label=_("Số, ký hiệu (nếu có)"), max_length=100, required=False)
    valid_until = DayField(
        label=_("Có giá trị đến (nếu có)"),
        required=False,
        help_text=_("Để trống nếu giấy tờ không có thời hạn."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, JPEG hoặc PNG, tối đa %(limit)s. Ảnh được xoá thông tin EXIF (vị trí, thiết bị)."
        ) % {"limit": filesizeformat(settings.CONGSO_MAX_UPLOAD_BYTES)}
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def clean_valid_until(self):
        day = self.cleaned_data.get("valid_until")
        if day and day.year < 1900:
            raise forms.ValidationError(_("Ngày không hợp lệ."))
        return day
