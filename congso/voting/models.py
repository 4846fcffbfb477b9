"""Voting: collective bodies, their voting rules as data, ballots (open or secret) and written polls
(lấy ý kiến thành viên bằng phiếu điện tử) between meetings (ADR 0165).

A ballot's electorate is listed once (``Elector``); each vote leaves one ``Receipt`` (unique per ballot
and voter: the database refuses a second). An open ballot also keeps the ``Vote`` (who, what, when);
a secret ballot keeps only the receipt (no choice, no time) and adds the choice to the counters on the
ballot row, so nothing links a person to a choice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Basis(models.TextChoices):
    MEMBERS = "members", _("tổng số thành viên")
    PRESENT = "present", _("số thành viên có mặt (tham gia biểu quyết)")
    CAST = "cast", _("số phiếu tán thành và không tán thành")


class NonAnswer(models.TextChoices):
    NOT_COUNTED = "not_counted", _("không tính")
    AGREE = "agree", _("tính là đồng ý")
    ABSTAIN = "abstain", _("tính là không biểu quyết")


class Choice(models.TextChoices):
    AGREE = "agree", _("Đồng ý")
    DISAGREE = "disagree", _("Không đồng ý")
    ABSTAIN = "abstain", _("Không biểu quyết")
    OTHER = "other", _("Ý kiến khác")


class Rule(models.Model):
    """How a collective decides (quy chế làm việc): quorum, majority basis and threshold, and how a
    member's non-answer counts. Fractions are ``num/den``; ``strict`` means "more than" (quá), else
    "at least" (ít nhất). A zero ``quorum_num`` means no quorum."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên quy tắc"), max_length=200)
    description = models.TextField(_("căn cứ, ghi chú"), blank=True, max_length=2000)
    quorum_num = models.PositiveSmallIntegerField(_("túc số: tử số"), default=1)
    quorum_den = models.PositiveSmallIntegerField(_("túc số: mẫu số"), default=2)
    quorum_strict = models.BooleanField(_("túc số: quá (không tính bằng)"), default=True)
    basis = models.CharField(
        _("tỷ lệ tính trên"), max_length=10, choices=Basis.choices, default=Basis.MEMBERS
    )
    threshold_num = models.PositiveSmallIntegerField(_("ngưỡng thông qua: tử số"), default=1)
    threshold_den = models.PositiveSmallIntegerField(_("ngưỡng thông qua: mẫu số"), default=2)
    threshold_strict = models.BooleanField(_("ngưỡng: quá (không tính bằng)"), default=True)
    non_answer = models.CharField(
        _("thành viên không trả lời"), max_length=12, choices=NonAnswer.choices, default=NonAnswer.NOT_COUNTED
    )
    allow_other = models.BooleanField(_("cho phép “ý kiến khác”"), default=True)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("quy tắc biểu quyết")
        verbose_name_plural = _("quy tắc biểu quyết")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quorum_den__gt=0, threshold_den__gt=0), name="voting_rule_den_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(quorum_num__lte=models.F("quorum_den"))
                & models.Q(threshold_num__lte=models.F("threshold_den")),
                name="voting_rule_fraction_le_one",
            ),
        ]

    def __str__(self):
        return self.name


class Body(models.Model):
    """A collective (tập thể): the People's Committee, a council, a board; its members vote."""

    name = models.CharField(_("tên tập thể"), max_length=255)
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(
        Rule, verbose_name=_("quy tắc biểu quyết"), on_delete=models.PROTECT, related_name="bodies"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("thành viên"), related_name="voting_bodies", blank=True
    )
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("thư ký"), related_name="voting_secretary_of", blank=True
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("tập thể biểu quyết")
        verbose_name_plural = _("tập thể biểu quyết")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Ballot(models.Model):
    """One question put to a vote. ``subject`` names what it is about, prefixed by the owning app
    ("voting.poll:12", "meetings.item:5"). Counters hold the tally of both kinds of ballot; ``version``
    grows on every vote and on closing (the live pages' cheap check)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang biểu quyết")
        CLOSED = "closed", _("Đã kết thúc")

    subject = models.CharField(_("đối tượng"), max_length=100, db_index=True)
    title = models.CharField(_("nội dung biểu quyết"), max_length=500)
    rule = models.ForeignKey(Rule, verbose_name=_("quy tắc"), on_delete=models.PROTECT, related_name="+")
    spec = models.JSONField(_("quy tắc khi mở phiếu"), default=dict, blank=True)
    secret = models.BooleanField(_("bỏ phiếu kín"), default=False)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN)
    version = models.PositiveIntegerField(default=1)
    electorate_size = models.PositiveIntegerField(_("số người có quyền biểu quyết"), default=0)
    voted = models.PositiveIntegerField(_("số người đã biểu quyết"), default=0)
    agree = models.PositiveIntegerField(default=0)
    disagree = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)
    other = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(
        _("số có mặt (do ứng dụng chủ trì cho biết)"), null=True, blank=True
    )
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closes_at = models.DateTimeField(_("hạn kết thúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phiếu biểu quyết")
        verbose_name_plural = _("phiếu biểu quyết")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["status", "closes_at"], name="voting_ballot_due")]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Elector(models.Model):
    """A person entitled to vote on a ballot (the electorate, listed when the ballot opens)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="electors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "user"], name="voting_elector_unique")]

    def __str__(self):
        return f"{self.ballot_id}:{self.user_id}"


class Receipt(models.Model):
    """That ``voter`` voted on ``ballot`` — nothing else (no choice, no time): the database's guarantee
    of one vote per voter, for open and secret ballots alike."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="receipts")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "voter"], name="voting_receipt_unique")]

    def __str__(self):
        return f"{self.ballot_id}:{self.voter_id}"


class Vote(models.Model):
    """An open ballot's vote: who (``voter``, the person it counts for; ``cast_by`` who clicked, a
    delegate perhaps), what, when, and a comment. Never written for a secret ballot."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("lựa chọn"), max_length=10, choices=Choice.choices)
    comment = models.TextField(_("ý kiến"), blank=True, max_length=4000)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cast_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["ballot", "voter"], name="voting_vote_unique")]

    def __str__(self):
        return f"{self.ballot_id}:{self.voter_id}"


class Poll(models.Model):
    """A written poll of a body's members (phiếu lấy ý kiến): a draft with a deadline; its ballot holds
    the answers; closing records the tally under the body's rule and a signed PDF of the result."""

    body = models.ForeignKey(Body, verbose_name=_("tập thể"), on_delete=models.PROTECT, related_name="polls")
    title = models.CharField(_("trích yếu"), max_length=500)
    text = models.TextField(_("nội dung xin ý kiến"), max_length=20000)
    attachment = models.FileField(_("dự thảo đính kèm"), upload_to="voting/polls/%Y/", blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    deadline = models.DateTimeField(_("hạn trả lời"))
    ballot = models.OneToOneField(Ballot, on_delete=models.PROTECT, related_name="poll")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    result_document = models.ForeignKey(
        "signing.IssuedDocument",
        verbose_name=_("biên bản kết quả (PDF ký số)"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("phiếu lấy ý kiến")
        verbose_name_plural = _("phiếu lấy ý kiến")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title
