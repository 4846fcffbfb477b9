"""Target subjects as the records state them, for the search page's counted choices.

The backfill also mends the subject lists an earlier parser split at every comma ("Cán bộ",
"công chức", "viên chức"; "Tổ chức (không bao gồm doanh nghiệp", "HTX)"), so the filter works at
once; the next import rewrites the versions' content itself.
"""

from django.db import migrations, models

from congso.catalog.parser import join_subjects
from congso.core.text import fold


def backfill(apps, schema_editor):
    Procedure = apps.get_model("catalog", "Procedure")
    rows = Procedure.objects.exclude(current_version=None).values_list("pk", "current_version__content")
    for pk, content in rows.iterator(chunk_size=500):
        subjects = [s.replace("|", "/") for s in join_subjects(list((content or {}).get("subjects") or []))]
        Procedure.objects.filter(pk=pk).update(
            subjects="|" + "|".join(subjects) + "|" if subjects else "",
            subjects_folded="|" + "|".join(fold(s) for s in subjects) + "|" if subjects else "",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_search_document_filters"),
    ]

    operations = [
        migrations.AddField(
            model_name="procedure",
            name="subjects",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="đối tượng thực hiện"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
