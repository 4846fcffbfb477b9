"""The procedure picker of counter intake: the offerings a clerk receives for, grouped by agency, the
most received first, searchable without diacritics (issue 14).

One query for the offerings, one for the clerk's scope (``services.counter_scope``) and one for the
counts of dossiers received in the last year per agency and procedure; the search is done on the
folded names in Python (a counter has tens of offerings, not thousands).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from congso.catalog.models import Offering
from congso.core.text import fold

from .models import Dossier
from .services import counter_scope

USAGE_DAYS = 365
_PREFIX = re.compile(r"^thủ tục\s+", re.IGNORECASE)


@dataclass
class Choice:
    offering: Offering
    label: str  # the procedure's name without "Thủ tục " in front
    folded: str  # what the search matches: the folded name and the code
    received: int  # dossiers received in the last year


@dataclass
class Group:
    agency: object
    choices: list[Choice] = field(default_factory=list)


def _label(name: str) -> str:
    label = _PREFIX.sub("", (name or "").strip())
    return label[:1].upper() + label[1:]


def counter_offerings(user) -> list[Offering]:
    """The active offerings of every agency where ``user`` receives at the counter."""
    scope = counter_scope(user)
    if not scope.agency_ids and not scope.served_paths:
        return []
    where = Q(agency_id__in=scope.agency_ids)
    for path in scope.served_paths:
        where |= Q(agency__path__startswith=path)
    rows = (
        Offering.objects.filter(where, is_active=True, procedure__current_version__isnull=False)
        .select_related("agency", "procedure")
        # the list needs names and codes only: not the procedures' records (large JSON), read for the
        # one chosen (``chosen``)
        .only(*PICKER_COLUMNS)
        .order_by()
    )
    return [o for o in rows if scope.covers(o.agency)]


PICKER_COLUMNS = (
    "id",
    "agency_id",
    "procedure_id",
    "agency__name",
    "agency__path",
    "procedure__code",
    "procedure__name",
)


def chosen(offerings: list[Offering], wanted) -> Offering | None:
    """The offering picked (by id) among the clerk's, read in full for the intake."""
    pk = next((o.pk for o in offerings if str(o.pk) == str(wanted or "")), None)
    if pk is None:
        return None
    return Offering.objects.select_related("agency", "procedure__current_version").get(pk=pk)


def matches(folded: str, query: str) -> bool:
    """Every word of the folded query is in the folded text (in any order)."""
    return all(word in folded for word in fold(query).split())


def groups(offerings: list[Offering], query: str = "") -> list[Group]:
    """The offerings by agency (the agency with most receipts first), each agency's procedures the most
    received first, then by name; only those matching ``query`` (without diacritics) when given."""
    since = timezone.now() - dt.timedelta(days=USAGE_DAYS)
    counts = {
        (row["receiving_agency_id"], row["procedure_version__procedure_id"]): row["n"]
        for row in Dossier.objects.filter(
            receiving_agency_id__in={o.agency_id for o in offerings}, submitted_at__gte=since
        )
        .order_by()
        .values("receiving_agency_id", "procedure_version__procedure_id")
        .annotate(n=Count("id"))
    }
    by_agency: dict[int, Group] = {}
    for o in offerings:
        label = _label(o.procedure.name)
        choice = Choice(
            o, label, f"{fold(label)} {o.procedure.code}", counts.get((o.agency_id, o.procedure_id), 0)
        )
        if query and not matches(choice.folded, query):
            continue
        by_agency.setdefault(o.agency_id, Group(o.agency)).choices.append(choice)
    for group in by_agency.values():
        group.choices.sort(key=lambda c: (-c.received, c.folded))
    return sorted(by_agency.values(), key=lambda g: (-sum(c.received for c in g.choices), g.agency.name))
