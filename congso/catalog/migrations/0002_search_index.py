"""Full-text index over the folded name and body of procedures, per database vendor.

SQLite: an external-content FTS5 table kept in sync by triggers. Note: a later migration that makes
Django rebuild catalog_searchdocument on SQLite (most AlterField/AddField with constraints) drops these
triggers; such a migration must re-run SQLITE_FORWARD (drop and recreate the FTS table and triggers).
PostgreSQL: a stored generated tsvector column ('simple' configuration: the text is already folded
by congso.core.text.fold, so no language stemming or unaccent is needed) with a GIN index.
See docs/adr/0020-catalog-search.md.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE catalog_searchdocument_fts USING fts5("
    "name_folded, search_text, content='catalog_searchdocument', content_rowid='procedure_id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER catalog_searchdocument_fts_ai AFTER INSERT ON catalog_searchdocument BEGIN "
    "INSERT INTO catalog_searchdocument_fts(rowid, name_folded, search_text) "
    "VALUES (new.procedure_id, new.name_folded, new.search_text); END",
    "CREATE TRIGGER catalog_searchdocument_fts_ad AFTER DELETE ON catalog_searchdocument BEGIN "
    "INSERT INTO catalog_searchdocument_fts(catalog_searchdocument_fts, rowid, name_folded, search_text) "
    "VALUES ('delete', old.procedure_id, old.name_folded, old.search_text); END",
    "CREATE TRIGGER catalog_searchdocument_fts_au AFTER UPDATE OF name_folded, search_text ON catalog_searchdocument "
    "BEGIN "
    "INSERT INTO catalog_searchdocument_fts(catalog_searchdocument_fts, rowid, name_folded, search_text) "
    "VALUES ('delete', old.procedure_id, old.name_folded, old.search_text); "
    "INSERT INTO catalog_searchdocument_fts(rowid, name_folded, search_text) "
    "VALUES (new.procedure_id, new.name_folded, new.search_text); END",
    "INSERT INTO catalog_searchdocument_fts(catalog_searchdocument_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_searchdocument_fts_au",
    "DROP TRIGGER IF EXISTS catalog_searchdocument_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_searchdocument_fts_ai",
    "DROP TABLE IF EXISTS catalog_searchdocument_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE catalog_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, coalesce(name_folded, '') || ' ' || coalesce(search_text, ''))"
    ") STORED",
    "CREATE INDEX catalog_procedure_search_gin ON catalog_searchdocument USING gin (search_vector)",
    # The name alone, to rank name matches above body matches (SQLite's FTS5 filters by column instead).
    "ALTER TABLE catalog_searchdocument ADD COLUMN name_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, coalesce(name_folded, ''))) STORED",
    "CREATE INDEX catalog_procedure_name_gin ON catalog_searchdocument USING gin (name_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_procedure_name_gin",
    "ALTER TABLE catalog_searchdocument DROP COLUMN IF EXISTS name_vector",
    "DROP INDEX IF EXISTS catalog_procedure_search_gin",
    "ALTER TABLE catalog_searchdocument DROP COLUMN IF EXISTS search_vector",
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
