from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "chengxin.core"
    label = "core"
    verbose_name = _("基础数据")

    def ready(self) -> None:
        from chengxin.core import calendar

        calendar.connect_cache_invalidation()
