from django.db import migrations


def fill_public_until(apps, schema_editor):
    """Records published before this migration get their publicity end date."""
    from chengxin.publicity import standard, visibility

    for name, kind in (("LicenseRecord", "license"), ("PenaltyRecord", "penalty")):
        model = apps.get_model("publicity", name)
        for record in model.objects.iterator(chunk_size=2000):
            values = {field.attr: getattr(record, field.attr, None) for field in standard.FIELDS[kind]}
            record.public_until = visibility.public_until(kind, values, getattr(record, "severity", ""))
            record.save(update_fields=["public_until"])



class Migration(migrations.Migration):
    dependencies = [("publicity", "0005_publicity_period")]

    operations = [migrations.RunPython(fill_public_until, migrations.RunPython.noop)]
