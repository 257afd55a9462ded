import uuid

from django.db import migrations


def fill(apps, schema_editor):
    Subject = apps.get_model("subjects", "Subject")
    for subject in Subject.objects.filter(public_id__isnull=True).only("pk").iterator(chunk_size=5000):
        Subject.objects.filter(pk=subject.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("subjects", "0002_public_id")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
