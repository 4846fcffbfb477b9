"""Partial indexes on public reports, one per filter of the board, in the board's order (ADR 0184).

They replace ``feedback_board_idx`` (is_public, status, received_at), which could not give the newest
reports of several statuses in order. Building them reads the table once each: a few seconds at a
million reports, during which new reports wait.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0005_report_procedure_dossier'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='report',
            name='feedback_board_idx',
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(condition=models.Q(('is_public', True), ('status__in', ['processing', 'drafted', 'answered', 'closed', 'merged'])), fields=['-received_at', '-id'], name='feedback_public_idx'),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(condition=models.Q(('is_public', True), ('status__in', ['processing', 'drafted', 'answered', 'closed', 'merged'])), fields=['category', '-received_at', '-id'], name='feedback_public_cat_idx'),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(condition=models.Q(('is_public', True), ('status__in', ['processing', 'drafted', 'answered', 'closed', 'merged'])), fields=['unit', '-received_at', '-id'], name='feedback_public_unit_idx'),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(condition=models.Q(('is_public', True), ('status__in', ['processing', 'drafted', 'answered', 'closed', 'merged'])), fields=['status', '-received_at', '-id'], name='feedback_public_status_idx'),
        ),
    ]
