"""The platform metrics now come from the scorecard's indicators (``scorecard.<key>``): the three sources
evaluations computed itself duplicated them and were removed. Criteria that pointed at them follow."""

from django.db import migrations

RENAMED = {
    "dossiers.on_time_rate": "scorecard.on_time",
    "dossiers.online_share": "scorecard.online_filing",
    "ratings.satisfaction_rate": "scorecard.satisfaction",
}


def forwards(apps, schema_editor):
    Criterion = apps.get_model("evaluations", "Criterion")
    for old, new in RENAMED.items():
        Criterion.objects.filter(metric_key=old).update(metric_key=new)


def backwards(apps, schema_editor):
    Criterion = apps.get_model("evaluations", "Criterion")
    for old, new in RENAMED.items():
        Criterion.objects.filter(metric_key=new).update(metric_key=old)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
