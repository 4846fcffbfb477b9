"""Official documents (Decree 30/2020/NĐ-CP): registers and their number series, incoming and outgoing
documents with the Appendix VI metadata, handling assignments, drafts and their review chain, recipients,
named readers of secret documents, and assigned tasks (giao việc). ADR 0152."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.core.text import fold
from congso.directory.models import Agency, Role

USER = settings.AUTH_USER_MODEL


class Secrecy(models.TextChoices):
    NORMAL = "", _("Thường")
    SECRET = "mat", _("Mật")
    TOP_SECRET = "toi_mat", _("Tối mật")
    ULTRA_SECRET = "tuyet_mat", _("Tuyệt mật")


class Urgency(models.IntegerChoices):
    """Ranked as edXML's Priority: a higher value comes first in every inbox."""

    NORMAL = 0, _("Thường")
    URGENT = 1, _("Khẩn")
    VERY_URGENT = 2, _("Thượng khẩn")
    FLASH = 3, _("Hỏa tốc")


class DocumentType(models.Model):
    """A type of document and its abbreviation (Decree 30, Appendix III), seeded by a data migration.
    A công văn has no abbreviation: its symbol is the organ then the drafting unit."""

    name = models.CharField(_("tên loại văn bản"), max_length=100, unique=True)
    abbreviation = models.CharField(_("chữ viết tắt"), max_length=10, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Register(models.Model):
    """A register (sổ đăng ký) of an agency: incoming or outgoing, ordinary or secret. Each register has
    one number series per calendar year, from 01 (``NumberSeries``)."""

    class Direction(models.TextChoices):
        INCOMING = "in", _("Văn bản đến")
        OUTGOING = "out", _("Văn bản đi")
        COPY = "copy", _("Bản sao văn bản")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên sổ"), max_length=200)
    direction = models.CharField(_("loại sổ"), max_length=5, choices=Direction.choices)
    secret = models.BooleanField(_("sổ văn bản mật"), default=False)
    notation = models.CharField(
        _("chữ viết tắt tên cơ quan"),
        max_length=30,
        blank=True,
        help_text=_("Dùng trong ký hiệu văn bản đi, ví dụ UBND, STP."),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("sổ đăng ký văn bản")
        verbose_name_plural = _("sổ đăng ký văn bản")
        ordering = ["agency_id", "direction", "secret", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="documents_register_unique_name"),
        ]

    def __str__(self):
        return self.name


class NumberSeries(models.Model):
    """The last number taken in a register for a calendar year; the row is locked to take the next."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="series")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "year"], name="documents_series_unique_year"),
        ]

    def __str__(self):
        return f"{self.register_id}/{self.year}: {self.last_number}"


class NumberEntry(models.Model):
    """One number taken in a register's series. A number taken by mistake is cancelled with a reason and
    stays in the series: it is never reused."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="entries")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("số, ký hiệu"), max_length=100)
    document = models.ForeignKey(
        "Document", null=True, blank=True, on_delete=models.PROTECT, related_name="number_entries"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cancel_reason = models.CharField(_("lý do hủy số"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("số đã lấy")
        verbose_name_plural = _("số đã lấy")
        ordering = ["register_id", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["register", "year", "number"], name="documents_number_unique"),
        ]

    def __str__(self):
        return self.symbol


class ReviewStep(models.Model):
    """One step of an agency's review chain for outgoing drafts (database records the agency
    administrator edits: e.g. chuyên viên → trưởng phòng → lãnh đạo). The last step's approval sends
    the draft to the leader's signature."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("tên bước"), max_length=150)
    role = models.CharField(_("vai trò duyệt"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("bước duyệt dự thảo")
        verbose_name_plural = _("bước duyệt dự thảo")
        ordering = ["agency_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "position"], name="documents_review_step_unique"),
        ]

    def __str__(self):
        return self.title


# The documents received through the exchange, in literal SQL, for a query by edXML DocumentId: the
# unique index ``documents_exchange_once`` covers only them, and PostgreSQL's generic plan of a prepared
# statement (its values unknown) uses a partial index only if the query states the index's condition as a
# constant. Without it, every received packet read all of its agency's documents (ADR 0189).
HAS_EXCHANGE_ID = RawSQL('"documents_document"."exchange_id" <> \'\'', (), output_field=models.BooleanField())


class Document(models.Model):
    """An incoming (văn bản đến) or outgoing (văn bản đi) document with the metadata of Decree 30's
    Appendix VI. A secret document keeps its metadata only: ``file`` stays empty."""

    class Direction(models.TextChoices):
        INCOMING = "in", _("Văn bản đến")
        OUTGOING = "out", _("Văn bản đi")

    class Status(models.TextChoices):
        # incoming
        REGISTERED = "registered", _("Đã vào sổ")
        ROUTED = "routed", _("Chờ lãnh đạo phân công")
        IN_PROGRESS = "in_progress", _("Đang xử lý")
        DONE = "done", _("Hoàn thành")
        REFUSED = "refused", _("Từ chối tiếp nhận")
        # outgoing
        DRAFT = "draft", _("Dự thảo")
        IN_REVIEW = "in_review", _("Đang trình duyệt")
        RETURNED = "returned", _("Trả lại để chỉnh sửa")
        TO_SIGN = "to_sign", _("Chờ lãnh đạo ký")
        SIGNED = "signed", _("Đã ký, chờ văn thư cấp số")
        ISSUED = "issued", _("Đã cấp số, đóng dấu")
        RELEASED = "released", _("Đã phát hành")
        # incoming, recalled by its sender through the exchange: kept, marked, out of handling
        RECALLED = "recalled", _("Đã bị nơi gửi thu hồi")

    class OcrState(models.TextChoices):
        NONE = "", _("Không cần")
        PENDING = "pending", _("Đang chờ nhận dạng")
        DONE = "done", _("Đã nhận dạng")
        FAILED = "failed", _("Không nhận dạng được")

    class Source(models.TextChoices):
        PAPER = "paper", _("Văn bản giấy (nhập thông tin)")
        SCAN = "scan", _("Bản quét tải lên")
        EXCHANGE = "exchange", _("Trục liên thông văn bản")
        INTERNAL = "internal", _("Văn bản điện tử trong hệ thống")
        DRAFTED = "drafted", _("Soạn thảo trên hệ thống")

    direction = models.CharField(_("loại"), max_length=3, choices=Direction.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+", db_index=True
    )
    register = models.ForeignKey(Register, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices)
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices)
    # Appendix VI
    number = models.CharField(_("số"), max_length=20, blank=True)
    symbol = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    doc_type = models.ForeignKey(DocumentType, verbose_name=_("loại văn bản"), on_delete=models.PROTECT)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuing_organ = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    drafting_unit = models.CharField(_("đơn vị soạn thảo (viết tắt)"), max_length=30, blank=True)
    subject = models.CharField(_("trích yếu nội dung"), max_length=1000)
    signer_name = models.CharField(_("người ký"), max_length=200, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    signer_authority = models.CharField(
        _("thẩm quyền ký (TM., KT., Q., TL., TUQ.)"), max_length=10, blank=True
    )
    secrecy = models.CharField(_("độ mật"), max_length=10, choices=Secrecy.choices, blank=True, default="")
    urgency = models.PositiveSmallIntegerField(_("độ khẩn"), choices=Urgency.choices, default=Urgency.NORMAL)
    pages = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    due_date = models.DateField(_("hạn xử lý / hạn trả lời"), null=True, blank=True)
    recipients_text = models.TextField(_("nơi nhận"), blank=True)
    arrival_number = models.PositiveIntegerField(_("số đến"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("ngày đến"), null=True, blank=True)
    # content
    file = models.FileField(_("tệp văn bản"), upload_to="documents/%Y/%m/", blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    text = models.TextField(_("nội dung văn bản (lớp chữ)"), blank=True)
    search_folded = models.TextField(editable=False, blank=True)
    # links
    origin = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies_received"
    )
    external_metadata = models.JSONField(_("siêu dữ liệu gói tin"), default=dict, blank=True)
    # received through the exchange hub: the packet (its status messages go back through it) and its
    # edXML DocumentId ("{OrganId},{YYYY/MM/DD},{code}"), unique per agency so it is registered once.
    exchange_packet = models.OneToOneField(
        "exchange.IncomingPacket",
        verbose_name=_("gói tin liên thông"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    exchange_id = models.CharField(_("mã văn bản liên thông (DocumentId)"), max_length=300, blank=True)
    refusal = models.TextField(_("lý do từ chối tiếp nhận"), blank=True)
    review_step = models.ForeignKey(
        ReviewStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handling_deadline = models.DateField(_("hạn giải quyết"), null=True, blank=True)
    result = models.TextField(_("kết quả xử lý"), blank=True)
    # indexed with the direction (``documents_doc_own``): văn thư create every incoming document of
    # their agency, and search reads a person's own outgoing ones (ADR 0183)
    created_by = models.ForeignKey(
        USER, null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # published for the public (a legal or directive document on the agency's portal): only a released,
    # outgoing, non-secret document (``documents_public_only_released``); set by văn thư or a leader
    is_public = models.BooleanField(_("công khai trên cổng thông tin"), default=False)
    published_at = models.DateTimeField(_("ngày công khai"), null=True, blank=True)
    # OCR of a scan (a PDF without a text layer, or an image): done in a background job, kept apart from
    # the file's own text layer so văn thư can check (and correct) it; searched like the rest
    ocr_state = models.CharField(
        _("nhận dạng chữ (OCR)"), max_length=10, choices=OcrState.choices, blank=True, default=""
    )
    ocr_text = models.TextField(_("nội dung nhận dạng (OCR)"), blank=True)
    ocr_error = models.CharField(max_length=500, blank=True)
    ocr_at = models.DateTimeField(null=True, blank=True)
    # incoming: recalled by its sender (edXML business 1): status "recalled", out of every inbox and of
    # handling. Outgoing: our văn thư asked the exchange recipients to recall it (``services.recall``);
    # the status stays "released" (it was issued and sent), the recipients' answers are on ``Recipient``.
    recalled_at = models.DateTimeField(_("ngày bị thu hồi"), null=True, blank=True)
    recall_reason = models.TextField(_("lý do thu hồi"), blank=True)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-urgency", "-created_at"]
        indexes = [
            models.Index(fields=["agency", "direction", "status"], name="documents_doc_inbox"),
            # an agency's documents in the order of search and inboxes: Hỏa tốc first, then the newest
            # (the search's walk, ADR 0183)
            models.Index(
                fields=["agency", "-urgency", "-created_at", "-id"], name="documents_doc_search_order"
            ),
            # every document in that order: the walk of a person who sees many agencies (ADR 0183)
            models.Index(fields=["-urgency", "-created_at", "-id"], name="documents_doc_search_all"),
            # a person's own outgoing documents (search reads them by name, ADR 0183); also the foreign
            # key's index
            models.Index(fields=["created_by", "direction"], name="documents_doc_own"),
            models.Index(
                fields=["agency", "-issued_on"], condition=models.Q(is_public=True), name="documents_public"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_public=False)
                | models.Q(secrecy="", direction="out", status="released"),
                name="documents_public_only_released",
            ),
            models.UniqueConstraint(
                fields=["agency", "exchange_id"],
                condition=~models.Q(exchange_id=""),
                name="documents_exchange_once",
            ),
        ]

    def __str__(self):
        return f"{self.symbol or _('(chưa có số)')} — {self.subject[:80]}"

    @property
    def is_secret(self) -> bool:
        return bool(self.secrecy)

    @property
    def is_flash(self) -> bool:
        return self.urgency >= Urgency.FLASH

    def refresh_search(self) -> None:
        self.search_folded = fold(
            " ".join(
                str(v)
                for v in (
                    self.symbol,
                    self.subject,
                    self.issuing_organ,
                    self.signer_name,
                    self.doc_type.name if self.doc_type_id else "",
                    self.text if not self.secrecy else "",
                    self.ocr_text if not self.secrecy else "",
                )
                if v
            )
        )


class DraftVersion(models.Model):
    """A version of an outgoing draft (a PDF), numbered 1, 2, …"""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to="documents/drafts/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="documents_version_unique"),
        ]

    def __str__(self):
        return f"{self.document_id} v{self.version}"


class Note(models.Model):
    """A comment on a draft, a handler's opinion, a review decision or a result, in the processing trace."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Góp ý")
        OPINION = "opinion", _("Ý kiến xử lý")
        REVIEW = "review", _("Duyệt")
        RETURN = "return", _("Trả lại")
        RESULT = "result", _("Kết quả")
        TRACE = "trace", _("Diễn biến")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("nội dung"))
    version = models.ForeignKey(
        DraftVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Assignment(models.Model):
    """Who handles an incoming document: the lead (chủ trì), co-handlers (phối hợp), readers (để biết).
    ``parent`` is the assignment it was sub-assigned from."""

    class Kind(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        CO = "co", _("Phối hợp")
        READER = "reader", _("Để biết")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="document_assignments")
    kind = models.CharField(_("vai trò xử lý"), max_length=10, choices=Kind.choices)
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    assigned_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="documents_assignment_unique_user"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user_id}"


class Recipient(models.Model):
    """A recipient of a released outgoing document: an agency of the platform (it gets an incoming
    entry at once) or an external agency, waiting for the exchange to send it."""

    class State(models.TextChoices):
        DELIVERED = "delivered", _("Đã chuyển trong hệ thống")
        WAITING = "waiting", _("Chờ gửi qua trục liên thông")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organ_id = models.CharField(_("mã định danh cơ quan"), max_length=35, blank=True)
    name = models.CharField(_("tên cơ quan nhận"), max_length=255)
    state = models.CharField(max_length=10, choices=State.choices)
    incoming = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # sent through the exchange hub: the outbox row that carries it (its delivery state and retries)
    packet = models.ForeignKey(
        "exchange.OutgoingPacket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_code = models.CharField(_("trạng thái bên nhận"), max_length=4, blank=True)
    # its answer to our recall (edXML status 15 agreed, 16 refused), once the document was recalled
    recall_status = models.CharField(_("trả lời đề nghị thu hồi"), max_length=2, blank=True)
    recall_answered_at = models.DateTimeField(_("trả lời thu hồi lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    RECALL_ANSWERS = {"15": _("Đồng ý thu hồi"), "16": _("Từ chối thu hồi")}

    class Meta:
        ordering = ["document_id", "id"]

    def __str__(self):
        return self.name

    @property
    def recall_label(self) -> str:
        return str(self.RECALL_ANSWERS.get(self.recall_status, ""))


class SecretReader(models.Model):
    """Someone a leader named to see a secret document (nobody else does)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="secret_readers")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    named_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    named_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="documents_secret_reader_unique"),
        ]

    def __str__(self):
        return f"{self.document_id}: {self.user_id}"


class Task(models.Model):
    """An assigned task (giao việc) from a directive: owner, co-owners, deadline, progress reports."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang thực hiện")
        DONE = "done", _("Hoàn thành")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("nội dung công việc"), max_length=500)
    directive = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name=_("văn bản chỉ đạo"),
    )
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="document_tasks")
    co_owners = models.ManyToManyField(USER, blank=True, related_name="document_co_tasks")
    deadline = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nhiệm vụ được giao")
        verbose_name_plural = _("nhiệm vụ được giao")
        ordering = ["deadline", "id"]

    def __str__(self):
        return self.title


class TaskReport(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    text = models.TextField(_("báo cáo"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.task_id}: {self.progress}%"


class Revision(models.Model):
    """An earlier state of a received document that its sender updated or replaced through the exchange
    (edXML business 2, 3): the metadata and file it had before, kept as history."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    business = models.PositiveSmallIntegerField(_("nghiệp vụ"))
    reason = models.TextField(_("lý do"), blank=True)
    metadata = models.JSONField(_("thông tin trước khi cập nhật"), default=dict)
    file = models.FileField(upload_to="documents/revisions/%Y/%m/", blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_revision_unique"),
        ]

    def __str__(self):
        return f"{self.document_id} r{self.number}"


class Copy(models.Model):
    """An electronic copy of a document (Decree 30/2020, Articles 25-27): sao y (the whole original),
    sao lục (from a sao y copy), trích sao (part of it). It has its own number in the agency's copy
    register (``15/SY-STP``), the copy form's marks on the first page, and the copying agency's
    digital signature (seal)."""

    class Form(models.TextChoices):
        EXACT = "sao_y", _("Sao y")
        FROM_COPY = "sao_luc", _("Sao lục")
        EXTRACT = "trich_sao", _("Trích sao")

    ABBREVIATIONS = {"sao_y": "SY", "sao_luc": "SL", "trich_sao": "TS"}

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="copies")
    source_copy = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("bản sao y")
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan sao"), on_delete=models.PROTECT, related_name="+"
    )
    form = models.CharField(_("hình thức sao"), max_length=10, choices=Form.choices)
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="+")
    number_entry = models.OneToOneField(NumberEntry, on_delete=models.PROTECT, related_name="copy")
    symbol = models.CharField(_("số, ký hiệu bản sao"), max_length=100)
    pages = models.CharField(_("trang trích sao"), max_length=100, blank=True)
    recipients_text = models.TextField(_("nơi nhận"), blank=True)
    file = models.FileField(upload_to="documents/copies/%Y/%m/")
    file_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bản sao văn bản")
        verbose_name_plural = _("bản sao văn bản")
        ordering = ["document_id", "-created_at"]

    def __str__(self):
        return self.symbol
