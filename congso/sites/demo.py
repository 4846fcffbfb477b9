"""Demo portals: the province's (Gia Lai) and two commune/ward sites (Phường Pleiku, Xã Ia Grai) with
news, announcements, Decree 42 categories and Q&A; web editors and approvers in the directory, one
announcement waiting for the leader's approval. Idempotent: nothing is added when the portals exist."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from wagtail.models import Workflow
from wagtail.rich_text import RichText

from congso.accounts.demo import demo_official
from congso.accounts.models import User
from congso.directory import demo_codes as dc
from congso.directory.models import Agency, Membership, Role

from . import editors, services
from .models import (
    AnnouncementPage,
    BudgetPage,
    ContactsPage,
    InvestmentPage,
    NewsPage,
    PlanPage,
    ProceduresPage,
    QuestionPage,
    SectionPage,
    SiteHome,
)

TWO_TIER = dt.date(2025, 7, 1)
PASSWORD = "GiaLai-demo-2026"  # noqa: S105 — the printed demo password

# The functions of each portal's agency, in Vietnamese and in the English translation of its contacts page
# (ADR 0181): (functions, English title, English functions).
CONTACTS = {
    "gia-lai": (
        "Ủy ban nhân dân tỉnh là cơ quan hành chính nhà nước ở địa phương, chịu trách nhiệm trước Hội đồng "
        "nhân dân tỉnh và cơ quan nhà nước cấp trên; tổ chức thi hành Hiến pháp, pháp luật và nghị quyết "
        "của Hội đồng nhân dân tỉnh; quản lý nhà nước về kinh tế, văn hóa, xã hội, quốc phòng, an ninh "
        "trên địa bàn tỉnh.",
        "Organisation and contacts",
        "The Provincial People's Committee is the local state administrative body. It answers to the "
        "Provincial People's Council and to the state bodies above it; it enforces the Constitution, the "
        "laws and the Council's resolutions, and manages the economy, culture, society, defence and "
        "security of the province.",
    ),
    "phuong-pleiku": (
        "Ủy ban nhân dân phường tổ chức thi hành pháp luật, nghị quyết của Hội đồng nhân dân phường; giải "
        "quyết thủ tục hành chính cho người dân, doanh nghiệp tại Trung tâm Phục vụ hành chính công "
        "phường; tiếp công dân, xử lý phản ánh, kiến nghị trên địa bàn.",
        "Organisation and contacts",
        "The Ward People's Committee enforces the law and the resolutions of the Ward People's Council. "
        "It handles administrative procedures for citizens and businesses at the ward's Public "
        "Administrative Service Centre, receives citizens, and answers their feedback and petitions.",
    ),
    "xa-ia-grai": (
        "Ủy ban nhân dân xã quản lý nhà nước trên địa bàn xã; giải quyết thủ tục hành chính, hộ tịch, "
        "đất đai; phát triển nông nghiệp, nông thôn mới và chăm lo đời sống đồng bào dân tộc thiểu số.",
        "Organisation and contacts",
        "The Commune People's Committee manages the commune's affairs: administrative procedures, civil "
        "status and land; agriculture and new rural development; and the welfare of its ethnic minority "
        "communities.",
    ),
}

PORTALS = [
    (dc.PROVINCE_PC, "Cổng thông tin điện tử tỉnh Gia Lai", "gia-lai", "bientap.tinh", "duyet.tinh"),
    (
        dc.commune_pc("23575"),
        "Trang thông tin điện tử phường Pleiku",
        "phuong-pleiku",
        "bientap.pleiku",
        "lanhdao.pleiku",
    ),
    (
        dc.commune_pc("23764"),
        "Trang thông tin điện tử xã Ia Grai",
        "xa-ia-grai",
        "bientap.iagrai",
        "lanhdao.iagrai",
    ),
]
PEOPLE = {
    "bientap.tinh": ("Lê Hoàng Yến", "Biên tập viên, Văn phòng UBND tỉnh"),
    "duyet.tinh": ("Trần Đức Long", "Phó Chánh Văn phòng UBND tỉnh"),
    "bientap.pleiku": ("Nay H'Lan", "Công chức Văn hoá – Xã hội"),
    "lanhdao.pleiku": ("Rơ Mah Tuấn", "Phó Chủ tịch UBND phường"),
    "bientap.iagrai": ("Rmah Thị Duyên", "Công chức Văn hoá – Xã hội"),
    "lanhdao.iagrai": ("Ksor Y Blang", "Chủ tịch UBND xã"),
}


def _p(*paragraphs):
    return [("paragraph", RichText("".join(f"<p>{p}</p>" for p in paragraphs)))]


NEWS = {
    "gia-lai": [
        (
            "UBND tỉnh Gia Lai triển khai nền tảng chính quyền số dùng chung",
            "Từ tháng 12/2026, các sở, ngành và 135 xã, phường dùng chung nền tảng để tiếp nhận hồ sơ, "
            "phản ánh và công bố thông tin.",
            (
                "Sáng nay, UBND tỉnh tổ chức hội nghị triển khai nền tảng chính quyền số dùng chung cho toàn tỉnh.",
                "Người dân có thể tra cứu thủ tục, nộp hồ sơ trực tuyến và theo dõi kết quả trên điện thoại.",
            ),
        ),
        (
            "Gia Lai đứng trong nhóm dẫn đầu về chỉ số phục vụ người dân, doanh nghiệp",
            "Kết quả theo Quyết định 766/QĐ-TTg được cập nhật hằng ngày trên cổng thông tin.",
            ("Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%, tỷ lệ thanh toán trực tuyến tăng mạnh.",),
        ),
    ],
    "phuong-pleiku": [
        (
            "Phường Pleiku ra quân tổng vệ sinh môi trường chào mừng năm mới",
            "Hơn 500 đoàn viên, hội viên và người dân tham gia dọn vệ sinh các tuyến phố chính.",
            ("Chương trình diễn ra vào sáng Chủ nhật tại các tổ dân phố trên địa bàn phường.",),
        ),
    ],
    "xa-ia-grai": [
        (
            "Xã Ia Grai hỗ trợ đồng bào làm thủ tục trực tuyến tại nhà",
            "Tổ công nghệ số cộng đồng hướng dẫn bà con nộp hồ sơ khai sinh, cư trú qua điện thoại.",
            ("Trong tháng, tổ đã hỗ trợ hơn 120 lượt người dân ở các làng đồng bào Jrai.",),
        ),
    ],
}
ANNOUNCEMENTS = {
    "gia-lai": [
        (
            "Thông báo lịch tiếp công dân định kỳ của Chủ tịch UBND tỉnh tháng 12/2026",
            "Chủ tịch UBND tỉnh tiếp công dân vào ngày 15/12/2026 tại Trụ sở Tiếp công dân tỉnh.",
            "Văn phòng UBND tỉnh Gia Lai",
            "Công dân đăng ký trước tại Trụ sở Tiếp công dân tỉnh, số 02 Hùng Vương, Pleiku, hoặc gọi "
            "đường dây nóng; mang theo căn cước và giấy tờ liên quan đến nội dung khiếu nại, kiến nghị.",
        ),
    ],
    "phuong-pleiku": [
        (
            "Thông báo tạm ngừng cấp nước khu vực đường Hùng Vương",
            "Để sửa chữa đường ống, việc cấp nước sẽ tạm ngừng từ 8 giờ đến 17 giờ ngày 10/12/2026.",
            "UBND phường Pleiku",
            "Các hộ dân trên đường Hùng Vương, đoạn từ Trần Phú đến Nguyễn Văn Trỗi, chủ động trữ nước. "
            "Mọi thắc mắc xin liên hệ Công ty Cổ phần Cấp nước Gia Lai.",
        ),
    ],
    "xa-ia-grai": [
        (
            "Thông báo tiêm chủng mở rộng cho trẻ em dưới 5 tuổi",
            "Trạm Y tế xã tổ chức tiêm chủng vào các ngày 12 và 13/12/2026, mang theo sổ tiêm chủng.",
            "Trạm Y tế xã Ia Grai",
            "Phụ huynh đưa trẻ đến Trạm Y tế xã hoặc điểm tiêm tại nhà văn hoá các làng theo lịch của "
            "trưởng thôn, làng.",
        ),
    ],
}
QUESTIONS = {
    "phuong-pleiku": (
        "Hỏi về thủ tục đăng ký khai sinh cho con",
        "Trần Văn Bình",
        "Con tôi sinh ở Đà Nẵng nhưng tôi thường trú tại phường Pleiku, tôi có thể đăng ký khai sinh ở đâu?",
        "Theo Luật Hộ tịch, ông có thể đăng ký khai sinh tại UBND phường Pleiku nơi ông cư trú, "
        "hoặc nộp trực tuyến trên Cổng dịch vụ công.",
    ),
    "xa-ia-grai": (
        "Hỏi về hỗ trợ làm nhà cho hộ nghèo",
        "Siu Hlao",
        "Gia đình tôi thuộc hộ nghèo, nhà đã xuống cấp, xin hỏi có được hỗ trợ làm nhà không?",
        "Hộ nghèo có nhà ở hư hỏng được xem xét hỗ trợ theo chương trình xoá nhà tạm, nhà dột nát; "
        "đề nghị gia đình liên hệ công chức Văn hoá – Xã hội của xã để được hướng dẫn.",
    ),
}


def _user(username, agency, role) -> User:
    name, position = PEOPLE[username]
    user = demo_official(username, name, email=f"{username}@gialai.gov.vn")
    Membership.objects.get_or_create(
        user=user, agency=agency, role=role, defaults={"position": position, "valid_from": TWO_TIER}
    )
    return user


def _section(home, slug):
    return SectionPage.objects.child_of(home).get(slug=slug)


def _contacts(home, slug, editor, approver):
    """The contacts page's functions, and its English translation as an editor makes it in /cms/ ("Dịch
    trang", ADR 0181), published by the approver."""
    functions, title_en, functions_en = CONTACTS[slug]
    contacts = ContactsPage.objects.child_of(home).get()
    contacts.functions = f"<p>{functions}</p>"
    contacts.save_revision(user=approver).publish(user=approver)
    english = services.translate(
        contacts, "en", by=editor, title=title_en, functions=f"<p>{functions_en}</p>"
    )
    english.get_latest_revision().publish(user=approver)


def _publish(parent, page, user):
    parent.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)


@transaction.atomic
def load(out):
    logins = []
    if SiteHome.objects.exists():
        return logins
    sysadmin = User.objects.filter(username="quantri.hethong").first()
    services.ensure_root()
    today = dt.date.today()
    for code, title, slug, editor_name, approver_name in PORTALS:
        agency = Agency.objects.get(code=code)
        editor = _user(editor_name, agency, Role.WEB_EDITOR)
        approver = _user(approver_name, agency, Role.WEB_APPROVER)
        home = services.create_portal(
            agency,
            title=title,
            by=sysadmin,
            slug=slug,
            intro=f"<p>Thông tin chính thống của {agency.name}.</p>",
        )
        editors.sync_user(editor)
        editors.sync_user(approver)
        for i, (t, summary, paras) in enumerate(NEWS.get(slug, [])):
            _publish(
                _section(home, "tin-tuc"),
                NewsPage(title=t, summary=summary, body=_p(*paras), date=today - dt.timedelta(days=i + 1)),
                approver,
            )
        for t, summary, issuer, text in ANNOUNCEMENTS.get(slug, []):
            _publish(
                _section(home, "thong-bao"),
                AnnouncementPage(
                    title=t,
                    summary=summary,
                    body=_p(text),
                    issuer=issuer,
                    valid_until=today + dt.timedelta(days=30),
                ),
                approver,
            )
        if slug in QUESTIONS:
            t, asker, question, answer = QUESTIONS[slug]
            _publish(
                _section(home, "hoi-dap"),
                QuestionPage(
                    title=t,
                    asker=asker,
                    question=question,
                    answer=f"<p>{answer}</p>",
                    answered_by=agency.name,
                ),
                approver,
            )
        _publish(
            _section(home, "ke-hoach"),
            PlanPage(
                title=f"Kế hoạch chuyển đổi số năm {today.year + 1}",
                kind="plan",
                period=str(today.year + 1),
                decision_number=f"125/KH-{agency.short_name or 'UBND'}"[:60],
                decision_date=today - dt.timedelta(days=20),
                body=_p("Mục tiêu: 100% thủ tục đủ điều kiện được cung cấp trực tuyến toàn trình."),
            ),
            approver,
        )
        _publish(
            _section(home, "ngan-sach"),
            BudgetPage(
                title=f"Công khai dự toán ngân sách năm {today.year + 1}",
                fiscal_year=today.year + 1,
                kind="estimate",
                revenue=12500,
                expenditure=11800,
                body=_p("Dự toán thu, chi ngân sách đã được Hội đồng nhân dân thông qua."),
            ),
            approver,
        )
        _publish(
            _section(home, "dau-tu-cong"),
            InvestmentPage(
                title="Nâng cấp đường giao thông nông thôn và hệ thống thoát nước",
                investor=agency.name,
                location=agency.unit.name,
                total_investment=4850,
                procurement_method="open_bidding",
                status="Đang thi công, dự kiến hoàn thành quý II",
            ),
            approver,
        )
        _contacts(home, slug, editor, approver)
        procedures = ProceduresPage.objects.child_of(home).first()
        procedures.codes = "1.001193\n1.000894\n1.004227"
        procedures.save_revision(user=approver).publish(user=approver)
        if slug == "phuong-pleiku":
            # an editor's announcement waiting for the leader's approval (the moderation workflow)
            draft = AnnouncementPage(
                title="Thông báo lịch tiếp công dân của Chủ tịch UBND phường tháng 01/2027",
                summary="Chủ tịch UBND phường tiếp công dân vào thứ Năm tuần thứ hai của tháng.",
                body=_p("Địa điểm: Trụ sở UBND phường Pleiku, 02 Hùng Vương."),
                issuer="UBND phường Pleiku",
                live=False,
            )
            _section(home, "thong-bao").add_child(instance=draft)
            draft.save_revision(user=editor)
            Workflow.objects.get(workflow_pages__page=home).start(draft, editor)
        logins.append((f"Biên tập viên — {title} (/cms/)", editor_name, PASSWORD))
        logins.append((f"Duyệt tin, bài — {title} (/cms/)", approver_name, PASSWORD))
    editors.sync_all()
    out.write(f"  Cổng thông tin: /cong-thong-tin/ ({len(PORTALS)} cổng); biên tập tại /cms/\n")
    return logins
