"""Demo official documents: registers and review chains of Sở Tư pháp and UBND phường Pleiku, outgoing
documents in every state (one signed, numbered, sealed and released to the ward), incoming documents in
every state (Hỏa tốc, secret, overdue), assigned tasks (overdue, due soon, open, done), and a decision of
UBND tỉnh sent to the ward THROUGH an in-process exchange hub (so ``make demo`` needs no hub running):
registered there from the edXML packet, assigned, its statuses back at the province.

Runs after the accounts, signing and dossiers demos (INSTALLED_APPS order): it uses their officials
(lanhdao.tuphap, vanthu.tuphap, chuyenvien.tuphap; lanhdao.pleiku, vanthu.pleiku, tuphap.pleiku) and
keys. Idempotent: nothing is added when Sở Tư pháp already has registers."""

from __future__ import annotations

import datetime as dt

from django.test.utils import override_settings
from django.utils import timezone

from congso.accounts.demo import demo_official
from congso.accounts.models import User
from congso.directory import demo_codes as dc
from congso.directory.demo import demo_role
from congso.directory.models import Agency, Membership, Role
from congso.exchange import services as exchange_services
from congso.exchange import testing as exchange_testing
from congso.exchange.models import OutgoingPacket

from . import ocr, services
from .models import Document, Register, ReviewStep
from .testing import keys_for, pdf_bytes, scan_pdf

SCAN_LINES = [
    "ỦY BAN NHÂN DÂN TỈNH GIA LAI",
    "Số: 215/UBND-NL",
    "V/v phòng cháy chữa cháy rừng mùa khô năm 2027",
    "Kính gửi: UBND các xã, phường",
    "Để chủ động phòng cháy chữa cháy rừng, UBND tỉnh",
    "yêu cầu các địa phương tổ chức trực 24/24 giờ",
    "tại các vùng rừng thông trọng điểm.",
]

REGISTERS = [
    (Register.Direction.INCOMING, False, "Sổ văn bản đến"),
    (Register.Direction.INCOMING, True, "Sổ văn bản đến mật"),
    (Register.Direction.OUTGOING, False, "Sổ văn bản đi"),
    (Register.Direction.OUTGOING, True, "Sổ văn bản đi mật"),
    (Register.Direction.COPY, False, "Sổ bản sao văn bản"),
]


def _registers(agency, notation):
    for direction, secret, name in REGISTERS:
        Register.objects.get_or_create(
            agency=agency,
            name=name,
            defaults={"direction": direction, "secret": secret, "notation": notation},
        )


def _chain(agency, steps):
    if not ReviewStep.objects.filter(agency=agency).exists():
        for i, (title, role) in enumerate(steps, start=1):
            ReviewStep.objects.create(agency=agency, position=i, title=title, role=role)


# The ward's officials also made by the dossiers demo (the same get_or_create): this step runs alone too.
WARD_OFFICIALS = [
    ("tuphap.pleiku", "Ksor Y Phôn", Role.OFFICER, "Công chức Tư pháp – Hộ tịch"),
    ("vanthu.pleiku", "Nguyễn Thị Thanh Tâm", Role.CLERICAL, "Văn thư UBND phường"),
]


def _user(username):
    return User.objects.filter(username=username).first()


def _ward_officials(ward):
    for username, name, role, position in WARD_OFFICIALS:
        user = demo_official(username, name, email=f"{username}@gialai.gov.vn")
        Membership.objects.get_or_create(
            user=user, agency=ward, role=role, defaults={"position": position, "valid_from": "2025-07-01"}
        )


def load(out):
    justice = Agency.objects.filter(code=dc.DEPT_JUSTICE).first()
    ward = Agency.objects.filter(code=dc.commune_pc("23575")).first()
    if ward is not None:
        _ward_officials(ward)
    people = {
        k: _user(k)
        for k in (
            "lanhdao.tuphap",
            "vanthu.tuphap",
            "chuyenvien.tuphap",
            "lanhdao.pleiku",
            "vanthu.pleiku",
            "tuphap.pleiku",
        )
    }
    if justice is None or ward is None or None in people.values():
        out.write("  Văn bản: bỏ qua (thiếu cơ quan hoặc cán bộ trình diễn).\n")
        return []
    if Register.objects.filter(agency=justice).exists():
        return []
    _registers(justice, "STP")
    _registers(ward, "UBND")
    _chain(justice, [("Trưởng phòng thẩm định", Role.LEADER), ("Lãnh đạo Sở duyệt", Role.LEADER)])
    _chain(ward, [("Lãnh đạo UBND phường duyệt", Role.LEADER)])
    leader, clerical, officer = people["lanhdao.tuphap"], people["vanthu.tuphap"], people["chuyenvien.tuphap"]
    w_leader, w_clerical, w_officer = (
        people["lanhdao.pleiku"],
        people["vanthu.pleiku"],
        people["tuphap.pleiku"],
    )
    if services.seal_key(justice) is None or services.personal_key(leader) is None:
        keys_for(justice, leader, "Phó Giám đốc Sở Tư pháp")

    def draft(subject, doc_type="KH", **extra):
        return services.create_draft(
            actor=officer,
            agency=justice,
            metadata={"doc_type": doc_type, "subject": subject, "pages": 1, **extra},
            upload=None if extra.get("secrecy") else pdf_bytes(),
        )

    # outgoing documents of Sở Tư pháp, one in each state
    draft("Kế hoạch kiểm tra công tác văn thư, lưu trữ năm 2027")
    d = draft("Báo cáo kết quả công tác tư pháp năm 2026", "BC")
    services.submit(d, actor=officer)
    d = draft("Công văn hướng dẫn chứng thực bản sao điện tử", "Công văn", drafting_unit="HCTP")
    services.submit(d, actor=officer)
    services.return_for_revision(d, actor=leader, reason="Bổ sung căn cứ Nghị định 23/2015/NĐ-CP.")
    d = draft("Quyết định kiện toàn Tổ công tác cải cách hành chính", "QĐ")
    services.submit(d, actor=officer)
    services.approve(d, actor=leader)
    services.approve(d, actor=leader)
    d = draft("Thông báo lịch trực lãnh đạo Sở tháng 01/2027", "TB")
    for step in (services.submit, services.approve, services.approve):
        step(d, actor=officer if step is services.submit else leader)
    services.sign(d, actor=leader)
    d = draft("Quyết định ban hành Quy chế công tác văn thư của Sở Tư pháp", "QĐ", urgency=1)
    for step in (services.submit, services.approve, services.approve):
        step(d, actor=officer if step is services.submit else leader)
    services.sign(d, actor=leader)
    services.issue(d, actor=clerical)
    released = draft(
        "Công văn đôn đốc triển khai chứng thực điện tử tại cấp xã",
        "Công văn",
        urgency=3,
        drafting_unit="HCTP",
    )
    for step in (services.submit, services.approve, services.approve):
        step(released, actor=officer if step is services.submit else leader)
    services.sign(released, actor=leader)
    services.issue(released, actor=clerical)
    services.release(
        released,
        actor=clerical,
        agencies=[ward],
        external=[{"organ_id": "000.00.12.H40", "name": "Sở Tư pháp tỉnh Nghệ An"}],
        public=True,  # a directive: on the agency's portal, /van-ban/cong-khai/
    )
    # an electronic copy (sao y) of it, and an extract (trích sao), in the copy register
    services.make_copy(released, actor=clerical, form="sao_y", recipients_text="Phòng Tư pháp các xã, phường")
    services.make_copy(released, actor=clerical, form="trich_sao", pages="1")
    draft("Báo cáo công tác bảo vệ bí mật nhà nước năm 2026", "BC", secrecy="mat")

    # incoming documents at UBND phường Pleiku: the released one is registered there already
    incoming = Document.objects.get(origin=released, agency=ward)
    services.route(incoming, actor=w_clerical)
    services.assign(incoming, actor=w_leader, lead=w_officer, working_days=3, note="Triển khai ngay.")

    def paper(subject, **extra):
        meta = {
            "doc_type": "Công văn",
            "subject": subject,
            "symbol": extra.pop("symbol", "1520/UBND-KGVX"),
            "issued_on": (timezone.localdate() - dt.timedelta(days=3)).strftime("%d/%m/%Y"),
            "issuing_organ": "Ủy ban nhân dân tỉnh Gia Lai",
            "signer_name": "Nguyễn Tuấn Anh",
            "signer_position": "Phó Chủ tịch",
            **extra,
        }
        return services.register_incoming(actor=w_clerical, agency=ward, metadata=meta)

    paper("Về việc tăng cường phòng chống bão số 15", symbol="88/CĐ-UBND", doc_type="CĐ", urgency=3)
    d = paper("Về việc rà soát hộ nghèo, hộ cận nghèo năm 2027")
    services.route(d, actor=w_clerical)
    d = paper("Về việc báo cáo tình hình giải quyết thủ tục hành chính quý IV", doc_type="Công văn")
    services.route(d, actor=w_clerical)
    services.assign(d, actor=w_leader, lead=w_officer, working_days=2)
    Document.objects.filter(pk=d.pk).update(handling_deadline=timezone.localdate() - dt.timedelta(days=2))
    d.assignments.update(deadline=timezone.localdate() - dt.timedelta(days=2))
    d = paper("Về việc chuẩn bị tổ chức Tết Nguyên đán Đinh Mùi 2027", symbol="2011/UBND-VX")
    services.route(d, actor=w_clerical)
    services.assign(d, actor=w_leader, lead=w_officer, working_days=5)
    services.add_opinion(d, actor=w_officer, text="Đã phối hợp Mặt trận phường lập danh sách tặng quà.")
    services.finish(d, actor=w_officer, result="Đã ban hành Kế hoạch 45/KH-UBND ngày 05/12/2026.")
    paper("Về công tác bảo vệ bí mật nhà nước", symbol="12/UBND-NC", secrecy="mat")
    # a scanned paper document: its text read by OCR (the background job; run here so the demo shows it)
    scan = services.register_incoming(
        actor=w_clerical,
        agency=ward,
        metadata={
            "doc_type": "Công văn",
            "subject": "Về việc phòng cháy chữa cháy rừng mùa khô năm 2027",
            "symbol": "215/UBND-NL",
            "issued_on": (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
            "issuing_organ": "Ủy ban nhân dân tỉnh Gia Lai",
        },
        upload=scan_pdf(SCAN_LINES),
    )
    if ocr.available():
        services.run_ocr(scan)

    # tasks
    services.create_task(
        actor=w_leader,
        agency=ward,
        title="Hoàn thành số hóa hồ sơ hộ tịch giai đoạn 2016–2020",
        owner=w_officer,
        working_days=20,
    )
    t = services.create_task(
        actor=w_leader,
        agency=ward,
        title="Báo cáo kết quả chuyển đổi số năm 2026",
        owner=w_officer,
        working_days=2,
        directive=incoming,
    )
    services.report_task(t, actor=w_officer, progress=60, text="Đã tổng hợp số liệu của 12/18 tổ dân phố.")
    t = services.create_task(
        actor=w_leader, agency=ward, title="Rà soát quy chế tiếp công dân", owner=w_officer, working_days=1
    )
    t.deadline = timezone.localdate() - dt.timedelta(days=4)
    t.save(update_fields=["deadline"])
    t = services.create_task(
        actor=w_leader, agency=ward, title="Tổng vệ sinh trụ sở cuối năm", owner=w_clerical, working_days=3
    )
    services.report_task(t, actor=w_clerical, progress=100, text="Đã hoàn thành.", done=True)
    _through_hub(out, ward, w_clerical, w_leader, w_officer)
    out.write(
        "  Văn bản: sổ đăng ký, văn bản đi/đến ở mọi trạng thái, nhiệm vụ được giao "
        "(Sở Tư pháp và UBND phường Pleiku) — /van-ban/\n"
    )
    return []


PROVINCE_OFFICIALS = [
    ("lanhdao.tinh", "Hồ Văn Niên", Role.LEADER, "Phó Chủ tịch UBND tỉnh"),
    ("vanthu.tinh", "Rơ Mah H'Bơ", Role.CLERICAL, "Văn thư Văn phòng UBND tỉnh"),
]


def _deliver_queued(sender) -> None:
    queued = OutgoingPacket.objects.filter(sender=sender, state=OutgoingPacket.State.QUEUED).order_by("pk")
    for pk in queued.values_list("pk", flat=True):
        exchange_services.deliver(pk)


def _through_hub(out, ward, w_clerical, w_leader, w_officer) -> None:
    """UBND tỉnh drafts, signs, numbers, seals and releases a decision to UBND phường Pleiku through a
    local hub in this process; the ward's poll registers it, văn thư routes it, the leader assigns it and
    the statuses (01, 03, 04) travel back to the province. Two more go the same way: a notice the ward
    refuses (02), and a letter the province's văn thư then recalls (the ward agrees, 15). The decision
    stays for a demo user to recall or update."""
    province = Agency.objects.filter(code=dc.PROVINCE_PC).first()
    if province is None:
        return
    people = {}
    for username, name, role, position in PROVINCE_OFFICIALS:
        user = demo_official(username, name, email=f"{username}@gialai.gov.vn")
        demo_role(user, province, role, position, valid_from="2025-07-01")
        people[role] = user
    leader, clerical = people[Role.LEADER], people[Role.CLERICAL]
    _registers(province, "UBND")
    if services.seal_key(province) is None or services.personal_key(leader) is None:
        keys_for(province, leader, "Phó Chủ tịch UBND tỉnh")
    exchange_testing.seal_for(ward)  # the ward seals its status messages
    d = services.create_draft(
        actor=leader,
        agency=province,
        metadata={
            "doc_type": "QĐ",
            "subject": "Quyết định giao chỉ tiêu số hóa sổ hộ tịch năm 2027 cho các xã, phường",
            "pages": 1,
            "urgency": 1,
            "signer_authority": "KT.",
            "recipients_text": "UBND phường Pleiku\nLưu: VT, NC.",
            "due_date": (timezone.localdate() + dt.timedelta(days=30)).strftime("%d/%m/%Y"),
        },
        upload=pdf_bytes(),
    )
    notice = services.create_draft(
        actor=leader,
        agency=province,
        metadata={
            "doc_type": "TB",
            "subject": "Thông báo kết luận của Chủ tịch UBND tỉnh về dự án cao tốc Quy Nhơn – Pleiku",
            "pages": 1,
            "recipients_text": "Sở Giao thông vận tải\nLưu: VT.",
        },
        upload=pdf_bytes(),
    )
    mistaken = services.create_draft(
        actor=leader,
        agency=province,
        metadata={
            "doc_type": "Công văn",
            "subject": "Về việc tổ chức Hội nghị tổng kết công tác tư pháp năm 2026",
            "pages": 1,
            "drafting_unit": "NC",
            "recipients_text": "UBND phường Pleiku\nLưu: VT.",
        },
        upload=pdf_bytes(),
    )
    for doc in (d, notice, mistaken):
        services.submit(doc, actor=leader)  # UBND tỉnh has no review chain in the demo: straight to signature
        services.sign(doc, actor=leader)
        services.issue(doc, actor=clerical)
    with exchange_testing.running_hub() as (_hub, url), override_settings(CONGSO_EXCHANGE_HUB_URL=url):
        for doc in (d, notice, mistaken):
            services.release(
                doc,
                actor=clerical,
                external=[{"organ_id": ward.code, "name": ward.name}],
                public=doc is d,  # the decision is also published on the province's portal
            )
        _deliver_queued(province)
        exchange_services.receive(ward)
        received = {
            x.subject: x for x in Document.objects.filter(agency=ward, source=Document.Source.EXCHANGE)
        }
        incoming = received.get(d.subject)
        if incoming is not None:
            services.route(incoming, actor=w_clerical)
            services.assign(
                incoming, actor=w_leader, lead=w_officer, working_days=10, note="Tư pháp – Hộ tịch chủ trì."
            )
        wrong = received.get(notice.subject)
        if wrong is not None:
            services.refuse(
                wrong, actor=w_clerical, reason="Gửi nhầm nơi nhận: văn bản gửi Sở Giao thông vận tải."
            )
        _deliver_queued(ward)
        exchange_services.receive(province)  # 01 arrived, 03 registered, 02 refused, 04 assigned
        # văn thư of the province recalls the conference letter (sent too early; the service its page's form
        # calls): the ward's copy is marked recalled, out of handling, and its "đồng ý thu hồi" (15) comes back
        if mistaken.subject in received:
            services.recall(
                mistaken, actor=clerical, reason="Văn bản ban hành chưa đúng thời điểm; sẽ gửi lại sau."
            )
            _deliver_queued(province)
            exchange_services.receive(ward)
            _deliver_queued(ward)
            exchange_services.receive(province)
    out.write(
        "  Văn bản qua trục liên thông: UBND tỉnh → UBND phường Pleiku (vanthu.tinh, vanthu.pleiku) — /van-ban/\n"
        f"  Thu hồi, cập nhật văn bản đã gửi: vanthu.tinh, /van-ban/{d.pk}/ (cần trục thử nghiệm: congso "
        f"exchange_hub và congso exchange poll; bản sửa do người ký ký lại: congso sign <tệp.pdf> --key "
        f"{services.personal_key(leader).label})\n"
    )
