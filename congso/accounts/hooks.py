"""Extension points of accounts, for the apps above it (ADR 0090)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from congso.core.hooks import Event, Registry

citizen_links = Registry(
    "accounts.citizen_links",
    "Functions (official, citizen) -> bool: the official's work links them to the citizen (e.g. a dossier "
    "of the citizen the official may see), so the official may open the citizen's profile "
    "(accounts.view_citizen). Higher apps register theirs in AppConfig.ready().",
)


# Kinds of personal data the JSON API serves, named once: data-sharing agreements grant them by these
# keys (the agreement's scopes), and every read through the API says which one it was.
PERSONAL_DATA = {
    "citizen.profile": _("Thông tin cá nhân của công dân (họ tên, CCCD, ngày sinh, địa chỉ, liên hệ)"),
    "dossier": _("Hồ sơ thủ tục hành chính (người nộp, thành phần, diễn biến)"),
    "registry.population": _("Tra cứu cơ sở dữ liệu quốc gia về dân cư theo số CCCD"),
    "registry.business": _("Tra cứu cơ sở dữ liệu đăng ký doanh nghiệp theo mã số thuế"),
    "datastore.document": _("Giấy tờ trong kho dữ liệu cá nhân"),
}


@dataclass(frozen=True)
class Grant:
    """What a subscriber of ``personal_data_read`` appends when an agreement covers the read: the
    agreement's id, the requesting agency, the purpose and the legal basis."""

    agreement_id: int
    agency_code: str
    agency_name: str
    purpose: str
    legal_basis: str


personal_data_read = Event(
    "accounts.personal_data_read",
    "Personal data is about to be served through the JSON API: (request, category, subject, identifier, "
    "object_type, object_id, grants). `category` is a key of PERSONAL_DATA; `subject` the platform user "
    "the data is about (or None), `identifier` the CCCD or tax code when that is all that is known; "
    "`grants` a list the subscribers append a Grant to when an agreement covers the read (the data-sharing "
    "agreement, for registry look-ups that rest on it). Fired by the API endpoint once the data is found "
    "and before it leaves, outside any transaction, so that a subscriber may record the read and refuse "
    "it by raising core.errors.Forbidden (403) while its record of the refused attempt stays. The "
    "`sharing` app subscribes (ADR 0155).",
)


def personal_data_served(
    request, category: str, *, subject=None, identifier: str = "", object_type="", object_id=""
) -> list:
    """Fire ``personal_data_read`` for an API request; returns the grants the subscribers appended."""
    if category not in PERSONAL_DATA:
        raise ValueError(f"unknown personal data category {category!r}")
    grants: list = []
    personal_data_read.fire(
        request=request,
        category=category,
        subject=subject,
        identifier=identifier or "",
        object_type=object_type,
        object_id=str(object_id),
        grants=grants,
    )
    return grants
