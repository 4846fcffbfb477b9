"""Page forms of evaluations: they render the fields and carry the raw input; the rules live in
``validation.py``, which the services apply (the same for the API), and refusals come back onto these
forms with ``core.forms.service_error_to_form``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import hooks
from .models import Criterion, UnitGroup


class FrameworkForm(forms.Form):
    name = forms.CharField(label=_("Tên bộ chỉ số"), max_length=255)
    year = forms.CharField(label=_("Năm ban hành"), max_length=4)
    description = forms.CharField(
        label=_("Căn cứ, mô tả"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    applies_to = forms.MultipleChoiceField(
        label=_("Đối tượng đánh giá"),
        choices=UnitGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    level_1_min = forms.CharField(label=_("Điểm tối thiểu mức I"), max_length=20)
    level_2_min = forms.CharField(label=_("Điểm tối thiểu mức II"), max_length=20)
    level_3_min = forms.CharField(label=_("Điểm tối thiểu mức III"), max_length=20)
    level_4_min = forms.CharField(label=_("Điểm tối thiểu mức IV"), max_length=20)


class CriterionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=Criterion.Kind.choices)
    parent = forms.ChoiceField(label=_("Thuộc"), required=False)
    code = forms.CharField(label=_("Số thứ tự"), max_length=20)
    name = forms.CharField(label=_("Tên"), max_length=500)
    position = forms.CharField(label=_("Thứ tự hiển thị"), required=False, max_length=6)
    max_points = forms.CharField(label=_("Điểm tối đa"), required=False, max_length=20)
    weight = forms.CharField(label=_("Trọng số"), required=False, max_length=20, initial="1")
    source = forms.ChoiceField(
        label=_("Nguồn số liệu"), choices=[("", "—"), *Criterion.Source.choices], required=False
    )
    metric_key = forms.ChoiceField(label=_("Số liệu hệ thống"), required=False)
    value_kind = forms.ChoiceField(
        label=_("Loại giá trị"), choices=Criterion.ValueKind.choices, required=False
    )
    unit_label = forms.CharField(label=_("Đơn vị tính"), required=False, max_length=30)
    min_value = forms.CharField(label=_("Giá trị nhỏ nhất"), required=False, max_length=20)
    max_value = forms.CharField(label=_("Giá trị lớn nhất"), required=False, max_length=20)
    target = forms.CharField(
        label=_("Chỉ tiêu"),
        required=False,
        max_length=20,
        help_text=_(
            "Đạt khi từ mức này trở lên; với chỉ tiêu càng thấp càng tốt, đạt khi không vượt mức này."
        ),
    )
    lower_is_better = forms.BooleanField(
        label=_("Càng thấp càng tốt"),
        required=False,
        help_text=_("Với số liệu hệ thống, theo chiều của số liệu đó (ví dụ tỷ lệ nhiệm vụ quá hạn)."),
    )
    guidance = forms.CharField(
        label=_("Hướng dẫn, minh chứng cần có"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, framework=None, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = (
            framework.criteria.exclude(kind=Criterion.Kind.SUB).order_by("position", "code")
            if framework
            else []
        )
        self.fields["parent"].choices = [("", _("— (cấp cao nhất)"))] + [(str(c.pk), str(c)) for c in nodes]
        self.fields["metric_key"].choices = [("", "—"), *hooks.choices()]


class RoundForm(forms.Form):
    year = forms.CharField(label=_("Năm đánh giá"), max_length=4)
    deadline = forms.DateField(
        label=_("Hạn tự đánh giá (dd/mm/yyyy)"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )


class CopyForm(forms.Form):
    year = forms.CharField(label=_("Năm áp dụng của bản sao"), max_length=4)
    name = forms.CharField(
        label=_("Tên bộ chỉ số mới (để trống: giữ tên cũ)"), max_length=255, required=False
    )


class PublishForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định công bố"), max_length=60, required=False)


class ValueForm(forms.Form):
    value = forms.CharField(label=_("Giá trị tự đánh giá"), max_length=20, required=False)
    note = forms.CharField(label=_("Thuyết minh"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.FileField(label=_("Tệp minh chứng (PDF, JPEG, PNG)"), required=False)


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Kết quả thẩm định"),
        choices=[("accept", _("Chấp nhận")), ("correct", _("Điều chỉnh"))],
        widget=forms.RadioSelect,
    )
    value = forms.CharField(label=_("Giá trị sau điều chỉnh"), max_length=20, required=False)
    reason = forms.CharField(
        label=_("Lý do điều chỉnh"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
