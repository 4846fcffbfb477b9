"""The permission matrix's world: the objects of meetings, voting and work calendars.

``extend`` adds them to the world ``conftest._build`` makes, under names (``v[...]``) that
``matrix_meetings.py`` refers to in its paths and bodies.

Everything belongs to the Sở Tư pháp, where the world's leader (lanhdao.tuphap, its director), văn thư
(vanthu.tuphap), administrator (quantri.sotuphap) and officer (chuyenvien.tuphap, of its division of
judicial administration) work, so that the realistic roles are among the matrix's ten:

- meetings of the Sở (``Họp cơ quan``): the director chairs, văn thư is the secretary, the director and
  the officer are invited as members (with the Sở's Chánh Văn phòng, not one of the ten roles); one
  meeting a week ahead (``meeting``), two under way (``meeting_live`` with a ballot open, its members
  checked in; ``meeting_open`` with nobody but the Chánh Văn phòng checked in, waiting for the floor), one
  ended with a conclusion (``meeting_ended``) and one whose conclusion notice was issued
  (``meeting_noticed``: the Sở's registers, review chain and signing keys are made for it);
- voting: the Sở's Hội đồng Thi đua – Khen thưởng (the director and the officer its members, văn thư its
  secretary) and a written poll văn thư sent it (``poll``, its ballot ``poll_ballot``);
- work calendars: the director's weekly calendar, next week's draft with one entry (``wc_draft``,
  ``wc_entry``), the week after submitted (``wc_submitted``), this week approved and published.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from congso.directory.models import Membership, Role
from congso.directory.testing import PASSWORD, TWO_TIER
from congso.documents import services as documents_services
from congso.documents import testing as document_testing
from congso.meetings import services as meeting_services
from congso.meetings import testing as meeting_testing
from congso.meetings.models import MeetingType
from congso.voting import polls
from congso.voting.models import Body
from congso.workcalendars import services as calendar_services
from congso.workcalendars.models import Calendar
from congso.workcalendars.testing import entry_data, next_monday

# Officials of the Sở who are none of the matrix's ten roles: the office chief (a member of the Sở's
# meetings and council) and a specialist the officer sends to a meeting in his place.
EXTRA = {
    "office_chief": ("chanhvanphong.tuphap", "Trần Văn Hải", "Chánh Văn phòng Sở"),
    "office_specialist": ("chuyenvien.vanphong.tuphap", "Nay H'Blim", "Chuyên viên Văn phòng Sở"),
    "deputy_chief": ("phochanhvanphong.tuphap", "Lê Thị Kim Oanh", "Phó Chánh Văn phòng Sở"),
}


def _officials(w) -> dict:
    User = get_user_model()
    out = {}
    for key, (username, name, position) in EXTRA.items():
        user = User.objects.create_user(
            username,
            password=PASSWORD,
            full_name=name,
            kind=User.Kind.OFFICIAL,
            email=f"{username}@gialai.gov.vn",
        )
        Membership.objects.create(
            user=user,
            agency=w.agencies["justice"],
            role=Role.OFFICER,
            position=position,
            valid_from=TWO_TIER,
        )
        out[key] = user
    return out


def _meetings(w, v, extra) -> None:
    users, justice = w.users, w.agencies["justice"]
    leader, clerical, officer = users["leader"], users["clerical"], users["officer"]
    chief = extra["office_chief"]
    meeting_testing.set_rules()  # the meeting types' voting rules (an agency meeting: majority present)
    kind = MeetingType.objects.get(kind=MeetingType.Kind.AGENCY)
    now = timezone.now()

    def meeting(title, start, *, items):
        m = meeting_services.schedule(
            actor=clerical,
            agency=justice,
            meeting_type=kind,
            title=title,
            chair=leader,
            secretary=clerical,
            start=start,
            end=start + dt.timedelta(hours=3),
            video=True,
        )
        meeting_services.invite(m, actor=clerical, users=[leader, officer, chief])
        made = [meeting_services.add_item(m, actor=clerical, **item) for item in items]
        return m, made

    # a week ahead: the officer sent a specialist of the office in his place
    ahead, (item, _closed) = meeting(
        "Họp giao ban Sở Tư pháp tháng 12 năm 2026",
        now + dt.timedelta(days=7),
        items=[
            {"title": "Kết quả công tác tư pháp năm 2026", "reporting_agency": "Văn phòng Sở"},
            {
                "title": "Xem xét kỷ luật viên chức",
                "reporting_agency": "Phòng Tổ chức",
                "closed": True,
            },
        ],
    )
    meeting_services.respond(ahead, user=officer, answer="delegated", delegate=extra["office_specialist"])
    v.update(meeting=ahead.pk, meeting_item=item.pk)
    v["meeting_start"] = (now + dt.timedelta(days=8)).replace(microsecond=0).isoformat()
    v["meeting_end"] = (now + dt.timedelta(days=8, hours=2)).replace(microsecond=0).isoformat()

    # in an hour and a half, not opened yet: the chair may open it (the room opens 2 hours before)
    soon, _items = meeting(
        "Họp rà soát hồ sơ lý lịch tư pháp quá hạn",
        now + dt.timedelta(hours=1, minutes=45),
        items=[{"title": "Hồ sơ quá hạn quý IV năm 2026", "minutes_allotted": 30}],
    )
    v["meeting_soon"] = soon.pk

    # under way: papers published, the members checked in, the first item put to the vote
    live, (live_item,) = meeting(
        "Họp bàn kế hoạch phổ biến, giáo dục pháp luật năm 2027",
        now + dt.timedelta(hours=1),
        items=[{"title": "Dự thảo Kế hoạch phổ biến, giáo dục pháp luật năm 2027", "minutes_allotted": 30}],
    )
    paper = meeting_services.attach_paper(
        live_item,
        actor=clerical,
        title="Dự thảo Kế hoạch phổ biến, giáo dục pháp luật năm 2027",
        upload=document_testing.pdf_bytes(),
    )
    meeting_services.publish_papers(live, actor=clerical)
    for user in (leader, officer, chief):
        meeting_services.check_in(live, user=user)
    meeting_services.start_meeting(live, actor=leader)
    vote = meeting_services.open_vote(live_item, actor=leader, title="Thông qua dự thảo kế hoạch")
    v.update(meeting_live=live.pk, meeting_live_item=live_item.pk, meeting_paper=paper.pk)
    v["meeting_ballot"] = vote.ballot_id

    # under way, no vote yet: only the office chief checked in, and he asked for the floor
    open_, (open_item,) = meeting(
        "Họp triển khai công tác chuyển đổi số của Sở",
        now + dt.timedelta(hours=1, minutes=30),
        items=[{"title": "Số hóa sổ hộ tịch giai đoạn 2027–2028", "minutes_allotted": 20}],
    )
    meeting_services.check_in(open_, user=chief)
    meeting_services.start_meeting(open_, actor=leader)
    floor = meeting_services.request_floor(open_, user=chief, item=open_item.pk)
    v.update(meeting_open=open_.pk, meeting_open_item=open_item.pk, meeting_floor=floor.pk)

    # ended with a conclusion; its notice not yet drafted
    ended, (ended_item,) = meeting(
        "Họp rà soát thủ tục hành chính lĩnh vực hộ tịch",
        now + dt.timedelta(hours=1, minutes=45),
        items=[{"title": "Rà soát thủ tục hành chính lĩnh vực hộ tịch", "minutes_allotted": 45}],
    )
    for user in (leader, officer, chief):
        meeting_services.check_in(ended, user=user)
    meeting_services.start_meeting(ended, actor=leader)
    meeting_services.record_minutes(
        ended_item, actor=clerical, text="Thống nhất đề xuất cắt giảm 3 thành phần hồ sơ."
    )
    meeting_services.add_conclusion(
        ended,
        actor=leader,
        text="Phòng Hành chính tư pháp hoàn thiện phương án đơn giản hóa, trình UBND tỉnh.",
        owner=officer,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        item=ended_item.pk,
    )
    meeting_services.end_meeting(ended, actor=leader)
    v["meeting_ended"] = ended.pk

    # ended, its conclusion notice drafted by văn thư, reviewed, signed by the director and issued
    # (the Sở's registers and review chain are the world's: ``setup_agency`` is idempotent)
    document_testing.setup_agency(justice, "STP")
    document_testing.keys_for(justice, leader, "Giám đốc Sở Tư pháp")
    noticed, (noticed_item,) = meeting(
        "Họp sơ kết công tác thi hành án dân sự năm 2026",
        now + dt.timedelta(hours=1, minutes=50),
        items=[{"title": "Kết quả phối hợp thi hành án dân sự", "minutes_allotted": 30}],
    )
    meeting_services.start_meeting(noticed, actor=leader)
    meeting_services.add_conclusion(
        noticed,
        actor=clerical,
        text="Phòng Hành chính tư pháp tổng hợp kiến nghị của các xã, báo cáo Giám đốc Sở.",
        owner=officer,
        deadline=timezone.localdate() + dt.timedelta(days=15),
        item=noticed_item.pk,
    )
    meeting_services.end_meeting(noticed, actor=leader)
    notice = meeting_services.draft_conclusion_notice(noticed, actor=clerical)
    documents_services.submit(notice, actor=clerical)
    documents_services.approve(notice, actor=leader)  # the chain's two steps are the leader's
    documents_services.approve(notice, actor=leader)
    documents_services.sign(notice, actor=leader)
    documents_services.issue(notice, actor=clerical)
    v["meeting_noticed"] = noticed.pk
    v["meeting_deadline"] = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    v["meeting_type"] = kind.pk
    v["leader_username"] = leader.username
    v["clerical_username"] = clerical.username
    v["office_chief_username"] = chief.username
    v["deputy_chief_username"] = extra["deputy_chief"].username


def _voting(w, v, extra) -> None:
    users = w.users
    body = Body.objects.create(
        name="Hội đồng Thi đua – Khen thưởng Sở Tư pháp", agency=w.agencies["justice"], rule=w.rules_voting
    )
    body.members.add(users["leader"], users["officer"], extra["office_chief"])
    body.secretaries.add(users["clerical"])
    poll = polls.create_poll(
        body_id=body.pk,
        by=users["clerical"],
        title="Đề nghị tặng Giấy khen cho tập thể Phòng Hành chính tư pháp",
        text="Xin ý kiến thành viên Hội đồng về đề nghị khen thưởng năm 2026.",
        deadline=timezone.now() + dt.timedelta(days=3),
    )
    v.update(body=body.pk, poll=poll.pk, poll_ballot=poll.ballot_id)
    v["poll_deadline"] = (timezone.now() + dt.timedelta(days=5)).replace(microsecond=0).isoformat()


def _calendars(w, v) -> None:
    users, justice = w.users, w.agencies["justice"]
    leader, clerical = users["leader"], users["clerical"]
    calendar = calendar_services.create_calendar(
        agency=justice, by=clerical, leader=leader, position="Giám đốc Sở Tư pháp"
    )
    monday = next_monday()
    draft = calendar_services.open_week(calendar.pk, monday, by=clerical)
    entry = calendar_services.add_entry(
        draft.pk,
        entry_data(
            monday + dt.timedelta(days=1),
            content="Làm việc với Phòng Tư pháp xã Ia Grai về công tác hộ tịch",
            place="Ủy ban nhân dân xã Ia Grai",
        ),
        by=clerical,
    )
    later = monday + dt.timedelta(days=7)
    submitted = calendar_services.open_week(calendar.pk, later, by=clerical)
    calendar_services.add_entry(
        submitted.pk,
        entry_data(later + dt.timedelta(days=2), content="Dự Hội nghị tổng kết công tác tư pháp năm 2026"),
        by=clerical,
    )
    calendar_services.submit(submitted.pk, by=clerical)
    # this week's calendar, approved and published (its entry on Sunday evening: not yet past)
    this_week = monday - dt.timedelta(days=7)
    published = calendar_services.open_week(calendar.pk, this_week, by=clerical)
    calendar_services.submit(published.pk, by=clerical)
    calendar_services.approve(published.pk, by=leader)
    v.update(
        calendar=calendar.pk,
        wc_draft=draft.pk,
        wc_entry=entry.pk,
        wc_submitted=submitted.pk,
        wc_week=monday.isoformat(),
        wc_this_week=this_week.isoformat(),
        wc_open_week=(monday + dt.timedelta(days=14)).isoformat(),
        wc_day=(monday + dt.timedelta(days=3)).isoformat(),
        leader_id=leader.pk,
    )
    assert Calendar.objects.filter(agency=justice).count() == 1


def extend(w, v) -> None:
    """Add this area's objects to the world ``w``; record what requests refer to in ``v``."""
    extra = _officials(w)
    from congso.voting import testing as voting_testing

    w.rules_voting = voting_testing.standard_rules()["hai-phan-ba"]
    _meetings(w, v, extra)
    _voting(w, v, extra)
    _calendars(w, v)
