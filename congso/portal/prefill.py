"""Data once: fill the applicant step (and the details) from what the platform already knows, and say
where each value came from.

Sources, in order:

- the population registry, asked through ``datastore.registries.lookup_person`` with the person's CCCD
  (permission-checked; a helper's look-up is audited under the citizen's consent). A connector to the
  national database (``authoritative``) wins over what the account says; the built-in provider answers
  from the platform's own records and says so; "not connected" is stated, with no data (ADR 0072);
- the person's account and citizen profile (CCCD, date of birth, address, phone, e-mail);
- the organisations they represent;
- their latest earlier dossier of the same procedure: its applicant details where the account has
  none, and its answers to the details only for the fields the form marks "prefill" (stable personal
  data, not what that dossier was about).

``initial_data`` returns the draft's data: ``applicant``, ``fields`` and ``prefill`` =
``{"registry": {…what the registry said…}, "applicant": {key: {"source", "value"}},
"fields": {key: {"source", "value"}}}``; a page shows a value's source while the value is unchanged.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.models import CitizenProfile
from congso.accounts.services import organisations_for
from congso.core.errors import ServiceError
from congso.datastore import registries
from congso.dossiers.models import Dossier

log = logging.getLogger("congso.portal")

REGISTRY_FIELDS = {"name": "full_name", "date_of_birth": "date_of_birth", "address": "permanent_address"}


def profile_of(person) -> CitizenProfile | None:
    return CitizenProfile.objects.filter(user=person).select_related("commune").first()


def latest_dossier(person, procedure) -> Dossier | None:
    return (
        Dossier.objects.filter(applicant=person, procedure_version__procedure=procedure)
        .order_by("-submitted_at")
        .first()
    )


def earlier_label(dossier: Dossier) -> str:
    return _("Hồ sơ %(code)s nộp ngày %(day)s") % {
        "code": dossier.code,
        "day": timezone.localtime(dossier.submitted_at).strftime("%d/%m/%Y"),
    }


def _account_label(person, actor) -> str:
    if actor is not None and actor.pk != person.pk:
        return _("Tài khoản của công dân trên cổng")
    return _("Tài khoản của bạn trên cổng")


def _from_account(person, actor, earlier) -> tuple[dict, dict, str]:
    """The applicant step's values from the account and profile, else the earlier dossier, with sources;
    and the CCCD of the profile (the one a registry may be asked about)."""
    profile = profile_of(person)
    account = _account_label(person, actor)
    before = earlier_label(earlier) if earlier is not None else ""
    address = ""
    if profile and profile.address:
        address = profile.address
        if profile.commune_id and profile.commune.name not in address:
            address = f"{address}, {profile.commune.name}"
    values, sources = {}, {}

    def put(key, own, from_earlier=""):
        if own:
            values[key], sources[key] = own, account
        elif from_earlier:
            values[key], sources[key] = from_earlier, before
        else:
            values[key] = ""

    put("name", person.full_name or person.get_full_name() or person.username)
    put("id_number", profile.cccd if profile else "", earlier.applicant_id_number if earlier else "")
    put("date_of_birth", profile.date_of_birth.isoformat() if profile and profile.date_of_birth else "")
    put("phone", person.phone, earlier.applicant_phone if earlier else "")
    put("email", person.email, earlier.applicant_email if earlier else "")
    put("address", address, earlier.applicant_address if earlier else "")
    values["on_behalf_of"] = ""
    return values, sources, (profile.cccd if profile else "")


def _registry(actor, cccd: str, procedure) -> tuple[dict, object | None]:
    """(what to show about the look-up, the Answer or None)."""

    name = str(registries.REGISTRY_NAMES[registries.POPULATION])
    if not cccd:
        return {
            "registry": name,
            "asked": False,
            "message": _("Tài khoản chưa có số CCCD nên chưa tra cứu được dữ liệu dân cư."),
        }, None
    try:
        answer = registries.lookup_person(actor, cccd, purpose=procedure.code if procedure else "")
    except (PermissionDenied, ServiceError) as exc:
        message = getattr(exc, "message", "") or str(exc)
        log.info("prefill: population look-up not done: %s", message)
        return {"registry": name, "asked": False, "message": message}, None
    note = {
        "registry": answer.registry_name,
        "asked": True,
        "connected": answer.connected,
        "authoritative": answer.authoritative,
        "found": answer.found,
        "source": answer.source,
        "origin": answer.origin,
        "message": answer.message,
        "checked_at": answer.checked_at.isoformat(),
    }
    return note, answer


def applicant_prefill(person, procedure=None, actor=None, earlier=None) -> tuple[dict, dict, dict]:
    """(values, sources, registry note) for the applicant step of ``person`` (the citizen the dossier is
    for), filled in by ``actor`` (the person, or a helper under consent)."""
    actor = actor or person
    if earlier is None and procedure is not None:
        earlier = latest_dossier(person, procedure)
    values, sources, cccd = _from_account(person, actor, earlier)
    note, answer = _registry(actor, cccd, procedure)
    if answer is not None and answer.found:
        label = answer.source + (f" ({answer.origin})" if answer.origin else "")
        for key, registry_key in REGISTRY_FIELDS.items():
            found = answer.data.get(registry_key)
            if hasattr(found, "isoformat"):
                found = found.isoformat()
            if not found:
                continue
            # the national database (a real connector) wins; the platform's own records fill gaps and
            # name themselves as the source of the values they agree with
            if answer.authoritative or not values.get(key) or str(values[key]) == str(found):
                values[key], sources[key] = str(found), label
    return values, sources, note


def applicant_for(person, procedure=None, actor=None) -> dict:
    """The applicant step's values for ``person``."""
    return applicant_prefill(person, procedure, actor)[0]


def organisations(person) -> list:
    return list(organisations_for(person).order_by("name"))


def fields_for(person, procedure, spec, earlier=None) -> tuple[dict, dict]:
    """(answers, sources): the latest earlier dossier's answers for the fields marked "prefill" that the
    form still has — stable personal data only, never what that dossier was about — and, for each,
    where it came from."""
    earlier = earlier if earlier is not None else latest_dossier(person, procedure)
    if earlier is None:
        return {}, {}
    answers = (earlier.form_data or {}).get("fields") or {}
    keys = {f.key for f in spec.fields if f.prefill}
    values = {k: v for k, v in answers.items() if k in keys}
    label = earlier_label(earlier)
    return values, dict.fromkeys(values, label)


def _with_values(sources: dict, values: dict) -> dict:
    return {k: {"source": label, "value": values.get(k)} for k, label in sources.items() if label}


def initial_data(person, procedure, spec, actor=None) -> dict:
    """The new draft's data. Asks the registry (outside any transaction: a connector may be slow)."""
    earlier = latest_dossier(person, procedure)
    applicant, applicant_sources, registry = applicant_prefill(person, procedure, actor, earlier)
    fields, field_sources = fields_for(person, procedure, spec, earlier)
    return {
        "applicant": applicant,
        "fields": fields,
        "prefill": {
            "registry": registry,
            "applicant": _with_values(applicant_sources, applicant),
            "fields": _with_values(field_sources, fields),
        },
    }


def sources_of(draft, part: str) -> dict:
    """{key: source} for the values of ``part`` ("applicant" or "fields") still as they were prefilled."""
    data = draft.data or {}
    current = data.get(part) or {}
    out = {}
    for key, entry in ((data.get("prefill") or {}).get(part) or {}).items():
        if isinstance(entry, dict) and str(current.get(key, "")) == str(entry.get("value", "")):
            out[key] = entry.get("source", "")
    return out
