"""Forms of the back-office pages. Validation of meaning stays in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel


class IntakeForm(forms.Form):
    channel = forms.TypedChoiceField(
        label=_("Hình thức nộp"),
        coerce=int,
        choices=[(Channel.IN_PERSON, Channel.IN_PERSON.label), (Channel.POST, Channel.POST.label)],
    )
    applicant_name = forms.CharField(label=_("Họ tên người nộp hoặc tên tổ chức"), max_length=255)
    applicant_id_number = forms.CharField(label=_("Số CCCD hoặc mã số thuế"), max_length=20, required=False)
    applicant_phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    on_behalf_of = forms.CharField(label=_("Nộp thay cho (nếu có)"), max_length=255, required=False)
    note = forms.CharField(
        label=_("Ghi chú của cán bộ tiếp nhận"),
        required=False,
        help_text=_("Khi từ chối tiếp nhận, ghi rõ lý do tại đây."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, components=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.components = list(components)
        for i, comp in enumerate(self.components):
            self.fields[f"file_{i}"] = forms.FileField(label=comp["name"], required=False)
            self.fields[f"checked_{i}"] = forms.BooleanField(
                label=_("%(name)s: đã kiểm tra bản giấy") % {"name": comp["name"]}, required=False
            )

    def uploads(self):
        return [
            (comp["name"], self.cleaned_data.get(f"file_{i}"))
            for i, comp in enumerate(self.components)
            if self.cleaned_data.get(f"file_{i}")
        ]

    def missing(self):
        return [
            comp["name"]
            for i, comp in enumerate(self.components)
            if not self.cleaned_data.get(f"file_{i}") and not self.cleaned_data.get(f"checked_{i}")
        ]


class ActionForm(forms.Form):
    """One form for every transition; the page shows only the fields the transition requires."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    amount = forms.DecimalField(label=_("Số tiền (đồng)"), required=False, min_value=1, decimal_places=0)
    new_due_at = forms.DateTimeField(
        label=_("Ngày hẹn mới"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    to_step = forms.IntegerField(label=_("Chuyển đến bước"), required=False)
    number = forms.CharField(label=_("Số, ký hiệu kết quả"), required=False, max_length=100)
    title = forms.CharField(label=_("Tên kết quả"), required=False, max_length=500)
    file = forms.FileField(label=_("Tệp kết quả (PDF)"), required=False)
