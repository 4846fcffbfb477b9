"""Use cases of the integration platform (ADR 0154): subscribers, the test delivery, dead-letter replay.

Each opens a transaction, locks what it changes, checks ``integration.manage`` and writes its audit
entry in the same transaction. Validation of a subscriber lives in ``clean_subscriber`` (page and API).
"""

from __future__ import annotations

import secrets
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from congso.core import audit
from congso.core.errors import InvalidFields, NotFound, ServiceError
from congso.core.permissions import require

from . import outbox, webhooks, worker
from .events import SUBSCRIBABLE
from .models import Attempt, Delivery, Subscriber

S = Delivery.Status
FORBIDDEN = _lazy("Chỉ quản trị hệ thống mới quản lý được tích hợp.")
NAME_MAX, SECRET_MIN, SECRET_MAX, URL_MAX = 200, 16, 200, 500
BULK_MAX = 10_000


def clean_subscriber(data: dict, *, creating: bool) -> dict:
    """The subscriber's fields normalised, or InvalidFields with a message per field."""
    errors: dict = {}
    cleaned: dict = {}
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        errors["name"] = [_("Cần nhập tên hệ thống nhận.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("Tên quá dài (tối đa %(n)s ký tự).") % {"n": NAME_MAX}]
    cleaned["name"] = name
    url = str(data.get("url") or "").strip()
    if len(url) > URL_MAX:
        errors["url"] = [_("Địa chỉ quá dài (tối đa %(n)s ký tự).") % {"n": URL_MAX}]
    else:
        try:
            webhooks.check_url(url)
        except webhooks.UnsafeAddress as exc:
            errors["url"] = [exc.message]
    cleaned["url"] = url
    events = data.get("event_types") or []
    if isinstance(events, str):
        events = [events]
    events = [str(e).strip() for e in events if str(e).strip()]
    unknown = [e for e in events if e != "*" and e not in SUBSCRIBABLE]
    if unknown:
        errors["event_types"] = [_("Loại sự kiện không có: %(names)s.") % {"names": ", ".join(unknown[:5])}]
    elif not events:
        errors["event_types"] = [_("Chọn ít nhất một loại sự kiện.")]
    cleaned["event_types"] = sorted(set(events))
    secret = str(data.get("secret") or "").strip()
    if secret and not (SECRET_MIN <= len(secret) <= SECRET_MAX):
        errors["secret"] = [
            _("Khoá bí mật dài từ %(a)s đến %(b)s ký tự (để trống: hệ thống tự tạo).")
            % {"a": SECRET_MIN, "b": SECRET_MAX}
        ]
    if secret or creating:
        cleaned["secret"] = secret or secrets.token_urlsafe(32)
    active = data.get("active", True)
    cleaned["active"] = (
        active if isinstance(active, bool) else str(active).lower() in ("1", "true", "on", "yes")
    )
    if errors:
        raise InvalidFields(errors)
    return cleaned


def _locked(pk) -> Subscriber:
    subscriber = Subscriber.objects.select_for_update().filter(pk=pk).first()
    if subscriber is None:
        raise NotFound(_("Không tìm thấy hệ thống nhận sự kiện."))
    return subscriber


def create_subscriber(actor, data: dict) -> Subscriber:
    with transaction.atomic():
        require(actor, "integration.manage", message=str(FORBIDDEN))
        cleaned = clean_subscriber(data, creating=True)
        subscriber = Subscriber.objects.create(created_by=actor, **cleaned)
        audit.record(
            "integration.subscriber.create",
            obj=subscriber,
            actor=actor,
            data={"url": subscriber.url, "event_types": subscriber.event_types},
        )
        return subscriber


def update_subscriber(actor, pk, data: dict) -> Subscriber:
    with transaction.atomic():
        require(actor, "integration.manage", message=str(FORBIDDEN))
        subscriber = _locked(pk)
        cleaned = clean_subscriber(data, creating=False)
        before = {"url": subscriber.url, "event_types": subscriber.event_types, "active": subscriber.active}
        for key, value in cleaned.items():
            setattr(subscriber, key, value)
        subscriber.save()
        audit.record(
            "integration.subscriber.update",
            obj=subscriber,
            actor=actor,
            data={
                "before": before,
                "after": {
                    "url": subscriber.url,
                    "event_types": subscriber.event_types,
                    "active": subscriber.active,
                },
                "secret_changed": "secret" in cleaned,
            },
        )
        return subscriber


def send_test(actor, pk) -> Attempt:
    """The "test" button: a ping event for this subscriber only, sent now; its attempt is logged and
    returned (a failure is retried like any delivery)."""
    with transaction.atomic():
        require(actor, "integration.manage", message=str(FORBIDDEN))
        subscriber = _locked(pk)
        event = outbox.publish(
            "integration.ping",
            "subscriber",
            subscriber.pk,
            {"message": "Thử kết nối từ congso", "subscriber": subscriber.name},
            only_subscriber=subscriber.pk,
        )
        # leased to this request, so no worker sends it at the same time
        Delivery.objects.filter(event=event).update(
            lease_token=uuid.uuid4(), leased_until=timezone.now() + timezone.timedelta(minutes=5)
        )
        audit.record("integration.subscriber.test", obj=subscriber, actor=actor, data={"event": event.pk})
    delivery = Delivery.objects.select_related("event", "subscriber").get(event=event, subscriber=subscriber)
    at = timezone.now()
    outcome = worker.sender(subscriber)(subscriber, event, delivery.uuid)
    worker.record([worker.Sent(delivery, outcome, at)], [], "test-button")
    return Attempt.objects.filter(delivery=delivery).order_by("-id").first()


def _replay(rows) -> int:
    now = timezone.now()
    return rows.update(
        status=S.PENDING, attempts=0, next_attempt_at=now, dead_at=None, leased_until=None, lease_token=None
    )


def replay(actor, delivery_id) -> Delivery:
    """Put one dead letter back in the queue (its stream resumes once it is delivered)."""
    with transaction.atomic():
        require(actor, "integration.manage", message=str(FORBIDDEN))
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:
            raise NotFound(_("Không tìm thấy lần giao sự kiện."))
        if delivery.status != S.DEAD:
            raise ServiceError(_("Chỉ gửi lại được sự kiện đã ngừng thử (thư hỏng)."), code="not_dead")
        _replay(Delivery.objects.filter(pk=delivery.pk))
        audit.record(
            "integration.delivery.replay",
            obj=delivery,
            actor=actor,
            data={"event": str(delivery.event.idempotency_key), "subscriber": delivery.subscriber_id},
        )
        delivery.refresh_from_db()
        return delivery


def replay_all(actor, *, subscriber_id: int | None = None, event_type: str = "") -> int:
    """Put every dead letter (of one subscriber, of one event type) back in the queue; how many."""
    with transaction.atomic():
        require(actor, "integration.manage", message=str(FORBIDDEN))
        rows = Delivery.objects.filter(status=S.DEAD)
        if subscriber_id:
            rows = rows.filter(subscriber_id=subscriber_id)
        if event_type:
            rows = rows.filter(event__event_type=event_type)
        ids = list(rows.select_for_update().order_by("id").values_list("id", flat=True)[:BULK_MAX])
        n = _replay(Delivery.objects.filter(id__in=ids, status=S.DEAD))
        audit.record(
            "integration.delivery.replay_all",
            actor=actor,
            object_type="integration.delivery",
            data={"count": n, "subscriber": subscriber_id, "event_type": event_type},
        )
        return n
