"""The working-day calendar's models move to the ``calendar`` app (congso/calendar/models.py).

State only: the tables ``core_calendarexception``, ``core_officehours`` and ``core_calendarrevision``
stay, with their rows; ``calendar.0001_from_core`` takes them over in its own state, and
``calendar.0002_rename_tables`` renames them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0003_seed_calendar")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CalendarException"),
                migrations.DeleteModel(name="OfficeHours"),
                migrations.DeleteModel(name="CalendarRevision"),
            ],
            database_operations=[],
        )
    ]
