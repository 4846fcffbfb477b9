"""The pages' forms. They only render and carry the input: every rule is in ``validation.py`` (through
the services), whose errors ``core.forms.service_error_to_form`` puts on the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Choice, Rule


class AnswerForm(forms.Form):
    choice = forms.ChoiceField(label=_("Ý kiến của đồng chí"), widget=forms.RadioSelect, choices=())
    comment = forms.CharField(
        label=_("Ý kiến cụ thể (bắt buộc khi chọn “Ý kiến khác”)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
    )

    def __init__(self, *args, allow_other=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [
            (c.value, c.label)
            for c in (Choice.AGREE, Choice.DISAGREE, Choice.OTHER)
            if allow_other or c != Choice.OTHER
        ]


class PollForm(forms.Form):
    body = forms.TypedChoiceField(label=_("Tập thể"), coerce=int, choices=())
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    text = forms.CharField(label=_("Nội dung xin ý kiến"), widget=forms.Textarea(attrs={"rows": 8}))
    deadline = forms.DateTimeField(
        label=_("Hạn trả lời"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    attachment = forms.FileField(label=_("Dự thảo đính kèm (PDF, không bắt buộc)"), required=False)

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(b.pk, b.name) for b in bodies]


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = [
            "code",
            "name",
            "description",
            "quorum_num",
            "quorum_den",
            "quorum_strict",
            "basis",
            "threshold_num",
            "threshold_den",
            "threshold_strict",
            "non_answer",
            "allow_other",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
