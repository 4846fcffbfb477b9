"""Registries the platform can query, behind one pluggable interface.

Two registries are known:

- ``population`` — CSDL quốc gia về dân cư: a person by CCCD → name, date of birth, permanent address;
- ``business`` — CSDL quốc gia về đăng ký doanh nghiệp: an organisation by tax code → name, address,
  legal representative.

Which provider answers each is a setting (dotted paths; empty means not connected)::

    CONGSO_REGISTRIES = {
        "population": "congso.datastore.registries.PlatformPopulationRegistry",
        "business": "congso.datastore.registries.PlatformBusinessRegistry",
    }

The built-in providers answer from the platform's own records (citizens' profiles, organisations,
applicants' details in earlier dossiers) and every answer says so. When nothing is connected the
answer says "chưa kết nối", never made-up data. A real connector (NDXP/LGSP) is a class with the same
``lookup`` method (ADR 0072).

Use cases (permission-checked, each look-up of someone else's data audited):

    lookup_person(actor, cccd, agency=None, purpose="", grant=None)       -> Answer
    lookup_business(actor, tax_code, agency=None, purpose="", grant=None) -> Answer

``grant`` is the data-sharing agreement another agency's API client reads under (ADR 0155).
    my_registry_data(user)                                   -> list[Answer] (no audit: one's own data)
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.accounts.models import CitizenProfile, Organisation, Representative
from congso.accounts.services import (
    ConsentRequired,
    _active_on,
    is_helper,
    is_representative,
    organisations_for,
    record_assisted_action,
    require_consent,
)
from congso.accounts.validators import validate_cccd, validate_tax_code
from congso.core import audit
from congso.core.errors import ServiceError
from congso.directory.models import Role
from congso.directory.scope import active_memberships, has_role
from congso.directory.selectors import agency_by_code
from congso.dossiers.models import Dossier

log = logging.getLogger("congso.datastore")

POPULATION = "population"
BUSINESS = "business"
REGISTRY_NAMES = {
    POPULATION: gettext_lazy("Cơ sở dữ liệu quốc gia về dân cư"),
    BUSINESS: gettext_lazy("Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp"),
}
DEFAULT_REGISTRIES = {
    POPULATION: "congso.datastore.registries.PlatformPopulationRegistry",
    BUSINESS: "congso.datastore.registries.PlatformBusinessRegistry",
}


def _latest_applicant_snapshot(identifier: str):
    """The applicant details of the newest dossier filed under this CCCD or tax code, if any."""

    return (
        Dossier.objects.filter(applicant_id_number=identifier)
        .only("applicant_name", "applicant_address", "submitted_at")
        .order_by("-submitted_at")
        .first()
    )


@dataclass
class Answer:
    """What one registry said about one identifier. ``source`` always names who answered."""

    registry: str
    registry_name: str
    identifier: str
    connected: bool
    authoritative: bool  # True only for a connector to the real national database
    found: bool
    source: str
    message: str
    data: dict = field(default_factory=dict)
    origin: str = ""  # which records the answer came from (e.g. "hồ sơ công dân trên congso")
    checked_at: datetime.datetime = field(default_factory=timezone.now)

    def as_dict(self) -> dict:
        return asdict(self)


class Registry:
    """A provider for one registry. Subclasses set ``registry`` and implement ``lookup``.

    ``lookup(identifier)`` gets a validated, normalised identifier and returns an ``Answer``. It must
    not check permissions or write audit entries: ``lookup_person`` / ``lookup_business`` do that.
    """

    registry: str = ""
    connected = True
    authoritative = False
    source = ""

    def answer(self, identifier: str, *, found: bool, data=None, message="", origin="") -> Answer:
        return Answer(
            registry=self.registry,
            registry_name=str(REGISTRY_NAMES[self.registry]),
            identifier=identifier,
            connected=self.connected,
            authoritative=self.authoritative,
            found=found,
            source=str(self.source),
            message=message,
            data=data or {},
            origin=origin,
        )

    def lookup(self, identifier: str) -> Answer:  # pragma: no cover — interface
        raise NotImplementedError


class NotConnected(Registry):
    """No registry connected: the answer says so and carries no data."""

    connected = False

    def __init__(self, registry: str):
        self.registry = registry

    @property
    def source(self):
        return _("Chưa kết nối")

    def lookup(self, identifier: str) -> Answer:
        return self.answer(
            identifier,
            found=False,
            message=_(
                "Nền tảng chưa kết nối với %(name)s. Không có dữ liệu nào được tra cứu; "
                "vui lòng khai thông tin theo giấy tờ của bạn."
            )
            % {"name": REGISTRY_NAMES[self.registry]},
        )


class PlatformPopulationRegistry(Registry):
    """Answers from congso's own records: citizens' profiles, then applicants' details in dossiers."""

    registry = POPULATION
    source = gettext_lazy("Dữ liệu của nền tảng congso, không phải CSDL quốc gia về dân cư")

    def lookup(self, identifier: str) -> Answer:
        profile = CitizenProfile.objects.select_related("user", "commune").filter(cccd=identifier).first()
        if profile is not None:
            address = ", ".join(p for p in (profile.address, getattr(profile.commune, "name", "")) if p)
            return self.answer(
                identifier,
                found=True,
                data={
                    "full_name": profile.user.full_name,
                    "date_of_birth": profile.date_of_birth,
                    "permanent_address": address,
                },
                origin=_("Thông tin công dân tự khai trong tài khoản trên nền tảng"),
            )
        dossier = _latest_applicant_snapshot(identifier)
        if dossier is not None:
            return self.answer(
                identifier,
                found=True,
                data={
                    "full_name": dossier.applicant_name,
                    "date_of_birth": None,
                    "permanent_address": dossier.applicant_address,
                },
                origin=_("Thông tin người nộp khai trong hồ sơ nộp ngày %(day)s")
                % {"day": timezone.localtime(dossier.submitted_at).strftime("%d/%m/%Y")},
            )
        return self.answer(
            identifier,
            found=False,
            message=_("Nền tảng chưa có thông tin về số CCCD này."),
        )


class PlatformBusinessRegistry(Registry):
    """Answers from congso's own records: registered organisations, then applicants in dossiers."""

    registry = BUSINESS
    source = gettext_lazy("Dữ liệu của nền tảng congso, không phải CSDL quốc gia về đăng ký doanh nghiệp")

    def lookup(self, identifier: str) -> Answer:
        org = Organisation.objects.select_related("commune").filter(tax_code=identifier).first()
        if org is not None:
            legal = (
                _active_on(Representative.objects.filter(organisation=org, kind=Representative.Kind.LEGAL))
                .select_related("user")
                .first()
            )
            address = ", ".join(p for p in (org.address, getattr(org.commune, "name", "")) if p)
            return self.answer(
                identifier,
                found=True,
                data={
                    "name": org.name,
                    "kind": org.get_kind_display(),
                    "address": address,
                    "legal_representative": str(legal.user) if legal else "",
                },
                origin=_("Tổ chức, doanh nghiệp đăng ký trên nền tảng"),
            )
        dossier = _latest_applicant_snapshot(identifier)
        if dossier is not None:
            return self.answer(
                identifier,
                found=True,
                data={
                    "name": dossier.applicant_name,
                    "kind": "",
                    "address": dossier.applicant_address,
                    "legal_representative": "",
                },
                origin=_("Thông tin người nộp khai trong hồ sơ nộp ngày %(day)s")
                % {"day": timezone.localtime(dossier.submitted_at).strftime("%d/%m/%Y")},
            )
        return self.answer(
            identifier, found=False, message=_("Nền tảng chưa có thông tin về mã số thuế này.")
        )


# --- configuration ------------------------------------------------------------------------------


def provider(registry: str) -> Registry:
    """The configured provider of ``registry``; ``NotConnected`` when the setting is empty."""
    if registry not in REGISTRY_NAMES:
        raise ImproperlyConfigured(f"unknown registry {registry!r}")
    configured = getattr(settings, "CONGSO_REGISTRIES", DEFAULT_REGISTRIES) or {}
    path = (configured.get(registry) or "").strip()
    if not path or path.lower() in ("none", "off"):
        return NotConnected(registry)
    cls = import_string(path)
    instance = cls()
    if instance.registry != registry:
        raise ImproperlyConfigured(f"{path} answers {instance.registry!r}, not {registry!r}")
    return instance


def status() -> list[dict]:
    """Each registry: connected or not, who answers, whether it is the authoritative source."""
    rows = []
    for key, name in REGISTRY_NAMES.items():
        p = provider(key)
        rows.append(
            {
                "registry": key,
                "registry_name": str(name),
                "connected": p.connected,
                "authoritative": p.authoritative,
                "source": str(p.source),
            }
        )
    return rows


# --- who may look up whom -----------------------------------------------------------------------


@dataclass
class Basis:
    """Why a look-up is allowed: ``self``, ``representative``, ``clerk`` (at ``agency``) or ``consent``."""

    kind: str
    agency: object = None
    consent: object = None
    subject: object = None  # the platform user the data is about, when known
    grant: object = None  # accounts.hooks.Grant: the data-sharing agreement an API client reads under


def _identifier(registry: str, value: str) -> str:
    try:
        if registry == POPULATION:
            return validate_cccd(value or "")
        return validate_tax_code(value or "")
    except ValidationError as exc:
        raise ServiceError(
            " ".join(exc.messages), field="cccd" if registry == POPULATION else "tax_code"
        ) from None


def normalise(registry: str, value: str) -> str:
    """The identifier as the registry knows it (a CCCD or a tax code), or a field error."""
    return _identifier(registry, value)


def _own_cccd(user) -> str | None:
    return CitizenProfile.objects.filter(user_id=user.pk).values_list("cccd", flat=True).first()


def _clerk_agency(user, agency):
    """The agency where ``user`` is a one-stop clerk, as given or (if they have one) implied."""

    if agency is not None:
        if isinstance(agency, str):
            agency = agency_by_code(agency)
        return agency if agency is not None and has_role(user, Role.CLERK, agency) else None
    memberships = list(active_memberships(user, Role.CLERK)[:2])
    return memberships[0].agency if len(memberships) == 1 else None


def authorise(actor, registry: str, identifier: str, *, agency=None, purpose: str = "", grant=None) -> Basis:
    """The basis on which ``actor`` may look ``identifier`` up in ``registry``; PermissionDenied if none.

    - a citizen: their own CCCD, or the tax code of an organisation they represent today;
    - a one-stop clerk: anyone, for an applicant at the counter of an agency where they are a clerk;
    - a community helper: a citizen who has consented (accounts.require_consent) for ``purpose``;
    - another agency's API client: under the data-sharing agreement ``grant`` that covers this registry
      (``accounts.hooks.personal_data_read`` gave it, having recorded the read; ADR 0155).
    """

    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Bạn cần đăng nhập."))
    if grant is not None:
        return Basis("agreement", grant=grant)
    if registry == POPULATION:
        own = _own_cccd(actor)
        if own and own == identifier:
            return Basis("self", subject=actor)
    else:
        org = Organisation.objects.filter(tax_code=identifier).first()
        if org is not None and is_representative(actor, org):
            return Basis("representative", subject=org)
    clerk_at = _clerk_agency(actor, agency)
    if clerk_at is not None:
        return Basis("clerk", agency=clerk_at)
    if registry == POPULATION and is_helper(actor):
        profile = CitizenProfile.objects.select_related("user").filter(cccd=identifier).first()
        if profile is not None:
            try:
                consent = require_consent(actor, profile.user, purpose)
            except ConsentRequired:
                pass
            else:
                return Basis("consent", consent=consent, subject=profile.user)
        raise PermissionDenied(
            _(
                "Thành viên tổ công nghệ số cộng đồng chỉ được tra cứu thông tin của công dân "
                "đã đồng ý cho mình hỗ trợ."
            )
        )
    raise PermissionDenied(
        _(
            "Bạn chỉ được tra cứu thông tin của chính mình hoặc của tổ chức mình đại diện. Cán bộ một cửa "
            "tra cứu người nộp hồ sơ tại cơ quan mình."
        )
    )


def _ask(source: Registry, identifier: str) -> Answer:
    """The provider's answer; a connector's failure is a clear error, never an empty "not found"."""
    try:
        return source.lookup(identifier)
    except ServiceError:
        raise
    except Exception:  # noqa: BLE001 — any connector failure
        log.exception("registry %s lookup failed", source.registry)
        raise ServiceError(
            _("Không tra cứu được %(name)s lúc này. Vui lòng thử lại sau hoặc khai theo giấy tờ của bạn.")
            % {"name": REGISTRY_NAMES[source.registry]},
            code="registry_unavailable",
        ) from None


def _lookup(actor, registry: str, value: str, *, agency=None, purpose: str = "", grant=None) -> Answer:
    identifier = _identifier(registry, value)
    basis = authorise(actor, registry, identifier, agency=agency, purpose=purpose, grant=grant)
    if grant is not None:
        purpose = grant.purpose
    result = _ask(provider(registry), identifier)  # outside the transaction: a connector may be slow
    with transaction.atomic():
        if basis.kind not in ("self", "representative"):
            data = {
                "registry": registry,
                "identifier": identifier,
                "basis": basis.kind,
                "agency": getattr(basis.agency, "code", None),
                "purpose": (purpose or "")[:300],
                "connected": result.connected,
                "found": result.found,
                "source": result.source,
            }
            if basis.grant is not None:
                data["agreement"] = basis.grant.agreement_id
                data["agency"] = basis.grant.agency_code
            if basis.consent is not None:
                data["consent"] = basis.consent.pk
                record_assisted_action(basis.consent, "datastore.registry_lookup", basis.subject)
            audit.record(
                "datastore.registry_lookup",
                actor=actor,
                data=data,
                object_type=f"registry.{registry}",
                object_id=identifier,
                object_repr=str(REGISTRY_NAMES[registry]),
            )
    return result


def lookup_person(actor, cccd: str, *, agency=None, purpose: str = "", grant=None) -> Answer:
    """Name, date of birth and permanent address of the holder of ``cccd`` (population registry)."""
    return _lookup(actor, POPULATION, cccd, agency=agency, purpose=purpose, grant=grant)


def lookup_business(actor, tax_code: str, *, agency=None, purpose: str = "", grant=None) -> Answer:
    """Name, address and legal representative of the organisation ``tax_code`` (business registry)."""
    return _lookup(actor, BUSINESS, tax_code, agency=agency, purpose=purpose, grant=grant)


def my_registry_data(user) -> dict:
    """What the registries say about ``user`` and the organisations they represent (their own data)."""

    cccd = _own_cccd(user)
    person = lookup_person(user, cccd) if cccd else None
    organisations = [lookup_business(user, org.tax_code) for org in organisations_for(user).order_by("name")]
    return {"cccd": cccd, "person": person, "organisations": organisations, "status": status()}
