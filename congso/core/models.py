"""Shared models: the tamper-evident audit trail.

See docs/adr/0004-audit-chain.md for why the chain is sharded.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditChainHead(models.Model):
    """The tip of one audit shard chain. Locked (SELECT … FOR UPDATE) by the writer that extends it."""

    shard = models.PositiveSmallIntegerField(primary_key=True)
    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("đầu chuỗi nhật ký")
        verbose_name_plural = _("đầu chuỗi nhật ký")

    def __str__(self):
        return f"shard {self.shard} @ {self.seq}"


class AuditEntry(models.Model):
    """One append-only audit record: who did what to which object, when and from where.

    Rows are never updated or deleted by the application. Each carries the hash of the previous
    entry of its shard, so `congso audit verify` detects any change, removal or insertion.
    The actor is stored by value (id and label), not as a foreign key, so that deleting or
    renaming a user can never rewrite history.
    """

    shard = models.PositiveSmallIntegerField()
    seq = models.BigIntegerField()
    occurred_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_repr = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("mục nhật ký kiểm toán")
        verbose_name_plural = _("nhật ký kiểm toán")
        constraints = [models.UniqueConstraint(fields=["shard", "seq"], name="audit_unique_shard_seq")]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"
