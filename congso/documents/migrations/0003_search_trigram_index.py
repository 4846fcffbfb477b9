"""A trigram index for search without diacritics (``search_folded LIKE '%word%'``), on PostgreSQL only
(pg_trgm ships with PostgreSQL; SQLite, used in development, scans). ADR 0152."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS documents_search_trgm ON documents_document USING gin (search_folded gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS documents_search_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_seed_document_types")]
    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
