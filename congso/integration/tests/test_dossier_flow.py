"""End to end: a dossier's whole life (receipt, processing, result, the citizen's rating) reaches a
webhook subscriber as one ordered stream, with the result marked for the citizen's data store."""

import pytest

from congso.integration import worker
from congso.integration.models import OutboxEvent
from congso.ratings import services as ratings
from congso.ratings.tests.conftest import file_and_finish

from .helpers import subscriber

pytestmark = pytest.mark.django_db
ANSWERS = {
    "overall": "satisfied",
    "on_time": "yes",
    "contacts": "1",
    "guidance": "clear",
    "attitude": "good",
    "fees": "none",
    "result": "correct",
    "comment": "Cán bộ hướng dẫn tận tình, trả kết quả sớm.",
}


def test_a_dossier_life_is_one_ordered_stream(
    staff, agencies, procedure_version, applicant, citizen, receiver
):
    subscriber(receiver.url)
    d = file_and_finish(staff, agencies, procedure_version, applicant)
    ratings.rate(d.code, actor=citizen, answers=ANSWERS)
    events = list(OutboxEvent.objects.filter(aggregate_id=d.code).order_by("sequence"))
    kinds = [e.event_type for e in events]
    assert kinds[0] == "dossier.received"
    assert kinds.index("dossier.result_issued") < kinds.index("rating.given") == len(kinds) - 1
    result = events[kinds.index("dossier.result_issued")].payload
    assert result["result"]["number"] == "125/GKS" and result["for_data_store"] is True
    assert events[-1].payload["overall"] == "satisfied"

    assert worker.run(burst=True) == len(events)
    got = receiver.bodies()
    assert [b["sequence"] for b in got] == list(range(1, len(events) + 1))
    assert [b["type"] for b in got] == kinds
    finished = [b for b in got if b["type"] == "dossier.status_changed"][-1]["data"]
    assert finished["to_status"] == finished["national_status"] == 9  # processed (đã xử lý xong)
