"""prefix_key holds the core's length too ("华兴|4"): recompute the keys (as 0005 does)."""

import importlib

from django.db import migrations

recompute = importlib.import_module("chengxin.screening.migrations.0005_fill_prefix_key").recompute


class Migration(migrations.Migration):
    dependencies = [("screening", "0007_prefix_key_with_length")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
