"""A local fee per submission channel, each with its currency; the administrator's statement of whether
the law lets a province set the fee.

An offering's single local fee (in đồng, applied to every channel) becomes the same fee in đồng for each
channel the procedure's current version has (every channel when it lists none).
"""

import django.core.validators
from django.db import migrations, models


CHANNELS = ("in_person", "online", "post")


def split_local_fee(apps, schema_editor):
    Offering = apps.get_model("catalog", "Offering")
    rows = Offering.objects.filter(local_fee_amount__isnull=False).values_list(
        "pk", "local_fee_amount", "procedure__current_version__content"
    )
    for pk, amount, content in rows:
        stated = {row.get("channel") for row in (content or {}).get("channels") or []} & set(CHANNELS)
        values = {}
        for channel in stated or CHANNELS:
            values[f"local_fee_{channel}"] = amount
            values[f"local_fee_{channel}_currency"] = "VND"
        Offering.objects.filter(pk=pk).update(**values)


def join_local_fee(apps, schema_editor):
    Offering = apps.get_model("catalog", "Offering")
    for offering in Offering.objects.all():
        fees = [getattr(offering, f"local_fee_{c}") for c in CHANNELS]
        currencies = [getattr(offering, f"local_fee_{c}_currency") for c in CHANNELS]
        known = [(fee, cur) for fee, cur in zip(fees, currencies, strict=True) if fee is not None]
        if known and all(cur == "VND" for _fee, cur in known):
            offering.local_fee_amount = max(fee for fee, _cur in known).quantize(1)
            offering.save(update_fields=["local_fee_amount"])


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0005_administrator_overrides'),
    ]

    operations = [
        migrations.AddField(
            model_name='offering',
            name='local_fee_in_person',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='mức phí, lệ phí tại địa phương — nộp trực tiếp'),
        ),
        migrations.AddField(
            model_name='offering',
            name='local_fee_in_person_currency',
            field=models.CharField(choices=[('VND', 'đồng (VND)'), ('USD', 'đô la Mỹ (USD)'), ('EUR', 'euro (EUR)')], default='VND', max_length=3, verbose_name='đơn vị tiền — nộp trực tiếp'),
        ),
        migrations.AddField(
            model_name='offering',
            name='local_fee_online',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='mức phí, lệ phí tại địa phương — nộp trực tuyến'),
        ),
        migrations.AddField(
            model_name='offering',
            name='local_fee_online_currency',
            field=models.CharField(choices=[('VND', 'đồng (VND)'), ('USD', 'đô la Mỹ (USD)'), ('EUR', 'euro (EUR)')], default='VND', max_length=3, verbose_name='đơn vị tiền — nộp trực tuyến'),
        ),
        migrations.AddField(
            model_name='offering',
            name='local_fee_post',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='mức phí, lệ phí tại địa phương — nộp qua bưu chính'),
        ),
        migrations.AddField(
            model_name='offering',
            name='local_fee_post_currency',
            field=models.CharField(choices=[('VND', 'đồng (VND)'), ('USD', 'đô la Mỹ (USD)'), ('EUR', 'euro (EUR)')], default='VND', max_length=3, verbose_name='đơn vị tiền — nộp qua bưu chính'),
        ),
        migrations.AddField(
            model_name='procedure',
            name='local_fee_allowed_override',
            field=models.BooleanField(blank=True, default=None, help_text='Để trống để dùng nhận định từ hồ sơ thủ tục (mức thu do Hội đồng nhân dân tỉnh quyết định).', null=True, verbose_name='cho phép địa phương đặt mức phí (quản trị viên xác định)'),
        ),
        migrations.RunPython(split_local_fee, join_local_fee),
        migrations.RemoveField(
            model_name="offering",
            name="local_fee_amount",
        ),
    ]
