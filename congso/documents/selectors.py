"""Reads of official documents other apps and the pages use: inboxes (Hỏa tốc first), a document a
person may see, overdue work by unit and person, the tasks dashboard, search without diacritics, and
the indicators for the scorecard (``stats``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core.errors import NotFound
from congso.core.permissions import can
from congso.core.text import fold
from congso.core.walk import planner_settings
from congso.directory.scope import active_memberships

from . import search as document_search
from .models import Assignment, Document, Recipient, ReviewStep, Task
from .permissions import holds, visible_filter

S = Document.Status
D = Document.Direction
OPEN_INCOMING = (S.REGISTERED, S.ROUTED, S.IN_PROGRESS)
DUE_SOON_DAYS = 3
# Columns lists never show: left out of list queries (rows sort and travel lighter).
HEAVY = ("text", "search_folded", "external_metadata", "result", "recipients_text")
SEARCH_ORDER = ("-urgency", "-created_at", "-pk")  # Hỏa tốc first, then the newest (ADR 0183)
MAX_WORDS = 8  # words of a query searched; the rest are ignored


def visible_document(user, pk) -> Document:
    """The document if ``user`` may see it: 404 when it does not exist, 403 when it is not theirs."""
    doc = (
        Document.objects.select_related("doc_type", "agency", "register", "review_step").filter(pk=pk).first()
    )
    if doc is None:
        raise NotFound(_("Không tìm thấy văn bản."))
    if not can(user, "documents.view", doc):
        raise PermissionDenied(_("Bạn không có quyền xem văn bản này."))
    return doc


def visible(user):
    return Document.objects.filter(visible_filter(user))


def inbox(user, *, direction=None, status=None):
    """What the user may see, Hỏa tốc first, then by urgency, then newest."""
    qs = visible(user).select_related("doc_type", "agency").defer(*HEAVY)
    if direction:
        qs = qs.filter(direction=direction)
    if status:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else status)
    return qs.order_by("-urgency", "-created_at")


def my_work(user):
    """Incoming documents assigned to the user and not done yet."""
    return (
        Document.objects.filter(
            assignments__user=user, status=S.IN_PROGRESS, assignments__done_at__isnull=True
        )
        .select_related("doc_type", "agency")
        .distinct()
        .order_by("-urgency", "handling_deadline", "-created_at")
    )


def review_inbox(user):
    """Outgoing drafts waiting for the user: at a review step whose role they hold, or to sign."""
    docs = []
    qs = Document.objects.filter(direction=D.OUTGOING, status__in=(S.IN_REVIEW, S.TO_SIGN)).select_related(
        "review_step", "agency", "doc_type"
    )
    for doc in qs.order_by("-urgency", "-updated_at")[:500]:
        if can(user, "documents.review", doc) and can(user, "documents.view", doc):
            docs.append(doc)
    return docs


def overdue_incoming(user, agency) -> dict:
    """Incoming documents of the agency past their handling deadline and not done, and the open
    assignments past theirs counted by person and by unit (the assignee's unit in the directory)."""
    today = timezone.localdate()
    docs = list(
        visible(user)
        .filter(agency=agency, direction=D.INCOMING, status__in=OPEN_INCOMING, handling_deadline__lt=today)
        .order_by("handling_deadline")
    )
    assignments = Assignment.objects.filter(
        document__in=docs,
        done_at__isnull=True,
        deadline__lt=today,
        kind__in=(Assignment.Kind.LEAD, Assignment.Kind.CO),
    ).select_related("user")
    by_person = Counter()
    by_unit = Counter()
    users = {}
    for a in assignments:
        users[a.user_id] = a.user
        by_person[a.user_id] += 1
        membership = active_memberships(a.user).order_by("pk").first()
        by_unit[membership.agency.name if membership else _("(không rõ đơn vị)")] += 1
    return {
        "documents": docs,
        "by_person": [{"user": users[k], "count": n} for k, n in by_person.most_common()],
        "by_unit": [{"unit": k, "count": n} for k, n in by_unit.most_common()],
    }


def waiting_to_send():
    """External recipients of released documents waiting for the exchange (oldest first)."""
    return (
        Recipient.objects.filter(state=Recipient.State.WAITING)
        .select_related("document")
        .order_by("updated_at")
    )


def tasks_dashboard(user, agency) -> dict:
    """The leader's view of tasks: overdue, due within ``DUE_SOON_DAYS`` days, others open, done."""
    today = timezone.localdate()
    qs = Task.objects.filter(agency=agency).select_related("owner")
    if not can(user, "documents.give_tasks", agency):
        qs = qs.filter(Q(owner=user) | Q(co_owners=user)).distinct()
    open_ = qs.filter(status=Task.Status.OPEN)
    return {
        "overdue": list(open_.filter(deadline__lt=today)),
        "due_soon": list(
            open_.filter(deadline__gte=today, deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        ),
        "open": list(open_.filter(deadline__gt=today + dt.timedelta(days=DUE_SOON_DAYS))),
        "done": list(qs.filter(status=Task.Status.DONE).order_by("-done_at")[:20]),
    }


def search(user, query: str, *, limit=50) -> list[Document]:
    """Metadata (and the text layer of non-secret files) without diacritics, only what the user may see.
    Every word must appear; Hỏa tốc first, then the newest (then the highest id), the first ``limit``.

    SQLite runs ``search_plain``. PostgreSQL reads the same rows by agency, walking the newest documents
    or asking the trigram index, and by name (``documents.search``, ADR 0183)."""
    words = fold(query or "").split()[:MAX_WORDS]
    if not words or limit <= 0:
        return []
    db = Document.objects.db
    if connections[db].vendor != "postgresql":
        return list(search_plain(user, query, limit=limit))
    with planner_settings(db, **document_search.PLANNER):
        ids = [k[2] for k in document_search.keys(user, words, limit, using=db)[0]]
        if not ids:
            return []
        # read again through the permission filter: no plan can show a document the plain query would
        # not (the words are not tested again: PostgreSQL would take them to the trigram index again)
        qs = visible(user).filter(pk__in=ids)
        return list(qs.select_related("doc_type", "agency").defer(*HEAVY).order_by(*SEARCH_ORDER))


def search_plain(user, query: str, *, limit=50):
    """``search`` as one query: the permission filter and every word, Hỏa tốc first, then the newest."""
    words = fold(query or "").split()[:MAX_WORDS]
    if not words:
        return Document.objects.none()
    qs = visible(user)
    for w in words:
        qs = qs.filter(search_folded__contains=w)
    return qs.select_related("doc_type", "agency").defer(*HEAVY).order_by(*SEARCH_ORDER)[:limit]


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def stats(agency, start: dt.date, end: dt.date, *, agency_ids=None) -> dict:
    """The scorecard's indicators for an agency and period (release or finish dates within it) — or, with
    ``agency_ids``, for those agencies together (a scorecard unit: an agency's sub-tree, a commune, the
    province; ``agency`` is then only echoed back):

    - ``signed_electronic_share``: outgoing documents released, not secret, signed digitally and sent
      electronically (every recipient delivered in the platform or sent by exchange), out of those
      released, not secret (the seeds' "100% except secret");
    - ``incoming_on_time_share``: incoming documents finished by their handling deadline, out of those
      finished with a deadline;
    - ``overdue_tasks``: open tasks past their deadline today; ``open_tasks``;
    - ``tasks_due``: tasks whose deadline falls in the period, ``tasks_late`` those of them finished after
      it or still open past it (today), ``tasks_late_share`` the share of the latter.
    """
    own = Q(agency_id__in=sorted(agency_ids)) if agency_ids is not None else Q(agency=agency)
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    released = Document.objects.filter(
        own,
        direction=D.OUTGOING,
        status=S.RELEASED,
        secrecy="",
        released_at__gte=lo,
        released_at__lt=hi,
    )
    total_out = released.count()
    electronic = (
        released.exclude(file="")
        .exclude(recipients__state__in=(Recipient.State.WAITING, Recipient.State.FAILED))
        .filter(recipients__isnull=False)
        .distinct()
        .count()
    )
    finished = list(
        Document.objects.filter(
            own,
            direction=D.INCOMING,
            status=S.DONE,
            done_at__gte=lo,
            done_at__lt=hi,
            handling_deadline__isnull=False,
        ).values_list("done_at", "handling_deadline")
    )
    on_time = sum(1 for done, due in finished if timezone.localtime(done).date() <= due)
    today = timezone.localdate()
    tasks = Task.objects.filter(own, status=Task.Status.OPEN)
    due = list(
        Task.objects.filter(own, deadline__gte=start, deadline__lte=end).values_list("deadline", "done_at")
    )
    late = sum(
        1
        for deadline, done_at in due
        if (done_at is None and deadline < today)
        or (done_at and timezone.localtime(done_at).date() > deadline)
    )
    return {
        "agency": agency,
        "start": start,
        "end": end,
        "outgoing_released": total_out,
        "outgoing_signed_electronic": electronic,
        "signed_electronic_share": _percent(electronic, total_out),
        "incoming_finished": len(finished),
        "incoming_on_time": on_time,
        "incoming_on_time_share": _percent(on_time, len(finished)),
        "open_tasks": tasks.count(),
        "overdue_tasks": tasks.filter(deadline__lt=today).count(),
        "tasks_due": len(due),
        "tasks_late": late,
        "tasks_late_share": _percent(late, len(due)),
    }


def review_steps(agency):
    return list(ReviewStep.objects.filter(agency=agency).order_by("position"))


def reviewer_for(user, agency) -> bool:
    return holds(user, list({s.role for s in review_steps(agency)}), agency)


# --- public documents (the agencies' portals) ------------------------------------------------------


@dataclass(frozen=True)
class PublicDocument:
    """A released document an agency has made public: what a portal lists, and its signed PDF."""

    id: int
    number: str  # the number and symbol, e.g. "15/QĐ-UBND"
    issued_on: dt.date | None
    doc_type: str
    subject: str  # trích yếu
    signer_name: str
    signer_position: str
    agency_id: int
    agency_code: str
    agency_name: str
    published_at: dt.datetime | None
    pdf_url: str  # the public download of the signed PDF (no login)


def may_show_on_portal(document: Document) -> bool:
    """Whether a change to this document can change what a portal shows. Only an outgoing document is ever
    public (``_public_qs``, the ``documents_public_only_released`` constraint); an incoming one never is,
    so registering or handling it leaves the cached portal pages alone."""
    return document.direction == D.OUTGOING


def _public_qs():
    return Document.objects.filter(is_public=True, secrecy="", direction=D.OUTGOING, status=S.RELEASED)


def public_documents(
    agency_ids=None, *, query: str = "", since=None, limit: int = 50
) -> list[PublicDocument]:
    """The documents agencies have made public (newest issue date first): only released, outgoing,
    non-secret documents marked public. ``agency_ids`` limits them to those agencies (None: all),
    ``query`` must match every word without diacritics (number, trích yếu, signer, type), ``since`` a
    date or datetime of issue (inclusive). ``pdf_url`` is a path (``documents:public_file``)."""
    qs = _public_qs()
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    for w in fold(query or "").split()[:8]:
        qs = qs.filter(search_folded__contains=w)
    if since is not None:
        qs = qs.filter(issued_on__gte=since.date() if isinstance(since, dt.datetime) else since)
    rows = (
        qs.select_related("doc_type", "agency")
        .only(
            "pk",
            "symbol",
            "issued_on",
            "subject",
            "signer_name",
            "signer_position",
            "published_at",
            "doc_type__name",
            "agency__code",
            "agency__name",
        )
        .order_by("-issued_on", "-published_at", "-pk")[: max(0, min(int(limit), 500))]
    )
    return [
        PublicDocument(
            id=d.pk,
            number=d.symbol,
            issued_on=d.issued_on,
            doc_type=d.doc_type.name,
            subject=d.subject,
            signer_name=d.signer_name,
            signer_position=d.signer_position,
            agency_id=d.agency_id,
            agency_code=d.agency.code,
            agency_name=d.agency.name,
            published_at=d.published_at,
            pdf_url=reverse("documents:public_file", args=[d.pk]),
        )
        for d in rows
    ]


def public_document(pk) -> Document | None:
    """A public document by id (None unless it is public now)."""
    return _public_qs().select_related("doc_type", "agency").filter(pk=pk).first()
