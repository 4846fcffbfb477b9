"""Forms of the form builder's pages. They only shape the input: ``builder.py`` decides what is valid
(``definitions.problems``) and its messages are put back on these forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from congso.core.uploads import KIND_LABEL

from .definitions import ComponentSpec, FieldSpec, parse_choices, suggested_prefill
from .models import FieldType


class DefinitionForm(forms.Form):
    title = forms.CharField(label=_("Tên tờ khai"), max_length=300, required=False)
    intro = forms.CharField(
        label=_("Hướng dẫn chung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hiện ở đầu bước “Thông tin tờ khai”."),
    )
    in_person = forms.CharField(
        label=_("Việc người nộp còn phải làm trực tiếp (thủ tục trực tuyến một phần)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Mỗi dòng một việc, ví dụ “Nộp lệ phí tại quầy khi nhận kết quả”. Để trống: đối chiếu bản chính các "
            "giấy tờ khi nhận kết quả. Việc nhận kết quả tại bộ phận một cửa luôn được ghi. Không dùng cho thủ "
            "tục toàn trình."
        ),
    )


class FieldForm(forms.Form):
    label = forms.CharField(label=_("Nhãn"), max_length=300)
    key = forms.CharField(
        label=_("Mã trường"),
        max_length=50,
        help_text=_(
            "Chữ thường không dấu, số và dấu gạch dưới, ví dụ ho_ten_tre. Câu trả lời được lưu theo mã này."
        ),
    )
    type = forms.ChoiceField(label=_("Kiểu"), choices=FieldType.choices)
    required = forms.BooleanField(label=_("Bắt buộc"), required=False)
    help_text = forms.CharField(label=_("Hướng dẫn"), max_length=500, required=False)
    choices = forms.CharField(
        label=_("Các lựa chọn (kiểu danh sách)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một lựa chọn: “giá trị|Nhãn” hoặc chỉ “Nhãn”."),
    )
    max_length = forms.IntegerField(
        label=_("Độ dài tối đa (ký tự)"), required=False, min_value=1, max_value=4000
    )
    pattern = forms.CharField(
        label=_("Mẫu kiểm tra (biểu thức chính quy)"),
        max_length=300,
        required=False,
        help_text=_("Chỉ cho trường văn bản, ví dụ [A-Z]{2}[0-9]{3}. Để trống nếu không cần."),
    )
    pattern_message = forms.CharField(label=_("Thông báo khi sai mẫu"), max_length=300, required=False)
    prefill = forms.ChoiceField(
        label=_("Điền sẵn từ hồ sơ trước của người nộp"),
        choices=[
            ("auto", _("Tự động theo loại thông tin")),
            ("yes", _("Có")),
            ("no", _("Không")),
        ],
        initial="auto",
        required=False,
        help_text=_(
            "Chỉ cho thông tin ổn định của người nộp (số giấy tờ, điện thoại, địa chỉ, nghề nghiệp…), không cho "
            "nội dung riêng của từng hồ sơ như họ tên, ngày sinh của trẻ được khai sinh. “Tự động”: có với các "
            "kiểu số CCCD, điện thoại, thư điện tử và các mã dia_chi, nghe_nghiep, quoc_tich…; không với các "
            "trường khác."
        ),
    )
    show_if_field = forms.ChoiceField(label=_("Chỉ hiện khi trường"), required=False)
    show_if_value = forms.CharField(
        label=_("có giá trị"),
        max_length=200,
        required=False,
        help_text=_("Giá trị của lựa chọn (phần trước dấu “|”), hoặc “true” cho ô đánh dấu."),
    )

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show_if_field"].choices = [("", _("— Luôn hiện —"))] + [
            (f.key, f"{f.label} ({f.key})") for f in others
        ]

    @classmethod
    def initial_for(cls, item: FieldSpec) -> dict:
        return {
            "label": item.label,
            "key": item.key,
            "type": item.type,
            "required": item.required,
            "help_text": item.help_text,
            "choices": "\n".join(v if v == lb else f"{v}|{lb}" for v, lb in item.choices),
            "max_length": item.max_length,
            "pattern": item.pattern,
            "pattern_message": item.pattern_message,
            "show_if_field": item.show_if_field,
            "show_if_value": item.show_if_value,
            "prefill": "yes" if item.prefill else "no",
        }

    def spec(self) -> FieldSpec:
        d = self.cleaned_data
        return FieldSpec(
            key=d["key"],
            label=d["label"],
            type=d["type"],
            required=d["required"],
            help_text=d["help_text"],
            choices=parse_choices(d["choices"]) if d["type"] == FieldType.SELECT else [],
            show_if_field=d["show_if_field"],
            show_if_value=d["show_if_value"] if d["show_if_field"] else "",
            max_length=d["max_length"],
            pattern=d["pattern"],
            pattern_message=d["pattern_message"],
            prefill=suggested_prefill(d["key"], d["type"])
            if d["prefill"] == "auto"
            else d["prefill"] == "yes",
        )


class ComponentForm(forms.Form):
    name = forms.CharField(label=_("Tên thành phần hồ sơ"), max_length=500)
    required = forms.BooleanField(label=_("Bắt buộc tải lên"), required=False)
    originals = forms.IntegerField(label=_("Số bản chính"), required=False, min_value=0, max_value=99)
    copies = forms.IntegerField(label=_("Số bản sao"), required=False, min_value=0, max_value=99)
    help_text = forms.CharField(label=_("Hướng dẫn"), max_length=500, required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Loại tệp được nhận"),
        required=False,
        choices=list(KIND_LABEL.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Không chọn loại nào: nhận cả PDF, JPEG và PNG."),
    )

    @classmethod
    def initial_for(cls, item: ComponentSpec) -> dict:
        return {
            "name": item.name,
            "required": item.required,
            "originals": item.originals,
            "copies": item.copies,
            "help_text": item.help_text,
            "kinds": list(item.kinds),
        }

    def spec(self) -> ComponentSpec:
        d = self.cleaned_data
        return ComponentSpec(
            name=d["name"],
            required=d["required"],
            originals=d["originals"],
            copies=d["copies"],
            help_text=d["help_text"],
            kinds=list(d["kinds"]),
        )


class NationalForm(forms.Form):
    code = forms.CharField(label=_("Mã thủ tục"), max_length=40, help_text=_("Ví dụ: 1.001193"))


def put_errors(form: forms.Form, error) -> None:
    """Put a builder error on the form: each problem on the field it is about, else on the form."""
    problems = getattr(error, "problems", None)
    if not problems:
        attr = getattr(error, "field", None)
        form.add_error(attr if attr in form.fields else None, error.message)
        return
    for problem in problems:
        form.add_error(problem.attr if problem.attr in form.fields else None, problem.message)
