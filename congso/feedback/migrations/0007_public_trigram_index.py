"""On PostgreSQL, the trigram index of the board's unaccented search holds public reports only (the rows
the board lists, the same condition as migration 0006's indexes): a rare search rechecks a quarter fewer
rows, and the index is half the size (ADR 0184). Other databases have no trigram index. Without the
``pg_trgm`` extension (migration 0003 could not create it), nothing is done."""

from django.db import migrations, transaction

PUBLIC = "is_public AND status IN ('processing', 'drafted', 'answered', 'closed', 'merged')"


def _has_trgm(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not _has_trgm(schema_editor):
        return
    with transaction.atomic(using=schema_editor.connection.alias):
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS feedback_public_trgm ON feedback_report "
            f"USING gin (text_folded gin_trgm_ops) WHERE ({PUBLIC})"
        )
        schema_editor.execute("DROP INDEX IF EXISTS feedback_text_trgm")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not _has_trgm(schema_editor):
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS feedback_text_trgm ON feedback_report USING gin (text_folded gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS feedback_public_trgm")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0006_public_partial_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
