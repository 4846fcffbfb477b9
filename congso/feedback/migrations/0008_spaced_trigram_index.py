"""On PostgreSQL, the trigram index of the board's search is on ``' ' || text_folded`` (the folded text
with a space before its first word), the expression ``selectors.with_words`` compares: a word of one or
two letters is found at the start of a word (``LIKE '% ia%'``), whose trigrams ("  i", " ia") the index
reads, where ``LIKE '%ia%'`` has none and rechecked every report holding the other words (ADR 0185).
Public reports only, as migration 0007's index, which goes. The table is not rewritten: only the index
is built (22 s for the 774,480 public reports of a million, 32–50 s for the whole migration, on a loaded
two-core machine); meanwhile no report can be filed or changed. Other databases have no trigram index;
without the ``pg_trgm`` extension (migration 0003), nothing is done."""

from django.db import migrations, transaction

PUBLIC = "is_public AND status IN ('processing', 'drafted', 'answered', 'closed', 'merged')"


def _has_trgm(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not _has_trgm(schema_editor):
        return
    # built before the old index is dropped: DROP INDEX locks the table, reads too, until the commit
    with transaction.atomic(using=schema_editor.connection.alias):
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS feedback_public_spaced_trgm ON feedback_report "
            f"USING gin ((' ' || text_folded) gin_trgm_ops) WHERE ({PUBLIC})"
        )
        schema_editor.execute("DROP INDEX IF EXISTS feedback_public_trgm")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not _has_trgm(schema_editor):
        return
    with transaction.atomic(using=schema_editor.connection.alias):
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS feedback_public_trgm ON feedback_report "
            f"USING gin (text_folded gin_trgm_ops) WHERE ({PUBLIC})"
        )
        schema_editor.execute("DROP INDEX IF EXISTS feedback_public_spaced_trgm")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0007_public_trigram_index")]
    operations = [migrations.RunPython(forwards, backwards)]
