"""The three meeting types of issue 19, with the days before the meeting their papers go out
(administrators edit them; the voting rule per type comes with the voting app)."""

from django.db import migrations

TYPES = [
    ("Phiên họp thường kỳ Ủy ban nhân dân", "pc_regular", 5),
    ("Họp chuyên đề", "thematic", 3),
    ("Họp cơ quan", "agency", 2),
]


def seed(apps, schema_editor):
    MeetingType = apps.get_model("meetings", "MeetingType")
    for name, kind, days in TYPES:
        MeetingType.objects.get_or_create(name=name, defaults={"kind": kind, "papers_days_before": days})


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
