"""Notices to a person (in-app, e-mail, SMS) through ``notifications.services.notify_person``,
written in the caller's transaction (a change that rolls back tells no one)."""

from __future__ import annotations

from congso.notifications.services import notify_person


def notify(user, *, event: str, subject: str, body: str, url: str = "", sms: bool = False) -> list:
    return notify_person(user, event=event, subject=subject, body=body, url=url, sms=sms)
