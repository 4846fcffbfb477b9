"""The entry form of the week page (display and error placement; the rules are in ``validation``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Part


class EntryForm(forms.Form):
    day = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    part = forms.ChoiceField(label=_("Thời gian"), choices=Part.choices, initial=Part.TIMED)
    start_time = forms.TimeField(
        label=_("Từ giờ"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Đến giờ"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    content = forms.CharField(label=_("Nội dung công việc"), widget=forms.Textarea(attrs={"rows": 3}))
    place = forms.CharField(label=_("Địa điểm"), required=False, max_length=255)
    attendees = forms.MultipleChoiceField(
        label=_("Lãnh đạo dự"), required=False, widget=forms.CheckboxSelectMultiple
    )
    participants = forms.CharField(label=_("Thành phần khác"), required=False, max_length=500)
    preparing_unit = forms.CharField(label=_("Đơn vị chuẩn bị"), required=False, max_length=255)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, leaders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(str(u.pk), label) for u, label in leaders]


class CalendarForm(forms.Form):
    agency = forms.ChoiceField(label=_("Cơ quan"))
    leader = forms.ChoiceField(label=_("Lịch của"), required=False)

    def __init__(self, *args, agencies=(), leaders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(str(a.pk), a.name) for a in agencies]
        self.fields["leader"].choices = [("", _("Lịch chung của cơ quan"))] + [
            (str(u.pk), label) for u, label in leaders
        ]
