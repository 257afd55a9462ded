"""prefix_key holds the core's length too ("华兴|4"): schema."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("screening", "0006_check_fewer_indexes")]

    operations = [
        migrations.AlterField(
            model_name="listentry",
            name="prefix_key",
            field=models.CharField(
                db_index=True, editable=False, max_length=8, verbose_name="字号首两字及主干长度"
            ),
        ),
    ]
