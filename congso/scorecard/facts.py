"""Keeping the facts: one dossier's contribution, applied incrementally or rebuilt (ADR 0148).

``compute`` turns a dossier (and what ``dossiers.selectors.fact_inputs`` and
``ratings.selectors.overall_by_dossier`` say of it) into its ``DossierFact`` fields. ``contribution``
turns those into counts per (day, agency, procedure). ``refresh`` runs in the dossier's own transaction
(``dossiers.hooks.dossier_changed``, ``ratings.hooks.rating_given``): it locks the dossier's old
fact, takes its contribution out of ``DailyFact`` and adds the new one, in one upsert statement whose
increments are atomic on SQLite and PostgreSQL; the same statement adds the change to ``MonthlyFact``
(the sums per calendar month, ADR 0182). ``rebuild`` recomputes the tables from the records with the
same two functions, so incremental and rebuilt figures can be compared exactly.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from congso.catalog.models import ProcedureVersion
from congso.dossiers.models import FINISHED_STATUSES, Channel, Dossier
from congso.dossiers.selectors import fact_inputs
from congso.ratings.selectors import overall_by_dossier

from .models import FINISH_MEASURES, MEASURES, RECEIPT_MEASURES, DailyFact, DossierFact, MonthlyFact

FACT_FIELDS = (
    "agency_id",
    "procedure_id",
    "received_day",
    "finished_day",
    "online",
    "full_online",
    "digitised",
    "fee_bearing",
    "paid_online",
    "timed",
    "on_time",
    "e_result",
    "rated",
    "satisfied",
    "handling_ok",
)
DOSSIER_FIELDS = (
    "id",
    "receiving_agency_id",
    "procedure_version_id",
    "channel",
    "status",
    "submitted_at",
    "finished_at",
    "legal_due_at",
    "allowance_value",
    "allowance_unit",
    "is_late",
    "form_data",
)

# A procedure version never changes its procedure: remembered once per process.
_procedure_of_version: dict[int, int] = {}


def _procedures(version_ids) -> dict[int, int]:
    missing = {v for v in version_ids if v not in _procedure_of_version}
    if missing:
        _procedure_of_version.update(
            ProcedureVersion.objects.filter(pk__in=missing).values_list("pk", "procedure_id")
        )
    return _procedure_of_version


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def compute(dossier: Dossier, inputs: dict, overall: str | None, procedure_id: int) -> dict:
    """The dossier's ``DossierFact`` fields (``FACT_FIELDS``), from its row and its inputs.

    - online: filed online (channel 2); full_online: under full online terms (Decree 42/2022);
    - digitised: at least one of its papers is a stored file;
    - fee_bearing: a fee was asked; paid_online: every fee paid so far was paid through a gateway;
    - finished: processed or returned, counted on the day it was finished; timed: with a time limit;
    - on_time (Decision 766): timed, not late (``is_late``: an apology was sent or it finished after its
      legal due moment) and asked for a supplement at most once;
    - e_result: an electronic result was issued; rated/satisfied: the applicant's overall verdict;
    - handling_ok: timed, on time and not rated "dissatisfied" (satisfaction with the handling).
    """
    finished = dossier.status in FINISHED_STATUSES and dossier.finished_at is not None
    timed = finished and dossier.allowance_value is not None and bool(dossier.allowance_unit)
    late = (
        dossier.is_late
        or inputs["supplements"] > 1
        or (finished and dossier.legal_due_at is not None and dossier.finished_at > dossier.legal_due_at)
    )
    on_time = timed and not late
    terms = dossier.online_terms or {}
    return {
        "agency_id": dossier.receiving_agency_id,
        "procedure_id": procedure_id,
        "received_day": _day(dossier.submitted_at),
        "finished_day": _day(dossier.finished_at) if finished else None,
        "online": dossier.channel == Channel.ONLINE,
        "full_online": dossier.channel == Channel.ONLINE and terms.get("level") == "full",
        "digitised": bool(inputs["components"]),
        "fee_bearing": inputs["fees"] > 0,
        "paid_online": inputs["paid"] > 0 and inputs["paid_online"] == inputs["paid"],
        "timed": timed,
        "on_time": on_time,
        "e_result": finished and bool(inputs["result"]),
        "rated": finished and overall is not None,
        "satisfied": finished and overall == "satisfied",
        "handling_ok": on_time and overall != "dissatisfied",
    }


def contribution(fact: dict | None) -> dict[tuple, dict[str, int]]:
    """{(day, agency_id, procedure_id): {measure: count}} that a fact adds to ``DailyFact``."""
    if fact is None:
        return {}
    agency, procedure = fact["agency_id"], fact["procedure_id"]
    out = {(fact["received_day"], agency, procedure): {"received": 1}}
    receipt = out[(fact["received_day"], agency, procedure)]
    for m in RECEIPT_MEASURES[1:]:
        receipt[m] = int(bool(fact[m]))
    if fact["finished_day"] is not None:
        finish = out.setdefault((fact["finished_day"], agency, procedure), {})
        finish["finished"] = finish.get("finished", 0) + 1
        for m in FINISH_MEASURES[1:]:
            finish[m] = finish.get(m, 0) + int(bool(fact[m]))
    return out


def _as_dict(fact: DossierFact) -> dict:
    return {f: getattr(fact, f) for f in FACT_FIELDS}


def _add(total: dict, contrib: dict, sign: int) -> None:
    for key, measures in contrib.items():
        row = total[key]
        for m, n in measures.items():
            row[m] += sign * n


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def by_month(daily: dict[tuple, dict[str, int]]) -> dict[tuple, dict[str, int]]:
    """{(day, agency, procedure): measures} summed into {(first day of the month, agency, procedure): …}."""
    monthly: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (day, agency, procedure), measures in daily.items():
        row = monthly[(month_of(day), agency, procedure)]
        for m, n in measures.items():
            row[m] += n
    return monthly


def _sums_upsert(model, period_column: str, delta: dict[tuple, dict[str, int]]) -> tuple[str, list] | None:
    """The INSERT … ON CONFLICT DO UPDATE adding ``delta`` ({(day or month, agency, procedure):
    measures}) to ``model`` (rows in key order, so two transactions never wait on each other's rows in
    opposite orders); None when nothing changes."""
    rows = [(key, m) for key, m in sorted(delta.items()) if any(m.values())]
    if not rows:
        return None
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = [period_column, "agency_id", "procedure_id", *MEASURES]
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    params = []
    for (day, agency, procedure), measures in rows:
        params += [connection.ops.adapt_datefield_value(day), agency, procedure]
        params += [measures.get(m, 0) for m in MEASURES]
    updates = ", ".join(f"{qn(m)} = {table}.{qn(m)} + excluded.{qn(m)}" for m in MEASURES)
    # Names are quoted constants; every value is a parameter.
    insert = (
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES {', '.join([one] * len(rows))}"  # noqa: S608
    )
    conflict = f"({qn(period_column)}, {qn('agency_id')}, {qn('procedure_id')})"
    return f"{insert} ON CONFLICT {conflict} DO UPDATE SET {updates}", params


# A dossier just received: nothing of it exists yet but what its receipt wrote.
NEW_INPUTS = {"supplements": 0, "result": False, "fees": 0, "paid": 0, "paid_online": 0}


def refresh(dossiers, new: frozenset = frozenset()) -> None:
    """Bring the facts of ``dossiers`` (saved Dossier rows, as the use case left them) up to date, in
    the caller's transaction. ``new``: ids of dossiers received in this transaction — they have no old
    fact, fee, result or rating, and their component files are on the instance (``received_attachments``),
    so nothing is read for them."""
    by_id = {d.pk: d for d in dossiers}
    if not by_id:
        return
    ids = sorted(by_id)
    known = {
        pk: {**NEW_INPUTS, "components": bool(by_id[pk].received_attachments)}
        for pk in ids
        if pk in new and getattr(by_id[pk], "received_attachments", None) is not None
    }
    rest = [pk for pk in ids if pk not in known]
    inputs = {**known, **fact_inputs(rest)}
    finished = [pk for pk in rest if by_id[pk].status in FINISHED_STATUSES]
    overall = overall_by_dossier(finished)
    procedures = _procedures({d.procedure_version_id for d in by_id.values()})
    old_ids = [pk for pk in ids if pk not in new]
    old = (
        {
            f.dossier_id: f
            for f in DossierFact.objects.select_for_update().filter(dossier_id__in=old_ids).order_by("pk")
        }
        if old_ids
        else {}
    )
    delta: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    changed = []
    for pk in ids:
        d = by_id[pk]
        new_fact = compute(d, inputs[pk], overall.get(pk), procedures[d.procedure_version_id])
        before = _as_dict(old[pk]) if pk in old else None
        if before == new_fact:
            continue
        _add(delta, contribution(before), -1)
        _add(delta, contribution(new_fact), +1)
        changed.append((pk, new_fact))
    if changed:
        _write(changed, delta)


def _fact_upsert(changed) -> tuple[str, list]:
    qn = connection.ops.quote_name
    table = qn(DossierFact._meta.db_table)
    columns = ["dossier_id", *FACT_FIELDS]
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    params = []
    for pk, fact in changed:
        for c in columns:
            value = pk if c == "dossier_id" else fact[c]
            if c.endswith("_day"):
                value = connection.ops.adapt_datefield_value(value)
            params.append(value)
    updates = ", ".join(f"{qn(c)} = excluded.{qn(c)}" for c in FACT_FIELDS)
    insert = (
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES {', '.join([one] * len(changed))}"  # noqa: S608
    )
    return f"{insert} ON CONFLICT ({qn('dossier_id')}) DO UPDATE SET {updates}", params


def _write(changed, delta) -> None:
    """The new facts and the change of the daily and monthly sums: one statement on PostgreSQL (a
    data-modifying WITH), three elsewhere."""
    statements = [
        s
        for s in (
            _fact_upsert(changed),
            _sums_upsert(DailyFact, "day", delta),
            _sums_upsert(MonthlyFact, "month", by_month(delta)),
        )
        if s is not None
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(statements) > 1:
            *first, (last_sql, last_params) = statements
            ctes = ", ".join(f"s{i} AS ({sql})" for i, (sql, _p) in enumerate(first))
            params = [p for _sql, ps in first for p in ps] + last_params
            cursor.execute(f"WITH {ctes} {last_sql}", params)
        else:
            for sql, params in statements:
                cursor.execute(sql, params)


def on_dossier_changed(entries) -> None:
    """``dossiers.hooks.dossier_changed`` subscriber: every changed dossier once."""
    seen, new = {}, set()
    for entry in entries:
        seen.setdefault(entry.dossier_id, entry.dossier)
        if entry.action == "receive" and entry.from_status is None:
            new.add(entry.dossier_id)
    refresh(list(seen.values()), frozenset(new))


def on_rating_given(rating) -> None:
    """``ratings.hooks.rating_given`` subscriber: the dossier's satisfaction measures."""
    refresh([Dossier.objects.only(*DOSSIER_FIELDS).get(pk=rating.dossier_id)])


def _lock_tables() -> None:
    """On PostgreSQL, hold off every fact write (a dossier change waits) while the tables are rebuilt;
    pages keep reading the old figures until the rebuild commits."""
    if connection.vendor == "postgresql":
        tables = ", ".join(
            connection.ops.quote_name(m._meta.db_table) for m in (DossierFact, DailyFact, MonthlyFact)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")


def computed_facts(chunk: int = 2000):
    """Every dossier's fact computed from the records, in chunks of ``chunk`` dossiers: yields lists of
    (dossier id, fact dict)."""
    last = 0
    while True:
        batch = list(Dossier.objects.filter(pk__gt=last).order_by("pk").only(*DOSSIER_FIELDS)[:chunk])
        if not batch:
            return
        ids = [d.pk for d in batch]
        inputs = fact_inputs(ids)
        overall = overall_by_dossier(ids)
        procedures = _procedures({d.procedure_version_id for d in batch})
        yield [
            (d.pk, compute(d, inputs[d.pk], overall.get(d.pk), procedures[d.procedure_version_id]))
            for d in batch
        ]
        last = ids[-1]


def rebuild(chunk: int = 2000) -> dict:
    """Recompute ``DossierFact``, ``DailyFact`` and ``MonthlyFact`` from the records, in one transaction.
    Returns {"dossiers": n, "days": rows of DailyFact, "months": rows of MonthlyFact}."""
    with transaction.atomic():
        _lock_tables()
        MonthlyFact.objects.all().delete()
        DailyFact.objects.all().delete()
        DossierFact.objects.all().delete()
        daily: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        count = 0
        for batch in computed_facts(chunk):
            DossierFact.objects.bulk_create([DossierFact(dossier_id=pk, **fact) for pk, fact in batch])
            for _pk, fact in batch:
                _add(daily, contribution(fact), +1)
            count += len(batch)
        rows = [
            DailyFact(day=day, agency_id=agency, procedure_id=procedure, **measures)
            for (day, agency, procedure), measures in sorted(daily.items())
            if any(measures.values())
        ]
        DailyFact.objects.bulk_create(rows, batch_size=2000)
        months = [
            MonthlyFact(month=month, agency_id=agency, procedure_id=procedure, **measures)
            for (month, agency, procedure), measures in sorted(by_month(daily).items())
            if any(measures.values())
        ]
        MonthlyFact.objects.bulk_create(months, batch_size=2000)
    return {"dossiers": count, "days": len(rows), "months": len(months)}


def _kept(model, period_column: str) -> dict[tuple, dict[str, int]]:
    out = {}
    for row in model.objects.values(period_column, "agency_id", "procedure_id", *MEASURES):
        measures = {m: row[m] for m in MEASURES}
        if any(measures.values()):
            out[(row[period_column], row["agency_id"], row["procedure_id"])] = measures
    return out


def snapshot() -> dict[str, dict[tuple, dict[str, int]]]:
    """``DailyFact`` and ``MonthlyFact`` as {"daily": {(day, agency_id, procedure_id): {measure: n}},
    "monthly": {(month, …): …}}, rows of zeros left out (tests and ``congso scorecard check`` compare
    the incremental figures with a rebuild through it)."""
    return {"daily": _kept(DailyFact, "day"), "monthly": _kept(MonthlyFact, "month")}


def expected_snapshot() -> dict[str, dict[tuple, dict[str, int]]]:
    """What ``snapshot`` should say, computed from the records without writing anything."""
    daily: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for batch in computed_facts():
        for _pk, fact in batch:
            _add(daily, contribution(fact), +1)

    def full(sums):
        return {
            key: {m: measures.get(m, 0) for m in MEASURES}
            for key, measures in sums.items()
            if any(measures.values())
        }

    return {"daily": full(daily), "monthly": full(by_month(daily))}


def on_result_issued(dossier, result, **_kwargs) -> None:
    """``dossiers.hooks.result_issued`` subscriber: the result row exists now (electronic result)."""
    refresh([dossier])
