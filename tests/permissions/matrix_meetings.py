"""The permission matrix's declarations for meetings, voting and work calendars (see ``test_api_matrix``).

The objects are the Sở Tư pháp's (``world_meetings.py``): its director (``leader``) chairs its meetings,
its văn thư (``clerical``) is their secretary, both organise them as the Sở's leader and văn thư, as does
its administrator (``agency_admin``: scheduling is for the agency's leaders, văn thư and administrators);
the ``officer`` is an invited member. Nobody else may know a meeting exists: citizens, the province
centre's clerk, the operations centre (``ioc_viewer``) and the system administrator get 404 — a system
administrator holds no other role implicitly (separation of duties).
"""

from .matrix import ALL, CITIZENS, NOBODY, OFFICIALS, SIGNED_IN, op  # noqa: F401

# --- meetings (ADR 0164) ------------------------------------------------------------------------
ORGANISERS = frozenset({"leader", "clerical", "agency_admin"})  # the Sở's leader, văn thư, administrator
MEETING = ORGANISERS | {"officer"}  # and the invited member
NOT_THEIRS = SIGNED_IN - MEETING  # the meeting does not exist for them

op("GET /api/v1/meetings/", "/api/v1/meetings/", SIGNED_IN)  # each sees the meetings that are theirs
op(
    "POST /api/v1/meetings/",
    "/api/v1/meetings/",
    ORGANISERS,  # the officer, and anyone without a scheduling role at the Sở, is refused the right
    json={
        "agency": "{agency}",
        "meeting_type": "{meeting_type}",
        "title": "Họp sơ kết công tác bồi thường nhà nước quý IV năm 2026",
        "chair": "{leader_username}",
        "secretary": "{clerical_username}",
        "start": "{meeting_start}",
        "end": "{meeting_end}",
        "video": True,
    },
)
op(
    "GET /api/v1/meetings/stats",
    "/api/v1/meetings/stats?agency={agency}",
    # the Sở's leader and administrator, and the operations centre over the province
    {"leader", "agency_admin", "ioc_viewer"},
)
op("GET /api/v1/meetings/{meeting_id}", "/api/v1/meetings/{meeting}", MEETING, hidden=NOT_THEIRS)
op(
    "GET /api/v1/meetings/{meeting_id}/live",
    "/api/v1/meetings/{meeting_live}/live",
    MEETING,
    hidden=NOT_THEIRS,
)
op(
    "POST /api/v1/meetings/{meeting_id}/reschedule",
    "/api/v1/meetings/{meeting}/reschedule",
    ORGANISERS,  # the invited officer sees the meeting but does not organise it: 403
    hidden=NOT_THEIRS,
    json={"start": "{meeting_start}", "end": "{meeting_end}"},
)
op(
    "POST /api/v1/meetings/{meeting_id}/cancel",
    "/api/v1/meetings/{meeting}/cancel",
    ORGANISERS,
    hidden=NOT_THEIRS,
    json={"reason": "Giám đốc Sở đi công tác theo triệu tập của UBND tỉnh"},
)
op(
    "POST /api/v1/meetings/{meeting_id}/invitees",
    "/api/v1/meetings/{meeting}/invitees",
    ORGANISERS,
    hidden=NOT_THEIRS,
    json={"users": ["{deputy_chief_username}"], "role": "reporter"},
)
op(
    "POST /api/v1/meetings/{meeting_id}/answer",
    "/api/v1/meetings/{meeting}/answer",
    {"leader", "officer"},  # the invitees; văn thư and the administrator organise but are not invited: 403
    hidden=NOT_THEIRS,
    json={"answer": "confirmed"},
)
op(
    "POST /api/v1/meetings/{meeting_id}/answer/revoke",
    "/api/v1/meetings/{meeting}/answer/revoke",
    {"officer"},  # who sent a delegate takes the seat back
    hidden=NOT_THEIRS,
    statuses={"leader": 409},  # invited, but he sent nobody: told there is no delegation to revoke
)
op(
    "POST /api/v1/meetings/{meeting_id}/items",
    "/api/v1/meetings/{meeting}/items",
    ORGANISERS,
    hidden=NOT_THEIRS,
    json={
        "title": "Kế hoạch kiểm tra công tác văn thư năm 2027",
        "reporting_agency": "Văn phòng Sở",
        "minutes_allotted": 20,
    },
)
op(
    "POST /api/v1/meetings/items/{item_id}/papers",
    "/api/v1/meetings/items/{meeting_item}/papers",
    # the organisers who may see the document: the Sở's leader and văn thư (the officer's draft plan);
    # its administrator organises but does not read the Sở's documents: told so (a field error)
    {"leader", "clerical"},
    hidden=NOT_THEIRS,
    statuses={"agency_admin": 400},
    json={"document": "{doc_draft}", "title": "Dự thảo Kế hoạch kiểm tra công tác văn thư năm 2027"},
)
op(
    "POST /api/v1/meetings/items/{item_id}/papers/upload",
    "/api/v1/meetings/items/{meeting_item}/papers/upload",
    ORGANISERS,
    hidden=NOT_THEIRS,
    multipart={"file": "pdf", "title": "Báo cáo kết quả công tác tư pháp năm 2026"},
)
op(
    "GET /api/v1/meetings/papers/{paper_id}/annotations",
    "/api/v1/meetings/papers/{meeting_paper}/annotations",
    MEETING,  # a published paper of an open item: the invitees and the organisers (each their own notes)
    hidden=NOT_THEIRS,
)
op(
    "POST /api/v1/meetings/papers/{paper_id}/annotations",
    "/api/v1/meetings/papers/{meeting_paper}/annotations",
    MEETING,
    hidden=NOT_THEIRS,
    json={"text": "Bổ sung chỉ tiêu phổ biến pháp luật cho đồng bào dân tộc thiểu số."},
)
op(
    "POST /api/v1/meetings/{meeting_id}/publish",
    "/api/v1/meetings/{meeting}/publish",
    ORGANISERS,
    hidden=NOT_THEIRS,
)
# the chair runs the meeting: the Sở's director; văn thư, the administrator and the officer see it: 403
# (a meeting starting within two hours: a week ahead, the opening is refused to everyone, 409)
op(
    "POST /api/v1/meetings/{meeting_id}/start",
    "/api/v1/meetings/{meeting_soon}/start",
    {"leader"},
    hidden=NOT_THEIRS,
)
op(
    "POST /api/v1/meetings/{meeting_id}/end",
    "/api/v1/meetings/{meeting_live}/end",
    {"leader"},
    hidden=NOT_THEIRS,
)
op(
    "POST /api/v1/meetings/{meeting_id}/check-in",
    "/api/v1/meetings/{meeting_open}/check-in",
    {"leader", "officer"},  # the members not yet checked in; the organisers have no seat: 403
    hidden=NOT_THEIRS,
    json={},
)
op(
    "POST /api/v1/meetings/{meeting_id}/floor",
    "/api/v1/meetings/{meeting_live}/floor",
    {"leader", "officer"},  # checked-in members; no seat, no floor: 403
    hidden=NOT_THEIRS,
    json={"item": "{meeting_live_item}"},
)
op(
    "POST /api/v1/meetings/floor/{request_id}",
    "/api/v1/meetings/floor/{meeting_floor}",
    {"leader"},  # the chair gives the office chief the floor
    hidden=NOT_THEIRS,
    json={"op": "give"},
)
op(
    "POST /api/v1/meetings/items/{item_id}/minutes",
    "/api/v1/meetings/items/{meeting_live_item}/minutes",
    {"leader", "clerical"},  # the secretary (văn thư) or the chair; the administrator and officer: 403
    hidden=NOT_THEIRS,
    json={"text": "Các thành viên thống nhất dự thảo, đề nghị bổ sung chỉ tiêu cho xã vùng sâu."},
)
op(
    "POST /api/v1/meetings/{meeting_id}/conclusions",
    "/api/v1/meetings/{meeting_live}/conclusions",
    {"leader", "clerical"},
    hidden=NOT_THEIRS,
    json={
        "text": "Văn phòng Sở hoàn thiện Kế hoạch, trình Giám đốc ký ban hành.",
        "owner": "{office_chief_username}",
        "deadline": "{meeting_deadline}",
    },
)
op(
    "POST /api/v1/meetings/{meeting_id}/notice",
    "/api/v1/meetings/{meeting_ended}/notice",
    {"leader", "clerical"},  # drafted (an outgoing document) by the chair or the secretary
    hidden=NOT_THEIRS,
)
op(
    "POST /api/v1/meetings/{meeting_id}/tasks",
    "/api/v1/meetings/{meeting_noticed}/tasks",
    # once the conclusion notice is issued, a leader of the Sở gives its conclusions as tasks; văn thư,
    # the administrator and the officer see the meeting but do not give tasks: 403
    {"leader"},
    hidden=NOT_THEIRS,
)
op(
    "GET /api/v1/meetings/{meeting_id}/votes",
    "/api/v1/meetings/{meeting_live}/votes",
    MEETING,
    hidden=NOT_THEIRS,
)
op(
    "POST /api/v1/meetings/{meeting_id}/votes",
    "/api/v1/meetings/{meeting_open}/votes",
    {"leader"},  # the chair puts an item to the vote
    hidden=NOT_THEIRS,
    json={"item": "{meeting_open_item}", "title": "Thông qua kế hoạch số hóa sổ hộ tịch"},
)
op(
    "POST /api/v1/meetings/{meeting_id}/votes/{ballot_id}/cast",
    "/api/v1/meetings/{meeting_live}/votes/{meeting_ballot}/cast",
    {"leader", "officer"},  # the members checked in; the organisers without a seat may not vote: 403
    hidden=NOT_THEIRS,
    json={"choice": "agree"},
)
op(
    "POST /api/v1/meetings/{meeting_id}/votes/{ballot_id}/close",
    "/api/v1/meetings/{meeting_live}/votes/{meeting_ballot}/close",
    {"leader"},
    hidden=NOT_THEIRS,
)

# --- voting (ADR 0165): the Sở's emulation council -----------------------------------------------
# members: the director and the officer; secretary: văn thư; managers: the Sở's administrator and the
# system administrator (who see the poll but neither answer nor run it). Nobody else knows the poll.
POLL = frozenset({"leader", "officer", "clerical", "agency_admin", "sysadmin"})
NOT_ASKED = SIGNED_IN - POLL
op("GET /api/v1/voting/polls", "/api/v1/voting/polls", SIGNED_IN)  # the polls one was asked, if any
op(
    "POST /api/v1/voting/polls",
    "/api/v1/voting/polls",
    {"clerical"},  # the council's secretary sends polls; anyone else is refused the right
    multipart={
        "body": "{body}",
        "title": "Đề nghị tặng Bằng khen của UBND tỉnh cho ông Võ Văn Nam",
        "text": "Xin ý kiến thành viên Hội đồng về hồ sơ đề nghị khen thưởng.",
        "deadline": "{poll_deadline}",
        "attachment": "pdf",
    },
)
op("GET /api/v1/voting/polls/{poll_id}", "/api/v1/voting/polls/{poll}", POLL, hidden=NOT_ASKED)
op(
    "POST /api/v1/voting/polls/{poll_id}/answer",
    "/api/v1/voting/polls/{poll}/answer",
    {"leader", "officer"},  # the members asked; the secretary and the managers see it but may not answer
    hidden=NOT_ASKED,
    json={"choice": "agree"},
)
op(
    "POST /api/v1/voting/polls/{poll_id}/remind",
    "/api/v1/voting/polls/{poll}/remind",
    {"clerical"},
    hidden=NOT_ASKED,
)
op(
    "POST /api/v1/voting/polls/{poll_id}/close",
    "/api/v1/voting/polls/{poll}/close",
    {"clerical"},
    hidden=NOT_ASKED,
)
op(
    "GET /api/v1/voting/ballots/{ballot_id}/live",
    "/api/v1/voting/ballots/{poll_ballot}/live",
    POLL,  # its electors, its opener (the secretary) and who may see the council
    hidden=NOT_ASKED,
)
op(
    "POST /api/v1/voting/ballots/{ballot_id}/votes",
    "/api/v1/voting/ballots/{poll_ballot}/votes",
    {"leader", "officer"},  # its electors; everyone else signed in is told they may not vote on it
    json={"choice": "agree"},
)
op("GET /api/v1/voting/bodies", "/api/v1/voting/bodies", SIGNED_IN)  # the bodies one belongs to, if any
op("GET /api/v1/voting/rules", "/api/v1/voting/rules", OFFICIALS)  # reference data of officials

# --- work calendars (ADR 0163): the director's weekly calendar ------------------------------------
# văn thư drafts it, the director approves it (and is its owner); the published weeks are public.
CALENDAR = frozenset({"leader", "clerical"})
NOT_STAFF = SIGNED_IN - CALENDAR  # the Sở's administrator neither drafts nor approves calendars
op("GET /api/v1/work-calendars/public/calendars", "/api/v1/work-calendars/public/calendars", ALL)
op(
    "GET /api/v1/work-calendars/public/calendars/{calendar_id}/weeks/{start}",
    "/api/v1/work-calendars/public/calendars/{calendar}/weeks/{wc_this_week}",
    ALL,
)
op("GET /api/v1/work-calendars/calendars", "/api/v1/work-calendars/calendars", SIGNED_IN)  # one's own
op(
    "POST /api/v1/work-calendars/calendars",
    "/api/v1/work-calendars/calendars",
    {"clerical", "agency_admin"},  # the Sở's own calendar: its văn thư or administrator creates it
    json={"agency": "{agency}", "is_public": True},
)
op(
    "GET /api/v1/work-calendars/calendars/{calendar_id}/weeks/{start}",
    "/api/v1/work-calendars/calendars/{calendar}/weeks/{wc_week}",
    CALENDAR,
    hidden=NOT_STAFF,
)
op(
    "POST /api/v1/work-calendars/calendars/{calendar_id}/weeks/{start}",
    "/api/v1/work-calendars/calendars/{calendar}/weeks/{wc_open_week}",
    {"clerical"},  # văn thư drafts; the director sees the calendar but does not draft it: 403
    hidden=NOT_STAFF,
)
op(
    "POST /api/v1/work-calendars/versions/{version_id}/entries",
    "/api/v1/work-calendars/versions/{wc_draft}/entries",
    {"clerical"},
    hidden=NOT_STAFF,
    json={
        "day": "{wc_day}",
        "part": "morning",
        "content": "Tiếp công dân định kỳ",
        "place": "Trụ sở Sở Tư pháp",
        "attendees": ["{leader_id}"],
    },
)
op(
    "PUT /api/v1/work-calendars/entries/{entry_id}",
    "/api/v1/work-calendars/entries/{wc_entry}",
    {"clerical"},
    hidden=NOT_STAFF,
    json={
        "day": "{wc_day}",
        "part": "afternoon",
        "content": "Làm việc với Phòng Tư pháp xã Ia Grai về công tác hộ tịch",
        "place": "Ủy ban nhân dân xã Ia Grai",
    },
)
op(
    "DELETE /api/v1/work-calendars/entries/{entry_id}",
    "/api/v1/work-calendars/entries/{wc_entry}",
    {"clerical"},
    hidden=NOT_STAFF,
)
op(
    "POST /api/v1/work-calendars/versions/{version_id}/{action}",
    "/api/v1/work-calendars/versions/{wc_submitted}/approve",
    {"leader"},  # a leader of the Sở approves the submitted week; văn thư who submitted it may not: 403
    hidden=NOT_STAFF,
    json={},
)
