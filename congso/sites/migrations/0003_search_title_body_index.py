"""Two indexes for the portal search at 100,000 pages (PostgreSQL only; issue 21, ADR 0166).

Wagtail's database search backend matches a query against ``title || body`` of
``wagtailsearch_indexentry``; without an index on that expression PostgreSQL reads and concatenates
every page's vectors (and, having no statistics for it, guesses one matching row and picks a nested-loop
join: seconds at 100,000 pages). The expression index gives both an index scan and the planner's
statistics. Wagtail joins an entry to its page on ``page.id::varchar = object_id``: an index on that
expression lets PostgreSQL rank the matching entries first and then fetch only the pages shown (an index
probe each) instead of hashing every page of every portal. SQLite uses Wagtail's FTS5 table instead:
nothing to do there.
"""

from django.db import migrations

INDEX = "sites_search_title_body_gin"
PAGE_INDEX = "sites_search_page_id_text"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PAGE_INDEX} ON wagtailcore_page (((id::varchar(50))::text))"
        )
        schema_editor.execute("ANALYZE wagtailsearch_indexentry")
        schema_editor.execute("ANALYZE wagtailcore_page")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {PAGE_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0002_article_summary_help"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
