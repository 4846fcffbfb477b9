"""Demo: the province's document-management system registered as a webhook subscriber of dossier
events, so every change made while trying the demo appears on `/tich-hop/` (log in as quantri.hethong).
Deliveries go out when a worker runs: `congso integration worker`."""

import secrets

from congso.accounts.models import User

from .models import Subscriber

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
    return []
