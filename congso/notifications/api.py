"""Notification outbox API under /api/v1/notifications (system administrators): list, read, send again."""

import datetime as dt

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from congso.core.api_auth import read_auth, write_auth
from congso.core.errors import NotFound
from congso.core.pagination import NumberedPages
from congso.core.permissions import require

from . import services
from .models import Notice, Notification
from .views import filtered

router = Router(tags=["Thông báo"], auth=read_auth)


class NotificationOut(Schema):
    id: int
    dossier: str | None
    event: str
    channel: str
    address: str
    status: str
    status_label: str
    attempts: int
    last_error: str
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    provider: str
    subject: str


class Filters(Schema):
    status: str = "problems"
    channel: str = ""
    event: str = ""
    q: str = ""


def out(n: Notification) -> dict:
    return {
        "id": n.pk,
        "dossier": n.dossier.code if n.dossier_id else None,
        "event": n.event,
        "channel": n.channel,
        "address": n.masked_address,
        "status": n.status,
        "status_label": str(n.get_status_display()),
        "attempts": n.attempts,
        "last_error": n.last_error,
        "next_attempt_at": n.next_attempt_at,
        "created_at": n.created_at,
        "sent_at": n.sent_at,
        "provider": n.provider,
        "subject": n.subject,
    }


def _admin(request):
    require(
        request.auth, "notifications.view_outbox", message="Chỉ quản trị hệ thống mới xem được hộp thư đi."
    )


@router.get("/", response=list[NotificationOut], summary="Danh sách thông báo (mặc định: chưa gửi được)")
@paginate(NumberedPages, page_size=50)
def list_notifications(request, filters: Query[Filters]):
    _admin(request)
    return [out(n) for n in filtered(filters.dict())]


@router.get("/{int:notification_id}", response=NotificationOut, summary="Một thông báo")
def get_notification(request, notification_id: int):
    _admin(request)
    n = Notification.objects.select_related("dossier").filter(pk=notification_id).first()
    if n is None:
        raise NotFound("Không tìm thấy thông báo.")
    return out(n)


@router.post(
    "/{int:notification_id}/resend", response=NotificationOut, auth=write_auth, summary="Gửi lại thông báo"
)
def resend(request, notification_id: int):
    n = services.resend(notification_id, actor=request.auth)
    return out(Notification.objects.select_related("dossier").get(pk=n.pk))


class NoticeOut(Schema):
    id: int
    event: str
    subject: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class ReadOut(Schema):
    marked: int
    unread: int


@router.get("/mine", response=list[NoticeOut], summary="Thông báo của tôi")
@paginate(NumberedPages, page_size=30)
def my_notices(request):
    return Notice.objects.filter(recipient=request.auth)


@router.post("/mine/{int:notice_id}/read", response=ReadOut, auth=write_auth, summary="Đánh dấu đã đọc")
def read_notice(request, notice_id: int):
    marked = services.mark_read(request.auth, notice_id)
    return {"marked": marked, "unread": services.unread_count(request.auth)}


@router.post("/mine/read-all", response=ReadOut, auth=write_auth, summary="Đánh dấu tất cả là đã đọc")
def read_all_notices(request):
    marked = services.mark_read(request.auth)
    return {"marked": marked, "unread": services.unread_count(request.auth)}
