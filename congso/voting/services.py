"""Use cases of voting (ADR 0165). Each runs in one transaction, locks the ballot row
(``core.locking``; ``cast`` locks it by its counters' UPDATE, its last statement), writes its audit
entry in the same transaction and raises a
``core.errors.ServiceError`` with a Vietnamese message (nothing written) otherwise.

Generic ballots (``open_ballot``, ``cast``, ``close``) are used by the app owning their subject
(meetings for an agenda item, this app for written polls), which checks who may open and close them.
A secret ballot's choice is never written anywhere but the counters of the ballot row, and never logged.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit, compiled
from congso.core.errors import Conflict, Forbidden, InvalidFields, NotFound, ServiceError
from congso.core.locking import lock
from congso.core.permissions import require

from . import hooks, validation
from .models import Ballot, Basis, Elector, NonAnswer, Receipt, Rule, Vote
from .rules import RuleSpec, Tally, evaluate

log = logging.getLogger(__name__)

MAX_ELECTORATE = 5000


def _locked_ballot(ballot_id) -> Ballot:
    try:
        ballot_id = int(ballot_id)
    except (TypeError, ValueError):
        ballot_id = 0
    if not lock(Ballot, pk=ballot_id):
        raise NotFound(_("Không tìm thấy phiếu biểu quyết."), code="ballot_not_found")
    return Ballot.objects.select_related("rule").get(pk=ballot_id)


# The reads and writes of a cast, compiled once per process (``core.compiled``): the ORM's building of these
# small statements cost more CPU than running them, and a meeting's 200 members vote within seconds.
_BALLOT = compiled.CompiledQuery(
    lambda pk: Ballot.objects.filter(pk=pk).values_list(
        *compiled.fields_of(Ballot), *compiled.fields_of(Rule, "rule__")
    ),
    model=Ballot,
)
_STANDING = compiled.CompiledQuery(
    lambda ballot_id, user_id: (
        Elector.objects.filter(ballot_id=ballot_id, user_id=user_id)
        .annotate(
            voted=Exists(
                Receipt.objects.filter(ballot_id=OuterRef("ballot_id"), voter_id=OuterRef("user_id"))
            )
        )
        .values_list("voted")
    ),
    model=Elector,
)


def _ballot(ballot_id) -> Ballot:
    pk = compiled.key(ballot_id)
    rows = _BALLOT.rows(pk) if pk else []
    if not rows:
        raise NotFound(_("Không tìm thấy phiếu biểu quyết."), code="ballot_not_found")
    return compiled.from_row(Ballot, rows[0], related=[("rule", Rule)])


def _count(ballot: Ballot, choice: str) -> bool:
    """Add the vote to the ballot's counters if it is still open: one UPDATE, which takes the row lock,
    waits for a concurrent close and then sees it (the WHERE is re-checked on PostgreSQL)."""
    quote = connection.ops.quote_name

    def col(name: str) -> str:  # a column from the model's metadata (choice is validated against them)
        return quote(Ballot._meta.get_field(name).column)

    voted, version, column = col("voted"), col("version"), col(choice)
    sql = (
        f"UPDATE {quote(Ballot._meta.db_table)} SET {voted} = {voted} + 1, "  # noqa: S608 — names from _meta
        f"{version} = {version} + 1, {column} = {column} + 1 WHERE {col('id')} = %s AND {col('status')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ballot.pk, Ballot.Status.OPEN.value])
        return cursor.rowcount == 1


def subject_prefix(subject: str) -> str:
    return subject.split(":", 1)[0]


def open_ballot(
    *,
    subject: str,
    title: str,
    electorate: list[int],
    rule: Rule,
    secret: bool,
    by,
    closes_at: dt.datetime | None = None,
    present: int | None = None,
) -> Ballot:
    """Open a ballot for ``electorate`` (user ids) under ``rule``. The caller has checked that ``by``
    may put the question."""
    subject = (subject or "").strip()
    if not subject or len(subject) > 100:
        raise ServiceError(_("Thiếu đối tượng biểu quyết."), field="subject", code="required")
    title = validation.clean_title(title)
    closes_at = validation.clean_deadline(closes_at, field="closes_at")
    ids = sorted({int(i) for i in electorate})
    if not ids:
        raise ServiceError(
            _("Danh sách người biểu quyết đang trống."), field="electorate", code="empty_electorate"
        )
    if len(ids) > MAX_ELECTORATE:
        raise ServiceError(_("Danh sách người biểu quyết quá dài."), field="electorate", code="too_many")
    found = set(get_user_model().objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    if found != set(ids):
        raise ServiceError(
            _("Có người trong danh sách biểu quyết không tồn tại hoặc đã bị khoá."),
            field="electorate",
            code="unknown_elector",
        )
    if rule is None or not rule.is_active:
        raise ServiceError(
            _("Quy tắc biểu quyết không còn được sử dụng."), field="rule", code="rule_inactive"
        )
    with transaction.atomic():
        ballot = Ballot.objects.create(
            subject=subject,
            title=title,
            rule=rule,
            spec=RuleSpec.of(rule).as_dict(),
            secret=bool(secret),
            electorate_size=len(ids),
            opened_by=by,
            closes_at=closes_at,
            present=present,
        )
        Elector.objects.bulk_create([Elector(ballot=ballot, user_id=i) for i in ids])
        audit.record(
            "voting.open",
            obj=ballot,
            actor=by,
            data={"subject": subject, "secret": ballot.secret, "electorate": len(ids), "rule": rule.code},
        )
    return ballot


def voter_for(ballot: Ballot, user) -> tuple[int, bool]:
    """The elector the ``user``'s vote counts for (``hooks.voter_check`` of the subject's app, else the
    user) and whether that elector has voted already, or a refusal."""
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(_("Vui lòng đăng nhập để biểu quyết."), code="login_required")
    check = (
        hooks.voter_check[subject_prefix(ballot.subject)]
        if subject_prefix(ballot.subject) in hooks.voter_check
        else None
    )
    voter_id = user.pk
    if check is not None:
        answer = check(ballot, user)
        if isinstance(answer, str):
            raise Forbidden(answer, code="not_eligible")
        voter_id = int(answer)
    standing = _STANDING.rows(ballot.pk, voter_id)
    if not standing:
        raise Forbidden(_("Bạn không có quyền biểu quyết phiếu này."), code="not_eligible")
    return voter_id, bool(standing[0][0])


def cast(ballot_id, *, user, choice: str, comment: str = "", now: dt.datetime | None = None) -> Receipt:
    """Record ``user``'s vote (or, through ``hooks.voter_check``, the vote of the elector they stand in
    for). Refused when the ballot is closed or past its deadline, the user may not vote, or the vote
    was already given."""
    now = now or timezone.now()
    closed = Conflict(_("Phiếu biểu quyết đã kết thúc; không thể biểu quyết nữa."), code="ballot_closed")
    twice = Conflict(
        _("Phiếu này đã được biểu quyết; mỗi người chỉ biểu quyết một lần."), code="already_voted"
    )
    with transaction.atomic():
        # No lock while checking: the row is locked by the counters' UPDATE, the transaction's last
        # statement, so concurrent casts wait on each other only for that statement and the commit.
        ballot = _ballot(ballot_id)
        if not ballot.is_open or (ballot.closes_at and ballot.closes_at <= now):
            raise closed
        choice = validation.clean_choice(choice, allow_other=ballot.rule.allow_other)
        comment = validation.clean_comment(comment, choice=choice, secret=ballot.secret)
        voter_id, voted = voter_for(ballot, user)
        if voted:
            raise twice
        receipt = Receipt(ballot=ballot, voter_id=voter_id)
        try:
            compiled.insert([receipt])
        except IntegrityError:  # the same voter at the same moment: the unique constraint decides
            raise twice from None  # (no savepoint needed: the whole cast rolls back)
        if not ballot.secret:
            Vote.objects.create(
                ballot=ballot, voter_id=voter_id, cast_by=user, choice=choice, comment=comment
            )
        data = {"voter": voter_id}
        if not ballot.secret:
            data["choice"] = choice
        if voter_id != user.pk:
            data["on_behalf"] = True
        audit.record("voting.cast", obj=ballot, actor=user, data=data)
        # Row lock: waits for a concurrent close, then sees it, so no vote is counted after the tally;
        # the whole cast then rolls back.
        if not _count(ballot, choice):
            raise closed
    return receipt


def tally_of(ballot: Ballot, *, closed: bool | None = None) -> Tally:
    return evaluate(
        RuleSpec(**ballot.spec) if ballot.spec else RuleSpec.of(ballot.rule),
        electorate=ballot.electorate_size,
        agree=ballot.agree,
        disagree=ballot.disagree,
        abstain=ballot.abstain,
        other=ballot.other,
        present=ballot.present,
        closed=(not ballot.is_open) if closed is None else closed,
    )


def set_present(ballot_id, *, present: int, by) -> Ballot:
    """The owning app tells how many electors are present (a meeting's check-ins)."""
    with transaction.atomic():
        ballot = _locked_ballot(ballot_id)
        if not ballot.is_open:
            raise Conflict(_("Phiếu biểu quyết đã kết thúc."), code="ballot_closed")
        ballot.present = max(0, min(int(present), ballot.electorate_size))
        ballot.version += 1
        ballot.save(update_fields=["present", "version"])
    return ballot


def close(ballot_id, *, by, present: int | None = None, now: dt.datetime | None = None) -> Tally:
    """Close the ballot and record its tally under its rule (non-answers counted as the rule says).
    The caller has checked that ``by`` may close it (None: the system, at the deadline)."""
    now = now or timezone.now()
    with transaction.atomic():
        ballot = _locked_ballot(ballot_id)
        if not ballot.is_open:
            raise Conflict(_("Phiếu biểu quyết đã kết thúc trước đó."), code="ballot_closed")
        if present is not None:
            ballot.present = max(0, min(int(present), ballot.electorate_size))
        ballot.status = Ballot.Status.CLOSED
        tally = tally_of(ballot, closed=True)
        ballot.result = tally.as_dict()
        ballot.closed_at = now
        ballot.closed_by = by
        ballot.version += 1
        ballot.save(update_fields=["status", "result", "closed_at", "closed_by", "version", "present"])
        audit.record("voting.close", obj=ballot, actor=by, data=ballot.result)
        hooks.ballot_closed.fire(ballot=ballot, tally=tally)
    return tally


RULE_FIELDS = (
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
)


def save_rule(*, by, values: dict, rule_id=None) -> Rule:
    """Create or change a rule (administrators). Ballots already open keep the rule as it was when they
    opened (``Ballot.spec``)."""
    require(by, "voting.manage", None, _("Chỉ quản trị viên mới được sửa quy tắc biểu quyết."))
    errors = validation.rule_errors(values, valid_bases=Basis.values, valid_non_answers=NonAnswer.values)
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic():
        if rule_id is None:
            if Rule.objects.filter(code=values["code"]).exists():
                raise ServiceError(_("Mã quy tắc này đã có."), field="code", code="duplicate")
            rule = Rule()
        else:
            if not lock(Rule, pk=rule_id):
                raise NotFound(_("Không tìm thấy quy tắc biểu quyết."))
            rule = Rule.objects.get(pk=rule_id)
            if Rule.objects.filter(code=values["code"]).exclude(pk=rule.pk).exists():
                raise ServiceError(_("Mã quy tắc này đã có."), field="code", code="duplicate")
        before = {f: getattr(rule, f) for f in RULE_FIELDS} if rule.pk else {}
        for name in RULE_FIELDS:
            if name in values:
                setattr(rule, name, values[name])
        rule.save()
        changed = sorted(f for f in RULE_FIELDS if before.get(f) != getattr(rule, f))
        audit.record("voting.rule_save", obj=rule, actor=by, data={"changed": changed})
    return rule
