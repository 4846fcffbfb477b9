"""The fee a dossier owes according to the catalogue: the clerk's suggestion when asking for payment
(the dossier page) and the payments app's default amount."""

from __future__ import annotations

from decimal import Decimal

from congso.catalog.services import effective_terms

from .models import Channel, Dossier

CHANNEL_KEYS = {Channel.IN_PERSON: "in_person", Channel.ONLINE: "online", Channel.POST: "post"}


def suggested_fee(dossier: Dossier) -> Decimal | None:
    """The fee the catalogue gives for this dossier, under the procedure version it was filed under:
    the receiving agency's local fee, else the procedure's fee for the dossier's channel. Only when
    that channel states nothing, the amount another channel states. A channel that is free stays free
    (online filing is often free where the counter charges)."""
    version = dossier.procedure_version
    wanted = CHANNEL_KEYS.get(dossier.channel)
    rows = effective_terms(version.procedure, dossier.receiving_agency, version=version).channels
    own = next((row for row in rows if row.channel == wanted), None)
    if own is not None and (own.fee_kind == "free" or own.fee_amount is not None):
        rows = [own]  # the channel states its fee (free, or an amount): no other channel's applies
    for row in sorted(rows, key=lambda r: r.channel != wanted):
        if row.fee_amount is not None and row.fee_amount > 0 and row.fee_currency in ("", "VND"):
            return row.fee_amount.quantize(Decimal(1))
    return None
