"""Every action an official takes on a dossier, declared once for the dossier page and the API.

One ``Action`` per dossier transition of ``workflow.TRANSITIONS`` (plus ``assign``, which changes no
status): its parameters — name, type, required or not, label, help, choices, validation — and its
service call. The page's forms and dispatch (``views.act``) and the API's request schema and endpoints
(``api.act`` and the multipart endpoints) are built from this table, so a parameter means the same
thing, defaults the same way and is refused with the same message on both.

A parameter's ``name`` is its field in API requests; ``field`` is the page form's field when it
differs (``agency_code``). Values are turned into what the service takes by ``resolve`` (an official
from the page's select is a user id, from the API a username), then an action's ``clean`` checks and
normalises them together (e.g. a supplement request's reason from its list of papers), then
``call`` runs the service function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.core.errors import ServiceError
from congso.core.text import MAX_LIST_ITEM, MAX_LIST_ITEMS, MAX_REASON, too_long_message
from congso.directory.models import Agency, Role
from congso.directory.selectors import agency_by_code

from . import checklist, services, staffing
from .forms import CounterSupplementForm
from .models import (
    MAX_AMOUNT,
    PAYMENT_METHODS,
    Dossier,
    FinancialObligation,
    Result,
)
from .processes import forward_targets
from .workflow import DOSSIER

# --- parameter types ----------------------------------------------------------------------------

TEXT = "text"  # a line or paragraph of text ("" when not given)
LIST = "list"  # a list of short texts
AMOUNT = "amount"  # a whole number of đồng, below MAX_AMOUNT
MOMENT = "moment"  # a date and time (no time zone: Vietnam time)
STEP = "step"  # a process step's id
ATTACHMENT = "attachment"  # a file of the dossier: its id
CHOICE = "choice"  # one of ``choices``
OFFICIAL = "official"  # an active user: the page sends its id, the API its username
AGENCY = "agency"  # an agency's electronic identifier (mã định danh)
FILE = "file"  # one uploaded file
UPLOADS = "uploads"  # services.Upload objects, built by the page or the API from what was sent

DELIVERY_CHOICES = [
    (Result.Delivery.COUNTER, Result.Delivery.COUNTER.label),
    (Result.Delivery.POST, Result.Delivery.POST.label),
]
TRANSFER_ROLE_CHOICES = [
    (Role.OFFICER, gettext_lazy("Chuyên viên xử lý")),
    (Role.LEADER, gettext_lazy("Lãnh đạo")),
]


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    label: str = ""
    required: bool = False
    help: str = ""
    choices: tuple = ()
    default: Any = None
    field: str = ""  # the page form's field name, when it differs from ``name``
    # what the page offers for this field (steps, officials, agencies, papers), from the dossier
    options: Callable[[Dossier], list] | None = None
    min_options: int = 0  # the page shows the field only with at least this many options
    validate: Callable[[Any], None] | None = None  # raises ServiceError for a value the action refuses
    # longest text accepted (TEXT: the value, LIST: each item); 0: the kind's limit from core.text
    max_length: int = 0

    @property
    def text_limit(self) -> int:
        return self.max_length or (MAX_LIST_ITEM if self.kind == LIST else MAX_REASON)

    @property
    def form_field(self) -> str:
        return self.field or self.name


@dataclass(frozen=True)
class Action:
    name: str
    params: tuple[Param, ...]
    call: Callable[..., Dossier]  # call(dossier_id, actor, values) with values resolved and cleaned
    clean: Callable[[dict], dict] | None = None
    # "actions": POST /dossiers/{code}/actions/<name> with a JSON body; else the multipart endpoint's
    # path under /dossiers/{code}/ ("result", "attachments", "supplement")
    api: str = "actions"
    page_roles: frozenset = frozenset()  # the page offers it only to these roles (empty: any)
    own_label: str = ""  # an action that is not a transition (assign) names itself
    # the page form's class when the generic one does not fit: form(data, files, dossier=, action=)
    page_form: Callable | None = None

    @property
    def label(self) -> str:
        return self.own_label or DOSSIER.get(self.name).label

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


# --- resolving values ---------------------------------------------------------------------------


def official(value, *, by: str = "username", required: bool = True):
    """The active user a page (``by="pk"``) or an API client (``by="username"``) named."""
    if value in (None, ""):
        if required:
            raise ServiceError(_("Hãy chọn cán bộ được phân công."), field="assignee")
        return None
    users = get_user_model().objects.filter(is_active=True)
    if by == "pk":
        try:
            user = users.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            user = None
    else:
        user = users.filter(username=str(value)).first()
    if user is None:
        raise ServiceError(_("Không tìm thấy cán bộ được giao."), field="assignee")
    return user


def amount(value):
    """An amount as sent; one the ledger cannot hold (14 digits: ``MAX_AMOUNT``) is refused here, for
    the page and the API. Whether it is a positive whole number is the service's check."""
    try:
        too_big = value not in (None, "") and abs(Decimal(str(value))) >= MAX_AMOUNT
    except (InvalidOperation, ValueError):
        return value  # the service says it is not a number
    if too_big:
        raise ServiceError(
            _("Số tiền quá lớn: tối đa %(max)s đồng.") % {"max": f"{MAX_AMOUNT - 1:,}".replace(",", ".")},
            field="amount",
        )
    return value


def agency(code) -> Agency | None:
    """The agency named by its code; None when none was given (the transition then asks for one)."""
    if not (code or "").strip():
        return None
    found = agency_by_code(code)
    if found is None:
        raise ServiceError(
            _("Không tìm thấy cơ quan có mã định danh “%(code)s”.") % {"code": str(code)[:35]},
            field="agency",
        )
    return found


def _check_text(p: Param, value) -> None:
    """A free text longer than its limit is refused before anything is written (or sent on)."""
    if isinstance(value, str) and len(value) > p.text_limit:
        raise ServiceError(f"{p.label}: {too_long_message(p.text_limit, len(value))}", field=p.name)


def version(value) -> int:
    """The dossier version the caller saw (``DossierOut.version``, the page's hidden field): every
    state-changing call carries it, so a duplicate or stale action is a 409, never a second step."""
    if value in (None, ""):
        raise ServiceError(
            _(
                "Thiếu phiên bản hồ sơ (expected_version): hãy gửi kèm phiên bản của hồ sơ mà bạn đã xem "
                "để tránh thực hiện trùng thao tác."
            ),
            field="expected_version",
            code="version_required",
        )
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ServiceError(
            _("Phiên bản hồ sơ (expected_version) phải là một số nguyên."),
            field="expected_version",
            code="version_required",
        ) from None


def resolve(action: Action, raw: dict, *, via: str) -> dict:
    """Turn what the page (``via="page"``) or the API (``via="api"``) sent into the values the service
    takes, then the action's own check. Raises ServiceError with the same message for both."""
    values = {"expected_version": version(raw.get("expected_version"))}
    for p in action.params:
        value = raw.get(p.name)
        if p.kind == TEXT:
            value = value or ("" if p.default is None else p.default)
            _check_text(p, value)
        elif p.kind == LIST:
            value = [str(v) for v in (value or [])]
            if len(value) > MAX_LIST_ITEMS:
                raise ServiceError(
                    _("Danh sách “%(label)s” có quá nhiều mục: tối đa %(limit)s mục.")
                    % {"label": p.label, "limit": MAX_LIST_ITEMS},
                    field=p.name,
                )
            for item in value:
                _check_text(p, item)
        elif p.kind == CHOICE:
            value = value or p.default
        elif p.kind == OFFICIAL:
            value = official(value, by="pk" if via == "page" else "username", required=p.required)
        elif p.kind == AGENCY:
            value = agency(value)
        elif p.kind == AMOUNT:
            value = amount(value)
        elif p.kind in (STEP, ATTACHMENT):
            value = value if value not in ("", None) else None
        if p.validate:
            p.validate(value)
        values[p.name] = value
    return action.clean(values) if action.clean else values


def perform(action: Action, dossier_id, actor, values: dict) -> Dossier:
    return action.call(dossier_id, actor, values)


# --- what the page offers -----------------------------------------------------------------------


def next_steps(d: Dossier) -> list:
    """The steps the dossier may be forwarded to from its current step (the page's choice list): the
    same ``processes.forward_targets`` the service moves it along."""
    return forward_targets(d.current_step) if d.current_step_id else []


def signable_drafts(d: Dossier) -> list:
    """The PDF working documents a leader may sign on approval, when the step signs (the page's list)."""
    if not (d.current_step_id and d.current_step.signs):
        return []
    return services.drafts(d)


def forward_candidates(d: Dossier) -> list:
    """Officials who could take the dossier at the step(s) it would be forwarded to."""
    steps = next_steps(d)
    people = {}
    for step in steps:
        for user in staffing.holders(step.agency or d.receiving_agency, [step.role]):
            people.setdefault(user.pk, user)
    return sorted(people.values(), key=lambda u: (u.full_name, u.username))


def assign_candidates(d: Dossier) -> list:
    if not d.current_step_id:
        return []
    return [u for u in staffing.holders(d.current_agency, [d.current_step.role]) if u.pk != d.assignee_id]


def components(d: Dossier) -> list[str]:
    """The papers of the dossier's procedure version, as a checklist (see checklist.py)."""
    return checklist.build((d.procedure_version.content or {}).get("components", [])).names()


def open_request_items(d: Dossier) -> list[str]:
    """What the open supplement request asked for (its timeline entry's data["missing"])."""
    entry = d.timeline.filter(action="request_supplement").order_by("-at", "-id").first()
    return list((entry.data or {}).get("missing") or []) if entry else []


# --- checks of several values together ----------------------------------------------------------


def _supplement_request(values: dict) -> dict:
    """Exactly what the applicant must bring (shown to them as a list), or at least a reason; the
    reason names the papers when none is written."""
    items = [item.strip()[:500] for item in values["missing"] if item.strip()]
    reason = values["reason"].strip()
    if not items and not reason:
        raise ServiceError(_("Chọn ít nhất một giấy tờ cần bổ sung hoặc ghi lý do."), field="reason")
    values["missing"] = items
    values["reason"] = reason or _("Hồ sơ cần bổ sung: %(list)s") % {"list": "; ".join(items)}
    return values


# --- the table ----------------------------------------------------------------------------------

REASON = Param("reason", TEXT, gettext_lazy("Lý do"), required=True)
NOTE = Param("note", TEXT, gettext_lazy("Ghi chú"))


def _payment_method(value) -> None:
    if value not in {method for method, _label in PAYMENT_METHODS}:
        raise ServiceError(_("Hình thức nộp tiền không hợp lệ."), field="channel")


def _v(values: dict) -> dict:
    return {"expected_version": values["expected_version"]}


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            "accept",
            (NOTE,),
            lambda d, u, v: services.accept(d, actor=u, note=v["note"], **_v(v)),
        ),
        Action(
            "refuse",
            (REASON,),
            lambda d, u, v: services.refuse(d, actor=u, reason=v["reason"], **_v(v)),
        ),
        Action(
            "request_supplement",
            (
                Param(
                    "missing",
                    LIST,
                    gettext_lazy("Giấy tờ cần bổ sung"),
                    help=gettext_lazy("Giấy tờ khác cần bổ sung (mỗi dòng một mục)"),
                    options=components,
                ),
                Param("reason", TEXT, gettext_lazy("Lý do")),
            ),
            lambda d, u, v: services.request_supplement(
                d, actor=u, reason=v["reason"], missing=v["missing"], **_v(v)
            ),
            clean=_supplement_request,
        ),
        Action(
            "submit_supplement",
            (
                Param(
                    "uploads",
                    UPLOADS,
                    gettext_lazy("Hồ sơ bổ sung"),
                    field="supplement",
                    options=open_request_items,
                ),
                NOTE,
            ),
            lambda d, u, v: services.submit_supplement(
                d, actor=u, uploads=v["uploads"], note=v["note"], **_v(v)
            ),
            api="supplement",
            page_roles=frozenset({Role.CLERK}),  # the applicant supplies from their own pages (tracking)
            page_form=lambda data, files, *, dossier, action: CounterSupplementForm(
                data, files, items=open_request_items(dossier)
            ),
        ),
        Action(
            "forward",
            (
                Param("to_step", STEP, gettext_lazy("Chuyển đến bước"), options=next_steps, min_options=2),
                Param(
                    "assignee",
                    OFFICIAL,
                    gettext_lazy("Cán bộ được phân công"),
                    help="forward: tên đăng nhập của cán bộ nhận hồ sơ ở bước sau (không bắt buộc)",
                    options=forward_candidates,
                    min_options=1,
                ),
                NOTE,
            ),
            lambda d, u, v: services.forward(
                d, actor=u, to_step_id=v["to_step"], assignee=v["assignee"], note=v["note"], **_v(v)
            ),
        ),
        Action(
            "approve",
            (
                Param("to_step", STEP, gettext_lazy("Chuyển đến bước"), options=next_steps, min_options=2),
                Param(
                    "assignee",
                    OFFICIAL,
                    gettext_lazy("Cán bộ được phân công"),
                    help="forward, approve: tên đăng nhập của cán bộ nhận hồ sơ ở bước sau (không bắt buộc)",
                    options=forward_candidates,
                    min_options=1,
                ),
                Param(
                    "draft",
                    ATTACHMENT,
                    gettext_lazy("Dự thảo kết quả được ký"),
                    help="approve: mã (id) tệp dự thảo kết quả để ký số, ở bước có ký số (mặc định: tệp PDF mới nhất)",
                    options=signable_drafts,
                    min_options=2,
                ),
                NOTE,
            ),
            lambda d, u, v: services.approve(
                d,
                actor=u,
                to_step_id=v["to_step"],
                assignee=v["assignee"],
                draft_id=v["draft"],
                note=v["note"],
                **_v(v),
            ),
        ),
        Action(
            "return_for_revision",
            (REASON,),
            lambda d, u, v: services.return_for_revision(d, actor=u, reason=v["reason"], **_v(v)),
        ),
        Action(
            "transfer",
            (
                Param(
                    "agency",
                    AGENCY,
                    gettext_lazy("Mã định danh của cơ quan nhận"),
                    required=True,
                    help="transfer: mã định danh của cơ quan nhận hồ sơ",
                    field="agency_code",  # suggestions: views._transfer_targets
                ),
                Param(
                    "role",
                    CHOICE,
                    gettext_lazy("Người xử lý ở cơ quan nhận"),
                    help="transfer: vai trò xử lý ở cơ quan nhận (officer hoặc leader)",
                    choices=tuple(TRANSFER_ROLE_CHOICES),
                    default=Role.OFFICER,
                    field="transfer_role",
                ),
                REASON,
            ),
            lambda d, u, v: services.transfer(
                d, actor=u, agency=v["agency"], reason=v["reason"], role=v["role"], **_v(v)
            ),
        ),
        Action(
            "assign",
            (
                Param(
                    "assignee",
                    OFFICIAL,
                    gettext_lazy("Cán bộ được phân công"),
                    required=True,
                    options=assign_candidates,
                    min_options=1,
                ),
            ),
            lambda d, u, v: services.assign(d, actor=u, assignee=v["assignee"], **_v(v)),
            page_roles=frozenset({Role.LEADER}),
            own_label=gettext_lazy("Phân công xử lý"),
        ),
        Action(
            "request_payment",
            (
                Param("amount", AMOUNT, gettext_lazy("Số tiền (đồng)"), required=True),
                Param("note", TEXT, gettext_lazy("Ghi chú"), required=True),
            ),
            lambda d, u, v: services.request_payment(
                d, actor=u, amount=v["amount"], description=v["note"], **_v(v)
            ),
        ),
        Action(
            "record_payment",
            (
                Param(
                    "channel",
                    CHOICE,
                    gettext_lazy("Hình thức nộp tiền"),
                    choices=tuple(PAYMENT_METHODS),
                    default="counter",
                    validate=_payment_method,
                    options=lambda d: PAYMENT_METHODS,
                ),
                Param(
                    "reference",
                    TEXT,
                    gettext_lazy("Số biên lai hoặc mã giao dịch"),
                    max_length=FinancialObligation._meta.get_field("payment_reference").max_length,
                ),
            ),
            lambda d, u, v: services.record_payment(
                d, actor=u, channel=v["channel"], reference=v["reference"].strip(), **_v(v)
            ),
        ),
        Action(
            "extend",
            (
                Param(
                    "new_due_at",
                    MOMENT,
                    gettext_lazy("Ngày hẹn mới"),
                    required=True,
                    help="Ngày hẹn mới (ISO 8601). Không ghi múi giờ thì hiểu là giờ Việt Nam (UTC+7).",
                ),
                REASON,
            ),
            lambda d, u, v: services.extend(d, actor=u, reason=v["reason"], new_due=v["new_due_at"], **_v(v)),
        ),
        Action("stop", (REASON,), lambda d, u, v: services.stop(d, actor=u, reason=v["reason"], **_v(v))),
        Action(
            "withdraw", (REASON,), lambda d, u, v: services.withdraw(d, actor=u, reason=v["reason"], **_v(v))
        ),
        Action(
            "issue_result",
            (
                Param(
                    "number",
                    TEXT,
                    gettext_lazy("Số, ký hiệu kết quả"),
                    required=True,
                    max_length=Result._meta.get_field("number").max_length,
                ),
                Param(
                    "title",
                    TEXT,
                    gettext_lazy("Tên kết quả"),
                    required=True,
                    max_length=Result._meta.get_field("title").max_length,
                ),
                Param(
                    "file",
                    FILE,
                    gettext_lazy("Tệp kết quả (PDF)"),
                    help=gettext_lazy("Để trống để phát hành dự thảo kết quả đã được lãnh đạo ký duyệt."),
                ),
            ),
            lambda d, u, v: services.issue_result(
                d,
                actor=u,
                number=v["number"],
                title=v["title"],
                upload=services.Upload(_("Kết quả giải quyết"), v["file"], v["file"].name)
                if v["file"]
                else None,
                **_v(v),
            ),
            api="result",
        ),
        Action(
            "return_result",
            (
                Param(
                    "delivery",
                    CHOICE,
                    gettext_lazy("Hình thức trả kết quả"),
                    choices=tuple(DELIVERY_CHOICES),
                    default=Result.Delivery.COUNTER,
                    options=lambda d: DELIVERY_CHOICES,
                ),
            ),
            lambda d, u, v: services.return_result(d, actor=u, delivery=v["delivery"], **_v(v)),
        ),
        Action(
            "attach",
            (
                Param(
                    "uploads",
                    UPLOADS,
                    gettext_lazy("Tệp văn bản (PDF, JPEG, PNG)"),
                    required=True,
                    field="file",
                ),
                NOTE,
            ),
            lambda d, u, v: services.attach(d, actor=u, uploads=v["uploads"], note=v["note"], **_v(v)),
            api="attachments",
        ),
    ]
}


def _api_params() -> dict[str, Param]:
    """The parameters the JSON endpoint (/actions/<name>) takes: each name means one thing (one type)
    for every action that has it."""
    params: dict[str, Param] = {}
    for action in ACTIONS.values():
        if action.api != "actions":
            continue
        for p in action.params:
            known = params.setdefault(p.name, p)
            if known.kind != p.kind:
                raise TypeError(f"{p.name}: {known.kind} in one action, {p.kind} in another")
    return params


API_PARAMS = _api_params()


def get(name: str) -> Action | None:
    return ACTIONS.get(name)


def available(user, d: Dossier, roles: set[str], *, page: bool = True) -> list[Action]:
    """The actions offered to ``user`` on ``d``: the transitions the services would accept now
    (``services.available_transitions``, the same predicate they check), on the page only for its
    ``page_roles``; then ``assign`` for a leader while the dossier is at a step that someone else could
    take over. ``page=False``: the API's list (an applicant's own actions included)."""
    offered = [
        ACTIONS[t.name]
        for t in services.available_transitions(user, d, roles=roles)
        if not page or not ACTIONS[t.name].page_roles or ACTIONS[t.name].page_roles & roles
    ]
    assign = ACTIONS["assign"]
    if (
        (not page or assign.page_roles & roles)
        and services.may_assign(d, roles)  # what the service checks
        and assign_candidates(d)  # nobody else holds the step's role: nothing to choose
    ):
        offered.append(assign)
    return offered


# --- the page's forms ---------------------------------------------------------------------------


def _form_field(p: Param):
    """The page form's field for a parameter. Every field is optional here: required values and their
    messages are checked by ``resolve``/the service, the same for the page and the API."""
    kind = p.kind
    if kind == TEXT:
        return forms.CharField(label=p.label, required=False, max_length=p.text_limit)
    if kind == LIST:
        return forms.MultipleChoiceField(label=p.label, required=False, widget=forms.CheckboxSelectMultiple)
    if kind == AMOUNT:
        return forms.DecimalField(label=p.label, required=False)
    if kind == MOMENT:
        return forms.DateTimeField(label=p.label, required=False)
    if kind in (STEP, OFFICIAL, ATTACHMENT):
        return forms.IntegerField(label=p.label, required=False)
    if kind == CHOICE:
        return forms.CharField(label=p.label, required=False, max_length=40)
    if kind == AGENCY:
        return forms.CharField(label=p.label, required=False, max_length=35)
    if kind in (FILE, UPLOADS):
        return forms.FileField(label=p.label, required=False)
    raise ValueError(kind)


class ActionPageForm(forms.Form):
    """The dossier page's form for one action, built from its parameters."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, action: Action, dossier: Dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        for p in action.params:
            self.fields[p.form_field] = _form_field(p)
            if p.kind == LIST:
                self.fields[p.form_field].choices = [
                    (name, name) for name in (p.options(dossier) if p.options else [])
                ]
                self.fields[f"{p.form_field}_other"] = forms.CharField(
                    label=p.help, required=False, max_length=2000
                )

    def raw(self) -> dict:
        """The cleaned values by parameter name, as ``resolve`` takes them."""
        data = self.cleaned_data
        raw = {"expected_version": data["expected_version"]}
        for p in self.action.params:
            value = data.get(p.form_field)
            if p.kind == LIST:
                other = (data.get(f"{p.form_field}_other") or "").splitlines()
                value = list(value or []) + [line for line in other if line.strip()]
            elif p.kind == UPLOADS:
                value = [services.Upload(_("Văn bản xử lý"), value, value.name)] if value else []
            raw[p.name] = value
        return raw


def page_form(action: Action, data, files, *, dossier: Dossier):
    """The bound page form for ``action`` (its ``raw()`` gives the values by parameter name)."""
    make = action.page_form or ActionPageForm
    return make(data, files, dossier=dossier, action=action)
