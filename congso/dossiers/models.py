"""Dossiers of the electronic one-stop shop (hồ sơ một cửa) and their processing workflow.

A dossier is deliberately small: who applied, for which procedure version, where, through which
channel, its status and its clock. Everything that happens to it lives in its own table: the
timeline, attachments, pauses, extensions, financial obligations, results and the run of workflow
steps. Transitions are declared in ``workflow.py``; use cases are in ``services.py``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.IntegerChoices):
    """The national status codes used when provincial systems sync with the national portal."""

    NEW = 1, _("Mới nộp, chưa tiếp nhận")
    ACCEPTED = 2, _("Đã tiếp nhận")
    NOT_ACCEPTED = 3, _("Không tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT = 5, _("Yêu cầu bổ sung")
    FINANCIAL = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    PROCESSED = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


# The national portal receives "not accepted" as 11.
PORTAL_STATUS_CODE = {Status.NOT_ACCEPTED: 11}
OPEN_STATUSES = (Status.NEW, Status.ACCEPTED, Status.PROCESSING, Status.SUPPLEMENT, Status.FINANCIAL)
FINISHED_STATUSES = (Status.PROCESSED, Status.RETURNED)
# Received and being handled at a step of the process: it can be assigned, forwarded, handed over.
IN_PROCESS_STATUSES = (Status.ACCEPTED, Status.PROCESSING)
# The clock is stopped while the applicant must act (supplement, fees); the other open statuses run it.
CLOCK_PAUSED_STATUSES = (Status.SUPPLEMENT, Status.FINANCIAL)
# The dossier's deadline clock is running: an on time / due soon / overdue flag means something.
CLOCK_RUNNING_STATUSES = (Status.NEW, *IN_PROCESS_STATUSES)


class Channel(models.IntegerChoices):
    IN_PERSON = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POST = 3, _("Dịch vụ bưu chính công ích")


class DossierCodeSequence(models.Model):
    """The last sequence number an agency gave on a day. Locked row by row, so codes never collide."""

    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="dossier_seq_unique_agency_day")
        ]

    def __str__(self):
        return f"{self.agency_id}@{self.day}: {self.last_value}"


class ProcessTemplate(models.Model):
    """How one agency processes one procedure: an ordered set of steps, editable by administrators."""

    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("tên quy trình"), max_length=255)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    # Each save of the steps is a new version; a dossier keeps the steps of the version it entered.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quy trình xử lý")
        verbose_name_plural = _("quy trình xử lý")
        constraints = [
            models.UniqueConstraint(fields=["agency", "procedure"], name="dossier_template_unique")
        ]

    def __str__(self):
        return self.name


class ProcessStep(models.Model):
    """One step of a process template: who handles it, where, and its share of the time limit.

    ``agency`` empty means the dossier's receiving agency; another agency makes it an inter-agency
    (liên thông) step: the dossier travels there, keeping its code and its clock. ``next_steps``
    lists the steps the handler may send it to (a branch such as a field inspection); empty means
    the following step by position.

    A leader's explicit transfer (``services.transfer``) adds a retired step of kind ``transfer`` at
    the receiving agency of the hand-off, whose only next step is the step the dossier came from.
    """

    class Kind(models.TextChoices):
        HANDLE = "handle", _("Xử lý, thẩm định")
        REVIEW = "review", _("Xem xét, trình ký")
        APPROVE = "approve", _("Phê duyệt, ký")
        ISSUE = "issue", _("Vào sổ, phát hành kết quả")
        RETURN = "return", _("Trả kết quả")
        # Not in templates: made by ``services.transfer`` for one dossier handed to another agency.
        TRANSFER = "transfer", _("Liên thông theo yêu cầu của lãnh đạo")

    template = models.ForeignKey(ProcessTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=200)
    kind = models.CharField(_("loại bước"), max_length=20, choices=Kind.choices, default=Kind.HANDLE)
    role = models.CharField(_("vai trò thực hiện"), max_length=20)
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan thực hiện (liên thông)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    share_percent = models.DecimalField(_("tỷ lệ thời gian (%)"), max_digits=5, decimal_places=2, default=0)
    version = models.PositiveIntegerField(
        _("phiên bản quy trình"),
        default=1,
        help_text="the template version this step belongs to; dossiers move among the steps of their version",
    )
    signs = models.BooleanField(
        _("lãnh đạo ký số dự thảo kết quả khi phê duyệt"),
        default=False,
        help_text="a leader's step whose approval signs the draft result with the leader's personal key",
    )
    retired = models.BooleanField(
        _("đã thay thế"),
        default=False,
        help_text="replaced by an edit; kept because dossiers passed through it",
    )
    next_steps = models.ManyToManyField(
        "self", symmetrical=False, blank=True, verbose_name=_("bước tiếp theo được phép")
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="dossier_step_unique_position")
        ]

    def __str__(self):
        return f"{self.position}. {self.name}"


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True)
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("thủ tục (phiên bản)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    receiving_agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="dossiers_received",
    )
    current_agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan đang xử lý"),
        on_delete=models.PROTECT,
        related_name="dossiers_current",
    )
    channel = models.PositiveSmallIntegerField(_("hình thức nộp"), choices=Channel.choices)
    status = models.PositiveSmallIntegerField(
        _("trạng thái"), choices=Status.choices, default=Status.NEW, db_index=True
    )
    version = models.PositiveIntegerField(default=1, help_text="optimistic-lock counter, +1 on every change")

    # The applicant: an account when there is one, and always a snapshot of what was declared.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nộp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    applicant_name = models.CharField(_("tên người nộp / tổ chức"), max_length=255)
    applicant_folded = models.CharField(max_length=255, blank=True, editable=False)  # for unaccented search
    applicant_id_number = models.CharField(
        _("số CCCD / mã số thuế"), max_length=20, blank=True, db_index=True
    )
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    on_behalf_of = models.CharField(
        _("nộp thay cho (tổ chức, người được ủy quyền)"), max_length=255, blank=True
    )
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("được hỗ trợ bởi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assisted_dossiers",
    )
    # Applicants filing together with the first (the other spouse of a marriage registration), when the
    # procedure declares one (catalog ``Procedure.co_applicant_label``): [{"label", "name", "id_number",
    # "phone", "email", "address"}] — shown on the page and slip, notified like the applicant (ADR 0147).
    co_applicants = models.JSONField(_("người cùng nộp hồ sơ"), default=list, blank=True)
    # The queue ticket called at the counter for this intake (counters.Ticket; its id and code, kept
    # without a foreign key: counters and dossiers are independent apps, ADR 0147).
    queue_ticket_id = models.PositiveIntegerField(_("phiếu số thứ tự (mã)"), null=True, blank=True)
    queue_ticket_code = models.CharField(_("số phiếu thứ tự"), max_length=8, blank=True, default="")
    form_data = models.JSONField(_("nội dung tờ khai"), default=dict, blank=True)

    # The clock
    submitted_at = models.DateTimeField(_("thời điểm nộp"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    allowance_value = models.DecimalField(
        _("thời hạn giải quyết"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    allowance_unit = models.CharField(_("đơn vị thời hạn"), max_length=20, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True, db_index=True)
    legal_due_at = models.DateTimeField(
        _("thời hạn theo quy định"),
        null=True,
        blank=True,
        help_text="the legal deadline (allowance plus pauses); an extension moves due_at, never this",
    )
    finished_at = models.DateTimeField(_("thời điểm xử lý xong"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    is_late = models.BooleanField(
        _("trễ hạn"),
        default=False,
        db_index=True,
        help_text="set when an apology/extension is issued or the dossier finishes after legal_due_at; never cleared",
    )

    template = models.ForeignKey(
        ProcessTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current_step = models.ForeignKey(
        ProcessStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Copied from current_step (or "clerk" while waiting at the counter) so that each role's inbox
    # is one range of the index (current_agency, holder_role, status, due_at). See inbox.py.
    holder_role = models.CharField(_("vai trò đang xử lý"), max_length=20, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_dossiers",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(
                fields=["current_agency", "holder_role", "status", "due_at"], name="dossier_inbox_idx"
            ),
            models.Index(fields=["current_agency", "status", "due_at"], name="dossier_agency_status_idx"),
            models.Index(fields=["receiving_agency", "submitted_at"], name="dossier_logbook_idx"),
            models.Index(fields=["assignee", "status"], name="dossier_assignee_idx"),
            # The open dossiers of a set of agencies by due moment: the operations centre's overdue and
            # due-soon counts over a whole province (a small part of the table, whatever its size).
            models.Index(
                fields=["receiving_agency", "due_at"],
                name="dossier_open_due_idx",
                condition=models.Q(status__in=OPEN_STATUSES),
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def portal_status(self) -> int:
        return PORTAL_STATUS_CODE.get(self.status, self.status)

    @property
    def online_terms(self) -> dict | None:
        """The terms an online dossier was filed under (Decree 42/2022), as the portal wrote them into
        ``form_data["online"]``: ``level`` ("full"/"partial"), ``result`` ("online"/"counter"),
        ``in_person`` (what the applicant must still do at the agency) and ``result_place``. None for
        counter dossiers and for online ones filed before the terms were kept."""
        data = (self.form_data or {}).get("online")
        return data if isinstance(data, dict) and data.get("level") else None

    @property
    def result_collected_at_counter(self) -> bool:
        """A partially online dossier's result is collected at the counter, not delivered online."""
        return (self.online_terms or {}).get("result") == "counter"


class TimelineEntry(models.Model):
    """What happened to a dossier, in order: who, when, which action, from and to which status, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=200, blank=True)
    action = models.CharField(_("thao tác"), max_length=40)
    action_label = models.CharField(_("tên thao tác"), max_length=200)
    from_status = models.PositiveSmallIntegerField(choices=Status.choices, null=True, blank=True)
    to_status = models.PositiveSmallIntegerField(choices=Status.choices)
    agency = models.ForeignKey(
        "directory.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    step = models.ForeignKey(ProcessStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("diễn biến hồ sơ")
        verbose_name_plural = _("diễn biến hồ sơ")
        ordering = ["dossier", "at", "id"]

    def __str__(self):
        return f"{self.dossier_id} {self.action} → {self.to_status}"


def attachment_path(instance, filename):
    """A fresh, unguessable name by month of upload. It does not depend on the dossier, so a counter
    receipt writes its files before its transaction (and before its code exists), never inside it.
    The database links files to dossiers; files stored earlier keep their ``dossiers/<code>/`` names."""
    return f"dossiers/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    """A file of a dossier: a component the applicant gave, a supplement, or a working document."""

    class Purpose(models.TextChoices):
        COMPONENT = "component", _("Thành phần hồ sơ")
        SUPPLEMENT = "supplement", _("Hồ sơ bổ sung")
        WORKING = "working", _("Văn bản xử lý")
        # The draft result as the leader approved it, signed with the leader's key; văn thư issues it.
        SIGNED_DRAFT = "signed_draft", _("Dự thảo kết quả đã ký duyệt")
        RESULT = "result", _("Kết quả giải quyết")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.COMPONENT)
    component = models.CharField(_("thành phần hồ sơ"), max_length=500, blank=True)
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=10)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(null=True, blank=True)
    timeline_entry = models.ForeignKey(
        TimelineEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")

    def __str__(self):
        return self.original_name or self.component


class StepRun(models.Model):
    """A dossier's stay at one workflow step: where, who, from when, due when, until when."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="step_runs")
    step = models.ForeignKey(ProcessStep, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "started_at", "id"]

    def __str__(self):
        return f"{self.dossier_id} @ {self.step_id}"


class ClockPause(models.Model):
    """The clock stops while the applicant owes a supplement (or a financial obligation)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(max_length=20)  # supplement | financial
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    resume_status = models.PositiveSmallIntegerField(choices=Status.choices)

    class Meta:
        ordering = ["dossier", "started_at"]

    def __str__(self):
        return f"{self.dossier_id} {self.reason} {self.started_at:%Y-%m-%d}"


class Extension(models.Model):
    """An apology with a request for a new date (văn bản xin lỗi và đề nghị gia hạn).

    The dossier stays late in statistics: ``Dossier.is_late`` is set and never cleared by this.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()
    reason = models.TextField()

    class Meta:
        ordering = ["dossier", "requested_at"]

    def __str__(self):
        return f"{self.dossier_id} → {self.new_due_at:%Y-%m-%d}"


# Amounts of money are whole đồng in 14 digits (the fee and payment columns): below this.
MAX_AMOUNT = 10**14

# How fees paid at the one-stop counter were paid (``FinancialObligation.payment_channel``; a payment
# gateway's notification records "gateway:<provider>" through services.record_gateway_payment).
PAYMENT_METHODS = [
    ("counter", _("Tiền mặt tại bộ phận một cửa")),
    ("bank_transfer", _("Chuyển khoản ngân hàng")),
    ("card", _("Thẻ ngân hàng (máy POS)")),
]


class FinancialObligation(models.Model):
    """Fees, charges or taxes the applicant must pay before processing continues (status 6)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="obligations")
    amount = models.DecimalField(max_digits=14, decimal_places=0)
    currency = models.CharField(max_length=3, default="VND")
    description = models.CharField(max_length=500)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_channel = models.CharField(max_length=40, blank=True)  # counter | gateway:<provider> | ...
    payment_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["dossier", "requested_at"]

    def __str__(self):
        return f"{self.dossier_id} {self.amount} {self.currency}"

    @property
    def payment_method_label(self) -> str:
        """How it was paid, for people: a counter method's name, or the online gateway's."""
        channel = self.payment_channel
        if channel.startswith("gateway:"):
            return _("Thanh toán trực tuyến (%(provider)s)") % {"provider": channel.split(":", 1)[1].upper()}
        return str(dict(PAYMENT_METHODS).get(channel, channel))


class Result(models.Model):
    """The result document issued by văn thư: a file and its metadata."""

    class Delivery(models.TextChoices):
        COUNTER = "counter", _("Tại bộ phận một cửa")
        POST = "post", _("Qua bưu chính công ích")
        ONLINE = "online", _("Trực tuyến")

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="result")
    number = models.CharField(_("số, ký hiệu"), max_length=100)
    title = models.CharField(_("tên kết quả"), max_length=500)
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    delivery = models.CharField(max_length=10, choices=Delivery.choices, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("kết quả giải quyết")
        verbose_name_plural = _("kết quả giải quyết")

    def __str__(self):
        return self.number
