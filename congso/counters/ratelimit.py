"""Keep anonymous ticket-taking honest: limits per IP address and per browser session.

Settings (all optional, read at call time so tests and deployments can change them):

- ``CONGSO_QUEUE_TAKE_PER_IP`` — tickets one IP address may take per window (default 20);
- ``CONGSO_QUEUE_TAKE_WINDOW`` — the window in seconds (default 600);
- ``CONGSO_QUEUE_OPEN_PER_SESSION`` — tickets one browser may hold still waiting today (default 3);
- ``CONGSO_QUEUE_KIOSK_IPS`` — addresses of the centre's own ticket kiosks, exempt from both limits.

The counter is a fixed window in Django's cache (the database cache in the embedded mode, Redis
when scaled out), so every application server shares it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core.errors import RateLimited
from congso.core.middleware import client_ip

from .models import Ticket

SESSION_KEY = "counters_tickets"


def _setting(name: str, default):
    return getattr(settings, name, default)


def is_kiosk(request) -> bool:
    return (client_ip(request) or "") in set(_setting("CONGSO_QUEUE_KIOSK_IPS", []))


def check_ip(request) -> None:
    """Count one attempt for the caller's address; raise ``core.errors.RateLimited`` beyond the limit."""
    if is_kiosk(request):
        return
    limit = int(_setting("CONGSO_QUEUE_TAKE_PER_IP", 20))
    window = int(_setting("CONGSO_QUEUE_TAKE_WINDOW", 600))
    slot = int(time.time() // window)
    key = f"counters:take:{client_ip(request) or 'unknown'}:{slot}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        retry = window - int(time.time()) % window
        raise RateLimited(
            _("Địa chỉ mạng này đã lấy quá nhiều số trong thời gian ngắn. Mời thử lại sau %(minutes)s phút.")
            % {"minutes": max(1, retry // 60)},
            retry_after=retry,
        )


def session_tickets(request) -> list[Ticket]:
    """Today's tickets taken from this browser (the newest first)."""
    tokens = request.session.get(SESSION_KEY, []) if hasattr(request, "session") else []
    if not tokens:
        return []
    return list(
        Ticket.objects.filter(token__in=tokens, day=timezone.localdate())
        .select_related("service", "counter")
        .order_by("-taken_at")
    )


def check_session(request) -> None:
    if is_kiosk(request):
        return
    limit = int(_setting("CONGSO_QUEUE_OPEN_PER_SESSION", 3))
    waiting = [t for t in session_tickets(request) if t.state == Ticket.State.WAITING]
    if len(waiting) >= limit:
        raise RateLimited(
            _("Bạn đang giữ %(count)s số chưa được gọi (%(codes)s). Mời chờ đến lượt trước khi lấy thêm số.")
            % {"count": len(waiting), "codes": ", ".join(sorted(t.code for t in waiting))},
            retry_after=60,
        )


def remember(request, ticket: Ticket) -> None:
    if is_kiosk(request):
        return  # a shared kiosk must not show the previous person's numbers
    tokens = [t.token for t in session_tickets(request)][:9]
    request.session[SESSION_KEY] = [ticket.token, *tokens]
