"""Wagtail hooks of the portals (ADR 0166)."""

from wagtail import hooks

from . import editors
from .models import SiteHome


@hooks.register("after_create_page")
def new_portal_gets_its_groups(request, page):
    """A new portal home gets its editor and approver groups, collection and workflow at once."""
    if isinstance(page.specific, SiteHome):
        editors.sync_site(page.specific)
