"""Reads of the editorial journey (ADR 0180): a portal's news and announcements with their state, for the
officials who edit or approve them, and the state of one article as /cms/ shows it.

What a page *is* now comes from Wagtail: ``live``, ``has_unpublished_changes``, the active workflow state
(in moderation, or changes asked for), the lock. The content shown is the latest revision's, as the
editing interface shows it, not the live version's."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, WorkflowState

from .models import AnnouncementPage, NewsPage, SiteHome

STATUS_LABELS = {
    "draft": _("Bản nháp"),
    "in_moderation": _("Đang chờ duyệt"),
    "changes_requested": _("Được trả lại để sửa"),
    "live": _("Đang đăng"),
    "live_with_draft": _("Đang đăng, có bản sửa chưa đăng"),
}
KINDS = {"news": NewsPage, "announcement": AnnouncementPage}


def articles_of(home: SiteHome, kind: str | None = None):
    """Every news and announcement page of ``home``, drafts included, the latest written first."""
    models = (KINDS[kind],) if kind else tuple(KINDS.values())
    return (
        Page.objects.descendant_of(home)
        .type(*models)
        .specific()
        .prefetch_workflow_states()
        .select_related("locked_by")
        .order_by("-latest_revision_created_at", "-pk")
    )


def workflow_state(page) -> WorkflowState | None:
    """The page's active workflow state (in progress or needing changes), if any."""
    return page.current_workflow_state


def status(page) -> str:
    state = workflow_state(page)
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return "in_moderation"
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return "changes_requested"
    if page.live:
        return "live_with_draft" if page.has_unpublished_changes else "live"
    return "draft"


def reviewer_comment(page) -> str:
    """The approver's comment when they asked for changes (shown to the editor until resubmitted)."""
    state = workflow_state(page)
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES and state.current_task_state:
        return state.current_task_state.comment
    return ""


def kind_of(page) -> str:
    return next(kind for kind, model in KINDS.items() if isinstance(page, model))
