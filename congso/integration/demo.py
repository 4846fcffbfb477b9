"""Demo: the province's document-management system registered as a webhook subscriber of dossier
events, so every change made while trying the demo appears on `/tich-hop/` (log in as quantri.hethong).
Deliveries go out when a worker runs: `congso integration worker`.

The National Public Service Portal: the connection to its sandbox (started next to the demo server,
`congso integration sandbox`), and two dossiers "filed on the national portal" through the real
inbound path: one received into the one-stop with its national code, one parked (an unknown
procedure code) for the administrator to resolve on `/tich-hop/quoc-gia/`."""

import secrets
import time
import uuid

from django.conf import settings
from django.utils import timezone

from congso.accounts.models import User
from congso.dossiers.models import Dossier

from .models import InboundDossier, Subscriber
from .national import inbound, messages
from .national.connection import connect

NAME = "Hệ thống quản lý văn bản và điều hành tỉnh Gia Lai (thử nghiệm)"


def load(out):
    if Subscriber.objects.filter(name=NAME).exists():
        return []
    Subscriber.objects.create(
        name=NAME,
        url="https://qlvb.gialai.gov.vn/api/congso/su-kien",
        secret=secrets.token_urlsafe(32),
        event_types=["dossier.received", "dossier.status_changed", "dossier.result_issued"],
        created_by=User.objects.filter(username="quantri.hethong").first(),
    )
    out.write(f"  Tích hợp: hệ thống nhận sự kiện «{NAME}» (xem /tich-hop/).")
    _national(out)
    return []


def _national(out) -> None:
    national = connect(None, url=f"http://127.0.0.1:{settings.CONGSO_NATIONAL_SANDBOX_PORT}")
    sample = (
        Dossier.objects.filter(procedure_version__procedure__is_active=True)
        .select_related("procedure_version__procedure", "receiving_agency")
        .order_by("-id")
        .first()
    )
    if sample is None:
        return
    day = timezone.localdate()
    for n, procedure in ((1, sample.procedure_version.procedure.code), (2, "1.999999")):
        message = {
            "message_id": str(uuid.uuid4()),
            "type": "dossier.filed",
            "sent_at": timezone.now().isoformat(),
            "dossier": {
                "code": f"{sample.receiving_agency.code}-{day:%y%m%d}-QG{n:04d}",
                "procedure": procedure,
                "agency": sample.receiving_agency.code,
                "channel": 2,
                "submitted_at": timezone.now().isoformat(),
                "applicant": {
                    "name": ("Rơ Châm Hyun", "Ksor H'Bia")[n - 1],
                    "id_number": f"0641950{n:05d}",
                    "phone": f"090512{n:04d}",
                    "address": "Phường Pleiku, tỉnh Gia Lai",
                },
            },
        }
        body = messages.dump(message)
        headers = messages.signed_headers(national.secret, message["message_id"], body, str(int(time.time())))
        inbound.receive_message(headers, body)
    parked = InboundDossier.objects.filter(status=InboundDossier.Status.PARKED).count()
    out.write(
        f"  Cổng Dịch vụ công quốc gia (thử nghiệm): {national.url}; hồ sơ nhận từ Cổng: "
        f"{InboundDossier.objects.count()}, đang chờ xử lý: {parked} (xem /tich-hop/quoc-gia/)."
    )
