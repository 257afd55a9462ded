from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "chengxin.imports"
    label = "imports"
    verbose_name = _("数据导入")

    def ready(self) -> None:
        from chengxin.publicity import hooks

        hooks.register(hooks.IMPORT_BATCHES, counted_batches)


def counted_batches(user: Any) -> QuerySet[Any]:
    """The batches that measure a department's data quality: finished, not trial runs, those
    `user` may see (publicity's timeliness pages, publicity.hooks.IMPORT_BATCHES)."""
    from chengxin.core.permissions import VIEW
    from chengxin.imports.choices import BatchStatus
    from chengxin.imports.models import ImportBatch

    visible: QuerySet[Any] = ImportBatch.objects.restrict(user, VIEW)
    return visible.filter(status=BatchStatus.FINISHED, is_dry_run=False)
