"""Page forms. They only collect input: the rules live in ``validation.clean_metadata`` and the
services, and their errors come back onto the fields (``core.forms.service_error_to_form``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DocumentType, Secrecy, Urgency


class MetadataForm(forms.Form):
    doc_type = forms.ModelChoiceField(
        label=_("Loại văn bản"),
        queryset=DocumentType.objects.filter(is_active=True),
        empty_label=_("— Chọn —"),
        required=False,
    )
    subject = forms.CharField(
        label=_("Trích yếu nội dung"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    urgency = forms.TypedChoiceField(
        label=_("Độ khẩn"), choices=Urgency.choices, coerce=int, initial=0, required=False, empty_value=0
    )
    secrecy = forms.ChoiceField(
        label=_("Độ mật"),
        choices=Secrecy.choices,
        required=False,
        help_text=_(
            "Văn bản mật chỉ được quản lý bằng thông tin; nội dung văn bản mật không được lưu trên hệ thống."
        ),
    )
    pages = forms.IntegerField(label=_("Số trang"), required=False, min_value=1)
    due_date = forms.CharField(label=_("Hạn xử lý (ngày/tháng/năm)"), required=False)

    def metadata(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("file", None)
        data.pop("register", None)
        return data


class IncomingForm(MetadataForm):
    symbol = forms.CharField(label=_("Số, ký hiệu"), required=False, help_text=_("Ví dụ: 125/QĐ-UBND"))
    issued_on = forms.CharField(label=_("Ngày ban hành (ngày/tháng/năm)"), required=False)
    issuing_organ = forms.CharField(label=_("Cơ quan ban hành"), required=False)
    signer_name = forms.CharField(label=_("Người ký"), required=False)
    signer_position = forms.CharField(label=_("Chức vụ người ký"), required=False)
    file = forms.FileField(
        label=_("Bản quét (PDF, JPEG, PNG)"),
        required=False,
        help_text=_("Để trống khi vào sổ văn bản giấy chỉ bằng thông tin, và với văn bản mật."),
    )
    field_order = [
        "doc_type",
        "symbol",
        "issued_on",
        "issuing_organ",
        "subject",
        "signer_name",
        "signer_position",
        "urgency",
        "secrecy",
        "pages",
        "due_date",
        "file",
    ]


class DraftForm(MetadataForm):
    drafting_unit = forms.CharField(
        label=_("Đơn vị soạn thảo (viết tắt)"),
        required=False,
        help_text=_("Dùng cho ký hiệu công văn, ví dụ VP."),
    )
    recipients_text = forms.CharField(
        label=_("Nơi nhận"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    file = forms.FileField(label=_("Tệp dự thảo (PDF)"), required=False)
