"""Forms of the back-office pages. Validation of meaning stays in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congso.directory.models import Role

from . import checklist
from .models import Channel, ProcessStep
from .services import Applicant, Upload


class IntakeForm(forms.Form):
    """The counter's intake form. It only collects: the applicant's data are checked by the service with
    the rules of ``core.validation`` (the same as the online form's and the API's), and its messages
    come back on these fields (``core.forms.service_error_to_form``)."""

    channel = forms.TypedChoiceField(
        label=_("Hình thức nộp"),
        coerce=int,
        choices=[(Channel.IN_PERSON, Channel.IN_PERSON.label), (Channel.POST, Channel.POST.label)],
    )
    applicant_name = forms.CharField(label=_("Họ tên người nộp hoặc tên tổ chức"), max_length=255)
    applicant_id_number = forms.CharField(
        label=_("Số CCCD hoặc mã số thuế"),
        max_length=20,
        required=False,
        help_text=_("CCCD: 12 chữ số. Tổ chức: mã số thuế 10 hoặc 13 chữ số."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.CharField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}),
    )
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    on_behalf_of = forms.CharField(label=_("Nộp thay cho (nếu có)"), max_length=255, required=False)
    note = forms.CharField(
        label=_("Ghi chú của cán bộ tiếp nhận"),
        required=False,
        help_text=_("Khi từ chối tiếp nhận, ghi rõ lý do tại đây."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    APPLICANT_FIELDS = (
        "channel",
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "on_behalf_of",
        "note",
    )

    CO_APPLICANT_FIELDS = ("name", "id_number", "phone", "email", "address")

    def __init__(self, *args, components=(), co_applicant: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.co_applicant_label = co_applicant
        if co_applicant:
            # The second applicant the procedure declares (the other spouse): same fields, same rules.
            for name in self.CO_APPLICANT_FIELDS:
                base = self.fields[f"applicant_{name}"]
                self.fields[f"co_applicant_{name}"] = forms.CharField(
                    label=_("Họ tên") if name == "name" else base.label,
                    max_length=base.max_length,
                    required=name == "name",
                    help_text=_("CCCD 12 chữ số hoặc số hộ chiếu.") if name == "id_number" else "",
                    widget=forms.TextInput(attrs=dict(base.widget.attrs)),
                )
            self.fields["co_applicant_id_number"].required = True
        self.checklist = checklist.build(components)
        for item in self.checklist.items:
            self.fields[f"file_{item.key}"] = forms.FileField(label=item.name, required=False)
            self.fields[f"checked_{item.key}"] = forms.BooleanField(
                label=(
                    _("%(name)s: đã đối chiếu bản chính")
                    if item.present
                    else _("%(name)s: đã kiểm tra bản giấy")
                )
                % {"name": item.name},
                required=False,
            )
        cases = self.checklist.cases
        if cases:
            self.fields["case"] = forms.TypedChoiceField(
                label=_("Trường hợp của người nộp"),
                help_text=_("Chỉ cần đủ giấy tờ của một trường hợp. Để trống: theo giấy tờ đã nhận."),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Xác định theo giấy tờ đã nhận"))]
                + [(n, c.title) for n, c in enumerate(cases)],
            )

    def applicant_fields(self):
        return [self[name] for name in self.APPLICANT_FIELDS]

    def co_applicant_fields(self):
        if not self.co_applicant_label:
            return []
        return [self[f"co_applicant_{name}"] for name in self.CO_APPLICANT_FIELDS]

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            name=data["applicant_name"],
            id_number=data["applicant_id_number"],
            phone=data["applicant_phone"],
            email=data["applicant_email"],
            address=data["applicant_address"],
            on_behalf_of=data["on_behalf_of"],
        )

    def co_applicants(self) -> list[Applicant]:
        if not self.co_applicant_label:
            return []
        data = self.cleaned_data
        return [
            Applicant(**{name: data.get(f"co_applicant_{name}", "") for name in self.CO_APPLICANT_FIELDS})
        ]

    def sections(self):
        """The checklist's sections with their bound fields, for the template."""
        return [
            {
                "title": section.title,
                "is_case": section.is_case,
                "rows": [
                    {"item": item, "file": self[f"file_{item.key}"], "checked": self[f"checked_{item.key}"]}
                    for item in section.items
                ],
            }
            for section in self.checklist.sections
        ]

    def uploads(self):
        return [
            (item.name, self.cleaned_data.get(f"file_{item.key}"))
            for item in self.checklist.items
            if self.cleaned_data.get(f"file_{item.key}")
        ]

    def missing(self):
        """The required papers neither uploaded nor checked on paper, honouring the catalogue's groups
        (alternative cases, “Đối với …” alternatives) and optional papers (see checklist.py)."""
        provided = {
            item.key
            for item in self.checklist.items
            if self.cleaned_data.get(f"file_{item.key}") or self.cleaned_data.get(f"checked_{item.key}")
        }
        return self.checklist.missing(provided, case=self.cleaned_data.get("case"))


class CounterSupplementForm(forms.Form):
    """The counter records what the applicant brought for an open supplement request: a file per
    requested paper, or a tick for a paper checked and kept on paper. At least one is needed."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items) or [str(_("Hồ sơ bổ sung"))]
        for i, name in enumerate(self.items, start=1):
            self.fields[f"supplement_file_{i}"] = forms.FileField(label=name, required=False)
            self.fields[f"supplement_paper_{i}"] = forms.BooleanField(
                label=_("%(name)s: đã nhận bản giấy") % {"name": name}, required=False
            )

    def clean(self):
        data = super().clean()
        uploads, papers = [], []
        for i, name in enumerate(self.items, start=1):
            if data.get(f"supplement_file_{i}"):
                uploads.append((name, data[f"supplement_file_{i}"]))
            elif data.get(f"supplement_paper_{i}"):
                papers.append(name)
        if not uploads and not papers:
            raise forms.ValidationError(
                _("Tải lên hoặc đánh dấu đã nhận bản giấy ít nhất một giấy tờ được yêu cầu bổ sung.")
            )
        note = (data.get("note") or "").strip()
        if papers:
            received = _("Đã nhận bản giấy: %(list)s") % {"list": "; ".join(papers)}
            note = f"{received}. {note}" if note else received
        data["uploads"], data["note"] = uploads, note
        return data

    def raw(self) -> dict:
        """The cleaned values by the action's parameter names (see actions.resolve)."""
        data = self.cleaned_data
        return {
            "expected_version": data["expected_version"],
            "uploads": [Upload(name, file, file.name) for name, file in data["uploads"]],
            "note": data["note"],
        }


STEP_ROLES = [Role.OFFICER, Role.LEADER, Role.CLERICAL, Role.CLERK]


class StepForm(forms.Form):
    """One step of a process template, as an agency administrator edits it (see views.process_edit)."""

    order = forms.IntegerField(label=_("Thứ tự"), min_value=1, max_value=99)
    name = forms.CharField(label=_("Tên bước"), max_length=200)
    # A blank first choice, so that an untouched empty row stays unchanged (and is skipped).
    kind = forms.ChoiceField(label=_("Loại bước"), choices=[("", "—"), *ProcessStep.Kind.choices])
    role = forms.ChoiceField(
        label=_("Vai trò thực hiện"), choices=[("", "—"), *[(r.value, r.label) for r in STEP_ROLES]]
    )
    agency = forms.ChoiceField(label=_("Cơ quan thực hiện"), required=False)
    share_percent = forms.DecimalField(
        label=_("Tỷ lệ thời hạn (%)"), min_value=0, max_value=100, decimal_places=2, max_digits=5
    )
    next = forms.CharField(
        label=_("Có thể chuyển tới bước (thứ tự)"),
        required=False,
        max_length=100,
        help_text=_("Để trống: bước kế tiếp. Rẽ nhánh: ghi các số thứ tự, cách nhau bằng dấu phẩy."),
    )

    signs = forms.BooleanField(
        label=_("Lãnh đạo ký số dự thảo kết quả khi phê duyệt"),
        required=False,
        help_text=_("Chỉ cho bước của lãnh đạo: phê duyệt kèm ký số dự thảo, văn thư phát hành bản đã ký."),
    )

    def __init__(self, *args, agency_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Cơ quan tiếp nhận hồ sơ"))] + list(agency_choices)

    def clean_next(self):
        text = (self.cleaned_data.get("next") or "").replace(";", ",")
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Ghi số thứ tự các bước, cách nhau bằng dấu phẩy.")) from None


class BaseStepFormSet(forms.BaseFormSet):
    def __init__(self, *args, agency_choices=(), **kwargs):
        self.agency_choices = list(agency_choices)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "agency_choices": self.agency_choices}

    def steps(self) -> list[dict]:
        """The kept rows in their order, as ``processes.replace_steps`` takes them ("next" turned from
        the order numbers typed into 1-based positions)."""
        rows = [
            f.cleaned_data
            for i, f in enumerate(self.forms)
            if (i < self.initial_form_count() or f.has_changed())
            and f.cleaned_data
            and not f.cleaned_data.get("DELETE")
        ]
        orders = [row["order"] for row in rows]
        if len(set(orders)) != len(orders):
            raise forms.ValidationError(_("Hai bước không được trùng thứ tự."))
        rows.sort(key=lambda row: row["order"])
        position = {row["order"]: i for i, row in enumerate(rows, start=1)}
        steps = []
        for row in rows:
            unknown = [n for n in row["next"] if n not in position]
            if unknown:
                raise forms.ValidationError(
                    _("Bước “%(name)s” chuyển tới bước số %(n)s, không có trong quy trình.")
                    % {"name": row["name"], "n": unknown[0]}
                )
            steps.append(
                {
                    "name": row["name"],
                    "kind": row["kind"],
                    "role": row["role"],
                    "agency": row["agency"] or None,
                    "share_percent": str(row["share_percent"]),
                    "next": [position[n] for n in row["next"]],
                    "signs": bool(row.get("signs")),
                }
            )
        return steps


StepFormSet = forms.formset_factory(StepForm, formset=BaseStepFormSet, extra=2, can_delete=True, max_num=30)
