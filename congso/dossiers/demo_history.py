"""A year of past dossiers for the demo, so that monthly figures and trends mean something (issue 16).

The live demo dossiers (``demo.py``) go through the services at today's date. These are the year
before: written as records — dossier, its receipt and finish timeline entries, component files,
fees and electronic results — with dates spread over the past 12 months, a seeded random mix of
channels, on-time and late finishes, online payments and digitised papers, for the demo's agencies and
communes. Their files all point to one stored PDF. Idempotent: nothing is written twice. The
scorecard's demo rebuilds its figures from them (``congso scorecard rebuild``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from congso.accounts.models import User
from congso.catalog.models import Procedure
from congso.directory import demo_codes as dc
from congso.directory.models import Agency

from .models import Attachment, Channel, Dossier, FinancialObligation, Result, Status, TimelineEntry

MARK = "lich-su@demo.congso.vn"  # the applicants' e-mail of the historical dossiers (idempotence)
NAMES = [
    "Nguyễn Văn Hùng",
    "Trần Thị Lan",
    "Rơ Mah Blih",
    "Ksor H'Nhi",
    "Lê Minh Tâm",
    "Phạm Thị Thu",
    "Đỗ Quang Vinh",
    "Siu H'Bia",
    "Võ Thị Hạnh",
    "Huỳnh Văn Lộc",
]
# Agencies and their monthly volume: the ward leads, the departments and the other communes follow.
VOLUME = {
    dc.commune_pc("23575"): 40,
    dc.commune_pc("23764"): 22,
    dc.commune_pc("21583"): 28,
    dc.DEPT_JUSTICE: 18,
    dc.DEPT_CONSTRUCTION: 12,
}
# Per agency, how often it finishes late (a spread so that the ranking has a shape).
LATE_RATE = {
    dc.commune_pc("23575"): 0.03,
    dc.commune_pc("23764"): 0.12,
    dc.commune_pc("21583"): 0.06,
    dc.DEPT_JUSTICE: 0.02,
    dc.DEPT_CONSTRUCTION: 0.18,
}


def _stored_pdf() -> tuple[str, int, str]:
    content = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 420 595]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    name = default_storage.save("dossiers/demo/lich-su.pdf", ContentFile(content))
    return name, len(content), hashlib.sha256(content).hexdigest()


def history(out, *, months: int = 12, seed: int = 766) -> int:
    """Write the past year's dossiers (once). Returns how many were written."""
    if Dossier.objects.filter(applicant_email=MARK).exists():
        return 0
    agencies = {a.code: a for a in Agency.objects.filter(code__in=VOLUME)}
    procedures = list(
        Procedure.objects.filter(current_version__isnull=False, is_active=True)
        .select_related("current_version")
        .order_by("code")[:8]
    )
    clerk = User.objects.filter(username="motcua.pleiku").first()
    if not agencies or not procedures or clerk is None:
        out.write("  Hồ sơ năm qua: bỏ qua (thiếu cơ quan, thủ tục hoặc cán bộ trình diễn).")
        return 0
    rng = random.Random(seed)
    tz = timezone.get_default_timezone()
    today = timezone.localdate()
    start = today - dt.timedelta(days=30 * months)
    file_name, size, sha = _stored_pdf()
    dossiers, plans = [], []
    sequence: dict[tuple, int] = {}
    for code, monthly in VOLUME.items():
        agency = agencies.get(code)
        if agency is None:
            continue
        for _i in range(monthly * months):
            day = start + dt.timedelta(days=rng.randrange((today - start).days - 2))
            if day.weekday() >= 5:
                day -= dt.timedelta(days=day.weekday() - 4)
            submitted = dt.datetime.combine(day, dt.time(7 + rng.randrange(9), rng.randrange(60)), tzinfo=tz)
            key = (code, day)
            sequence[key] = sequence.get(key, 8999) + 1
            online = rng.random() < 0.45
            legal_due = submitted + dt.timedelta(days=7)
            # Nearly every dossier of past months is finished; a few recent ones are still open or late.
            recent = (today - day).days <= 30
            finished = rng.random() < (0.9 if recent else 0.985) and legal_due.date() < today
            late = finished and rng.random() < LATE_RATE[code]
            finished_at = (
                legal_due + dt.timedelta(days=1 + rng.randrange(6))
                if late
                else submitted + dt.timedelta(days=1 + rng.randrange(5), hours=rng.randrange(6))
            )
            procedure = procedures[rng.randrange(len(procedures))]
            dossiers.append(
                Dossier(
                    code=f"{agency.code}-{day:%y%m%d}-{sequence[key]:04d}",
                    procedure_version=procedure.current_version,
                    receiving_agency=agency,
                    current_agency=agency,
                    channel=Channel.ONLINE if online else Channel.IN_PERSON,
                    status=(Status.RETURNED if rng.random() < 0.8 else Status.PROCESSED)
                    if finished
                    else Status.PROCESSING,
                    applicant_name=NAMES[rng.randrange(len(NAMES))],
                    applicant_email=MARK,
                    applicant_address=f"{agency.unit.name}, tỉnh Gia Lai",
                    form_data={
                        "online": {"level": "full" if rng.random() < 0.6 else "partial", "result": "online"}
                    }
                    if online
                    else {},
                    submitted_at=submitted,
                    received_at=submitted,
                    allowance_value=Decimal(5),
                    allowance_unit="working_days",
                    due_at=legal_due,
                    legal_due_at=legal_due,
                    finished_at=finished_at if finished else None,
                    returned_at=finished_at if finished else None,
                    is_late=late,
                    holder_role="" if finished else "officer",
                )
            )
            plans.append(
                {
                    "finished": finished,
                    "digitised": rng.random() < 0.85,
                    "e_result": finished and rng.random() < 0.8,
                    "fee": rng.random() < 0.3,
                    "gateway": rng.random() < 0.55,
                }
            )
    # Saved in the order they were received, as a live system numbers them (lists order by id).
    order = sorted(range(len(dossiers)), key=lambda i: dossiers[i].submitted_at)
    dossiers, plans = [dossiers[i] for i in order], [plans[i] for i in order]
    with transaction.atomic():
        Dossier.objects.bulk_create(dossiers, batch_size=500)
        saved = {d.code: d for d in Dossier.objects.filter(applicant_email=MARK)}
        entries, components, results, fees = [], [], [], []
        for d, plan in zip(dossiers, plans, strict=True):
            d = saved[d.code]
            entries.append(
                TimelineEntry(
                    dossier=d,
                    at=d.submitted_at,
                    actor=clerk,
                    actor_name=str(clerk),
                    action="receive",
                    action_label="Tiếp nhận hồ sơ",
                    to_status=Status.ACCEPTED,
                    agency=d.receiving_agency,
                )
            )
            if plan["finished"]:
                entries.append(
                    TimelineEntry(
                        dossier=d,
                        at=d.finished_at,
                        action="issue_result",
                        action_label="Ban hành kết quả",
                        from_status=Status.PROCESSING,
                        to_status=d.status,
                        agency=d.receiving_agency,
                    )
                )
            if plan["digitised"]:
                components.append(_attachment(d, Attachment.Purpose.COMPONENT, file_name, size, sha))
            if plan["fee"]:
                fees.append(
                    FinancialObligation(
                        dossier=d,
                        amount=Decimal(rng.choice([8000, 15000, 50000, 100000])),
                        description="Lệ phí giải quyết thủ tục",
                        requested_by=clerk,
                        requested_at=d.submitted_at,
                        paid_at=d.submitted_at + dt.timedelta(hours=2),
                        payment_channel="gateway:vnpay" if plan["gateway"] else "counter",
                    )
                )
            if plan["e_result"]:
                results.append((d, _attachment(d, Attachment.Purpose.RESULT, file_name, size, sha)))
        TimelineEntry.objects.bulk_create(entries, batch_size=1000)
        Attachment.objects.bulk_create(components + [a for _d, a in results], batch_size=1000)
        FinancialObligation.objects.bulk_create(fees, batch_size=1000)
        Result.objects.bulk_create(
            [
                Result(
                    dossier=d,
                    number=f"{d.pk}/KQ",
                    title="Kết quả giải quyết thủ tục hành chính",
                    attachment=a,
                    issued_by=clerk,
                    issued_at=d.finished_at,
                    delivery=Result.Delivery.ONLINE
                    if d.channel == Channel.ONLINE
                    else Result.Delivery.COUNTER,
                )
                for d, a in results
            ],
            batch_size=1000,
        )
    out.write(f"  Hồ sơ năm qua: {len(dossiers)} hồ sơ trong {months} tháng, {len(agencies)} cơ quan.")
    return len(dossiers)


def _attachment(d, purpose, name, size, sha) -> Attachment:
    return Attachment(
        dossier=d,
        purpose=purpose,
        component="Tờ khai" if purpose == Attachment.Purpose.COMPONENT else "",
        file=name,
        original_name="ho-so.pdf",
        kind="pdf",
        extension=".pdf",
        size=size,
        sha256=sha,
        pages=1,
    )
