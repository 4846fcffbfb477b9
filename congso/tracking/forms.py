"""Forms of the citizen's pages. Meaning (state, permissions, files) is checked in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congso.core.text import MAX_REASON

GENERIC_COMPONENT = _("Giấy tờ bổ sung")
MAX_EXTRA = 3


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=60,
        help_text=_("In trên giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ H21.23575-261122-0001."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    check = forms.CharField(
        label=_("4 số cuối điện thoại hoặc CCCD/mã số thuế"),
        max_length=20,
        help_text=_("Của người nộp hồ sơ, như đã khai khi nộp."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("Tôi hiểu rằng hồ sơ sẽ dừng giải quyết và không thể khôi phục."),
        error_messages={"required": _("Vui lòng xác nhận bạn muốn rút hồ sơ.")},
    )


class SupplementForm(forms.Form):
    """One file input (and optionally one paper from the personal data store) per missing component.

    When the agency listed no component, the citizen may send up to three papers of their choice."""

    note = forms.CharField(
        label=_("Ghi chú cho cơ quan (nếu có)"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, components=(), documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.components = list(components) or [f"{GENERIC_COMPONENT} {i + 1}" for i in range(MAX_EXTRA)]
        choices = [("", _("— Không dùng —"))] + [(str(doc.pk), doc.title) for doc in documents]
        self.rows = []
        for i, name in enumerate(self.components):
            self.fields[f"file_{i}"] = forms.FileField(
                label=name,
                required=False,
                help_text=_("PDF, JPEG hoặc PNG."),
                widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
            )
            row = {"name": name, "file": self[f"file_{i}"], "reuse": None}
            if documents:
                self.fields[f"reuse_{i}"] = forms.ChoiceField(
                    label=_("Hoặc dùng giấy tờ trong kho dữ liệu"), required=False, choices=choices
                )
                row["reuse"] = self[f"reuse_{i}"]
            self.rows.append(row)

    def clean(self):
        data = super().clean()
        if not self.errors and not (self.uploads() or self.reuse()):
            raise forms.ValidationError(_("Vui lòng chọn ít nhất một tệp hoặc một giấy tờ để bổ sung."))
        return data

    def uploads(self) -> list[tuple[str, object]]:
        data = getattr(self, "cleaned_data", {})
        return [(name, data[f"file_{i}"]) for i, name in enumerate(self.components) if data.get(f"file_{i}")]

    def reuse(self) -> list[tuple[str, str]]:
        data = getattr(self, "cleaned_data", {})
        return [
            (data[f"reuse_{i}"], name)
            for i, name in enumerate(self.components)
            if data.get(f"reuse_{i}") and not data.get(f"file_{i}")
        ]
