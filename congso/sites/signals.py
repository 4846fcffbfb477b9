"""Wagtail's page events written to congso's audit chain, and the page cache invalidated (ADR 0166).

Wagtail writes a ``PageLogEntry`` for every action on a page, in the action's transaction, with the acting
user (the approver who published, the scheduler's run with none). Each publish, unpublish, workflow
decision, lock and unlock is copied to ``core.audit`` in the same transaction, so the chain has them
(``congso audit verify``); a publish or unpublish also forgets the cached portal pages when it commits.
"""

from __future__ import annotations

from wagtail.models import PageLogEntry

from congso.core import audit
from congso.documents import selectors as documents

from . import cache, editors, locales

AUDITED = {
    "wagtail.publish": "sites.page_published",
    "wagtail.publish.scheduled": "sites.page_publish_scheduled",
    "wagtail.unpublish": "sites.page_unpublished",
    "wagtail.unpublish.scheduled": "sites.page_unpublish_scheduled",
    "wagtail.workflow.start": "sites.page_submitted",
    "wagtail.workflow.resume": "sites.page_resubmitted",
    "wagtail.workflow.approve": "sites.page_approved",
    "wagtail.workflow.reject": "sites.page_rejected",
    "wagtail.workflow.cancel": "sites.page_workflow_cancelled",
    "wagtail.lock": "sites.page_locked",
    "wagtail.unlock": "sites.page_unlocked",
    "wagtail.delete": "sites.page_deleted",
    "wagtail.move": "sites.page_moved",
}
INVALIDATING = {"wagtail.publish", "wagtail.unpublish", "wagtail.delete", "wagtail.move", "wagtail.rename"}


def on_log_entry(sender, instance: PageLogEntry, created: bool, **kwargs):
    if not created:
        return
    action = AUDITED.get(instance.action)
    if action:
        audit.record(
            action,
            actor=instance.user,
            object_type="wagtailcore.page",
            object_id=str(instance.page_id),
            object_repr=(instance.label or "")[:200],
            data={
                "wagtail_action": instance.action,
                "revision": instance.revision_id,
                "content_type": instance.content_type.model if instance.content_type_id else "",
            },
        )
    if instance.action in INVALIDATING:
        cache.invalidate()


# The portal homes show the platform's public documents, work calendars and disclosure lists (issue 21),
# and the contacts pages the directory's agencies and leaders: a change to one of these rows forgets the
# cached pages when it commits, like a publish.
PLATFORM_MODELS = (
    "documents.Document",
    "workcalendars.Week",
    "inforequests.DisclosureItem",
    "directory.Agency",
    "directory.Membership",
)
# A page's view restriction: pages are stored only while they have none (cache.serve_cached), and a hit is
# answered before Wagtail checks restrictions; adding or removing one forgets the stored pages too.
RESTRICTION_MODELS = ("wagtailcore.PageViewRestriction",)


# A platform model whose rows are not all shown on a portal names the test a changed row must pass to
# forget the cached pages (every other change forgets them).
SHOWN_ON_PORTALS = {"documents.Document": documents.may_show_on_portal}


def on_platform_change(sender, instance=None, **kwargs):
    shown = SHOWN_ON_PORTALS.get(sender._meta.label)
    if shown is None or instance is None or shown(instance):
        cache.invalidate()


def on_home_saved(sender, instance, created: bool, raw: bool = False, **kwargs):
    """A portal home made in another language's tree (the English parent Wagtail creates when an editor
    translates a page, ADR 0181) gets the portal's editors, approvers and workflow there too."""
    if created and not raw and not locales.is_source(instance):
        editors.sync_site(instance)
