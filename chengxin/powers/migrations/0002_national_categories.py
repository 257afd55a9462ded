"""The ten national categories of the power list (中办发〔2015〕21号); a locality edits them later."""

from typing import Any

from django.db import migrations

CATEGORIES = (
    ("license", "行政许可"),
    ("penalty", "行政处罚"),
    ("coercion", "行政强制"),
    ("levy", "行政征收"),
    ("payment", "行政给付"),
    ("inspection", "行政检查"),
    ("confirmation", "行政确认"),
    ("reward", "行政奖励"),
    ("adjudication", "行政裁决"),
    ("other", "其他行政权力"),
)


def seed(apps: Any, schema_editor: Any) -> None:
    PowerCategory = apps.get_model("powers", "PowerCategory")
    for position, (code, name) in enumerate(CATEGORIES, start=1):
        PowerCategory.objects.get_or_create(
            code=code, defaults={"name": name, "ordering": position * 10}
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    PowerCategory = apps.get_model("powers", "PowerCategory")
    PowerCategory.objects.filter(code__in=[code for code, _ in CATEGORIES], items=None).delete()


class Migration(migrations.Migration):
    dependencies = [("powers", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
