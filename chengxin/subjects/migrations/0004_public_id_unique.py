import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("subjects", "0003_fill_public_id")]

    operations = [
        migrations.AlterField(
            model_name="subject",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="公开编号"),
        ),
    ]
