"""Penalties get their publicity end again under 《信用修复管理办法》（国家发展改革委令第36号）: the
default 轻微 class of 第八条 for unclassified ones, and the district's transitional rule for those
decided before 2026-04-01 (publicity.visibility)."""

import datetime

from django.db import migrations


def recompute(apps, schema_editor):
    from chengxin.core import local_settings
    from chengxin.publicity import standard, visibility

    local_settings.clear_cache()
    model = apps.get_model("publicity", "PenaltyRecord")
    changed = []
    for record in model.objects.iterator(chunk_size=2000):
        values = {f.attr: getattr(record, f.attr, None) for f in standard.FIELDS["penalty"]}
        values["penalty_categories"] = standard.split_categories(record.penalty_categories or "")
        until = visibility.public_until("penalty", values, record.severity)
        ended = record.publicity_ended_on
        if ended is not None and until is not None and until >= ended:
            until = ended - datetime.timedelta(days=1)  # 终止公示 by credit repair stays
        if until != record.public_until:
            record.public_until = until
            changed.append(record)
    model.objects.bulk_update(changed, ["public_until"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("publicity", "0013_penalty_summary_procedure")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
