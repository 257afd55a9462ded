from django.db import migrations, models


def fill_credit_office(apps, schema_editor):  # type: ignore[no-untyped-def]
    Region = apps.get_model("core", "Region")
    for region in Region.objects.all():
        region.credit_office = f"{region.name}社会信用体系建设领导小组办公室"
        region.save(update_fields=["credit_office"])


class Migration(migrations.Migration):
    dependencies = [("core", "0003_region")]

    operations = [
        migrations.AddField(
            model_name="region",
            name="credit_office",
            field=models.CharField(
                default="",
                help_text="平台的主办单位，如“××区社会信用体系建设领导小组办公室”。",
                max_length=100,
                verbose_name="信用主管机构",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_credit_office, migrations.RunPython.noop),
    ]
