"""Data once: fill the applicant step (and the details) from what the platform already knows.

Sources, in order: the person's account and citizen profile (CCCD, date of birth, address, phone,
e-mail), the organisations they represent, and their latest earlier dossier of the same procedure
(its answers to the details, only for the fields the form marks "prefill": stable personal data, not
what that dossier was about).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.models import CitizenProfile
from congso.accounts.services import organisations_for
from congso.dossiers.models import Dossier


def profile_of(person) -> CitizenProfile | None:
    return CitizenProfile.objects.filter(user=person).select_related("commune").first()


def latest_dossier(person, procedure) -> Dossier | None:
    return (
        Dossier.objects.filter(applicant=person, procedure_version__procedure=procedure)
        .order_by("-submitted_at")
        .first()
    )


def applicant_for(person, procedure=None) -> dict:
    """The applicant step's values for ``person`` (the citizen the dossier is for)."""
    profile = profile_of(person)
    earlier = latest_dossier(person, procedure) if procedure is not None else None
    address = ""
    if profile and profile.address:
        address = profile.address
        if profile.commune_id and profile.commune.name not in address:
            address = f"{address}, {profile.commune.name}"
    return {
        "name": person.full_name or person.get_full_name() or person.username,
        "id_number": (profile.cccd if profile and profile.cccd else "")
        or (earlier.applicant_id_number if earlier else ""),
        "date_of_birth": profile.date_of_birth.isoformat() if profile and profile.date_of_birth else "",
        "phone": person.phone or (earlier.applicant_phone if earlier else ""),
        "email": person.email or (earlier.applicant_email if earlier else ""),
        "address": address or (earlier.applicant_address if earlier else ""),
        "on_behalf_of": "",
    }


def organisations(person) -> list:
    return list(organisations_for(person).order_by("name"))


def earlier_label(dossier: Dossier) -> str:
    return _("Hồ sơ %(code)s nộp ngày %(day)s") % {
        "code": dossier.code,
        "day": timezone.localtime(dossier.submitted_at).strftime("%d/%m/%Y"),
    }


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


def initial_data(person, procedure, spec) -> dict:
    earlier = latest_dossier(person, procedure)
    fields, field_sources = fields_for(person, procedure, spec, earlier)
    return {
        "applicant": applicant_for(person, procedure),
        "fields": fields,
        "prefill": {"fields": field_sources},
    }
