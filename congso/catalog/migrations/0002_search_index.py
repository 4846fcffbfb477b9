"""Full-text index over the folded name and body of procedures, per database vendor.

SQLite: an external-content FTS5 table kept in sync by triggers.
PostgreSQL: a stored generated tsvector column ('simple' configuration: the text is already folded
by congso.core.text.fold, so no language stemming or unaccent is needed) with a GIN index.
See docs/adr/0020-catalog-search.md.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE catalog_procedure_fts USING fts5("
    "name_folded, search_text, content='catalog_procedure', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER catalog_procedure_fts_ai AFTER INSERT ON catalog_procedure BEGIN "
    "INSERT INTO catalog_procedure_fts(rowid, name_folded, search_text) "
    "VALUES (new.id, new.name_folded, new.search_text); END",
    "CREATE TRIGGER catalog_procedure_fts_ad AFTER DELETE ON catalog_procedure BEGIN "
    "INSERT INTO catalog_procedure_fts(catalog_procedure_fts, rowid, name_folded, search_text) "
    "VALUES ('delete', old.id, old.name_folded, old.search_text); END",
    "CREATE TRIGGER catalog_procedure_fts_au AFTER UPDATE OF name_folded, search_text ON catalog_procedure "
    "BEGIN "
    "INSERT INTO catalog_procedure_fts(catalog_procedure_fts, rowid, name_folded, search_text) "
    "VALUES ('delete', old.id, old.name_folded, old.search_text); "
    "INSERT INTO catalog_procedure_fts(rowid, name_folded, search_text) "
    "VALUES (new.id, new.name_folded, new.search_text); END",
    "INSERT INTO catalog_procedure_fts(catalog_procedure_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_procedure_fts_au",
    "DROP TRIGGER IF EXISTS catalog_procedure_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_procedure_fts_ai",
    "DROP TABLE IF EXISTS catalog_procedure_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE catalog_procedure ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, coalesce(name_folded, '') || ' ' || coalesce(search_text, ''))"
    ") STORED",
    "CREATE INDEX catalog_procedure_search_gin ON catalog_procedure USING gin (search_vector)",
    "CREATE INDEX catalog_procedure_levels_idx ON catalog_procedure (levels)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_procedure_levels_idx",
    "DROP INDEX IF EXISTS catalog_procedure_search_gin",
    "ALTER TABLE catalog_procedure DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
