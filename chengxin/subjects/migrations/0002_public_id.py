
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("subjects", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="subject",
            name="public_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="公开编号"),
        ),
    ]
