"""Fuzzy candidates are blocked on the start of the 字号 (prefix_key), not head/tail keys."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("screening", "0003_list_import")]

    operations = [
        migrations.RemoveField(model_name="listentry", name="head_key"),
        migrations.RemoveField(model_name="listentry", name="tail_key"),
        migrations.AddField(
            model_name="listentry",
            name="prefix_key",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=2, verbose_name="字号首两字"
            ),
            preserve_default=False,
        ),
    ]
