"""Numbering, calling order, the state machine (allowed and refused), estimates and audit."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from congso.core.models import AuditEntry
from congso.directory.models import Agency, Membership, Role

from .. import services as svc
from ..models import Counter, Ticket
from ..services import QueueError
from ..transitions import TRANSITIONS

pytestmark = pytest.mark.django_db
S = Ticket.State
VN = datetime.timezone(datetime.timedelta(hours=7))


def take(service, n=1):
    return [svc.take_ticket(service.pk) for _ in range(n)]


def test_numbers_run_per_service_and_restart_each_day(services):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 7, 30, tzinfo=VN), tick=False):
        assert [t.code for t in take(services["A"], 3)] == ["A001", "A002", "A003"]
        assert [t.code for t in take(services["B"], 2)] == ["B001", "B002"]
    with time_machine.travel(datetime.datetime(2026, 11, 23, 7, 30, tzinfo=VN), tick=False):
        ticket = take(services["A"])[0]
        assert ticket.code == "A001" and ticket.day == datetime.date(2026, 11, 23)


def test_day_follows_vietnam_time_not_utc(services):
    # 23:30 UTC on the 20th is 06:30 on the 21st in Gia Lai.
    with time_machine.travel(datetime.datetime(2026, 11, 20, 23, 30, tzinfo=datetime.UTC), tick=False):
        assert take(services["A"])[0].day == datetime.date(2026, 11, 21)


def test_taking_writes_audit_and_priority_flag(services):
    ticket = take(services["U"])[0]
    assert ticket.priority and ticket.state == S.WAITING
    entry = AuditEntry.objects.get(action="counters.ticket.take")
    assert entry.object_id == str(ticket.pk) and entry.data["code"] == "U001"
    assert entry.actor_id is None


def test_inactive_service_or_other_centre_refused(services, other_centre):
    services["B"].is_active = False
    services["B"].save()
    with pytest.raises(PermissionDenied):
        take(services["B"])
    with pytest.raises(QueueError):
        svc.take_ticket(services["A"].pk, centre=other_centre)
    with pytest.raises(QueueError, match="chọn một dịch vụ"):
        svc.take_ticket("không-phải-số")
    assert not Ticket.objects.exists()


def test_daily_limit_sells_out(services):
    services["B"].daily_limit = 2
    services["B"].save()
    take(services["B"], 2)
    with pytest.raises(QueueError, match="đã phát hết 2 số"):
        take(services["B"])
    assert Ticket.objects.filter(service=services["B"]).count() == 2


def test_call_next_priority_first_then_oldest(services, counters, clerk):
    a1, a2 = take(services["A"], 2)
    b1 = take(services["B"])[0]
    u1 = take(services["U"])[0]
    first = services_call(clerk, counters[1])
    assert first.pk == u1.pk  # priority jumps the queue at counter 1, which serves "Ưu tiên"
    finish(clerk, first, counters[1])
    assert services_call(clerk, counters[1]).pk == a1.pk
    # Counter 2 does not serve "Ưu tiên"; it takes the oldest of A and B.
    assert services_call(clerk, counters[2]).pk == a2.pk
    finish(clerk, Ticket.objects.get(pk=a2.pk), counters[2])
    assert services_call(clerk, counters[2]).pk == b1.pk


def services_call(user, counter):
    return svc.call_next(user, counter.pk)


def finish(user, ticket, counter):
    return svc.act(user, ticket.pk, "finish", counter=counter)


def test_call_sets_counter_stamps_and_audit(services, counters, clerk):
    take(services["A"])
    ticket = services_call(clerk, counters[1])
    assert ticket.state == S.CALLED and ticket.counter == counters[1] and ticket.handled_by == clerk
    assert ticket.first_called_at == ticket.called_at
    assert Counter.objects.get(pk=counters[1].pk).last_called_id == ticket.pk
    entry = AuditEntry.objects.get(action="counters.ticket.call")
    assert entry.actor_id == clerk.pk and entry.data["counter"] == 1


def test_busy_counter_and_empty_queue_are_refused(services, counters, clerk):
    with pytest.raises(QueueError, match="Không còn ai đang chờ"):
        services_call(clerk, counters[1])
    take(services["A"], 2)
    current = services_call(clerk, counters[1])
    with pytest.raises(QueueError, match=f"đang gọi hoặc phục vụ số {current.code}"):
        services_call(clerk, counters[1])
    assert Ticket.objects.filter(state=S.CALLED).count() == 1


def test_closed_counter_cannot_call(services, counters, clerk):
    take(services["A"])
    counters[1].is_active = False
    counters[1].save()
    with pytest.raises(QueueError, match="đang đóng"):
        services_call(clerk, counters[1])


def test_only_clerks_of_the_centre_call(services, counters, other_clerk, agency_admin, citizen):
    take(services["A"])
    for user in (other_clerk, agency_admin, citizen, None):
        with pytest.raises(PermissionDenied):
            svc.call_next(user, counters[1].pk)
    assert Ticket.objects.get().state == S.WAITING
    assert not AuditEntry.objects.filter(action="counters.ticket.call").exists()


def test_expired_membership_is_refused(services, counters, clerk):
    membership = clerk.memberships.get()
    membership.valid_to = timezone.localdate()
    membership.save()
    take(services["A"])
    with pytest.raises(PermissionDenied):
        services_call(clerk, counters[1])


def _ticket_in(state, services, counters, clerk):
    ticket = take(services["A"])[0]
    if state == S.WAITING:
        return ticket
    ticket = services_call(clerk, counters[1])
    if state == S.CALLED:
        return ticket
    steps = {S.SERVING: ["start"], S.DONE: ["finish"], S.NO_SHOW: ["no_show"]}
    if state == S.TRANSFERRED:
        svc.act(clerk, ticket.pk, "transfer", target_service_id=services["B"].pk)
        return Ticket.objects.get(pk=ticket.pk)
    for action in steps[state]:
        ticket = svc.act(clerk, ticket.pk, action)
    return ticket


ACTIONS = ["recall", "start", "finish", "no_show", "transfer", "requeue"]


@pytest.mark.parametrize("state", list(S.values))
@pytest.mark.parametrize("action", ACTIONS)
def test_transition_table_is_enforced(state, action, services, counters, clerk):
    ticket = _ticket_in(state, services, counters, clerk)
    transition = TRANSITIONS[action]
    before = AuditEntry.objects.count()
    kwargs = {"target_service_id": services["B"].pk} if action == "transfer" else {}
    if state in transition.sources:
        result = svc.act(clerk, ticket.pk, action, **kwargs)
        assert result.state == transition.target
        assert AuditEntry.objects.filter(action=f"counters.ticket.{action}").exists()
    else:
        with pytest.raises(QueueError, match="Không thể"):
            svc.act(clerk, ticket.pk, action, **kwargs)
        assert Ticket.objects.get(pk=ticket.pk).state == state
        assert AuditEntry.objects.count() == before


def test_unknown_action_and_missing_ticket(services, counters, clerk):
    ticket = take(services["A"])[0]
    with pytest.raises(QueueError, match="không hợp lệ"):
        svc.act(clerk, ticket.pk, "delete")
    with pytest.raises(QueueError, match="không hợp lệ"):
        svc.act(clerk, ticket.pk, "call")
    with pytest.raises(QueueError, match="Không tìm thấy"):
        svc.act(clerk, 987654, "recall")


def test_other_centre_clerk_cannot_act(services, counters, clerk, other_clerk, agency_admin):
    take(services["A"])
    ticket = services_call(clerk, counters[1])
    for user in (other_clerk, agency_admin):
        with pytest.raises(PermissionDenied):
            svc.act(user, ticket.pk, "finish")
    assert Ticket.objects.get(pk=ticket.pk).state == S.CALLED


def test_action_from_another_counter_is_refused(services, counters, clerk):
    take(services["A"])
    ticket = services_call(clerk, counters[1])
    with pytest.raises(QueueError, match="quầy khác"):
        svc.act(clerk, ticket.pk, "finish", counter=counters[2])


def test_recall_counts_and_restamps(services, counters, clerk):
    take(services["A"])
    ticket = services_call(clerk, counters[1])
    first = ticket.called_at
    again = svc.act(clerk, ticket.pk, "recall", counter=counters[1])
    assert again.recall_count == 1 and again.called_at >= first and again.first_called_at == first


def test_no_show_then_requeue_goes_to_the_front(services, counters, clerk):
    a1, a2 = take(services["A"], 2)
    ticket = services_call(clerk, counters[1])
    assert ticket.pk == a1.pk
    svc.act(clerk, ticket.pk, "no_show", counter=counters[1])
    # The clerk moves on; later the citizen comes back and is put back in line, ahead of A002.
    svc.act(clerk, ticket.pk, "requeue", counter=counters[2])
    assert Ticket.objects.get(pk=a1.pk).state == S.WAITING
    assert services_call(clerk, counters[1]).pk == a1.pk


def test_transfer_creates_a_ticket_that_keeps_its_place(services, counters, clerk):
    ticket = take(services["A"])[0]
    first_b = take(services["B"])[0]
    called = services_call(clerk, counters[1])
    assert called.pk == ticket.pk
    moved = svc.act(clerk, ticket.pk, "transfer", counter=counters[1], target_service_id=services["B"].pk)
    assert moved.state == S.TRANSFERRED
    new = Ticket.objects.get(transferred_from=moved)
    assert new.code == "B002" and new.state == S.WAITING and new.channel == Ticket.Channel.TRANSFER
    assert new.queued_at == ticket.queued_at  # taken before B001, so called before it
    assert services_call(clerk, counters[2]).pk == new.pk
    assert first_b.state == S.WAITING
    with pytest.raises(QueueError):
        svc.act(clerk, new.pk, "transfer", counter=counters[2], target_service_id=services["B"].pk)
    with pytest.raises(QueueError, match="dịch vụ cần chuyển"):
        svc.act(clerk, new.pk, "transfer", counter=counters[2], target_service_id=None)


def test_yesterdays_ticket_cannot_be_acted_on(services, counters, clerk):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 16, 0, tzinfo=VN), tick=False):
        take(services["A"])
        ticket = services_call(clerk, counters[1])
    with time_machine.travel(datetime.datetime(2026, 11, 21, 8, 0, tzinfo=VN), tick=False):
        with pytest.raises(QueueError, match="không còn hiệu lực"):
            svc.act(clerk, ticket.pk, "finish")
        # And yesterday's waiting tickets are never called today.
        with pytest.raises(QueueError, match="Không còn ai"):
            services_call(clerk, counters[2])
        assert svc.current_ticket(Counter.objects.get(pk=counters[1].pk)) is None


def test_position_and_estimate(services, counters, clerk):
    a = take(services["A"], 3)
    u = take(services["U"])[0]
    pos = svc.position(Ticket.objects.get(pk=a[2].pk))
    # Two A tickets before it plus one priority ticket served first at counter 1 (shared).
    assert pos.ahead == 3 and pos.open_counters == 2
    assert pos.estimate_minutes == 12  # 3 × 8 minutes ÷ 2 counters
    assert svc.position(u).ahead == 0
    counters[2].is_active = False
    counters[2].save()
    counters[1].is_active = False
    counters[1].save()
    assert svc.position(a[0]).estimate_minutes is None


def test_board_lists_counters_and_new_calls(services, counters, clerk):
    take(services["A"], 2)
    empty = svc.board(counters[1].centre)
    assert empty.stamp == "0" and not empty.recent
    first = services_call(clerk, counters[1])
    board = svc.board(counters[1].centre, seen=empty.stamp)
    assert [t.code for t in board.new_calls] == [first.code]
    assert board.counters[0]["ticket"].pk == first.pk and board.counters[1]["ticket"] is None
    quiet = svc.board(counters[1].centre, seen=board.stamp)
    assert quiet.new_calls == []
    svc.act(clerk, first.pk, "recall")
    assert [t.code for t in svc.board(counters[1].centre, seen=board.stamp).new_calls] == [first.code]


def test_clerk_over_a_subtree_may_operate_its_centres(services, counters, province, citizen):
    """A clerk of a commune's People's Committee with include_subtree works its centre's counters."""

    centre = counters[1].centre
    committee = Agency.objects.create(
        code="H21.23575",
        name="Ủy ban nhân dân phường Pleiku",
        kind=Agency.Kind.PEOPLES_COMMITTEE,
        unit=centre.unit,
    )
    centre.parent = committee
    centre.save()
    counters[1].centre.refresh_from_db()
    membership = Membership.objects.create(
        user=citizen, agency=committee, role=Role.CLERK, valid_from=datetime.date(2025, 7, 1)
    )
    take(services["A"])
    with pytest.raises(PermissionDenied):
        services_call(citizen, counters[1])  # the committee itself only, not its sub-tree
    membership.include_subtree = True
    membership.save()
    assert services_call(citizen, counters[1]).code == "A001"
