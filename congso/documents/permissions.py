"""Who may see and do what with official documents (ADR 0152).

- Văn thư (CLERICAL) of an agency keeps its registers, registers incoming documents, routes them to the
  leader, numbers, seals and releases outgoing ones.
- The leader (LEADER) assigns handlers, signs, names the readers of secret documents, gives tasks.
- Handlers see the incoming documents they are assigned; drafters and the reviewers of an agency's
  review chain see its outgoing drafts.
- A secret document (Mật, Tối mật, Tuyệt mật) is seen only by the agency's leaders and the people a
  leader named (``SecretReader``); everybody else gets 403, văn thư included.
"""

from django.db.models import Exists, OuterRef, Q

from congso.core.permissions import rule
from congso.directory.models import Agency, Role
from congso.directory.scope import active_memberships, has_role

from .models import Assignment, Document, ReviewStep, SecretReader

STATS_ROLES = {Role.LEADER, Role.AGENCY_ADMIN, Role.IOC_VIEWER}
REGISTER_ADMIN_ROLES = {Role.CLERICAL, Role.AGENCY_ADMIN}


def holds(user, role, agency) -> bool:
    """The user holds ``role`` at ``agency`` (or over it through a sub-tree), or in a unit under it
    (a trưởng phòng's LEADER membership at a division reviews the agency's drafts)."""
    if agency is None:
        return False
    if has_role(user, role, agency):
        return True
    roles = [role] if isinstance(role, str) else list(role)
    return active_memberships(user, roles).filter(agency__path__startswith=agency.path).exists()


def member_of(user, agency) -> bool:
    """Any active role at the agency or in a unit under it (except the operations centre's read role)."""
    roles = [r for r in Role.values if r not in (Role.IOC_VIEWER, Role.SYSADMIN)]
    return holds(user, roles, agency)


def _named(user, document) -> bool:
    return SecretReader.objects.filter(document=document, user_id=user.pk).exists()


@rule("documents.view")
def view(user, document: Document) -> bool:
    if document.is_secret:
        return has_role(user, Role.LEADER, document.agency) or _named(user, document)
    if has_role(user, [Role.CLERICAL, Role.LEADER], document.agency):
        return True
    if document.direction == Document.Direction.INCOMING:
        return Assignment.objects.filter(document=document, user_id=user.pk).exists()
    if document.created_by_id == user.pk:
        return True
    roles = set(ReviewStep.objects.filter(agency=document.agency).values_list("role", flat=True))
    return bool(roles) and holds(user, roles, document.agency)


@rule("documents.register")
def register(user, agency) -> bool:
    """Register incoming documents and keep the registers' numbers: the agency's văn thư."""
    return has_role(user, Role.CLERICAL, agency)


@rule("documents.manage_registers")
def manage_registers(user, agency) -> bool:
    return has_role(user, list(REGISTER_ADMIN_ROLES), agency)


@rule("documents.route")
def route(user, document: Document) -> bool:
    return (
        not document.is_secret
        and has_role(user, Role.CLERICAL, document.agency)
        or (document.is_secret and has_role(user, Role.LEADER, document.agency))
    )


@rule("documents.refuse")
def refuse(user, document: Document) -> bool:
    """Refuse a document received through the exchange (the sender is told why): văn thư or a leader."""
    return (
        document.direction == Document.Direction.INCOMING
        and document.exchange_packet_id is not None
        and has_role(user, [Role.CLERICAL, Role.LEADER], document.agency)
    )


@rule("documents.assign")
def assign(user, document: Document) -> bool:
    return has_role(user, Role.LEADER, document.agency)


@rule("documents.name_readers")
def name_readers(user, document: Document) -> bool:
    return document.is_secret and has_role(user, Role.LEADER, document.agency)


def _assignment(user, document):
    return Assignment.objects.filter(document=document, user_id=user.pk).first()


@rule("documents.handle")
def handle(user, document: Document) -> bool:
    """Add an opinion, sub-assign, attach a draft: the lead handler and the co-handlers."""
    a = _assignment(user, document)
    return a is not None and a.kind in (Assignment.Kind.LEAD, Assignment.Kind.CO)


@rule("documents.finish")
def finish(user, document: Document) -> bool:
    return Assignment.objects.filter(document=document, user_id=user.pk, kind=Assignment.Kind.LEAD).exists()


@rule("documents.draft")
def draft(user, agency) -> bool:
    """Draft an outgoing document for the agency: its staff (chuyên viên, lãnh đạo, văn thư)."""
    return holds(user, [Role.OFFICER, Role.LEADER, Role.CLERICAL], agency)


@rule("documents.edit_draft")
def edit_draft(user, document: Document) -> bool:
    return document.created_by_id == user.pk


@rule("documents.review")
def review(user, document: Document) -> bool:
    if document.status == Document.Status.TO_SIGN:
        return has_role(user, Role.LEADER, document.agency)
    step = document.review_step
    return step is not None and holds(user, step.role, document.agency)


@rule("documents.sign")
def sign(user, document: Document) -> bool:
    return has_role(user, Role.LEADER, document.agency)


@rule("documents.issue")
def issue(user, document: Document) -> bool:
    return has_role(user, Role.CLERICAL, document.agency)


@rule("documents.recall")
def recall(user, document: Document) -> bool:
    """Recall an outgoing document sent through the exchange (edXML business 1), or send its recipients
    a corrected file (business 2): the văn thư of the agency that released it (who released it and
    keeps the exchange's outbox)."""
    return document.direction == Document.Direction.OUTGOING and has_role(
        user, Role.CLERICAL, document.agency
    )


@rule("documents.publish")
def publish(user, document: Document) -> bool:
    """Mark a released outgoing document public (or withdraw it): the agency's văn thư or a leader. A
    secret document is never public (the service refuses it with its reason)."""
    return document.direction == Document.Direction.OUTGOING and has_role(
        user, [Role.CLERICAL, Role.LEADER], document.agency
    )


@rule("documents.copy")
def copy(user, document: Document) -> bool:
    """Make an electronic copy (sao y, sao lục, trích sao): the văn thư of the agency that holds it."""
    return has_role(user, Role.CLERICAL, document.agency)


@rule("documents.manage_review_chain")
def manage_review_chain(user, agency) -> bool:
    """Edit the agency's review chain for outgoing drafts: its administrators."""
    return has_role(user, Role.AGENCY_ADMIN, agency)


@rule("documents.view_stats")
def view_stats(user, agency) -> bool:
    return has_role(user, list(STATS_ROLES), agency)


@rule("documents.give_tasks")
def give_tasks(user, agency) -> bool:
    return has_role(user, Role.LEADER, agency)


@rule("documents.view_task")
def view_task(user, task) -> bool:
    if has_role(user, Role.LEADER, task.agency) or task.owner_id == user.pk:
        return True
    return task.co_owners.filter(pk=user.pk).exists()


@rule("documents.report_task")
def report_task(user, task) -> bool:
    return task.owner_id == user.pk or task.co_owners.filter(pk=user.pk).exists()


def _agencies_q(user, role) -> Q:
    q = Q(pk__in=[])
    for m in active_memberships(user, role):
        q |= Q(agency__path__startswith=m.agency.path) if m.include_subtree else Q(agency_id=m.agency_id)
    return q


def agency_scopes(user) -> list[tuple[int, bool]]:
    """The agencies whose documents ``user`` sees by role, as ``visible_filter`` has them: (agency id,
    True) where they lead (every document, secret ones too), (agency id, False) where they are văn thư
    and do not lead (documents that are not secret); sub-trees expanded as ``_agencies_q`` does. The
    rest of what they see is seen by name (``search.by_name``). Used by search to read agency by agency
    (ADR 0183)."""
    lead: set[int] = set()
    clerk: set[int] = set()
    for m in active_memberships(user, [Role.LEADER, Role.CLERICAL]):
        ids = lead if m.role == Role.LEADER else clerk
        if m.include_subtree:
            ids.update(Agency.objects.filter(path__startswith=m.agency.path).values_list("pk", flat=True))
        else:
            ids.add(m.agency_id)
    return [(a, True) for a in sorted(lead)] + [(a, False) for a in sorted(clerk - lead)]


def visible_filter(user) -> Q:
    """A queryset filter for lists and search: the documents ``documents.view`` lets the user see
    (drafts awaiting a reviewer are listed by ``selectors.review_inbox``)."""
    lead_q = _agencies_q(user, Role.LEADER)
    clerk_q = _agencies_q(user, Role.CLERICAL)
    # subqueries, not joins: no duplicate rows, so lists and search need no DISTINCT
    named = Q(Exists(SecretReader.objects.filter(document=OuterRef("pk"), user_id=user.pk)))
    assigned = Q(Exists(Assignment.objects.filter(document=OuterRef("pk"), user_id=user.pk))) & Q(
        direction=Document.Direction.INCOMING
    )
    own = Q(created_by_id=user.pk, direction=Document.Direction.OUTGOING)
    return (~Q(secrecy="") & (lead_q | named)) | (Q(secrecy="") & (lead_q | clerk_q | assigned | own))
