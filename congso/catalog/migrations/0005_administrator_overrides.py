"""Administrators' overrides of a procedure in fields of their own, which an import never touches.

Until now an administrator withdrew a procedure by clearing ``is_active`` and corrected its online level
by editing ``online_level``; the next import undid both. Existing edits move into the new fields: an
inactive procedure is one an administrator withdrew (import always set it active), and an online level
that differs from the current version's is an administrator's correction.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def keep_existing_edits(apps, schema_editor):
    Procedure = apps.get_model("catalog", "Procedure")
    Procedure.objects.filter(is_active=False, withdrawn_at__isnull=True).update(
        withdrawn_at=models.F("updated_at")
    )
    rows = Procedure.objects.exclude(current_version=None).values_list(
        "pk", "online_level", "current_version__content"
    )
    for pk, level, content in rows.iterator(chunk_size=500):
        if level and level != ((content or {}).get("online_level") or "info"):
            Procedure.objects.filter(pk=pk).update(online_level_override=level)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_procedure_subjects"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="procedure",
            name="online_level_override",
            field=models.CharField(
                blank=True,
                choices=[
                    ("full", "Trực tuyến toàn trình"),
                    ("partial", "Trực tuyến một phần"),
                    ("info", "Cung cấp thông tin"),
                ],
                default="",
                help_text="Để trống để dùng mức độ theo hồ sơ thủ tục.",
                max_length=10,
                verbose_name="mức độ trực tuyến do quản trị viên đặt",
            ),
        ),
        migrations.AddField(
            model_name="procedure",
            name="withdrawal_reason",
            field=models.CharField(blank=True, default="", max_length=500, verbose_name="lý do thu hồi"),
        ),
        migrations.AddField(
            model_name="procedure",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="thu hồi lúc"),
        ),
        migrations.AddField(
            model_name="procedure",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="người thu hồi",
            ),
        ),
        migrations.RunPython(keep_existing_edits, migrations.RunPython.noop),
    ]
