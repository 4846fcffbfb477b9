"""Store the signed envelopes out of line without compression on PostgreSQL (ADR 0188).

An edXML envelope is mostly the base64 of a PDF, which is compressed already: PostgreSQL's default
TOAST compression (pglz) spent about 6 ms of CPU on each 417 KB envelope to find that it saves nothing
(the rows came out the same size). ``STORAGE EXTERNAL`` keeps them out of line and skips the attempt. It
changes how new rows are written, not the rows already stored, and takes no time. SQLite has no such
setting: nothing to do there."""

from django.db import migrations

COLUMNS = (("exchange_incomingpacket", "envelope"), ("exchange_outgoingpacket", "envelope"))


def external(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET STORAGE EXTERNAL')


def extended(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET STORAGE EXTENDED')


class Migration(migrations.Migration):
    dependencies = [("exchange", "0002_status_time")]

    operations = [migrations.RunPython(external, extended)]
