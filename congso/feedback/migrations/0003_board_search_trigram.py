"""On PostgreSQL, a trigram index on the folded text makes the board's unaccented search (``contains``
on ``text_folded``, one per word) an index scan. Other databases (SQLite in development and tests)
keep the plain scan. If the ``pg_trgm`` extension cannot be created (no right to), nothing is done and
the search still works, more slowly."""

from django.db import migrations, transaction


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                "CREATE INDEX IF NOT EXISTS feedback_text_trgm ON feedback_report "
                "USING gin (text_folded gin_trgm_ops)"
            )
    except Exception:  # noqa: BLE001 - no right to create the extension: the search scans
        return


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS feedback_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_open311_token")]
    operations = [migrations.RunPython(create, drop)]
