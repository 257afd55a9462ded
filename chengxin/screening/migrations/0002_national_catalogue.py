"""Install the national reference data of 联合奖惩 (chengxin.screening.reference)."""

from typing import Any

from django.db import migrations

from chengxin.screening import reference


def install(apps: Any, schema_editor: Any) -> None:
    reference.install(apps)


def uninstall(apps: Any, schema_editor: Any) -> None:
    reference.uninstall(apps)


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
