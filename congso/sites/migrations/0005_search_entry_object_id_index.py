"""An index on ``wagtailsearch_indexentry (object_id)`` for the portal search's newest-first walk
(PostgreSQL only; issue 21, ADR 0179).

The walk probes the index entry of each page, newest first (``congso.sites.search.NewestFirst``). The
only index Wagtail gives for that is ``(content_type_id, object_id)``, and the probe names fourteen page
types: fourteen descents of the B-tree, about 44 buffers a probe. On ``object_id`` alone it is one
descent, about 4 buffers (306 probes for "duong hung vuong": 13,167 → 1,116 buffers, 15.7 → 3.9 ms).
SQLite uses Wagtail's FTS5 table instead: nothing to do there.
"""

from django.db import migrations

INDEX = "sites_search_entry_object_id"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry (object_id)"
        )
        schema_editor.execute("ANALYZE wagtailsearch_indexentry")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("sites", "0004_home_per_agency_language")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
