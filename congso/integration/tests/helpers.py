"""Shared test helpers: a counter receipt (fires the dossier hooks) and a subscriber."""

from congso.dossiers import services as dossiers
from congso.dossiers.models import Channel
from congso.integration.models import Subscriber


def receive(staff, agencies, procedure_version, applicant, components):
    return dossiers.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        uploads=components,
    )


def subscriber(url, events=("*",), name="Hệ thống một cửa điện tử tỉnh Gia Lai", **kw) -> Subscriber:
    return Subscriber.objects.create(
        name=name, url=url, secret="bi-mat-cua-he-thong-nhan-2026", event_types=list(events), **kw
    )
