"""The main navigation, the account menu's links and the home page's entry points, declared as data.

An entry appears only when its URL exists, so the shell never links to a page that is not built.

Higher apps add links to the account menu without core importing them: they register an
``AccountLink`` in ``account_links`` from their ``AppConfig.ready()`` (ADR 0090), e.g. the calendar:

    account_links.register("calendar", AccountLink(_("Lịch làm việc"), "calendar:page", shows_menu_link))

The menu shows, in registration order (``INSTALLED_APPS`` order), each link whose URL exists and whose
``visible(user)`` is true for the signed-in user.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

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

MAIN_NAV = [
    (_("Trang chủ"), "core:home"),
    (_("Thủ tục hành chính"), "catalog:search"),
    (_("Nộp hồ sơ trực tuyến"), "portal:start"),
    (_("Tra cứu hồ sơ"), "tracking:lookup"),
    (_("Hồ sơ của tôi"), "tracking:mine"),
    (_("Phản ánh, kiến nghị"), "feedback:home"),
    (_("Xác thực văn bản"), "signing:verify"),
    (_("Lấy số thứ tự"), "counters:index"),
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
