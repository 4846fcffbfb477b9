"""Rename the calendar's tables from ``core_*`` to ``calendar_*``, keeping every row.

A plain ``ALTER TABLE … RENAME TO`` on SQLite (3.26+, which Django requires, rewrites no references
here: no other table points at these) and PostgreSQL; the explicitly named constraints and indexes
keep their names, and the foreign key to ``directory_administrativeunit`` is untouched. Renaming keeps
the schema readable (each app's tables under its own label) at the cost of one cheap migration.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("calendar", "0001_from_core")]

    operations = [
        migrations.AlterModelTable(name="calendarexception", table=None),
        migrations.AlterModelTable(name="officehours", table=None),
        migrations.AlterModelTable(name="calendarrevision", table=None),
    ]
