"""Recompute the name keys of existing entries: prefix_key is new, and core_key no longer takes
a 字号 followed by 市政/市场/区域/县域 for a place name (screening.names)."""

from typing import Any

from django.db import migrations

from chengxin.screening import names


def recompute(apps: Any, schema_editor: Any) -> None:
    entry_model = apps.get_model("screening", "ListEntry")
    changed = []
    for entry in entry_model.objects.only("id", "subject_name", "core_key").iterator(2000):
        entry.core_key = names.core_key(entry.subject_name)[:200]
        entry.prefix_key = names.prefix_key(entry.core_key)
        changed.append(entry)
        if len(changed) == 2000:
            entry_model.objects.bulk_update(changed, ["core_key", "prefix_key"])
            changed = []
    entry_model.objects.bulk_update(changed, ["core_key", "prefix_key"])


class Migration(migrations.Migration):
    dependencies = [("screening", "0004_name_prefix_key")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
