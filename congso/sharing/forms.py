"""The administrator's agreement form; the rules themselves are in ``validation`` (used by the service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congso.accounts.hooks import PERSONAL_DATA
from congso.core.forms import DayField
from congso.directory.models import Agency

from .services import sharing_applications


class AgreementForm(forms.Form):
    application = forms.ChoiceField(label=_("Ứng dụng (API client) của cơ quan đề nghị"), required=False)
    agency = forms.ChoiceField(label=_("Cơ quan đề nghị"), required=False)
    number = forms.CharField(label=_("Số thỏa thuận"), max_length=80, required=False)
    scopes = forms.MultipleChoiceField(
        label=_("Dữ liệu được chia sẻ"),
        choices=list(PERSONAL_DATA.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    purpose = forms.CharField(
        label=_("Mục đích sử dụng"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500, required=False
    )
    legal_basis = forms.CharField(label=_("Căn cứ pháp lý"), max_length=500, required=False)
    valid_from = DayField(label=_("Hiệu lực từ ngày"), required=False)
    valid_until = DayField(label=_("Hiệu lực đến ngày"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", _("— Chọn ứng dụng —"))] + [
            (a.client_id, f"{a.name} ({a.user})") for a in sharing_applications().select_related("user")
        ]
        self.fields["agency"].choices = [("", _("— Chọn cơ quan —"))] + [
            (a.code, f"{a.name} ({a.code})") for a in Agency.objects.order_by("name").only("code", "name")
        ]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Lý do thu hồi"), max_length=500, required=False)
