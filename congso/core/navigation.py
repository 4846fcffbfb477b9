"""The main navigation and the home page's entry points, declared as data.

An entry appears only when its URL exists, so the shell never links to a page that is not built.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

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
