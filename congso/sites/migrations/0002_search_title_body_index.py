"""A GIN index on the search index's ``title || body`` vector (PostgreSQL only; issue 21, ADR 0166).

Wagtail's database search backend matches a query against ``title || body`` of
``wagtailsearch_indexentry``; without an index on that expression PostgreSQL reads and concatenates
every page's vectors (and, having no statistics for it, guesses one matching row and picks a nested-loop
join: seconds at 100,000 pages). The expression index gives both an index scan and the planner's
statistics. SQLite uses Wagtail's FTS5 table instead: nothing to do there.
"""

from django.db import migrations

INDEX = "sites_search_title_body_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))"
        )
        schema_editor.execute("ANALYZE wagtailsearch_indexentry")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
