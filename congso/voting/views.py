"""Pages of voting: a member's written polls ("phiếu lấy ý kiến") and the answer page (phone first),
the secretary's sending and following, the result and its signed PDF, the live fragment every open
page polls, and the rules' administration. Thin: every decision is in ``services``/``polls``/``selectors``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congso.core.errors import ServiceError
from congso.core.forms import service_error_to_form
from congso.core.permissions import can, require
from congso.core.uploads import Upload

from . import polls, selectors, services
from .forms import AnswerForm, PollForm, RuleForm
from .models import Ballot, Choice, Rule


def live_ms() -> int:
    return int(getattr(settings, "CONGSO_VOTING_LIVE_MS", 500))


@login_required
def poll_list(request):
    user = request.user
    mine = list(selectors.polls_for_member(user)[:100])
    for poll in mine:
        poll.answered = selectors.has_voted(poll.ballot, user.pk)
    context = {
        "open_polls": [p for p in mine if p.ballot.is_open],
        "closed_polls": [p for p in mine if not p.ballot.is_open],
        "bodies": list(selectors.bodies_run_by(user)),
        "followed": list(selectors.polls_for_secretary(user)[:100]),
    }
    return render(request, "voting/poll_list.html", context)


def _visible(request, pk):
    poll = selectors.visible_poll(pk, request.user)
    if poll is None:
        raise Http404
    return poll


def _live_context(ballot_id: int) -> dict:
    return {"live": selectors.live(ballot_id), "live_ms": live_ms(), "choice_labels": dict(Choice.choices)}


@login_required
@require_http_methods(["GET", "POST"])
def poll_page(request, pk):
    poll = _visible(request, pk)
    user = request.user
    ballot = poll.ballot
    is_elector = selectors.is_elector(ballot, user.pk)
    mine = selectors.my_vote(ballot, user) if is_elector else None
    form = AnswerForm(request.POST or None, allow_other=ballot.rule.allow_other)
    status = 200
    if request.method == "POST":
        form.is_valid()
        try:
            polls.answer(
                poll.pk,
                user=user,
                choice=request.POST.get("choice", ""),
                comment=request.POST.get("comment", ""),
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Đã ghi nhận ý kiến của đồng chí."))
            return redirect("voting:poll", pk=poll.pk)
    runs = can(user, "voting.run_poll", poll.body)
    closed = not ballot.is_open
    context = {
        "poll": poll,
        "ballot": ballot,
        "form": form,
        "may_answer": is_elector and mine is None and ballot.is_open,
        "mine": mine,
        "runs": runs,
        "answers": selectors.answers(poll) if runs or closed else None,
        "tally": selectors.tally(ballot) if closed else None,
        "missing": list(polls.missing(poll)) if runs and ballot.is_open else [],
        **_live_context(ballot.pk),
    }
    return render(request, "voting/poll.html", context, status=status)


@login_required
def live_fragment(request, ballot_id):
    """The live part of a ballot's page, polled by htmx every CONGSO_VOTING_LIVE_MS: 204 (nothing to
    swap) while the version the page shows (``?v=``) is the current one — one indexed read."""
    row = Ballot.objects.filter(pk=ballot_id).only("pk", "subject", "opened_by", "version").first()
    if row is None or not selectors.may_follow(row, request.user):
        raise Http404
    if request.GET.get("v") == str(row.version):
        return HttpResponse(status=204)
    return render(request, "voting/_live.html", _live_context(row.pk))


@login_required
@require_http_methods(["GET", "POST"])
def poll_create(request):
    bodies = list(selectors.bodies_run_by(request.user))
    if not bodies:
        raise PermissionDenied
    form = PollForm(request.POST or None, request.FILES or None, bodies=bodies)
    status = 200
    if request.method == "POST":
        form.is_valid()
        upload = request.FILES.get("attachment")
        try:
            poll = polls.create_poll(
                body_id=request.POST.get("body", ""),
                by=request.user,
                title=request.POST.get("title", ""),
                text=request.POST.get("text", ""),
                deadline=form.cleaned_data.get("deadline") if hasattr(form, "cleaned_data") else None,
                attachment=Upload("attachment", upload, upload.name) if upload else None,
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
            status = exc.status
        except PermissionDenied:
            form.add_error(None, _("Chỉ thư ký của tập thể mới được gửi phiếu lấy ý kiến."))
            status = 403
        else:
            messages.success(request, _("Đã gửi phiếu lấy ý kiến đến các thành viên."))
            return redirect("voting:poll", pk=poll.pk)
    return render(request, "voting/poll_create.html", {"form": form}, status=status)


@login_required
@require_POST
def poll_remind(request, pk):
    poll = _visible(request, pk)
    try:
        n = polls.remind(poll.pk, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã nhắc %(n)s thành viên chưa trả lời.") % {"n": n})
    return redirect("voting:poll", pk=poll.pk)


@login_required
@require_POST
def poll_close(request, pk):
    poll = _visible(request, pk)
    try:
        polls.close_poll(poll.pk, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã kết thúc lấy ý kiến và ghi nhận kết quả."))
    return redirect("voting:poll", pk=poll.pk)


@login_required
def poll_attachment(request, pk):
    poll = _visible(request, pk)
    if not poll.attachment:
        raise Http404
    return FileResponse(
        poll.attachment.open("rb"),
        content_type="application/pdf",
        filename=poll.attachment_name or "du-thao.pdf",
    )


@login_required
def poll_result_pdf(request, pk):
    poll = _visible(request, pk)
    if not poll.result_document_id or not poll.result_document.file:
        raise Http404
    return FileResponse(
        poll.result_document.file.open("rb"),
        content_type="application/pdf",
        filename=f"ket-qua-lay-y-kien-{poll.pk}.pdf",
    )


# --- rules (administrators) ------------------------------------------------------------------------


@login_required
def rule_list(request):
    require(request.user, "voting.manage")
    return render(request, "voting/rules.html", {"rules": Rule.objects.all()})


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request, pk=None):
    require(request.user, "voting.manage")
    rule = None
    if pk is not None:
        rule = Rule.objects.filter(pk=pk).first()
        if rule is None:
            raise Http404
    form = RuleForm(request.POST or None, instance=rule)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_rule(by=request.user, values=form.cleaned_data, rule_id=pk)
            except ServiceError as exc:
                service_error_to_form(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Đã lưu quy tắc biểu quyết."))
                return redirect("voting:rules")
        else:
            status = 400
    return render(request, "voting/rule_edit.html", {"form": form, "rule": rule}, status=status)
