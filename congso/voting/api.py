"""Voting API under /api/v1/voting: written polls (a member's list, answering, the secretary's
sending, reminding, following and closing, the result), a ballot's live state (with an ETag: a
repeated request with ``If-None-Match`` costs one indexed read and answers 304), casting a vote on any
ballot the user may vote on, and the bodies and rules. The same service functions as the pages."""

import datetime as dt

from django.http import Http404, HttpResponse
from ninja import File, Form, Router, Schema, Status, UploadedFile

from congso.core.api_auth import read_auth, write_auth
from congso.core.permissions import can, require
from congso.core.uploads import Upload

from . import polls, selectors, services
from .models import Ballot, Body, Poll, Rule

router = Router(tags=["Biểu quyết, lấy ý kiến"], auth=read_auth)


class VotingCounts(Schema):
    agree: int
    disagree: int
    abstain: int
    other: int


class VotingLive(Schema):
    id: int
    status: str
    version: int
    secret: bool
    electorate: int
    voted: int
    counts: VotingCounts | None
    result: dict | None


class VotingTally(Schema):
    electorate: int
    asked: int
    voted: int
    agree: int
    disagree: int
    abstain: int
    other: int
    non_answers: int
    non_answer_rule: str
    participating: int
    quorum_needed: int
    quorum_met: bool
    basis: str
    basis_count: int
    needed: int
    passed: bool
    closed: bool


class VotingVoteIn(Schema):
    choice: str
    comment: str = ""


class VotingReceiptOut(Schema):
    ballot: int
    voted: bool


class VotingPollRow(Schema):
    id: int
    body: str
    title: str
    deadline: dt.datetime
    status: str
    answered: bool
    passed: bool | None


class VotingAnswerOut(Schema):
    member: str
    choice: str
    comment: str
    at: dt.datetime | None


class VotingPollOut(VotingPollRow):
    text: str
    attachment_url: str
    ballot: int
    rule: str
    my_choice: str
    my_comment: str
    tally: VotingTally | None
    answers: list[VotingAnswerOut] | None
    result_pdf_url: str


class VotingPollIn(Schema):
    body: int
    title: str
    text: str
    deadline: dt.datetime


class VotingReminded(Schema):
    reminded: int


class VotingBodyOut(Schema):
    id: int
    name: str
    agency: str
    rule: str
    members: int
    secretary: bool


class VotingRuleOut(Schema):
    code: str
    name: str
    description: str
    quorum: str
    basis: str
    threshold: str
    non_answer: str
    allow_other: bool


def _row(poll: Poll, user) -> dict:
    ballot = poll.ballot
    return {
        "id": poll.pk,
        "body": poll.body.name,
        "title": poll.title,
        "deadline": poll.deadline,
        "status": ballot.status,
        "answered": selectors.has_voted(ballot, user.pk),
        "passed": ballot.result.get("passed") if not ballot.is_open and ballot.result else None,
    }


def poll_out(poll: Poll, user) -> dict:
    mine = selectors.my_vote(poll.ballot, user)
    runs = can(user, "voting.run_poll", poll.body)
    closed = not poll.ballot.is_open
    data = _row(poll, user) | {
        "text": poll.text,
        "attachment_url": poll.attachment and f"/bieu-quyet/lay-y-kien/{poll.pk}/du-thao/" or "",
        "ballot": poll.ballot_id,
        "rule": poll.ballot.rule.name,
        "my_choice": mine.choice if mine else "",
        "my_comment": mine.comment if mine else "",
        "tally": selectors.tally(poll.ballot).as_dict() if closed or runs else None,
        "answers": None,
        "result_pdf_url": "",
    }
    if runs or closed:
        data["answers"] = [
            {"member": r["user"].full_name, "choice": r["choice"], "comment": r["comment"], "at": r["at"]}
            for r in selectors.answers(poll)
        ]
    if poll.result_document_id:
        data["result_pdf_url"] = f"/bieu-quyet/lay-y-kien/{poll.pk}/ket-qua.pdf"
    return data


def _visible(request, poll_id) -> Poll:
    poll = selectors.visible_poll(poll_id, request.auth)
    if poll is None:
        raise Http404
    return poll


@router.get("/polls", response=list[VotingPollRow], summary="Phiếu lấy ý kiến của tôi")
def my_polls(request, role: str = "member"):
    """``role=member``: the polls I was asked to answer; ``role=secretary``: those of the bodies whose
    secretary I am."""
    user = request.auth
    rows = selectors.polls_for_secretary(user) if role == "secretary" else selectors.polls_for_member(user)
    return [_row(p, user) for p in rows[:200]]


@router.post("/polls", response={201: VotingPollOut}, auth=write_auth, summary="Gửi phiếu lấy ý kiến")
def create_poll(request, data: Form[VotingPollIn], attachment: File[UploadedFile] = None):
    poll = polls.create_poll(
        body_id=data.body,
        by=request.auth,
        title=data.title,
        text=data.text,
        deadline=data.deadline,
        attachment=Upload("attachment", attachment, getattr(attachment, "name", "")) if attachment else None,
    )
    return Status(201, poll_out(selectors.visible_poll(poll.pk, request.auth), request.auth))


@router.get("/polls/{poll_id}", response=VotingPollOut, summary="Một phiếu lấy ý kiến")
def poll_detail(request, poll_id: int):
    return poll_out(_visible(request, poll_id), request.auth)


@router.post(
    "/polls/{poll_id}/answer",
    response={201: VotingPollOut},
    auth=write_auth,
    summary="Trả lời phiếu lấy ý kiến",
)
def answer(request, poll_id: int, payload: VotingVoteIn):
    poll = _visible(request, poll_id)
    polls.answer(poll.pk, user=request.auth, choice=payload.choice, comment=payload.comment)
    return Status(201, poll_out(selectors.visible_poll(poll.pk, request.auth), request.auth))


@router.post(
    "/polls/{poll_id}/remind", response=VotingReminded, auth=write_auth, summary="Nhắc thành viên trả lời"
)
def remind(request, poll_id: int):
    poll = _visible(request, poll_id)
    return {"reminded": polls.remind(poll.pk, by=request.auth)}


@router.post("/polls/{poll_id}/close", response=VotingPollOut, auth=write_auth, summary="Kết thúc lấy ý kiến")
def close_poll(request, poll_id: int):
    poll = _visible(request, poll_id)
    polls.close_poll(poll.pk, by=request.auth)
    return poll_out(selectors.visible_poll(poll.pk, request.auth), request.auth)


@router.get(
    "/ballots/{ballot_id}/live",
    response={200: VotingLive, 304: None},
    summary="Trạng thái trực tiếp của phiếu biểu quyết (ETag)",
)
def live(request, ballot_id: int, response: HttpResponse):
    """Poll this (every half second is cheap): answer 304 while the version is unchanged. A secret
    ballot's counts appear only once it is closed."""
    ballot = Ballot.objects.filter(pk=ballot_id).only("pk", "subject", "opened_by").first()
    if ballot is None or not selectors.may_follow(ballot, request.auth):
        raise Http404
    version = selectors.live_version(ballot_id)
    etag = f'"b{ballot_id}v{version}"'
    # GZipMiddleware weakens the tag it sends (W/"…"); a weak match is what If-None-Match asks for
    if etag in {t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")}:
        return Status(304, None)
    response["ETag"] = etag
    return selectors.live(ballot_id)


@router.post(
    "/ballots/{ballot_id}/votes", response={201: VotingReceiptOut}, auth=write_auth, summary="Biểu quyết"
)
def vote(request, ballot_id: int, payload: VotingVoteIn):
    services.cast(ballot_id, user=request.auth, choice=payload.choice, comment=payload.comment)
    return Status(201, {"ballot": ballot_id, "voted": True})


@router.get("/bodies", response=list[VotingBodyOut], summary="Tập thể tôi là thành viên hoặc thư ký")
def bodies(request):
    user = request.auth
    rows = Body.objects.filter(is_active=True).select_related("agency", "rule")
    out = []
    for body in rows:
        if not can(user, "voting.view_body", body):
            continue
        out.append(
            {
                "id": body.pk,
                "name": body.name,
                "agency": body.agency.code,
                "rule": body.rule.code,
                "members": body.members.count(),
                "secretary": can(user, "voting.run_poll", body),
            }
        )
    return out


def rule_out(rule: Rule) -> dict:
    return {
        "code": rule.code,
        "name": rule.name,
        "description": rule.description,
        "quorum": selectors.describe_fraction(rule.quorum_num, rule.quorum_den, rule.quorum_strict),
        "basis": rule.basis,
        "threshold": selectors.describe_fraction(
            rule.threshold_num, rule.threshold_den, rule.threshold_strict
        ),
        "non_answer": rule.non_answer,
        "allow_other": rule.allow_other,
    }


@router.get("/rules", response=list[VotingRuleOut], summary="Quy tắc biểu quyết")
def rules(request):
    require(request.auth, "voting.see_rules")
    return [rule_out(r) for r in Rule.objects.filter(is_active=True)]
