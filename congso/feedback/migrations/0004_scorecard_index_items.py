"""Decision 766 items HL1 (feedback handled on time) and HL2 (satisfaction with the handling of feedback)
are computed now: point them at feedback's indicators (``congso.feedback.indicators``). An item an
administrator already pointed elsewhere is left alone; its "no feedback module" note goes."""

from django.db import migrations

ITEMS = {"HL1": "feedback_on_time", "HL2": "feedback_satisfaction"}
OLD_NOTE = "Chưa có phân hệ phản ánh, kiến nghị: chưa tính được."


def forwards(apps, schema_editor):
    IndexItem = apps.get_model("scorecard", "IndexItem")
    for code, key in ITEMS.items():
        item = IndexItem.objects.filter(code=code, indicator="").first()
        if item is not None:
            item.indicator = key
            if item.note == OLD_NOTE:
                item.note = ""
            item.save(update_fields=["indicator", "note"])


def backwards(apps, schema_editor):
    IndexItem = apps.get_model("scorecard", "IndexItem")
    for code, key in ITEMS.items():
        IndexItem.objects.filter(code=code, indicator=key).update(indicator="", note=OLD_NOTE)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_board_search_trigram"),
        ("scorecard", "0002_decision_766_items"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
