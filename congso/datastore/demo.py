"""Demo papers in the demo citizens' personal data stores (small generated PDFs). Idempotent."""

import dataclasses
import datetime
from html import escape

from django.db import transaction

from congso.accounts.models import User
from congso.core.uploads import inspect_upload

from . import services
from .models import PersonalDocument

SAMPLE = "BẢN MẪU TRÌNH DIỄN — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"

# username -> [(title, issued number, valid until, heading, lines)]
PAPERS = {
    "congdan.an": [
        (
            "Căn cước công dân (bản chụp)",
            "064090001234",
            datetime.date(2030, 5, 12),
            "CĂN CƯỚC CÔNG DÂN",
            [
                "Số: 064090001234",
                "Họ và tên: NGUYỄN VĂN AN",
                "Ngày sinh: 12/05/1990 — Giới tính: Nam",
                "Quê quán: Phường Pleiku, tỉnh Gia Lai",
                "Nơi thường trú: 25 Hùng Vương, tổ 3, phường Pleiku, tỉnh Gia Lai",
                "Có giá trị đến: 12/05/2030",
            ],
        ),
        (
            "Giấy chứng nhận kết hôn",
            "Số 45/2019, Quyển số 01/2019",
            None,
            "GIẤY CHỨNG NHẬN KẾT HÔN",
            [
                "Họ, chữ đệm, tên chồng: NGUYỄN VĂN AN — sinh ngày 12/05/1990",
                "Họ, chữ đệm, tên vợ: LÊ THỊ HẠNH — sinh ngày 03/10/1992",
                "Nơi đăng ký: Ủy ban nhân dân phường Hội Thương, thành phố Pleiku, tỉnh Gia Lai",
                "Ngày đăng ký: 20/04/2019",
            ],
        ),
    ],
    "congdan.binh": [
        (
            "Căn cước công dân (bản chụp)",
            "052195004321",
            datetime.date(2035, 9, 2),
            "CĂN CƯỚC CÔNG DÂN",
            [
                "Số: 052195004321",
                "Họ và tên: TRẦN THỊ BÌNH",
                "Ngày sinh: 02/09/1995 — Giới tính: Nữ",
                "Nơi thường trú: 112 Nguyễn Huệ, phường Quy Nhơn, tỉnh Gia Lai",
                "Có giá trị đến: 02/09/2035",
            ],
        ),
        (
            "Bằng tốt nghiệp đại học (bản sao)",
            "Số hiệu QN-2017-004521",
            None,
            "BẰNG TỐT NGHIỆP ĐẠI HỌC",
            [
                "Trường Đại học Quy Nhơn cấp cho: TRẦN THỊ BÌNH",
                "Ngành: Kế toán — Xếp loại: Khá",
                "Năm tốt nghiệp: 2017",
            ],
        ),
    ],
    "congdan.hbia": [
        (
            "Căn cước công dân (bản chụp)",
            "064301007788",
            datetime.date(2026, 3, 8),
            "CĂN CƯỚC CÔNG DÂN",
            [
                "Số: 064301007788",
                "Họ và tên: KSOR H'BIA",
                "Ngày sinh: 08/03/2001 — Giới tính: Nữ",
                "Nơi thường trú: Làng Dốc Lăng, xã Ia Grai, tỉnh Gia Lai",
                "Có giá trị đến: 08/03/2026",
            ],
        ),
        (
            "Giấy khai sinh (bản sao)",
            "Số 112/2001, Quyển số 01",
            None,
            "GIẤY KHAI SINH",
            [
                "Họ, chữ đệm, tên: KSOR H'BIA — sinh ngày 08/03/2001",
                "Nơi sinh: Trạm y tế xã Ia Grai, tỉnh Gia Lai",
                "Dân tộc: Gia Rai — Quốc tịch: Việt Nam",
            ],
        ),
    ],
}


def sample_pdf(heading: str, lines: list[str]) -> bytes:
    """A one-page A5 PDF of a paper, clearly marked as a demo sample."""
    from weasyprint import HTML

    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = (
        "<html lang='vi'><head><meta charset='utf-8'><style>"
        "@page { size: A5 landscape; margin: 12mm; }"
        "body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; }"
        "h1 { font-size: 14pt; text-align: center; margin: 0 0 6mm; }"
        ".motto { text-align: center; font-weight: bold; margin: 0; }"
        ".sample { color: #a3141d; text-align: center; font-weight: bold; margin-top: 8mm; }"
        "</style></head><body>"
        "<p class='motto'>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>"
        "<p class='motto'>Độc lập - Tự do - Hạnh phúc</p>"
        f"<h1>{escape(heading)}</h1>{body}<p class='sample'>{SAMPLE}</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def load(out):
    added = 0
    for username, papers in PAPERS.items():
        owner = User.objects.filter(username=username).first()
        if owner is None:
            continue
        for title, number, valid_until, heading, lines in papers:
            if services.documents_for(owner).filter(title=title).exists():
                continue
            checked = inspect_upload(sample_pdf(heading, lines))
            checked = dataclasses.replace(checked, original_name=f"{title}.pdf")
            with transaction.atomic():
                services.store_checked(
                    owner,
                    checked,
                    title=title,
                    source=PersonalDocument.Source.UPLOAD,
                    issued_number=number,
                    valid_until=valid_until,
                )
            added += 1
    out.write(f"  Kho dữ liệu cá nhân: {added} giấy tờ mẫu mới cho công dân trình diễn.")
    return []
