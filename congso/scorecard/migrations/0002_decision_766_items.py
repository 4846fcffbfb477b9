"""The six groups and items of the Decision 766/QĐ-TTg service index, as the national portal shows them
(docs: /work/shared/reference "Real-time service index"). The decision's appendix is not public: the
item maxima follow the portal's display, the split of the Online services group (6 + 6) is ours, and
every number stays editable (ADR 0149). ``indicator`` names the platform indicator computing an item;
blank means the platform cannot compute it yet and the item is left out of the total with its note."""

from decimal import Decimal

from django.db import migrations

NOT_CONNECTED = "Chưa kết nối Cơ sở dữ liệu quốc gia về TTHC / Cổng Dịch vụ công quốc gia: chưa tính được."
FEEDBACK = "Chưa có phân hệ phản ánh, kiến nghị: chưa tính được."

GROUPS = [
    (
        "CK",
        "Công khai, minh bạch",
        [
            ("CK1", "Công bố, công khai TTHC đúng hạn", "6", None, "", NOT_CONNECTED),
            ("CK2", "Cập nhật TTHC lên CSDL quốc gia đúng hạn", "4", None, "", NOT_CONNECTED),
            ("CK3", "TTHC công khai đầy đủ nội dung", "2", None, "", NOT_CONNECTED),
            ("CK4", "Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia", "6", None, "", NOT_CONNECTED),
        ],
    ),
    (
        "TD",
        "Tiến độ giải quyết",
        [("TD1", "Hồ sơ giải quyết đúng hạn", "20", None, "on_time", "")],
    ),
    (
        "DVC",
        "Dịch vụ công trực tuyến",
        [
            ("DVC1", "Hồ sơ trực tuyến toàn trình", "6", "50", "full_online", ""),
            (
                "DVC2",
                "TTHC cung cấp dịch vụ công trực tuyến",
                "6",
                "80",
                "",
                "Chưa tính được: cần số TTHC đủ điều kiện cung cấp trực tuyến theo danh mục được công bố.",
            ),
        ],
    ),
    (
        "TT",
        "Thanh toán trực tuyến",
        [
            (
                "TT1",
                "TTHC có phí, lệ phí cung cấp thanh toán trực tuyến",
                "2",
                "80",
                "",
                "Chưa tính được: cấu hình thanh toán theo từng TTHC chưa được ghi nhận.",
            ),
            ("TT2", "TTHC có phát sinh thanh toán trực tuyến", "2", "80", "procedures_paid_online", ""),
            ("TT3", "Hồ sơ thanh toán trực tuyến", "6", "100", "online_payment", ""),
        ],
    ),
    (
        "SH",
        "Mức độ số hóa hồ sơ",
        [
            ("SH1", "Hồ sơ cấp kết quả điện tử", "6", None, "e_result", ""),
            ("SH2", "Hồ sơ được số hóa thành phần", "4", "80", "digitised", ""),
            ("SH3", "Cấp bản sao điện tử chứng thực", "2", None, "", "Chưa tính được: chưa có dữ liệu chứng thực điện tử."),
            ("SH4", "Tái sử dụng dữ liệu số hóa", "2", "80", "", "Chưa tính được: chưa có chỉ số tái sử dụng."),
            ("SH5", "Kết quả đồng bộ vào Kho dữ liệu của công dân", "4", None, "", "Chưa tính được trong đợt này."),
            ("SH6", "Hồ sơ khai thác CSDL quốc gia về dân cư", "2", None, "", "Chưa kết nối CSDL quốc gia về dân cư."),
            ("SH7", "TTHC kết nối CSDL quốc gia về dân cư", "2", None, "", "Chưa kết nối CSDL quốc gia về dân cư."),
        ],
    ),
    (
        "HL",
        "Mức độ hài lòng",
        [
            ("HL1", "Phản ánh, kiến nghị được xử lý đúng hạn", "6", None, "", FEEDBACK),
            ("HL2", "Hài lòng về xử lý phản ánh, kiến nghị", "6", None, "", FEEDBACK),
            ("HL3", "Hài lòng về giải quyết TTHC", "6", "90", "handling_satisfaction", ""),
        ],
    ),
]


def seed(apps, schema_editor):
    IndexGroup = apps.get_model("scorecard", "IndexGroup")
    IndexItem = apps.get_model("scorecard", "IndexItem")
    for gpos, (gcode, gname, items) in enumerate(GROUPS, start=1):
        group, _ = IndexGroup.objects.update_or_create(code=gcode, defaults={"name": gname, "position": gpos})
        for ipos, (code, name, max_points, target, indicator, note) in enumerate(items, start=1):
            IndexItem.objects.update_or_create(
                code=code,
                defaults={
                    "group": group,
                    "name": name,
                    "position": ipos,
                    "max_points": Decimal(max_points),
                    "target": Decimal(target) if target else None,
                    "indicator": indicator,
                    "note": note,
                },
            )


def unseed(apps, schema_editor):
    apps.get_model("scorecard", "IndexGroup").objects.filter(code__in=[g[0] for g in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("scorecard", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
