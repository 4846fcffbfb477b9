"""Pages of official documents: inbox and search, a document with its actions, registering an incoming
document, a new draft, registers (numbers, cancellation, Excel), and the leader's dashboard (overdue
work by unit and person, assigned tasks). Thin: every change is a service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congso.core.errors import NotFound, ServiceError
from congso.core.forms import service_error_to_form
from congso.core.permissions import can
from congso.directory.models import Agency, Role
from congso.directory.scope import active_memberships

from . import exports, selectors, services
from .forms import DraftForm, IncomingForm
from .models import Copy, Document, NumberEntry, Register, Task
from .permissions import member_of
from .transitions import INCOMING, OUTGOING

S = Document.Status


def _document(request, pk) -> Document:
    try:
        return selectors.visible_document(request.user, pk)
    except NotFound:
        raise Http404 from None


def _agencies(user, rule):
    agency_ids = Register.objects.filter(is_active=True).values_list("agency_id", flat=True).distinct()
    return [a for a in Agency.objects.filter(pk__in=agency_ids).order_by("name") if can(user, rule, a)]


def _pick(request, agencies):
    if not agencies:
        raise PermissionDenied(_("Bạn không có cơ quan nào để thực hiện việc này."))
    code = request.GET.get("agency") or request.POST.get("agency")
    return next((a for a in agencies if a.code == code), agencies[0])


@login_required
def inbox(request):
    tab = request.GET.get("tab") or "in"
    q = (request.GET.get("q") or "").strip()
    if q:
        docs = list(selectors.search(request.user, q))
    elif tab == "work":
        docs = list(selectors.my_work(request.user)[:200])
    elif tab == "review":
        docs = selectors.review_inbox(request.user)
    else:
        tab = "out" if tab == "out" else "in"
        docs = list(selectors.inbox(request.user, direction=tab)[:200])
    tabs = [
        ("in", _("Văn bản đến")),
        ("out", _("Văn bản đi")),
        ("work", _("Việc của tôi")),
        ("review", _("Chờ tôi duyệt, ký")),
    ]
    return render(
        request,
        "documents/inbox.html",
        {
            "docs": docs,
            "tab": tab,
            "tabs": tabs,
            "q": q,
            "can_register": bool(_agencies(request.user, "documents.register")),
            "can_draft": bool(_agencies(request.user, "documents.draft")),
            "today": timezone.localdate(),
            "open_statuses": selectors.OPEN_INCOMING,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_incoming(request):
    agencies = _agencies(request.user, "documents.register")
    agency = _pick(request, agencies)
    form = IncomingForm(request.POST or None, request.FILES or None)
    registers = Register.objects.filter(agency=agency, direction="in", is_active=True)
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.register_incoming(
                actor=request.user,
                agency=agency,
                metadata=form.metadata(),
                upload=form.cleaned_data.get("file"),
                register=request.POST.get("register") or None,
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Đã vào sổ văn bản đến, số đến %(n)s.") % {"n": services.format_number(doc.arrival_number)},
            )
            return redirect("documents:detail", pk=doc.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "documents/form.html",
        {
            "form": form,
            "agency": agency,
            "agencies": agencies,
            "registers": registers,
            "title": _("Vào sổ văn bản đến"),
            "multipart": True,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_draft(request):
    agencies = _agencies(request.user, "documents.draft")
    agency = _pick(request, agencies)
    form = DraftForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.create_draft(
                actor=request.user,
                agency=agency,
                metadata=form.metadata(),
                upload=form.cleaned_data.get("file"),
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("Đã tạo dự thảo."))
            return redirect("documents:detail", pk=doc.pk)
    return render(
        request,
        "documents/form.html",
        {
            "form": form,
            "agency": agency,
            "agencies": agencies,
            "title": _("Soạn dự thảo văn bản đi"),
            "multipart": True,
        },
        status=400 if form.errors else 200,
    )


def _staff_choices(agency):
    User = get_user_model()
    users = User.objects.filter(memberships__agency__path__startswith=agency.path, is_active=True).distinct()
    return [u for u in users.order_by("full_name") if member_of(u, agency)]


@login_required
def detail(request, pk):
    doc = _document(request, pk)
    user = request.user
    machine = INCOMING if doc.direction == Document.Direction.INCOMING else OUTGOING
    actions = {t.name for t in machine.available(doc.status, actor=user, obj=doc)}
    handles = can(user, "documents.handle", doc) and doc.status == S.IN_PROGRESS
    if doc.direction == Document.Direction.OUTGOING:
        if doc.status in (S.DRAFT, S.RETURNED) and can(user, "documents.edit_draft", doc):
            actions.add("version")
        if doc.status not in (S.ISSUED, S.RELEASED):
            actions.add("comment")
    if handles:
        actions |= {"opinion", "sub_assign", "attach"}
    if can(user, "documents.name_readers", doc):
        actions.add("readers")
    recalled = doc.status == S.RECALLED or doc.recalled_at is not None  # by its sender, or by us
    if doc.file and not doc.is_secret and not recalled and can(user, "documents.copy", doc):
        if doc.direction == Document.Direction.INCOMING or doc.status in (S.ISSUED, S.RELEASED):
            actions.add("copy")
    if doc.file and not doc.is_secret and can(user, "documents.register", doc.agency):
        if doc.ocr_state in (Document.OcrState.DONE, Document.OcrState.FAILED):
            actions |= {"ocr_text", "ocr_retry"}
    recipients = list(doc.recipients.select_related("packet"))
    through_hub = [r.name for r in recipients if r.packet_id]
    if actions & {"recall", "send_update"} and (recalled or not through_hub):
        actions -= {"recall", "send_update"}  # recall asked already, or nothing went through the exchange
    if doc.status == S.RELEASED and not doc.is_secret and doc.file and can(user, "documents.publish", doc):
        if doc.is_public or not recalled:  # a recalled document left the portal and stays off it
            actions.add("unpublish" if doc.is_public else "publish")
    context = {
        "doc": doc,
        "actions": actions,
        "notes": doc.notes.select_related("author"),
        "versions": doc.versions.all(),
        "assignments": doc.assignments.select_related("user"),
        "recipients": recipients,
        "through_hub": through_hub,
        "staff": _staff_choices(doc.agency) if actions & {"assign", "sub_assign", "readers"} else [],
        "other_agencies": Agency.objects.filter(is_active=True).exclude(pk=doc.agency_id).order_by("name")
        if "release" in actions
        else [],
        "today": timezone.localdate(),
        "overdue": doc.handling_deadline
        and doc.status in selectors.OPEN_INCOMING
        and doc.handling_deadline < timezone.localdate(),
        "status_labels": services.STATUS_LABELS,
        "copies": doc.copies.select_related("created_by") if can(user, "documents.view", doc) else [],
        "exact_copies": [c for c in doc.copies.all() if c.form == "sao_y"],
        "copy_forms": Copy.Form.choices,
        "revisions": doc.revisions.all(),
    }
    return render(request, "documents/detail.html", context)


@login_required
def download(request, pk):
    doc = _document(request, pk)
    version = request.GET.get("v")
    copy_id = request.GET.get("sao")
    revision = request.GET.get("r")
    if copy_id:
        c = doc.copies.filter(pk=copy_id).first() if copy_id.isdigit() else None
        if c is None:
            raise Http404
        f, name = c.file, f"{c.symbol.replace('/', '-')}.pdf"
    elif revision:
        r = doc.revisions.filter(number=revision).first() if revision.isdigit() else None
        if r is None or not r.file:
            raise Http404
        f, name = r.file, f"van-ban-{doc.pk}-r{r.number}.pdf"
    elif version:
        v = doc.versions.filter(version=version).first()
        if v is None:
            raise Http404
        f, name = v.file, f"du-thao-{doc.pk}-v{v.version}.pdf"
    else:
        if not doc.file:
            raise Http404
        f, name = doc.file, f"van-ban-{doc.pk}{'.pdf' if doc.file.name.endswith('.pdf') else ''}"
    return FileResponse(f.open("rb"), as_attachment=True, filename=name)


def _user(pk):
    User = get_user_model()
    return User.objects.filter(pk=pk).first() if str(pk or "").isdigit() else None


@login_required
@require_POST
def act(request, pk):
    doc = _document(request, pk)
    action = request.POST.get("action", "")
    p = request.POST
    user = request.user
    try:
        if action == "route":
            services.route(doc, actor=user, note=p.get("note", ""))
        elif action == "refuse":
            services.refuse(doc, actor=user, reason=p.get("reason", ""))
        elif action == "assign":
            lead = _user(p.get("lead"))
            services.assign(
                doc,
                actor=user,
                lead=lead,
                co=[_user(x) for x in p.getlist("co") if x],
                readers=[_user(x) for x in p.getlist("readers") if x],
                working_days=p.get("working_days") or None,
                deadline=p.get("deadline") or None,
                note=p.get("note", ""),
            )
        elif action == "opinion":
            services.add_opinion(doc, actor=user, text=p.get("text", ""))
        elif action == "sub_assign":
            services.sub_assign(doc, actor=user, user=_user(p.get("user")), kind=p.get("kind", "co"))
        elif action == "attach":
            upload = request.FILES.get("file")
            if upload is None:
                raise ServiceError(_("Chọn tệp dự thảo."), field="file")
            services.attach_draft(doc, actor=user, upload=upload, note=p.get("note", ""))
        elif action == "finish":
            services.finish(doc, actor=user, result=p.get("text", ""))
        elif action == "comment":
            services.comment(doc, actor=user, text=p.get("text", ""))
        elif action == "version":
            upload = request.FILES.get("file")
            if upload is None:
                raise ServiceError(_("Chọn tệp dự thảo."), field="file")
            services.add_version(doc, actor=user, upload=upload, note=p.get("note", ""))
        elif action == "submit":
            services.submit(doc, actor=user)
        elif action == "approve":
            services.approve(doc, actor=user, note=p.get("note", ""))
        elif action == "return":
            services.return_for_revision(doc, actor=user, reason=p.get("reason", ""))
        elif action == "sign":
            services.sign(doc, actor=user, pin=p.get("pin") or None)
        elif action == "issue":
            services.issue(doc, actor=user)
        elif action == "release":
            external = []
            for code in p.getlist("exchange"):
                agency = Agency.objects.filter(code=code, is_active=True).first()
                if agency is None:
                    raise ServiceError(_("Không tìm thấy cơ quan nhận %(code)s.") % {"code": code})
                external.append({"organ_id": agency.code, "name": agency.name})
            if p.get("external_id") or p.get("external_name"):
                external.append({"organ_id": p.get("external_id", ""), "name": p.get("external_name", "")})
            services.release(
                doc,
                actor=user,
                agencies=p.getlist("agencies"),
                external=external,
                public=p.get("public") == "1",
            )
        elif action == "copy":
            copy = services.make_copy(
                doc,
                actor=user,
                form=p.get("form", ""),
                pages=p.get("pages", ""),
                source_copy=p.get("source_copy") or None,
                recipients_text=p.get("recipients_text", ""),
            )
            messages.success(request, _("Đã sao văn bản, số bản sao %(s)s.") % {"s": copy.symbol})
            return redirect("documents:detail", pk=doc.pk)
        elif action == "ocr_text":
            services.correct_ocr(doc, actor=user, text=p.get("text", ""))
        elif action == "ocr_retry":
            services.retry_ocr(doc, actor=user)
        elif action == "recall":
            services.recall(doc, actor=user, reason=p.get("reason", ""))
            messages.success(
                request, _("Đã gửi đề nghị thu hồi văn bản đến các nơi nhận qua trục liên thông.")
            )
            return redirect("documents:detail", pk=doc.pk)
        elif action == "send_update":
            services.send_update(
                doc, actor=user, reason=p.get("reason", ""), upload=request.FILES.get("file")
            )
            messages.success(request, _("Đã gửi bản cập nhật đến các nơi nhận qua trục liên thông."))
            return redirect("documents:detail", pk=doc.pk)
        elif action in ("publish", "unpublish"):
            services.set_public(doc, actor=user, public=action == "publish")
        elif action == "readers":
            services.name_secret_readers(doc, actor=user, users=[_user(x) for x in p.getlist("readers") if x])
        else:
            raise ServiceError(_("Thao tác không hợp lệ."))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    except (TypeError, ValueError):
        messages.error(request, _("Dữ liệu gửi lên không hợp lệ."))
    else:
        messages.success(request, _("Đã cập nhật văn bản."))
    return redirect("documents:detail", pk=doc.pk)


@login_required
@require_http_methods(["GET", "POST"])
def registers(request):
    agencies = _agencies(request.user, "documents.manage_registers")
    agency = _pick(request, agencies)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                entry = NumberEntry.objects.filter(
                    pk=request.POST.get("entry"), register__agency=agency
                ).first()
                if entry is None:
                    raise NotFound(_("Không tìm thấy số."))
                services.cancel_number(entry, actor=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("Đã hủy số %(s)s.") % {"s": entry.symbol})
            else:
                services.create_register(
                    actor=request.user,
                    agency=agency,
                    name=request.POST.get("name", ""),
                    direction=request.POST.get("direction", ""),
                    secret=request.POST.get("secret") == "1",
                    notation=request.POST.get("notation", ""),
                )
                messages.success(request, _("Đã tạo sổ đăng ký."))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?agency={agency.code}")
    year = timezone.localdate().year
    regs = list(Register.objects.filter(agency=agency).order_by("direction", "secret", "name"))
    for r in regs:
        r.recent = list(NumberEntry.objects.filter(register=r, year=year).order_by("-number")[:10])
    return render(
        request,
        "documents/registers.html",
        {
            "agency": agency,
            "agencies": agencies,
            "registers": regs,
            "year": year,
            "can_edit_chain": can(request.user, "documents.manage_review_chain", agency),
        },
    )


@login_required
def register_export(request, pk):
    register = Register.objects.select_related("agency").filter(pk=pk).first()
    if register is None:
        raise Http404
    if not can(request.user, "documents.manage_registers", register.agency):
        raise PermissionDenied(_("Bạn không có quyền xem sổ đăng ký của cơ quan này."))
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    response = HttpResponse(
        exports.register_xlsx(register, year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="so-dang-ky-{register.pk}-{year}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def dashboard(request):
    """The leader's dashboard: overdue incoming work by unit and person, tasks due soon and overdue;
    task owners see and report on their own tasks here."""
    user = request.user
    agencies = [
        a
        for a in Agency.objects.filter(is_active=True).order_by("name")
        if can(user, "documents.give_tasks", a) or can(user, "documents.view_stats", a)
    ]
    agency = next(
        (a for a in agencies if a.code == request.GET.get("agency")), agencies[0] if agencies else None
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "report":
                services.report_task(
                    request.POST.get("task"),
                    actor=user,
                    progress=request.POST.get("progress"),
                    text=request.POST.get("text", ""),
                    done=request.POST.get("done") == "1",
                )
                messages.success(request, _("Đã báo cáo tiến độ."))
            elif agency is not None:
                services.create_task(
                    actor=user,
                    agency=agency,
                    title=request.POST.get("title", ""),
                    owner=_user(request.POST.get("owner")),
                    co_owners=[_user(x) for x in request.POST.getlist("co_owners") if x],
                    deadline=request.POST.get("deadline") or None,
                    working_days=request.POST.get("working_days") or None,
                )
                messages.success(request, _("Đã giao việc."))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?agency={agency.code}" if agency else request.path)
    my_tasks = list(
        Task.objects.filter(status=Task.Status.OPEN)
        .filter(Q(owner=user) | Q(co_owners=user))
        .distinct()
        .order_by("deadline")
    )
    context = {"agencies": agencies, "agency": agency, "my_tasks": my_tasks, "today": timezone.localdate()}
    if agency is not None:
        context["overdue"] = selectors.overdue_incoming(user, agency)
        context["tasks"] = selectors.tasks_dashboard(user, agency)
        context["staff"] = _staff_choices(agency)
        context["can_give"] = can(user, "documents.give_tasks", agency)
        context["stats"] = selectors.stats(
            agency, timezone.localdate().replace(month=1, day=1), timezone.localdate()
        )
    return render(request, "documents/dashboard.html", context)


def public_list(request):
    """The documents agencies have made public (no login): search without diacritics, by agency."""
    q = (request.GET.get("q") or "").strip()[:200]
    code = (request.GET.get("agency") or "").strip()
    agencies = list(
        Agency.objects.filter(
            pk__in=Document.objects.filter(is_public=True).values("agency_id").distinct()
        ).order_by("name")
    )
    agency = next((a for a in agencies if a.code == code), None)
    docs = selectors.public_documents([agency.pk] if agency else None, query=q, limit=100)
    return render(
        request,
        "documents/public_list.html",
        {"docs": docs, "q": q, "agencies": agencies, "agency": agency},
    )


def public_file(request, pk):
    """The signed PDF of a public document (no login); 404 for any other document."""
    doc = selectors.public_document(pk)
    if doc is None or not doc.file:
        raise Http404
    name = f"{(doc.symbol or str(doc.pk)).replace('/', '-')}.pdf"
    response = FileResponse(
        doc.file.open("rb"), as_attachment=False, filename=name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


ROLE_LABELS = dict(Role.choices)


@login_required
@require_http_methods(["GET", "POST"])
def review_chain(request):
    """The agency administrator edits the review chain of outgoing drafts (steps in order)."""
    own = active_memberships(request.user, [Role.AGENCY_ADMIN]).values("agency_id")
    agencies = [
        a
        for a in Agency.objects.filter(is_active=True, pk__in=own).order_by("name")
        if can(request.user, "documents.manage_review_chain", a)
    ]
    agency = _pick(request, agencies)
    error = ""
    steps = [{"title": s.title, "role": s.role} for s in selectors.review_steps(agency)]
    if request.method == "POST":
        titles = request.POST.getlist("title")
        roles = request.POST.getlist("role")
        posted = [
            {"title": t, "role": r}
            for i, (t, r) in enumerate(zip(titles, roles, strict=False))
            if (t or "").strip() and request.POST.get(f"remove-{i}") != "1"
        ]
        try:
            services.set_review_chain(agency, actor=request.user, steps=posted)
        except ServiceError as exc:
            error = exc.message
            steps = posted
        else:
            messages.success(request, _("Đã lưu quy trình duyệt dự thảo."))
            return redirect(f"{request.path}?agency={agency.code}")
    rows = [*steps, {"title": "", "role": Role.LEADER}]
    return render(
        request,
        "documents/review_chain.html",
        {
            "agency": agency,
            "agencies": agencies,
            "rows": rows,
            "roles": [(r, ROLE_LABELS[r]) for r in services.REVIEW_ROLES],
            "error": error,
        },
        status=400 if error else 200,
    )
