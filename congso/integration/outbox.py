"""Writing domain events into the outbox, in the caller's transaction (ADR 0154).

``publish`` is called by the hooks' subscribers (``subscribers.py``) while the change that caused the
event is still uncommitted: the event, its sequence number within its aggregate and one delivery per
interested subscriber commit or roll back with that change. Nothing is sent here; the workers
(``worker.py``) send after commit. On PostgreSQL it is ONE statement (the sequence upsert, the event
and its deliveries to the active subscribers that want it); elsewhere four. Measured by
``bench/bench_outbox.py``.
"""

from __future__ import annotations

import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone

from congso.core import compiled
from congso.core.compiled import CompiledQuery

from .models import AggregateSequence, Delivery, OutboxEvent, Subscriber

_TABLE = AggregateSequence._meta.db_table
# the table name is the model's; the values are parameters
_NEXT_SEQUENCE = (
    f"INSERT INTO {_TABLE} (aggregate_type, aggregate_id, last) VALUES (%s, %s, 1) "  # noqa: S608
    f"ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET last = {_TABLE}.last + 1 RETURNING last"
)

_ACTIVE_SUBSCRIBERS = CompiledQuery(
    lambda: Subscriber.objects.filter(active=True).order_by("id").values_list("id", "event_types")
)


def next_sequence(aggregate_type: str, aggregate_id: str) -> int:
    """The aggregate's next event number; the upsert holds the aggregate's row until commit, so numbers
    follow commit order within one aggregate."""
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_SEQUENCE, [aggregate_type, aggregate_id])
        return cursor.fetchone()[0]


_E = OutboxEvent._meta.db_table
_D = Delivery._meta.db_table
_S = Subscriber._meta.db_table
# PostgreSQL: the sequence, the event and its deliveries in ONE statement (one round trip to the
# server, which is most of the cost). Data-modifying CTEs always run to completion.
_PUBLISH_PG = f"""
WITH seq AS (
  INSERT INTO {_TABLE} (aggregate_type, aggregate_id, last) VALUES (%(atype)s, %(aid)s, 1)
  ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET last = {_TABLE}.last + 1 RETURNING last
), ev AS (
  INSERT INTO {_E} (event_type, aggregate_type, aggregate_id, sequence, payload, idempotency_key, created_at)
  SELECT %(etype)s, %(atype)s, %(aid)s, seq.last, %(payload)s::jsonb, %(key)s, %(now)s FROM seq
  RETURNING id, sequence
), dl AS (
  INSERT INTO {_D} (uuid, event_id, subscriber_id, stream, sequence, status, attempts, next_attempt_at,
                    last_error, created_at)
  SELECT gen_random_uuid(), ev.id, s.id, %(stream)s, ev.sequence, 'pending', 0, %(now)s, '', %(now)s
  FROM ev, {_S} s
  WHERE s.active AND (jsonb_exists(s.event_types, %(etype)s) OR jsonb_exists(s.event_types, '*'))
  RETURNING 1
)
SELECT id, sequence FROM ev
"""  # noqa: S608 — table names are the models'; every value is a parameter


def publish(
    event_type: str, aggregate_type: str, aggregate_id, payload: dict, *, only_subscriber: int | None = None
) -> OutboxEvent:
    """Write one event and its deliveries in the current transaction; returns the event."""
    aggregate_id = str(aggregate_id)
    now = timezone.now()
    event = OutboxEvent(
        event_type=event_type,
        aggregate_type=aggregate_type,
        aggregate_id=aggregate_id,
        payload=payload,
        idempotency_key=uuid.uuid4(),
        created_at=now,
    )
    if connection.vendor == "postgresql" and only_subscriber is None and event_type != "integration.ping":
        with connection.cursor() as cursor:
            cursor.execute(
                _PUBLISH_PG,
                {
                    "atype": aggregate_type,
                    "aid": aggregate_id,
                    "etype": event_type,
                    "payload": json.dumps(payload, cls=DjangoJSONEncoder),
                    "key": event.idempotency_key,
                    "now": now,
                    "stream": f"{aggregate_type}:{aggregate_id}",
                },
            )
            event.pk, event.sequence = cursor.fetchone()
        event._state.adding, event._state.db = False, connection.alias
        return event
    event.sequence = next_sequence(aggregate_type, aggregate_id)
    compiled.insert([event])
    if only_subscriber is not None:
        targets = [only_subscriber]
    else:
        targets = [
            pk
            for pk, wanted in _ACTIVE_SUBSCRIBERS.rows()
            if event_type != "integration.ping" and ("*" in wanted or event_type in wanted)
        ]
    if targets:
        stream = f"{aggregate_type}:{aggregate_id}"
        compiled.insert(
            [
                Delivery(
                    uuid=uuid.uuid4(),
                    event_id=event.pk,
                    subscriber_id=pk,
                    stream=stream,
                    sequence=event.sequence,
                    next_attempt_at=now,
                    created_at=now,
                )
                for pk in targets
            ]
        )
    return event
