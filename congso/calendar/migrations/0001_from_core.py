"""The working-day calendar's models, taken over from ``core`` (core.0004) without touching the database.

The tables were created and seeded by core's migrations 0002 and 0003; here they only enter this app's
state, still under their ``core_*`` names (``db_table``), so no row is copied or lost. 0002 renames them.
"""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0004_calendar_moves_to_its_app"),
        ("directory", "0002_administrativeunit_replaced_by"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CalendarRevision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('revision', models.BigIntegerField(default=0)),
                    ],
                    options={
                        'db_table': 'core_calendarrevision',
                        'verbose_name': 'phiên bản lịch làm việc',
                        'verbose_name_plural': 'phiên bản lịch làm việc',
                    },
                ),
                migrations.CreateModel(
                    name='CalendarException',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='ngày')),
                        ('kind', models.CharField(choices=[('day_off', 'Ngày nghỉ'), ('working_day', 'Ngày làm việc (làm bù)')], max_length=20, verbose_name='loại')),
                        ('reason', models.CharField(max_length=300, verbose_name='lý do, căn cứ')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('unit', models.ForeignKey(blank=True, help_text='Để trống: áp dụng cho cả nước.', limit_choices_to={'level': 1}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='calendar_exceptions', to='directory.administrativeunit', verbose_name='tỉnh, thành phố')),
                    ],
                    options={
                        'db_table': 'core_calendarexception',
                        'verbose_name': 'ngày nghỉ, ngày làm bù',
                        'verbose_name_plural': 'ngày nghỉ, ngày làm bù',
                        'ordering': ['date', 'unit_id'],
                        'indexes': [models.Index(fields=['date'], name='calendar_exception_date_idx')],
                        'constraints': [models.UniqueConstraint(fields=('unit', 'date'), name='calendar_exception_unit_date', violation_error_message='Ngày này đã được khai báo cho tỉnh này.'), models.UniqueConstraint(condition=models.Q(('unit__isnull', True)), fields=('date',), name='calendar_exception_nationwide_date', violation_error_message='Ngày này đã được khai báo cho cả nước.')],
                    },
                ),
                migrations.CreateModel(
                    name='OfficeHours',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('morning_start', models.TimeField(default='07:30', verbose_name='bắt đầu buổi sáng')),
                        ('morning_end', models.TimeField(default='11:30', verbose_name='kết thúc buổi sáng')),
                        ('afternoon_start', models.TimeField(default='13:30', verbose_name='bắt đầu buổi chiều')),
                        ('afternoon_end', models.TimeField(default='17:00', verbose_name='kết thúc buổi chiều')),
                        ('receipt_cutoff', models.TimeField(blank=True, help_text='Hồ sơ tiếp nhận từ giờ này trở đi được tính như tiếp nhận vào ngày làm việc tiếp theo. Để trống: giờ kết thúc buổi chiều.', null=True, verbose_name='giờ chốt tiếp nhận trong ngày')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('unit', models.OneToOneField(blank=True, help_text='Để trống: giờ làm việc mặc định cho cả nước.', limit_choices_to={'level': 1}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='office_hours', to='directory.administrativeunit', verbose_name='tỉnh, thành phố')),
                    ],
                    options={
                        'db_table': 'core_officehours',
                        'verbose_name': 'giờ làm việc',
                        'verbose_name_plural': 'giờ làm việc',
                        'constraints': [models.UniqueConstraint(django.db.models.functions.comparison.Coalesce('unit', models.Value(0)), name='office_hours_one_per_scope', violation_error_message='Đã có giờ làm việc cho phạm vi này.')],
                    },
                ),
            ],
            database_operations=[],
        )
    ]
