"""Demo back office: the Pleiku ward's civil-status officials and dossiers at every stage.

Dossiers are created through the same services the counter uses, so their timelines, clocks and
audit entries are real. Runs after the directory, accounts, catalogue and signing demos.
"""

import io

from pypdf import PdfWriter

from congso.accounts.demo import DEMO_PASSWORD, demo_official
from congso.accounts.models import User
from congso.catalog.models import Procedure
from congso.directory import demo_codes as dc
from congso.directory.models import Agency, Membership, Role

from . import demo_history, services
from .models import Channel, Dossier, ProcessStep
from .processes import template_for

WARD = "23575"  # phường Pleiku
OFFICIALS = [
    ("tuphap.pleiku", "Ksor Y Phôn", Role.OFFICER, "Công chức Tư pháp – Hộ tịch"),
    ("vanthu.pleiku", "Nguyễn Thị Thanh Tâm", Role.CLERICAL, "Văn thư UBND phường"),
]
APPLICANTS = [
    ("Nguyễn Văn Bình", "052090001111", "0905111222", "Tổ 5, phường Pleiku, tỉnh Gia Lai"),
    ("Rơ Châm H'Hoa", "064195002222", "0914333444", "Làng Ia Kênh, phường Pleiku, tỉnh Gia Lai"),
    ("Trần Thị Kim Oanh", "052188003333", "0935555666", "Số 12 Lê Lợi, phường Pleiku, tỉnh Gia Lai"),
    ("Lê Hoàng Phúc", "052201004444", "0977777888", "Tổ 9, phường Pleiku, tỉnh Gia Lai"),
    ("Đinh Văn Sáu", "064092005555", "0388999000", "Làng Plei Ốp, phường Pleiku, tỉnh Gia Lai"),
]


def _pdf(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _official(username, full_name, role, position, agency):
    user = demo_official(username, full_name, email=f"{username}@gialai.gov.vn")
    Membership.objects.get_or_create(
        user=user, agency=agency, role=role, defaults={"position": position, "valid_from": "2025-07-01"}
    )
    return user


def load(out):
    ward = Agency.objects.filter(code=dc.commune_pc(WARD)).first()
    procedure = Procedure.objects.filter(code="1.001193").select_related("current_version").first()
    clerk = User.objects.filter(username="motcua.pleiku").first()
    leader = User.objects.filter(username="lanhdao.pleiku").first()
    if not (ward and procedure and procedure.current_version and clerk and leader):
        out.write("  Hồ sơ một cửa: bỏ qua (thiếu dữ liệu danh bạ hoặc thủ tục trình diễn).")
        return []
    officer, clerical = (_official(u, n, r, p, ward) for u, n, r, p in OFFICIALS)
    logins = [(f"{Role(r).label} — {n}", u, DEMO_PASSWORD) for u, n, r, _p in OFFICIALS]
    if Dossier.objects.filter(receiving_agency=ward).exclude(applicant_email=demo_history.MARK).exists():
        demo_history.history(out)
        return logins
    version = procedure.current_version
    # The ward's chairman signs the birth certificate when approving it (a leader's step that signs):
    # the specialist attaches the draft, the leader approves and signs, văn thư issues the signed draft.
    signing = services.personal_key(leader) is not None
    if signing:
        template = template_for(ward, procedure)
        template.steps.filter(retired=False, kind=ProcessStep.Kind.APPROVE, role=Role.LEADER).update(
            signs=True
        )
    made = []
    for name, cccd, phone, address in APPLICANTS:
        made.append(
            services.receive(
                actor=clerk,
                agency=ward,
                procedure_version=version,
                channel=Channel.IN_PERSON,
                applicant=services.Applicant(name=name, id_number=cccd, phone=phone, address=address),
                uploads=[
                    services.Upload("Tờ khai đăng ký khai sinh", _pdf("Tờ khai"), "to-khai.pdf"),
                    services.Upload("Giấy chứng sinh", _pdf("Giấy chứng sinh"), "giay-chung-sinh.pdf"),
                ],
                accept_now=True,
            )
        )
    # 2nd: with the leader for review; 3rd: waiting for a supplement; 4th: issued; 5th: returned.
    services.forward(made[1].pk, actor=officer, note="Hồ sơ hợp lệ, trình lãnh đạo")
    services.request_supplement(
        made[2].pk,
        actor=officer,
        reason="Thiếu bản sao Giấy chứng nhận kết hôn của cha mẹ",
        missing=["Bản sao Giấy chứng nhận kết hôn"],
    )
    for d in made[3:]:
        draft = services.Upload(
            "Dự thảo Giấy khai sinh", _pdf("Giấy khai sinh"), "du-thao-giay-khai-sinh.pdf"
        )
        services.attach(d.pk, actor=officer, uploads=[draft])
        services.forward(d.pk, actor=officer)
        services.approve(d.pk, actor=leader, note="Đồng ý trình ký")  # the division's review
        services.approve(d.pk, actor=leader)  # approval, signing the draft when the step signs
        services.issue_result(
            d.pk,
            actor=clerical,
            number=f"{d.pk}/GKS",
            title="Giấy khai sinh",
            upload=None
            if signing
            else services.Upload("Giấy khai sinh", _pdf("Giấy khai sinh"), "giay-khai-sinh.pdf"),
        )
    services.return_result(made[4].pk, actor=clerk)
    out.write(f"  Hồ sơ một cửa: {len(made)} hồ sơ khai sinh tại {ward.name} ở các bước khác nhau.")
    demo_history.history(out)  # the year before, for monthly figures and trends
    return logins
