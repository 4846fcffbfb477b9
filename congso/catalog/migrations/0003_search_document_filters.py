"""PostgreSQL only: one narrow table answers a search — text match, filters, ranking and count.

The search document gets copies of the procedure's filter and ordering columns (is_active, code,
name_length, field_id, levels, online_level, subjects_folded), kept in step by triggers, so a search
is one bitmap scan of the GIN index over ``catalog_searchdocument`` without a join to
``catalog_procedure``. The copies are not Django fields: the ORM never reads or writes them.

``toast_tuple_target = 128`` moves the long folded body and its tsvector out of line, so a heap page
holds ~15 documents instead of ~6: counting thousands of matches visits fewer pages. The name's
tsvector and the filter columns stay in line (STORAGE MAIN): the ranking and filters read them on every
matching row, and fetching each from the TOAST table would cost more than it saves. The
backfill rewrites every row (``search_text || ''``), which is what applies the new target to
existing rows.

SQLite is untouched (its FTS5 query joins ``catalog_procedure`` by rowid, which is cheap there).
See docs/adr/0020-catalog-search.md.
"""

from django.db import migrations

# The copied columns: is_active, code, name_length, field_id, levels, online_level, subjects_folded.
POSTGRES_FORWARD = [
    "ALTER TABLE catalog_searchdocument SET (toast_tuple_target = 128)",
    "ALTER TABLE catalog_searchdocument "
    "ADD COLUMN is_active boolean NOT NULL DEFAULT true, "
    "ADD COLUMN code varchar(40) NOT NULL DEFAULT '', "
    "ADD COLUMN name_length integer NOT NULL DEFAULT 0, "
    "ADD COLUMN field_id bigint NULL, "
    "ADD COLUMN levels varchar(100) NOT NULL DEFAULT '', "
    "ADD COLUMN online_level varchar(10) NOT NULL DEFAULT '', "
    "ADD COLUMN subjects_folded text NOT NULL DEFAULT ''",
    # Every matching row reads these: keep them in line (compressed if need be), not in the TOAST table.
    "ALTER TABLE catalog_searchdocument ALTER COLUMN name_vector SET STORAGE MAIN, "
    "ALTER COLUMN subjects_folded SET STORAGE MAIN, ALTER COLUMN levels SET STORAGE MAIN, "
    "ALTER COLUMN code SET STORAGE MAIN",
    # A new search document takes the columns of its procedure.
    "CREATE FUNCTION catalog_searchdocument_copy_procedure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "SELECT p.is_active, p.code, p.name_length, p.field_id, p.levels, p.online_level, p.subjects_folded "
    "INTO NEW.is_active, NEW.code, NEW.name_length, NEW.field_id, NEW.levels, NEW.online_level, "
    "NEW.subjects_folded FROM catalog_procedure p WHERE p.id = NEW.procedure_id; RETURN NEW; END $$",
    "CREATE TRIGGER catalog_searchdocument_copy BEFORE INSERT OR UPDATE OF procedure_id "
    "ON catalog_searchdocument FOR EACH ROW EXECUTE FUNCTION catalog_searchdocument_copy_procedure()",
    # A procedure whose copied columns change (an import, a withdrawal, any UPDATE) updates its document.
    "CREATE FUNCTION catalog_procedure_sync_search() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE catalog_searchdocument SET is_active = NEW.is_active, code = NEW.code, name_length = "
    "NEW.name_length, field_id = NEW.field_id, levels = NEW.levels, online_level = NEW.online_level, "
    "subjects_folded = NEW.subjects_folded WHERE procedure_id = NEW.id; RETURN NULL; END $$",
    "CREATE TRIGGER catalog_procedure_search_sync AFTER UPDATE ON catalog_procedure FOR EACH ROW WHEN ("
    "OLD.is_active IS DISTINCT FROM NEW.is_active OR OLD.code IS DISTINCT FROM NEW.code OR "
    "OLD.name_length IS DISTINCT FROM NEW.name_length OR OLD.field_id IS DISTINCT FROM NEW.field_id OR "
    "OLD.levels IS DISTINCT FROM NEW.levels OR OLD.online_level IS DISTINCT FROM NEW.online_level OR "
    "OLD.subjects_folded IS DISTINCT FROM NEW.subjects_folded) EXECUTE FUNCTION "
    "catalog_procedure_sync_search()",
    # Fill the copies, and rewrite every row so the new TOAST target applies to it.
    "UPDATE catalog_searchdocument d SET search_text = d.search_text || '', is_active = p.is_active, "
    "code = p.code, name_length = p.name_length, field_id = p.field_id, levels = p.levels, "
    "online_level = p.online_level, subjects_folded = p.subjects_folded "
    "FROM catalog_procedure p WHERE p.id = d.procedure_id",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_procedure_search_sync ON catalog_procedure",
    "DROP FUNCTION IF EXISTS catalog_procedure_sync_search()",
    "DROP TRIGGER IF EXISTS catalog_searchdocument_copy ON catalog_searchdocument",
    "DROP FUNCTION IF EXISTS catalog_searchdocument_copy_procedure()",
    "ALTER TABLE catalog_searchdocument DROP COLUMN IF EXISTS is_active, DROP COLUMN IF EXISTS code, "
    "DROP COLUMN IF EXISTS name_length, DROP COLUMN IF EXISTS field_id, DROP COLUMN IF EXISTS levels, "
    "DROP COLUMN IF EXISTS online_level, DROP COLUMN IF EXISTS subjects_folded",
    "ALTER TABLE catalog_searchdocument ALTER COLUMN name_vector SET STORAGE EXTENDED",
    "ALTER TABLE catalog_searchdocument RESET (toast_tuple_target)",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_search_index")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD}),
        )
    ]
