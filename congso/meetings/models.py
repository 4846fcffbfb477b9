"""Paperless meetings (hệ thống thông tin phục vụ họp): meeting types and rooms as data, meetings with
their invitees (roles, answers, delegates), agendas with papers and private annotations, check-in,
the speaking queue, the secretary's minutes, conclusions that become documents' tasks. ADR 0164."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congso.directory.models import Agency

USER = settings.AUTH_USER_MODEL


def room_name() -> str:
    """An unguessable video room name (the Jitsi room is public to whoever knows its name)."""
    return "congso-" + secrets.token_urlsafe(18)


class MeetingType(models.Model):
    """A kind of meeting (regular session of the People's Committee, thematic, agency meeting), its
    voting rule and how many days before the meeting its papers are published. Data records that
    administrators edit."""

    class Kind(models.TextChoices):
        PC_REGULAR = "pc_regular", _("Phiên họp thường kỳ của Ủy ban nhân dân")
        THEMATIC = "thematic", _("Họp chuyên đề")
        AGENCY = "agency", _("Họp cơ quan")

    name = models.CharField(_("tên loại cuộc họp"), max_length=200, unique=True)
    kind = models.CharField(_("nhóm"), max_length=20, choices=Kind.choices)
    papers_days_before = models.PositiveSmallIntegerField(_("số ngày gửi tài liệu trước cuộc họp"), default=3)
    rule = models.ForeignKey(
        "voting.Rule",
        verbose_name=_("quy tắc biểu quyết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Túc số và đa số của các cuộc biểu quyết trong loại cuộc họp này."),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại cuộc họp")
        verbose_name_plural = _("loại cuộc họp")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class Room(models.Model):
    """A meeting room of an agency."""

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên phòng họp"), max_length=200)
    capacity = models.PositiveIntegerField(_("sức chứa"), null=True, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("phòng họp")
        verbose_name_plural = _("phòng họp")
        ordering = ["agency_id", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="meetings_room_unique_name")]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Đã lên lịch")
        IN_PROGRESS = "in_progress", _("Đang họp")
        ENDED = "ended", _("Đã kết thúc")
        CANCELLED = "cancelled", _("Đã hủy")

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    meeting_type = models.ForeignKey(MeetingType, verbose_name=_("loại cuộc họp"), on_delete=models.PROTECT)
    title = models.CharField(_("tên cuộc họp"), max_length=500)
    body = models.ForeignKey(
        "voting.Body",
        verbose_name=_("tập thể"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chair = models.ForeignKey(USER, verbose_name=_("chủ trì"), on_delete=models.PROTECT, related_name="+")
    secretary = models.ForeignKey(USER, verbose_name=_("thư ký"), on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(
        Room, verbose_name=_("phòng họp"), null=True, blank=True, on_delete=models.PROTECT
    )
    video_room = models.CharField(_("phòng họp trực tuyến"), max_length=80, blank=True)
    start = models.DateTimeField(_("bắt đầu"), db_index=True)
    end = models.DateTimeField(_("kết thúc"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    papers_published_at = models.DateTimeField(_("đã gửi tài liệu lúc"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    conclusion_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("thông báo kết luận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("cuộc họp")
        verbose_name_plural = _("cuộc họp")
        ordering = ["-start", "id"]
        indexes = [models.Index(fields=["agency", "start"], name="meetings_agency_start")]

    def __str__(self):
        return self.title

    @property
    def papers_due(self):
        return self.start - timezone.timedelta(days=self.meeting_type.papers_days_before)

    @property
    def video_url(self) -> str:
        base = (getattr(settings, "CONGSO_JITSI_URL", "") or "").rstrip("/")
        return f"{base}/{self.video_room}" if base and self.video_room else ""


class Invitee(models.Model):
    """Someone invited to a meeting, with their role and answer. A delegate (cử người dự thay) acts in
    their place — check in, vote — until the invitee revokes the delegation."""

    class Role(models.TextChoices):
        MEMBER = "member", pgettext_lazy("meeting", "Thành viên")
        GUEST = "guest", _("Khách mời")
        REPORTER = "reporter", _("Người báo cáo")

    class Answer(models.TextChoices):
        PENDING = "pending", _("Chưa trả lời")
        CONFIRMED = "confirmed", _("Xác nhận dự họp")
        DECLINED = "declined", _("Báo vắng")
        DELEGATED = "delegated", _("Cử người dự thay")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="meeting_invitations")
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    answer = models.CharField(_("trả lời"), max_length=10, choices=Answer.choices, default=Answer.PENDING)
    decline_reason = models.CharField(_("lý do vắng"), max_length=500, blank=True)
    delegate = models.ForeignKey(
        USER,
        verbose_name=_("người dự thay"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    check_in_method = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("người được mời")
        verbose_name_plural = _("người được mời")
        ordering = ["meeting_id", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="meetings_invitee_unique")]

    def __str__(self):
        return f"{self.meeting_id}: {self.user_id}"

    @property
    def acting_user_id(self) -> int:
        """Who acts for this seat: the delegate while the delegation stands, else the invitee."""
        return self.delegate_id if self.answer == self.Answer.DELEGATED and self.delegate_id else self.user_id


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("nội dung"), max_length=500)
    reporting_agency = models.CharField(_("cơ quan trình"), max_length=255, blank=True)
    minutes_allotted = models.PositiveSmallIntegerField(_("thời gian (phút)"), default=15)
    closed = models.BooleanField(
        _("nội dung họp kín"), default=False, help_text=_("Tài liệu chỉ người được mời xem được.")
    )
    minutes = models.TextField(_("biên bản (thư ký ghi)"), blank=True)
    minutes_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    minutes_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nội dung chương trình họp")
        verbose_name_plural = _("nội dung chương trình họp")
        ordering = ["meeting_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="meetings_item_unique_pos")
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"


class Paper(models.Model):
    """A paper of an agenda item: a document of the documents app, or a file uploaded here."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(_("tên tài liệu"), max_length=300)
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="meetings/%Y/%m/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item_id", "id"]

    def __str__(self):
        return self.title


class Annotation(models.Model):
    """A member's private note on a paper: only its author ever sees it."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("ghi chú riêng"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["paper_id", "created_at", "id"]
        indexes = [models.Index(fields=["paper", "author"], name="meetings_annotation_author")]

    def __str__(self):
        return f"{self.paper_id}: {self.author_id}"


class SpeakRequest(models.Model):
    """A request to speak, ordered and given the floor by the chair."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Đang chờ")
        SPEAKING = "speaking", _("Đang phát biểu")
        DONE = "done", _("Đã phát biểu")
        WITHDRAWN = "withdrawn", _("Đã rút")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speak_requests")
    invitee = models.ForeignKey(Invitee, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    order = models.PositiveIntegerField(default=0)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting_id", "order", "id"]

    def __str__(self):
        return f"{self.meeting_id}: {self.user_id} ({self.state})"


class ItemVote(models.Model):
    """A vote on an agenda item: a ballot of the voting app (subject "meetings.item:<item id>")."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    ballot = models.OneToOneField("voting.Ballot", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["item_id", "id"]

    def __str__(self):
        return f"{self.item_id}: {self.ballot_id}"


class Conclusion(models.Model):
    """One conclusion of the meeting (kết luận), with its owner and deadline; becomes a documents Task
    once the conclusion notice is issued."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conclusions")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("nội dung kết luận"))
    owner = models.ForeignKey(
        USER, verbose_name=_("người thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("hạn hoàn thành"))
    task = models.OneToOneField(
        "documents.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting_conclusion"
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting_id", "id"]

    def __str__(self):
        return self.text[:80]
