"""The main navigation, the account menu's links and the home page's entry points, declared as data.

An entry appears only when its URL exists, so the shell never links to a page that is not built.

Higher apps add links to the account menu without core importing them: they register an
``AccountLink`` in ``account_links`` from their ``AppConfig.ready()`` (ADR 0090), e.g. the calendar:

    account_links.register("calendar", AccountLink(_("Lịch làm việc"), "calendar:page", shows_menu_link))

The menu shows, in registration order (``INSTALLED_APPS`` order), each link whose URL exists and whose
``visible(user)`` is true for the signed-in user.

Officials do not get the citizens' menu: their main navigation is their *workspace* (ADR 0146), built
from what each app contributes to ``workspace_links``. An app registers, from ``AppConfig.ready()``,
the dotted path of a function ``entries(user) -> list[WorkLink]`` (a path, resolved on first use, so
``apps.py`` needs no function-local import of the app's models):

    workspace_links.register("dossiers", "congso.dossiers.navigation.workspace_entries")

The lowest ``landing`` rank among a user's links is where that official lands after signing in; an
official with no ranked link (a system administrator) lands on the workspace page, which lists them all.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import memo
from .hooks import Registry


@dataclass(frozen=True)
class AccountLink:
    """A link in the account menu: its label, its URL name, and who sees it (``visible(user) -> bool``,
    asked only for a signed-in user)."""

    label: str
    url_name: str
    visible: Callable[..., bool]


account_links = Registry(
    "core.account_links",
    "Links in the account menu of signed-in users: AccountLink(label, url_name, visible(user)).",
)


@dataclass(frozen=True)
class WorkLink:
    """One entry of an official's workspace navigation.

    ``count`` is shown next to the label (the dossiers waiting in an inbox); ``landing`` ranks the
    link as a landing page after sign-in (lower wins, None: never a landing); ``section`` groups the
    workspace page ("work", "admin")."""

    label: str
    url: str
    count: int | None = None
    count_noun: str | None = None  # what ``count`` counts, for screen readers ("hồ sơ" when None)
    landing: int | None = None
    section: str = "work"
    order: int = 100


SECTIONS = ("work", "admin")

workspace_links = Registry(
    "core.workspace_links",
    "Officials' navigation: the dotted path of entries(user) -> list[WorkLink], one per app, "
    "registered in AppConfig.ready().",
)

MAIN_NAV = [
    (_("Trang chủ"), "core:home"),
    (_("Thủ tục hành chính"), "catalog:search"),
    (_("Nộp hồ sơ trực tuyến"), "portal:start"),
    (_("Tra cứu hồ sơ"), "tracking:lookup"),
    (_("Hồ sơ của tôi"), "tracking:mine"),
    (_("Phản ánh, kiến nghị"), "feedback:home"),
    (_("Lịch công tác"), "workcalendars:public"),
    (_("Tiếp cận thông tin"), "inforequests:home"),
    (_("Xác thực văn bản"), "signing:verify"),
    (_("Lấy số thứ tự"), "counters:index"),
    (_("Cổng thông tin"), "sites-index"),
]

ENTRY_POINTS = [
    (
        "search",
        _("Tra cứu thủ tục"),
        _("Tìm thủ tục hành chính, giấy tờ cần chuẩn bị, thời hạn và lệ phí."),
        "catalog:search",
    ),
    (
        "submit",
        _("Nộp hồ sơ trực tuyến"),
        _("Nộp hồ sơ từ điện thoại hoặc máy tính, không cần đến cơ quan."),
        "portal:start",
    ),
    (
        "track",
        _("Tra cứu hồ sơ"),
        _("Theo dõi tình trạng hồ sơ bằng mã hồ sơ trên giấy hẹn."),
        "tracking:lookup",
    ),
    (
        "feedback",
        _("Gửi phản ánh, kiến nghị"),
        _("Phản ánh về thủ tục, thái độ phục vụ, hoặc góp ý cho chính quyền."),
        "feedback:home",
    ),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def main_nav(request) -> list[dict]:
    """The main menu: an official's workspace, or the citizens' portal menu for everyone else."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_official", False) and user.is_authenticated:
        return official_nav(request, workspace(user))
    items = []
    for label, name in MAIN_NAV:
        url = _url(name)
        if url:
            current = request.path == url if url == "/" else request.path.startswith(url)
            items.append({"label": label, "url": url, "current": current})
    return items


def entry_points() -> list[dict]:
    return [
        {"key": key, "title": title, "text": text, "url": _url(name)}
        for key, title, text, name in ENTRY_POINTS
    ]


def visible_account_links(request) -> list[dict]:
    """The account menu's links the request's user may see: [{"label", "url"}], in registration order."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    links = []
    for link in account_links:
        url = _url(link.url_name)
        if url and link.visible(user):
            links.append({"label": link.label, "url": url})
    return links


def _contributors() -> list[Callable]:
    return [import_string(path) if isinstance(path, str) else path for path in workspace_links]


def workspace(user) -> list[WorkLink]:
    """Every workspace link ``user`` may use, in registration order (an official's main navigation)."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not getattr(user, "is_official", False)
    ):
        return []
    links: list[WorkLink] = []
    # Every app asks the directory about the same user's roles: read them once (core.memo).
    with memo.scope():
        for entries in _contributors():
            links.extend(entries(user) or [])
    return sorted(links, key=lambda link: (SECTIONS.index(link.section), link.order))


def landing_url(user, links: list[WorkLink] | None = None) -> str:
    """Where ``user`` lands after signing in: an official's highest-ranked workspace link (their first
    inbox), else the workspace page; a citizen, the home page."""
    if not getattr(user, "is_official", False):
        return reverse("core:home")
    ranked = [link for link in (workspace(user) if links is None else links) if link.landing is not None]
    if ranked:
        return min(ranked, key=lambda link: link.landing).url
    return reverse("core:workspace")


def _is_current(request, url: str) -> bool:
    path, _sep, query = url.partition("?")
    if query:
        return request.get_full_path() == url
    return request.path == path if path == "/" else request.path.startswith(path)


#: How many links an official's menu shows in a row before the rest fold under "Thêm" (more).
INLINE_LINKS = 6


def _group(label, items: list[dict]) -> dict:
    return {"group": True, "label": label, "items": items, "current": any(i["current"] for i in items)}


def official_nav(request, links: list[WorkLink]) -> list[dict]:
    """The workspace links as main-navigation items; only the best matching one is current.

    The menu stays short whatever roles one person holds. Up to ``INLINE_LINKS`` links show in a row;
    beyond that the larger section (work, or administration for an administrator) takes the row,
    ``INLINE_LINKS - 1`` links and the rest under "Thêm", and the other section folds under its name
    ("Quản trị" or "Công việc"). The folds are ``<details>``: they open without JavaScript."""
    items = [
        {
            "label": link.label,
            "url": link.url,
            "count": link.count,
            "count_noun": link.count_noun,
            "current": False,
            "section": link.section,
        }
        for link in links
    ]
    matches = [item for item in items if _is_current(request, item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    if len(items) <= INLINE_LINKS:
        return items
    work = [i for i in items if i["section"] != "admin"]
    admin = [i for i in items if i["section"] == "admin"]
    # The row holds what the person mostly does: work, or administration for an administrator.
    if len(work) >= len(admin):
        row, folded, folded_label = work, admin, pgettext_lazy("menu", "Quản trị")
    else:
        row, folded, folded_label = admin, work, pgettext_lazy("menu", "Công việc")
    nav = row
    if len(row) > INLINE_LINKS:
        nav = [*row[: INLINE_LINKS - 1], _group(pgettext_lazy("menu", "Thêm"), row[INLINE_LINKS - 1 :])]
    if folded:
        nav = [*nav, _group(folded_label, folded)]
    return nav
