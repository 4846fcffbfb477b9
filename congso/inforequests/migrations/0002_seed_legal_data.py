"""The legal data of access to information, seeded once; administrators edit the rows afterwards.

- what every agency must publish (Luật Tiếp cận thông tin 104/2016/QH13, Điều 17 khoản 1);
- the grounds to refuse a request (Điều 6, Điều 7, Điều 28);
- the time limits of a request (Điều 29–30; Decree 13/2018/NĐ-CP): the answer within 10 working days of
  a valid request, extended once by at most 15 working days, and a notice to the requester within 3.
"""

from django.db import migrations

CATEGORIES = [
    (
        "van-ban-thu-tuc",
        "Văn bản quy phạm pháp luật; văn bản hành chính có giá trị áp dụng chung; thủ tục hành chính, "
        "quy trình giải quyết công việc",
        "Điều 17 khoản 1 điểm a",
    ),
    (
        "pho-bien-phap-luat",
        "Thông tin phổ biến, hướng dẫn thực hiện pháp luật, chế độ, chính sách thuộc phạm vi quản lý",
        "Điều 17 khoản 1 điểm b",
    ),
    ("du-thao", "Dự thảo văn bản quy phạm pháp luật lấy ý kiến nhân dân", "Điều 17 khoản 1 điểm c"),
    (
        "chien-luoc-ke-hoach",
        "Chiến lược, chương trình, dự án, đề án, kế hoạch, quy hoạch phát triển kinh tế – xã hội; "
        "chương trình, kế hoạch công tác hằng năm",
        "Điều 17 khoản 1 điểm d",
    ),
    (
        "ngan-sach",
        "Dự toán, tình hình thực hiện, quyết toán ngân sách nhà nước; thủ tục ngân sách nhà nước",
        "Điều 17 khoản 1 điểm đ",
    ),
    (
        "oda-vien-tro",
        "Phân bổ, quản lý, sử dụng vốn hỗ trợ phát triển chính thức, vốn vay ưu đãi nước ngoài, "
        "các khoản cứu trợ, viện trợ",
        "Điều 17 khoản 1 điểm e",
    ),
    (
        "dau-tu-cong",
        "Danh mục dự án, chương trình đầu tư công, mua sắm công; quản lý, sử dụng vốn đầu tư công",
        "Điều 17 khoản 1 điểm g",
    ),
    (
        "dat-dai-quy-hoach",
        "Quy hoạch, kế hoạch sử dụng đất; thu hồi đất, bồi thường, hỗ trợ, tái định cư",
        "Điều 17 khoản 1",
    ),
    (
        "to-chuc-bo-may",
        "Cơ cấu tổ chức, chức năng, nhiệm vụ, quyền hạn của cơ quan; đầu mối cung cấp thông tin",
        "Điều 17 khoản 1",
    ),
    (
        "can-bo-tuyen-dung",
        "Tuyển dụng, sử dụng, quản lý cán bộ, công chức, viên chức",
        "Điều 17 khoản 1",
    ),
    (
        "thanh-tra-khieu-nai",
        "Kết quả thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo; phòng, chống tham nhũng",
        "Điều 17 khoản 1",
    ),
    ("danh-muc", "Danh mục thông tin phải được công khai; thông tin khác theo quy định", "Điều 17 khoản 1, 2"),
]

GROUNDS = [
    ("bi-mat-nha-nuoc", "Thông tin thuộc bí mật nhà nước", "Điều 6 khoản 1"),
    (
        "gay-nguy-hai",
        "Thông tin mà nếu để tiếp cận sẽ gây nguy hại đến lợi ích của Nhà nước, quốc phòng, an ninh, "
        "trật tự, an toàn xã hội, sức khỏe cộng đồng, tính mạng, tài sản của người khác",
        "Điều 6 khoản 2",
    ),
    (
        "bi-mat-cong-tac",
        "Thông tin thuộc bí mật công tác; cuộc họp nội bộ; tài liệu soạn thảo cho công việc nội bộ",
        "Điều 6 khoản 2",
    ),
    ("bi-mat-kinh-doanh", "Bí mật kinh doanh, chủ sở hữu chưa đồng ý cho tiếp cận", "Điều 7 khoản 1"),
    (
        "doi-tu-rieng-tu",
        "Bí mật đời sống riêng tư, bí mật cá nhân, bí mật gia đình, người có liên quan chưa đồng ý",
        "Điều 7 khoản 2",
    ),
    (
        "khong-thuoc-trach-nhiem",
        "Thông tin không thuộc trách nhiệm cung cấp của cơ quan được yêu cầu (ghi rõ cơ quan có thông tin)",
        "Điều 28",
    ),
    (
        "da-cong-khai",
        "Thông tin đã được công khai hoặc đã cung cấp cho người yêu cầu (ghi rõ nơi đăng)",
        "Điều 28",
    ),
    (
        "vuot-kha-nang",
        "Yêu cầu vượt quá khả năng đáp ứng, ảnh hưởng nghiêm trọng đến hoạt động bình thường của cơ quan",
        "Điều 28",
    ),
]

LIMITS = [
    ("answer", "Cung cấp thông tin theo yêu cầu", 10, "Luật Tiếp cận thông tin, Điều 29–30"),
    ("extension", "Gia hạn (một lần)", 15, "Luật Tiếp cận thông tin, Điều 29–30"),
    ("notice", "Thông báo tiếp nhận, thời hạn, hình thức cung cấp", 3, "Luật Tiếp cận thông tin, Điều 29–30"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("inforequests", "DisclosureCategory")
    Ground = apps.get_model("inforequests", "RefusalGround")
    Limit = apps.get_model("inforequests", "TimeLimit")
    for order, (code, name, basis) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(code=code, defaults={"name": name, "legal_basis": basis, "order": order})
    for order, (code, label, basis) in enumerate(GROUNDS, start=1):
        Ground.objects.get_or_create(code=code, defaults={"label": label, "legal_basis": basis, "order": order})
    for code, name, days, basis in LIMITS:
        Limit.objects.get_or_create(
            code=code, defaults={"name": name, "days": days, "working_days": True, "legal_basis": basis}
        )


class Migration(migrations.Migration):
    dependencies = [("inforequests", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
