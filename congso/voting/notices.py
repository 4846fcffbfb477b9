"""Notices to a person (in-app, e-mail, SMS) through ``notifications.services.notify_person``
(shared plan of issue 19), written in the caller's transaction."""

from __future__ import annotations

from congso.notifications import services as notification_services


def notify(user, *, event: str, subject: str, body: str, url: str = "", sms: bool = False) -> list:
    send = getattr(notification_services, "notify_person", None)
    if send is None:  # until the person notices land on main (the lead's merge wires it)
        return []
    return send(user, event=event, subject=subject, body=body, url=url, sms=sms)
