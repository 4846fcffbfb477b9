"""The permission matrix's world: the objects of Wagtail portals (sites), notifications to a person, the
feedback map and the National Public Service Portal's sync (ADR 0168).

``extend`` adds them to the world ``conftest._build`` makes, under names (``v[...]``) that
``matrix_portals.py`` refers to in its paths and bodies:

- Phường Pleiku's portal with a published announcement (``portal``, ``article_live``), searchable
  without diacritics, and the editorial journey's articles (ADR 0180): a draft (``article_draft``), one
  waiting for the leader's approval (``article_pending``) and one locked (``article_locked``);
- a report on the feedback board's map (``fb_located``: with a point, accepted by the Sở Tư pháp);
- a notice in the citizen's "Thông báo của tôi" (``notice``): her report was answered;
- the connection to the national portal (a ``national`` subscriber whose URL refuses connections at
  once), a dossier filed there and parked because the procedure's national code is unknown here
  (``inbound``), and the signed message of another filing (``NATIONAL_FILING``, signed afresh at each
  request through ``v["ngsp"]``: the portal refuses a signature older than five minutes).
"""

from __future__ import annotations

import json
import time

from django.utils import timezone

from congso.feedback import services as feedback_services
from congso.feedback.models import Category as FeedbackCategory
from congso.feedback.models import RoutingRule as FeedbackRoutingRule
from congso.integration.national import inbound, messages
from congso.integration.national.connection import connect
from congso.notifications.services import notify_person
from congso.sites import services as sites_services
from congso.sites.testing import announcement

NATIONAL_SECRET = "khoa-dung-chung-cong-quoc-gia-gia-lai-2027"  # noqa: S105 — test fixture only
JUSTICE = "000.00.12.H21"  # Sở Tư pháp tỉnh Gia Lai (directory.demo_codes.DEPT_JUSTICE)


def filing(message_id: str, code: str, procedure: str) -> dict:
    """A dossier filed on the National Public Service Portal for the Sở Tư pháp (ADR 0168's shape)."""
    return {
        "message_id": message_id,
        "type": "dossier.filed",
        "sent_at": "2027-03-01T08:00:00+07:00",
        "dossier": {
            "code": code,
            "procedure": procedure,
            "agency": JUSTICE,
            "channel": 2,
            "submitted_at": "2027-03-01T08:00:00+07:00",
            "applicant": {
                "name": "Trần Thị Bình",
                "id_number": "064195004321",
                "phone": "0905111222",
                "email": "binh.tran@example.vn",
                "address": "Tổ 5, phường Pleiku, tỉnh Gia Lai",
            },
            "form": {"muc_dich": "Bổ sung hồ sơ xin việc"},
        },
    }


# Cấp Phiếu lý lịch tư pháp (2.001417), filed nationally: the request every role sends (the portal's
# call is not a person's: anyone who holds a good signature is heard)
NATIONAL_FILING = filing("6f1c2a4e-3b5d-4c8e-9a17-2d0e5b7c9f31", "000.00.12.H21-270301-QG0002", "2.001417")
NATIONAL_HEADERS = {
    "Ngsp-Timestamp": "{ngsp:timestamp}",
    "Ngsp-Message-Id": NATIONAL_FILING["message_id"],
    "Ngsp-Signature": "{ngsp:signature}",
}


class FreshSignature:
    """The national portal's signature of ``NATIONAL_FILING``'s body as the matrix sends it
    (``json.dumps``), for the time of the request: ``{ngsp:timestamp}`` takes the current second,
    ``{ngsp:signature}`` signs with it (the headers are formatted in that order)."""

    def __init__(self, secret: str, message: dict):
        self.secret = secret
        self.body = json.dumps(message).encode()
        self.timestamp = str(int(time.time()))

    def __format__(self, spec: str) -> str:
        if spec == "timestamp":
            self.timestamp = str(int(time.time()))
            return self.timestamp
        if spec == "signature":
            return messages.sign(self.secret, self.timestamp, self.body)
        raise ValueError(f"unknown part of the signature: {spec!r}")


def extend(w, v) -> None:
    """Add this area's objects to the world ``w``; record what requests refer to in ``v``."""
    users, agencies = w.users, w.agencies
    sysadmin, citizen = users["sysadmin"], users["citizen"]
    # Phường Pleiku's portal (Decree 42's sections) and one published announcement
    home = sites_services.create_portal(
        agencies["pleiku_pc"], title="Trang thông tin điện tử phường Pleiku", by=sysadmin, slug="pleiku"
    )
    live = announcement(
        home,
        "Thông báo lịch tiếp công dân tháng 3 năm 2027",
        user=sysadmin,
        text="Chủ tịch UBND phường Pleiku tiếp công dân vào sáng thứ Năm hằng tuần tại trụ sở phường.",
    )
    v["portal"] = home.pk
    # the editorial journey (ADR 0180): a draft, one waiting for approval, one locked, the live one
    v["article_live"] = live.pk
    v["article_draft"] = announcement(
        home,
        "Thông báo tạm ngừng cấp nước tổ 5 ngày 15/3/2027",
        user=sysadmin,
        text="Công ty Cấp nước Gia Lai sửa chữa đường ống trên đường Hùng Vương từ 7 giờ đến 16 giờ 30.",
        publish=False,
    ).pk
    pending = announcement(
        home,
        "Thông báo tuyển dụng công chức phường năm 2027",
        user=sysadmin,
        text="UBND phường Pleiku thông báo tuyển 02 công chức văn hóa – xã hội.",
        publish=False,
    )
    pending.get_workflow().start(pending, sysadmin)
    v["article_pending"] = pending.pk
    locked = announcement(
        home,
        "Thông báo lịch trực Tết Nguyên đán 2027",
        user=sysadmin,
        text="Lịch trực dự kiến.",
        publish=False,
    )
    locked.locked, locked.locked_by, locked.locked_at = True, sysadmin, timezone.now()
    locked.save(update_fields=["locked", "locked_by", "locked_at"])
    v["article_locked"] = locked.pk
    # a notice to the citizen (the answer to her report), which only she sees and marks read
    notice, *_copies = notify_person(
        citizen,
        event="feedback.answered",
        subject="Phản ánh của bạn đã được trả lời",
        body="Sở Tư pháp tỉnh Gia Lai đã trả lời phản ánh “Yêu cầu nộp thêm giấy tờ ngoài quy định”.",
        url="/phan-anh/",
    )
    v["notice"] = notice.pk
    # a report with its place on the map, accepted (so public) by the Sở Tư pháp's leader
    category = FeedbackCategory.objects.create(code="ho-tich", name="Hộ tịch, chứng thực")
    FeedbackRoutingRule.objects.create(
        category=category, province=w.units["province"], agency=agencies["justice"]
    )
    located = feedback_services.submit(
        {
            "category": category.code,
            "title": "Bộ phận một cửa từ chối chứng thực bản sao không nêu lý do",
            "description": "Tôi đề nghị chứng thực bản sao sổ đỏ nhưng bị từ chối, không được trả lời bằng văn bản.",
            "unit": w.units["pleiku"].code,
            "address": "Trụ sở UBND phường Pleiku, 1 Trần Hưng Đạo",
            "lat": "13.983512",
            "lon": "108.000271",
            "name": "Nguyễn Văn An",
        },
        actor=citizen,
        ip="192.0.2.201",
    )
    feedback_services.act(located.code, "accept", actor=users["leader"])
    v["fb_located"] = located.code
    # the national portal's connection, a filing parked (its procedure's national code unknown here)
    connect(None, url="http://127.0.0.1:9/ngsp", secret=NATIONAL_SECRET, name="Cổng Dịch vụ công quốc gia")
    parked = filing("0b7e9d52-81f4-4a6c-b3e0-5c2a9f8d1e64", "000.00.12.H21-270228-QG0001", "2.000505")
    body = json.dumps(parked, ensure_ascii=False).encode()
    status, answer = inbound.receive_message(
        messages.signed_headers(NATIONAL_SECRET, parked["message_id"], body), body
    )
    assert status == 202 and answer["status"] == "parked", answer
    v["inbound"] = inbound.parked().get(code=parked["dossier"]["code"]).pk
    v["ngsp"] = FreshSignature(NATIONAL_SECRET, NATIONAL_FILING)
