"""The connection to the national portal: one subscriber of kind ``national`` holding its address and
the secret shared for both directions (``congso integration national --url … --secret …``)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.errors import InvalidFields
from congso.core.permissions import require

from .. import webhooks
from ..models import Subscriber
from ..services import FORBIDDEN, SECRET_MAX, SECRET_MIN
from .messages import EVENT_MESSAGE_TYPES


def connect(actor, *, url: str, secret: str = "", name: str = "") -> Subscriber:
    """Create or change the national portal's subscriber (it receives the dossier events the portal
    takes). ``actor`` None: the command line, run by the server's operator."""
    with transaction.atomic():
        if actor is not None:
            require(actor, "integration.manage", message=str(FORBIDDEN))
        errors = {}
        try:
            webhooks.check_url(url)
        except webhooks.UnsafeAddress as exc:
            errors["url"] = [exc.message]
        if secret and not (SECRET_MIN <= len(secret) <= SECRET_MAX):
            errors["secret"] = [
                _("Khoá dùng chung dài từ %(a)s đến %(b)s ký tự.") % {"a": SECRET_MIN, "b": SECRET_MAX}
            ]
        if errors:
            raise InvalidFields(errors)
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(kind=Subscriber.Kind.NATIONAL)
            .order_by("id")
            .first()
        )
        if subscriber is None:
            subscriber = Subscriber(kind=Subscriber.Kind.NATIONAL, secret=secret or secrets.token_urlsafe(32))
        elif secret:
            subscriber.secret = secret
        subscriber.name = name or str(_("Cổng Dịch vụ công quốc gia"))
        subscriber.url = url
        subscriber.event_types = sorted(EVENT_MESSAGE_TYPES)
        subscriber.active = True
        subscriber.save()
        audit.record(
            "integration.national.connect",
            obj=subscriber,
            actor=actor,
            data={"url": url, "secret_changed": bool(secret)},
        )
        return subscriber
