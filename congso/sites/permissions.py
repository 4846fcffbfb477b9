"""Who may do what with the portals (one place; Wagtail's page permissions are derived from these roles by
``congso.sites.editors``, and the articles' editorial actions are checked against those page permissions
below)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.locks import ScheduledForPublishLock, WorkflowLock
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from congso.core.errors import Conflict, Forbidden, NotFound, ServiceError
from congso.core.permissions import rule
from congso.directory.models import Role
from congso.directory.scope import has_role, is_sysadmin

from . import editors, locales
from .models import SiteHome


@rule("sites.create_portal")
def create_portal(user, agency) -> bool:
    """Opening a unit's portal: a system administrator."""
    return is_sysadmin(user)


@rule("sites.edit")
def edit(user, home) -> bool:
    """Writing pages of a portal: its agency's web editors and approvers (from the directory)."""
    return has_role(user, (Role.WEB_EDITOR, Role.WEB_APPROVER), home.agency)


@rule("sites.publish")
def publish(user, home) -> bool:
    """Approving and publishing on a portal: its agency's web approvers."""
    return has_role(user, Role.WEB_APPROVER, home.agency)


# --- Pages of a portal, by Wagtail's own page permissions (the API's editorial journey, ADR 0180) -------
#
# The editing interface at /cms/ and the JSON API ask the same questions of the same tester
# (``Page.permissions_for_user``), of the page's lock (``Page.get_lock``) and of its workflow task
# (``Task.get_actions``), here and nowhere else. Wagtail's groups are first set from the directory, as
# ``CMSAccessMiddleware`` does before every /cms/ request, so a role granted or ended counts at once.

ARTICLE_ACTIONS = ("edit", "submit", "approve", "reject", "publish", "unpublish", "lock", "unlock")
# Wagtail's permission codenames that make a portal editable (its editors' and approvers' groups hold them)
EDITING_CODENAMES = ("add_page", "change_page", "publish_page")


def _fresh(user):
    """``user`` with their portal groups set from the directory (once per user object: one request) and
    Wagtail's per-user caches dropped when they changed."""
    if not user.__dict__.get("_sites_groups_synced"):
        if editors.sync_user(user):
            for cached in (
                "_page_permission_cache",
                "_explorable_root_page_cache",
                "_group_approval_task_checks",
            ):
                user.__dict__.pop(cached, None)
        user._sites_groups_synced = True
    return user


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def editable_portals(user):
    """The portals (``SiteHome``, the Vietnamese tree's: ADR 0181) where Wagtail lets ``user`` add, change
    or publish pages."""
    if not _signed_in(user):
        return SiteHome.objects.none()
    _fresh(user)
    if user.is_superuser:
        return SiteHome.objects.filter(locales.in_source())
    paths = {
        perm.page.path
        for perm in page_permission_policy.get_cached_permissions_for_user(user)
        if perm.permission.codename in EDITING_CODENAMES
    }
    if not paths:
        return SiteHome.objects.none()
    # a permission on the home or above covers the portal; one on a page inside it opens the portal too
    steplen = Page.steplen
    ancestors = {p[: steplen * depth] for p in paths for depth in range(1, len(p) // steplen + 1)}
    query = Q(path__in=ancestors)
    for path in paths:
        query |= Q(path__startswith=path)
    return SiteHome.objects.filter(query).filter(locales.in_source())


def require_portal(user, home: SiteHome) -> None:
    """Listing and writing the articles of ``home``: Wagtail gives ``user`` pages to edit there."""
    if not editable_portals(user).filter(pk=home.pk).exists():
        raise Forbidden(_("Bạn không phải biên tập viên hay người duyệt tin, bài của cổng thông tin này."))


def require_add(user, section) -> None:
    """Writing a new article under ``section``: Wagtail's "add" permission there."""
    if not _signed_in(user) or not section.permissions_for_user(_fresh(user)).can_add_subpage():
        raise Forbidden(
            _("Bạn không có quyền thêm bài vào chuyên mục “%(title)s”.") % {"title": section.title}
        )


def _lock_message(page, user) -> str | None:
    """Why ``page`` is closed to ``user``'s changes, or None when it is not (Wagtail's own locks)."""
    lock = page.get_lock()
    if lock is None or not lock.for_user(user):
        return None
    if isinstance(lock, WorkflowLock):
        return _("Bài đang chờ duyệt: chỉ người duyệt của cổng được sửa hoặc đăng bài lúc này.")
    if isinstance(lock, ScheduledForPublishLock):
        return _("Bài đã được hẹn giờ đăng: hãy hủy lịch đăng trong trang biên tập trước khi thay đổi.")
    holder = str(page.locked_by) if page.locked_by_id else ""
    return _("Bài đang bị khóa bởi %(name)s: chỉ người khóa hoặc người duyệt được mở khóa.") % {
        "name": holder or _("người khác")
    }


def _task_actions(page, user) -> set[str]:
    task = page.current_workflow_task
    return {name for name, _label, _modal in task.get_actions(page, user)} if task else set()


def article_refusal(user, page, action: str) -> ServiceError | None:
    """Why ``user`` may not do ``action`` (one of ``ARTICLE_ACTIONS``, or "view") on ``page`` now (an error to raise), or None when they may.

    A page the user may not edit at all does not exist for them (404: drafts are not public); a right
    they lack is 403; a state that does not allow the action (not in moderation, already locked) is
    409. The tester, the lock and the workflow task are Wagtail's, as its editing interface asks them."""
    if action not in ARTICLE_ACTIONS and action != "view":
        raise ValueError(f"unknown article action {action!r}")
    if not _signed_in(user):
        return NotFound(_("Không tìm thấy tin, bài."))
    rights = page.permissions_for_user(_fresh(user))
    if not rights.can_edit():
        return NotFound(_("Không tìm thấy tin, bài."))
    if action == "view":
        return None
    locked = _lock_message(page, user)
    if action == "edit":
        return Forbidden(locked, code="locked") if locked else None
    if action == "submit":
        if page.workflow_in_progress:
            return Conflict(_("Bài đã được gửi duyệt và đang chờ duyệt."))
        if locked:
            return Forbidden(locked, code="locked")
        if not rights.can_submit_for_moderation():
            return Conflict(_("Cổng thông tin này chưa có quy trình duyệt tin, bài."))
        return None
    if action in ("approve", "reject"):
        if page.current_workflow_task is None:
            return Conflict(_("Bài không ở trạng thái chờ duyệt."), code="not_in_moderation")
        if action not in _task_actions(page, user):
            return Forbidden(
                _("Chỉ người duyệt tin, bài của cổng thông tin này được duyệt hoặc trả lại bài.")
            )
        return None
    if action == "publish":
        if not rights.can_publish():
            return Forbidden(_("Bạn không có quyền đăng bài trên cổng thông tin này: hãy gửi bài để duyệt."))
        return Forbidden(locked, code="locked") if locked else None
    if action == "unpublish":
        if not rights.can_publish():
            return Forbidden(_("Bạn không có quyền gỡ bài trên cổng thông tin này."))
        if not page.live:
            return Conflict(_("Bài chưa được đăng nên không có gì để gỡ."), code="not_live")
        return Forbidden(locked, code="locked") if locked else None
    if action == "lock":
        if page.locked:
            return Conflict(_("Bài đã bị khóa."), code="locked")
        return None if rights.can_lock() else Forbidden(_("Bạn không có quyền khóa bài này."))
    # unlock
    if not page.locked:
        return Conflict(_("Bài không bị khóa."), code="not_locked")
    return None if rights.can_unlock() else Forbidden(_("Chỉ người khóa bài hoặc người duyệt được mở khóa."))


def require_article(user, page, action: str) -> None:
    """Raise the refusal of ``article_refusal`` (nothing when the action is allowed)."""
    refusal = article_refusal(user, page, action)
    if refusal is not None:
        raise refusal


def article_actions(user, page) -> list[str]:
    """What ``user`` may do with ``page`` now, in ``ARTICLE_ACTIONS`` order (shown with the page)."""
    return [action for action in ARTICLE_ACTIONS if article_refusal(user, page, action) is None]
