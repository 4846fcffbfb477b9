"""core.compiled.insert on a model of a higher app: auto_now_add and field defaults are set as save() sets
them (notifications' Notification has both; core's own models have no auto_now_add)."""

from congso.core.compiled import insert
from congso.notifications.models import Notification


def test_insert_runs_pre_save_and_field_defaults(db):
    notice = Notification(channel="sms", address="0905123456", event="received", body="Hồ sơ đã tiếp nhận")
    insert([notice])
    stored = Notification.objects.get(pk=notice.pk)
    assert stored.created_at is not None and stored.created_at == notice.created_at  # auto_now_add
    assert stored.status == "queued" and stored.attempts == 0  # field defaults
