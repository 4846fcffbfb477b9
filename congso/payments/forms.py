from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.core.forms import DayField


class ReconciliationForm(forms.Form):
    date_from = DayField(label=_("Từ ngày"))
    date_to = DayField(label=_("Đến ngày"))
    agency = forms.ChoiceField(label=_("Cơ quan"), required=False)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Tất cả cơ quan được xem"))] + [
            (a.code, f"{a.name} ({a.code})") for a in agencies
        ]

    @classmethod
    def default_initial(cls):
        today = timezone.localdate()
        return {"date_from": today.replace(day=1), "date_to": today}
